"""Building blocks of the incubation unit tests: each helper runs one handler and commits,
as a route or the consumer would."""

from __future__ import annotations

from datetime import date
from typing import Any

from enclave_shared.catalog.incubation import TransferCause
from enclave_shared.catalog.intake import (
    CaseOpened,
    EnterpriseSettled,
    MenuItemPublished,
    OutcomeTransferred,
    RdDemandSubmitted,
)
from enclave_shared.events import new_event
from enclave_shared.outbox import OutboxSession
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.incubation.config import DEFAULT_INDUSTRY_CHAINS
from services.incubation.domain import BacklogKind
from services.incubation.handlers import backlog, lifecycle, projects
from services.incubation.models import Project
from services.incubation.schemas import ProjectCreate, TakeOn
from tests.unit.support import committed_events

Sessions = async_sessionmaker[OutboxSession]

CHAINS = list(DEFAULT_INDUSTRY_CHAINS)
TODAY = date(2021, 6, 30)

DIRECTED: dict[str, Any] = {
    "path": "directed",
    "title": "Drone batteries",
    "industry_chain": "advanced_machinery",
    "enterprise": "Shenzhen Unicorn Ltd",
    "enterprise_tag": "unicorn",
}
# DIRECTED's fields cleared: what another path's body starts from.
BLANK: dict[str, Any] = {k: None for k in DIRECTED if k != "path"}


# An R&D demand and a menu item as intake's officers enter them (their HTTP bodies).
DEMAND: dict[str, Any] = {
    "enterprise": "Guangfeng Talc Co.",
    "industry_chain": "black_talc",
    "title": "Talc micro-powder process",
    "description": "finer grading",
    "submitted_on": "2021-03-01",
}
MENU_ITEM: dict[str, Any] = {
    "title": "Smart sensor line",
    "industry_chain": "advanced_machinery",
    "layout_category": "new_electronics",
    "published_on": "2021-03-02",
}


def demand_payload(demand_id: str = "d1", **over: Any) -> RdDemandSubmitted:
    return RdDemandSubmitted.model_validate({"demand_id": demand_id, **DEMAND, **over})


def menu_item_payload(menu_item_id: str = "m1", **over: Any) -> MenuItemPublished:
    return MenuItemPublished.model_validate({"menu_item_id": menu_item_id, **MENU_ITEM, **over})


def case_opened(case_id: str, project_id: str, **over: Any) -> CaseOpened:
    """Intake opened a case (default: a directed project on 2021-07-03)."""
    return CaseOpened.model_validate(
        {
            "case_id": case_id,
            "project_id": project_id,
            "path": "directed",
            "industry_chain": "advanced_machinery",
            "opened_on": "2021-07-03",
            **over,
        }
    )


def signing(
    model: type[EnterpriseSettled | OutcomeTransferred], case_id: str, project_id: str, **over: Any
) -> EnterpriseSettled | OutcomeTransferred:
    """Intake's report of a case's signing (default: a directed project): the enterprise
    settled, or on the order path the outcome transferred."""
    return model.model_validate(
        {"case_id": case_id, "project_id": project_id, "path": "directed", **over}
    )


async def transfer_on(session: OutboxSession, report: CaseOpened) -> bool:
    """Transfer the report's project as the consumer does when intake opens its case."""
    return await lifecycle.transfer(
        session,
        project_id=report.project_id,
        case_id=report.case_id,
        transferred_on=report.opened_on,
        cause=TransferCause.CASE_OPENED,
        causation=new_event(report),
    )


async def arrive(sessions: Sessions, *payloads: RdDemandSubmitted | MenuItemPublished) -> None:
    """Intake's demands and menu items reach the backlog, each in its own transaction."""
    for payload in payloads:
        async with sessions() as session:
            if isinstance(payload, RdDemandSubmitted):
                await backlog.receive_demand(session, demand=payload)
            else:
                await backlog.receive_menu_item(session, item=payload)
            await session.commit()


async def register(sessions: Sessions, **body: Any) -> Project:
    """Register a project (default: a directed one) and commit."""
    data = ProjectCreate.model_validate({**DIRECTED, **body})
    async with sessions() as session:
        project = await projects.register(session, data=data, chains=CHAINS, today=TODAY)
        await session.commit()
    return project


async def take_on(sessions: Sessions, kind: BacklogKind, source_id: str, **body: Any) -> Project:
    """Take a backlog item on and commit."""
    async with sessions() as session:
        project = await projects.take_on(
            session,
            kind=kind,
            source_id=source_id,
            data=TakeOn.model_validate(body),
            chains=CHAINS,
            today=TODAY,
        )
        await session.commit()
    return project


async def matured(sessions: Sessions, **body: Any) -> Project:
    """A project registered and matured on 2021-07-01."""
    project = await register(sessions, **body)
    async with sessions() as session:
        await lifecycle.mature(session, project_id=project.id, matured_on=date(2021, 7, 1))
        await session.commit()
    return project


async def event_types(sessions: Sessions) -> list[str]:
    """The types of every event committed so far, in order."""
    return [e.type for e in await committed_events(sessions)]
