"""Intake's events through HANDLERS, as the consumer calls them: the backlog fills, a matured
project transfers once, whichever report comes first."""

from __future__ import annotations

from datetime import date

from enclave_shared.catalog.incubation import ProjectTransferred
from enclave_shared.catalog.intake import CaseOpened, EnterpriseSettled, OutcomeTransferred
from enclave_shared.events import CloudEvent, Payload, new_event

from services.incubation.consumers import HANDLERS
from services.incubation.domain import BacklogKind
from services.incubation.handlers import backlog, projects
from tests.unit.incubation.factories import (
    Sessions,
    demand_payload,
    matured,
    menu_item_payload,
)
from tests.unit.support import committed_events


async def deliver(sessions: Sessions, payload: Payload) -> CloudEvent:
    """One event handled and committed, as the consumer does."""
    event = new_event(payload)
    async with sessions() as session:
        await HANDLERS[type(payload)](session, payload, event)
        await session.commit()
    return event


async def test_backlog_events_fill_the_backlog(sessions):
    await deliver(sessions, demand_payload("d1"))
    await deliver(sessions, menu_item_payload("m1", layout_category="big_data"))
    await deliver(sessions, demand_payload("d1"))  # the same fact under a new event id
    async with sessions() as session:
        demand = await backlog.get(session, kind=BacklogKind.DEMAND, source_id="d1")
        item = await backlog.get(session, kind=BacklogKind.MENU_ITEM, source_id="m1")
        _, total = await backlog.list_items(session, kind=None, taken=None, page=None)
    assert (demand.enterprise, demand.submitted_on) == ("Guangfeng Talc Co.", date(2021, 3, 1))
    assert (item.layout_category, item.submitted_on) == ("big_data", date(2021, 3, 2))
    assert total == 2


async def test_each_transfer_report_transfers_a_matured_project_once_with_its_cause(sessions):
    reports: list[tuple[Payload, str]] = []
    project_ids: list[str] = []
    for n, (model, cause) in enumerate(
        [
            (CaseOpened, "case_opened"),
            (EnterpriseSettled, "enterprise_settled"),
            (OutcomeTransferred, "outcome_transferred"),
        ]
    ):
        project = await matured(sessions)
        on = {"opened_on" if model is CaseOpened else "signed_on": date(2021, 7, 2 + n)}
        extra = {"industry_chain": "advanced_machinery"} if model is CaseOpened else {}
        report = model.model_validate(
            {"case_id": f"c{n}", "project_id": project.id, "path": "directed", **on, **extra}
        )
        reports.append((report, cause))
        project_ids.append(project.id)
    causes = []
    for report, cause in reports:
        event = await deliver(sessions, report)
        causes.append((event.id, cause))
        await deliver(sessions, report)  # a second report for a transferred project
    transferred = [
        e for e in await committed_events(sessions) if e.type == ProjectTransferred.event_type
    ]
    assert [(e.causationid, e.data["cause"]) for e in transferred] == causes
    async with sessions() as session:
        for n, project_id in enumerate(project_ids):
            project = await projects.get(session, project_id)
            assert (project.stage, project.case_id) == ("transferred", f"c{n}")
            assert project.transferred_on == date(2021, 7, 2 + n)
