"""Intake's events → the incubation handlers: the backlog fills and follows intake's
corrections and voids, matured projects transfer."""

from __future__ import annotations

import logging

from enclave_shared.catalog.incubation import TransferCause
from enclave_shared.catalog.intake import (
    CaseOpened,
    CaseVoided,
    CaseWithdrawn,
    EnterpriseSettled,
    MenuItemCorrected,
    MenuItemPublished,
    MenuItemVoided,
    OutcomeTransferred,
    RdDemandCorrected,
    RdDemandSubmitted,
    RdDemandVoided,
)
from enclave_shared.consumer import Handler
from enclave_shared.events import CloudEvent, Payload
from enclave_shared.outbox import OutboxSession

from services.incubation.domain import BacklogKind
from services.incubation.handlers import backlog, lifecycle

log = logging.getLogger(__name__)

# Which of intake's reports made a project transferred, as ProjectTransferred tells.
TRANSFER_CAUSES: dict[type[Payload], TransferCause] = {
    CaseOpened: TransferCause.CASE_OPENED,
    EnterpriseSettled: TransferCause.ENTERPRISE_SETTLED,
    OutcomeTransferred: TransferCause.OUTCOME_TRANSFERRED,
}


async def on_demand_submitted(
    session: OutboxSession, payload: RdDemandSubmitted, event: CloudEvent
) -> None:
    """An R&D demand of a local enterprise joins the order backlog."""
    await backlog.receive_demand(session, demand=payload)


async def on_menu_item_published(
    session: OutboxSession, payload: MenuItemPublished, event: CloudEvent
) -> None:
    """A zone menu item joins the menu backlog."""
    await backlog.receive_menu_item(session, item=payload)


# The backlog item each of intake's corrections and voids is about.
FOLLOWED: dict[type[Payload], BacklogKind] = {
    RdDemandCorrected: BacklogKind.DEMAND,
    RdDemandVoided: BacklogKind.DEMAND,
    MenuItemCorrected: BacklogKind.MENU_ITEM,
    MenuItemVoided: BacklogKind.MENU_ITEM,
}


async def on_item_corrected(
    session: OutboxSession, payload: RdDemandCorrected | MenuItemCorrected, event: CloudEvent
) -> None:
    """Intake corrected a demand or menu item: the backlog's copy shows the new values."""
    await backlog.follow_correction(
        session, kind=FOLLOWED[type(payload)], source_id=payload.subject(), after=payload.after
    )


async def on_item_voided(
    session: OutboxSession, payload: RdDemandVoided | MenuItemVoided, event: CloudEvent
) -> None:
    """Intake voided a demand or menu item: it drops out of the backlog's lists."""
    await backlog.follow_void(
        session,
        kind=FOLLOWED[type(payload)],
        source_id=payload.subject(),
        reason=payload.reason,
        at=event.time,
    )


async def on_transfer_reported(
    session: OutboxSession,
    payload: CaseOpened | EnterpriseSettled | OutcomeTransferred,
    event: CloudEvent,
) -> None:
    """Intake opened a case, settled the enterprise or handed the result over: transferred."""
    # Case opened, then settled: the second report finds the project transferred already and
    # does nothing; a project that is not matured (or not ours) is left alone, logged, not
    # refused: intake reports every case, and only this service's matured ones apply.
    on = payload.opened_on if isinstance(payload, CaseOpened) else payload.signed_on
    done = await lifecycle.transfer(
        session,
        project_id=payload.project_id,
        case_id=payload.case_id,
        transferred_on=on,
        cause=TRANSFER_CAUSES[type(payload)],
        causation=event,
    )
    if not done:
        log.info(
            "%s for project %s (case %s) changes nothing: not a matured project here",
            event.type,
            payload.project_id,
            payload.case_id,
        )


async def on_case_withdrawn(
    session: OutboxSession, payload: CaseWithdrawn, event: CloudEvent
) -> None:
    """The enterprise did not land: what the project's transfer came to counts no more."""
    await lifecycle.case_stopped(session, project_id=payload.project_id, case_id=payload.case_id)


async def on_case_voided(session: OutboxSession, payload: CaseVoided, event: CloudEvent) -> None:
    """A case entered by mistake: what its project's transfer came to counts no more."""
    await lifecycle.case_voided(session, case_id=payload.case_id)


HANDLERS: dict[type[Payload], Handler] = {
    RdDemandSubmitted: on_demand_submitted,
    MenuItemPublished: on_menu_item_published,
    RdDemandCorrected: on_item_corrected,
    RdDemandVoided: on_item_voided,
    MenuItemCorrected: on_item_corrected,
    MenuItemVoided: on_item_voided,
    CaseOpened: on_transfer_reported,
    EnterpriseSettled: on_transfer_reported,
    OutcomeTransferred: on_transfer_reported,
    CaseWithdrawn: on_case_withdrawn,
    CaseVoided: on_case_voided,
}
