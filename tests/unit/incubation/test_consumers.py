"""Intake's events through HANDLERS, as the consumer calls them: the backlog fills, a matured
project transfers once, whichever report comes first."""

from __future__ import annotations

from datetime import date

import pytest
from enclave_shared.catalog.incubation import ProjectTransferred
from enclave_shared.catalog.intake import (
    CaseOpened,
    EnterpriseSettled,
    MenuItemCorrected,
    MenuItemVoided,
    OutcomeTransferred,
    RdDemandCorrected,
    RdDemandVoided,
)
from enclave_shared.errors import Conflict
from enclave_shared.events import CloudEvent, Payload, new_event

from services.incubation.consumers import HANDLERS
from services.incubation.domain import BacklogKind
from services.incubation.handlers import backlog, projects
from services.incubation.schemas import TakeOn
from tests.unit.incubation.factories import (
    CHAINS,
    TODAY,
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


async def test_the_backlog_follows_intakes_corrections_and_voids(sessions):
    await deliver(sessions, demand_payload("d1"))
    await deliver(sessions, menu_item_payload("m1"))
    corrected_demand = RdDemandCorrected(
        demand_id="d1",
        reason="typo",
        before={"title": "Talc micro-powder process", "partner_name": None},
        after={"title": "Talc nano-powder", "submitted_on": "2021-02-27", "partner_name": "SZU"},
    )
    corrected_item = MenuItemCorrected(
        menu_item_id="m1",
        reason="wrong layout",
        before={"layout_category": "new_electronics", "published_on": "2021-03-02"},
        after={"layout_category": "big_data", "published_on": "2021-03-04"},
    )
    for payload in (corrected_demand, corrected_item):
        await deliver(sessions, payload)
        await deliver(sessions, payload)  # the same fact again: the same values
    async with sessions() as session:
        demand = await backlog.get(session, kind=BacklogKind.DEMAND, source_id="d1")
        item = await backlog.get(session, kind=BacklogKind.MENU_ITEM, source_id="m1")
    assert (demand.title, demand.submitted_on) == ("Talc nano-powder", date(2021, 2, 27))
    assert (item.layout_category, item.submitted_on) == ("big_data", date(2021, 3, 4))

    first = await deliver(sessions, RdDemandVoided(demand_id="d1", reason="entered twice"))
    await deliver(sessions, RdDemandVoided(demand_id="d1", reason="again"))
    await deliver(sessions, MenuItemVoided(menu_item_id="m1", reason="withdrawn by the zone"))
    async with sessions() as session:
        listed, total = await backlog.list_items(session, kind=None, taken=None, page=None)
        _, with_void = await backlog.list_items(
            session, kind=None, taken=None, page=None, include_void=True
        )
        demand = await backlog.get(session, kind=BacklogKind.DEMAND, source_id="d1")
    assert (list(listed), total, with_void) == ([], 0, 2)
    assert (demand.void_reason, demand.voided_at) == ("entered twice", first.time)


async def test_a_void_demand_cannot_be_taken_on(sessions):
    await deliver(sessions, demand_payload("d1"))
    await deliver(sessions, RdDemandVoided(demand_id="d1", reason="entered twice"))
    async with sessions() as session:
        with pytest.raises(Conflict, match="R&D demand d1 is void in intake: entered twice"):
            await projects.take_on(
                session,
                kind=BacklogKind.DEMAND,
                source_id="d1",
                data=TakeOn(),
                chains=CHAINS,
                today=TODAY,
            )


async def test_corrections_and_voids_of_items_never_received_change_nothing(sessions):
    await deliver(sessions, RdDemandCorrected(demand_id="dx", reason="r", before={}, after={}))
    await deliver(sessions, MenuItemVoided(menu_item_id="mx", reason="r"))
    async with sessions() as session:
        _, total = await backlog.list_items(
            session, kind=None, taken=None, page=None, include_void=True
        )
    assert total == 0
