"""The lifecycle: proposed → incubating → matured → transferred, or dropped from an open
stage; every other move is refused, and no stage date goes back before the previous one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from enclave_shared.catalog.incubation import (
    ProjectMatured,
    ProjectRegistered,
    ProjectStageChanged,
    ProjectTransferred,
)
from enclave_shared.errors import Conflict, Invalid
from enclave_shared.outbox import OutboxSession

from services.incubation.handlers import lifecycle
from services.incubation.models import Project
from tests.unit.incubation.factories import (
    Sessions,
    case_opened,
    event_types,
    register,
    transfer_on,
)
from tests.unit.support import committed_events, types_of

ON = date(2021, 7, 1)
Move = Callable[[OutboxSession, str], Awaitable[Project]]


def start(session: OutboxSession, project_id: str) -> Awaitable[Project]:
    return lifecycle.start_incubation(session, project_id=project_id, started_on=ON)


def mature(session: OutboxSession, project_id: str) -> Awaitable[Project]:
    return lifecycle.mature(session, project_id=project_id, matured_on=ON)


def drop(session: OutboxSession, project_id: str) -> Awaitable[Project]:
    return lifecycle.drop(session, project_id=project_id, dropped_on=ON, reason="no funding")


async def move(sessions: Sessions, step: Move, project_id: str) -> Project:
    async with sessions() as session:
        project = await step(session, project_id)
        await session.commit()
    return project


async def transfer(sessions: Sessions, project_id: str, case_id: str = "c1") -> bool:
    report = case_opened(case_id, project_id, opened_on=date(2021, 7, 2))
    async with sessions() as session:
        done = await transfer_on(session, report)
        await session.commit()
    return done


def stage_moves(events: list) -> list[tuple[str, str]]:
    changed = [e.data for e in events if e.type == ProjectStageChanged.event_type]
    return [(d["from_stage"], d["to_stage"]) for d in changed]


async def test_the_main_flow_moves_through_every_stage_with_its_events(sessions):
    project = await register(sessions)
    await move(sessions, start, project.id)
    matured = await move(sessions, mature, project.id)
    assert (matured.stage, matured.matured_on) == ("matured", ON)
    assert await transfer(sessions, project.id) is True

    events = await committed_events(sessions)
    assert [e.type for e in events] == types_of(
        ProjectRegistered,
        ProjectStageChanged,
        ProjectStageChanged,
        ProjectMatured,
        ProjectStageChanged,
        ProjectTransferred,
    )
    assert stage_moves(events) == [
        ("proposed", "incubating"),
        ("incubating", "matured"),
        ("matured", "transferred"),
    ]
    assert events[3].data == {
        "project_id": project.id,
        "title": "Drone batteries",
        "path": "directed",
        "industry_chain": "advanced_machinery",
        "layout_category": None,
        "enterprise": "Shenzhen Unicorn Ltd",
        "demand_id": None,
        "menu_item_id": None,
        "matured_on": "2021-07-01",
        "enterprise_tag": "unicorn",
    }
    transferred = events[5]
    assert transferred.data == {
        "project_id": project.id,
        "path": "directed",
        "case_id": "c1",
        "transferred_on": "2021-07-02",
        "cause": "case_opened",
    }
    # the transfer and its stage change are caused by intake's report
    assert transferred.causationid is not None
    assert events[4].causationid == transferred.causationid


async def test_maturing_a_proposed_project_passes_through_incubating_the_same_day(sessions):
    project = await register(sessions)
    matured = await move(sessions, mature, project.id)
    assert matured.incubation_started_on == matured.matured_on == ON
    assert stage_moves(await committed_events(sessions)) == [
        ("proposed", "incubating"),
        ("incubating", "matured"),
    ]


async def test_a_drop_records_its_reason(sessions):
    project = await register(sessions)
    dropped = await move(sessions, drop, project.id)
    assert (dropped.stage, dropped.dropped_on, dropped.drop_reason) == ("dropped", ON, "no funding")
    [changed] = [e for e in await committed_events(sessions) if e.type.endswith("stage_changed.v1")]
    assert changed.data["reason"] == "no funding"
    assert changed.data["to_stage"] == "dropped"


async def reach(sessions: Sessions, stage: str) -> Project:
    project = await register(sessions)
    steps: dict[str, list[Move]] = {
        "proposed": [],
        "incubating": [start],
        "matured": [mature],
        "dropped": [drop],
    }
    for step in steps.get(stage, [mature]):
        await move(sessions, step, project.id)
    if stage == "transferred":
        assert await transfer(sessions, project.id)
    return project


REFUSED = [
    ("incubating", start),
    ("matured", start),
    ("matured", mature),
    ("transferred", start),
    ("transferred", mature),
    ("transferred", drop),
    ("dropped", start),
    ("dropped", mature),
    ("dropped", drop),
]


@pytest.mark.parametrize(("stage", "step"), REFUSED, ids=[f"{s}-{m.__name__}" for s, m in REFUSED])
async def test_a_move_not_allowed_from_the_stage_is_refused_naming_it(sessions, stage, step):
    project = await reach(sessions, stage)
    before = await event_types(sessions)
    with pytest.raises(Conflict) as refused:
        await move(sessions, step, project.id)
    assert refused.value.field == "stage"
    assert f"project {project.id} is {stage}" in refused.value.message
    assert await event_types(sessions) == before


@pytest.mark.parametrize(
    ("step", "field"),
    [(start, "started_on"), (mature, "matured_on"), (drop, "dropped_on")],
)
async def test_a_stage_date_before_the_previous_one_is_refused(sessions, step, field):
    project = await register(sessions, registered_on="2021-08-01")  # after ON
    with pytest.raises(Invalid) as refused:
        await move(sessions, step, project.id)
    assert refused.value.field == field
    assert await event_types(sessions) == [ProjectRegistered.event_type]


async def test_maturity_cannot_precede_the_start_of_incubation(sessions):
    project = await register(sessions, registered_on="2021-06-01")
    async with sessions() as session:
        await lifecycle.start_incubation(
            session, project_id=project.id, started_on=date(2021, 7, 5)
        )
        await session.commit()
    with pytest.raises(Invalid, match="incubation start") as refused:
        await move(sessions, mature, project.id)
    assert refused.value.field == "matured_on"


@pytest.mark.parametrize("stage", ["proposed", "incubating", "dropped", "transferred"])
async def test_a_transfer_report_for_a_project_not_matured_changes_nothing(sessions, stage):
    project = await reach(sessions, stage)
    before = await event_types(sessions)
    assert await transfer(sessions, project.id, case_id="c9") is False
    assert await event_types(sessions) == before


async def test_a_transfer_report_for_an_unknown_project_changes_nothing(sessions):
    assert await transfer(sessions, "not-ours") is False
    assert await event_types(sessions) == []
