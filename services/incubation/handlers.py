"""What the enclave does with intake's events: fill the backlog, mark projects transferred."""

from __future__ import annotations

import logging

from enclave_shared.catalog.incubation import TransferCause
from enclave_shared.catalog.intake import (
    CaseOpened,
    EnterpriseSettled,
    MenuItemPublished,
    OutcomeTransferred,
    RdDemandSubmitted,
)
from enclave_shared.consumer import Handler
from enclave_shared.events import CloudEvent, Payload
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.incubation import lifecycle
from services.incubation.models import BacklogItem
from services.incubation.schemas import BacklogKind

log = logging.getLogger(__name__)


async def on_demand_submitted(
    session: OutboxSession, payload: RdDemandSubmitted, event: CloudEvent
) -> None:
    """An R&D demand of a local enterprise joins the order backlog (once per demand id)."""
    await _receive(
        session,
        BacklogItem(
            kind=BacklogKind.DEMAND.value,
            source_id=payload.demand_id,
            title=payload.title,
            description=payload.description,
            enterprise=payload.enterprise,
            industry_chain=payload.industry_chain,
            submitted_on=payload.submitted_on,
        ),
    )


async def on_menu_item_published(
    session: OutboxSession, payload: MenuItemPublished, event: CloudEvent
) -> None:
    """A zone menu item joins the menu backlog (once per menu item id)."""
    await _receive(
        session,
        BacklogItem(
            kind=BacklogKind.MENU_ITEM.value,
            source_id=payload.menu_item_id,
            title=payload.title,
            description=payload.description,
            industry_chain=payload.industry_chain,
            layout_category=payload.layout_category.value,
            submitted_on=payload.published_on,
        ),
    )


async def on_transfer_reported(
    session: OutboxSession,
    payload: CaseOpened | EnterpriseSettled | OutcomeTransferred,
    event: CloudEvent,
) -> None:
    """Intake opened a case, settled the enterprise or handed the result over: transferred."""
    # Case opened, then settled: the second report finds the project transferred already and
    # does nothing; a project that is not matured (or not ours) is left alone, logged.
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


async def _receive(session: OutboxSession, item: BacklogItem) -> None:
    # Once per source id: the same demand or menu item can come again under a new event id.
    known = await session.scalar(
        select(BacklogItem.id).where(
            BacklogItem.kind == item.kind, BacklogItem.source_id == item.source_id
        )
    )
    if known is None:
        session.add(item)


TRANSFER_CAUSES: dict[type[Payload], TransferCause] = {
    CaseOpened: TransferCause.CASE_OPENED,
    EnterpriseSettled: TransferCause.ENTERPRISE_SETTLED,
    OutcomeTransferred: TransferCause.OUTCOME_TRANSFERRED,
}

HANDLERS: dict[type[Payload], Handler] = {
    RdDemandSubmitted: on_demand_submitted,
    MenuItemPublished: on_menu_item_published,
    CaseOpened: on_transfer_reported,
    EnterpriseSettled: on_transfer_reported,
    OutcomeTransferred: on_transfer_reported,
}
