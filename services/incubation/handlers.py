"""What the enclave does with intake's events: fill the backlog, mark projects transferred."""

from __future__ import annotations

import logging
from datetime import date

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
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.incubation import projects
from services.incubation.models import BacklogItem
from services.incubation.schemas import BacklogKind

log = logging.getLogger(__name__)


async def on_demand_submitted(
    session: AsyncSession, payload: RdDemandSubmitted, event: CloudEvent
) -> None:
    """An R&D demand of a local enterprise joins the order backlog (once per demand id)."""
    if await _known(session, BacklogKind.DEMAND, payload.demand_id):
        return
    session.add(
        BacklogItem(
            kind=BacklogKind.DEMAND.value,
            source_id=payload.demand_id,
            title=payload.title,
            description=payload.description,
            enterprise=payload.enterprise,
            industry_chain=payload.industry_chain,
            submitted_on=payload.submitted_on,
        )
    )


async def on_menu_item_published(
    session: AsyncSession, payload: MenuItemPublished, event: CloudEvent
) -> None:
    """A zone menu item joins the menu backlog (once per menu item id)."""
    if await _known(session, BacklogKind.MENU_ITEM, payload.menu_item_id):
        return
    session.add(
        BacklogItem(
            kind=BacklogKind.MENU_ITEM.value,
            source_id=payload.menu_item_id,
            title=payload.title,
            description=payload.description,
            industry_chain=payload.industry_chain,
            layout_category=payload.layout_category.value,
            submitted_on=payload.published_on,
        )
    )


async def on_case_opened(session: AsyncSession, payload: CaseOpened, event: CloudEvent) -> None:
    """Intake opened a case for the project: it is transferred."""
    await _transfer(
        session,
        payload.project_id,
        payload.case_id,
        payload.opened_on,
        TransferCause.CASE_OPENED,
        event,
    )


async def on_enterprise_settled(
    session: AsyncSession, payload: EnterpriseSettled, event: CloudEvent
) -> None:
    """The project's enterprise settled in Guangfeng: it is transferred (if not already)."""
    await _transfer(
        session,
        payload.project_id,
        payload.case_id,
        payload.signed_on,
        TransferCause.ENTERPRISE_SETTLED,
        event,
    )


async def on_outcome_transferred(
    session: AsyncSession, payload: OutcomeTransferred, event: CloudEvent
) -> None:
    """The project's R&D result went to the local enterprise: it is transferred."""
    await _transfer(
        session,
        payload.project_id,
        payload.case_id,
        payload.signed_on,
        TransferCause.OUTCOME_TRANSFERRED,
        event,
    )


async def _known(session: AsyncSession, kind: BacklogKind, source_id: str) -> bool:
    found = await session.scalar(
        select(BacklogItem.id).where(
            BacklogItem.kind == kind.value, BacklogItem.source_id == source_id
        )
    )
    return found is not None


async def _transfer(
    session: AsyncSession,
    project_id: str,
    case_id: str,
    on: date,
    cause: TransferCause,
    event: CloudEvent,
) -> None:
    # Case opened, then settled: the second report finds the project transferred already and
    # does nothing; a project that is not matured (or not ours) is left alone, logged.
    done = await projects.transfer(
        session,
        project_id=project_id,
        case_id=case_id,
        transferred_on=on,
        cause=cause,
        causation=event,
    )
    if not done:
        log.info(
            "%s for project %s (case %s) changes nothing: not a matured project here",
            event.type,
            project_id,
            case_id,
        )


HANDLERS: dict[type[Payload], Handler] = {
    RdDemandSubmitted: on_demand_submitted,
    MenuItemPublished: on_menu_item_published,
    CaseOpened: on_case_opened,
    EnterpriseSettled: on_enterprise_settled,
    OutcomeTransferred: on_outcome_transferred,
}
