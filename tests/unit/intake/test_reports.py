"""Read models over a session: the ledger document, the stats by business date, the wall."""

from __future__ import annotations

from datetime import date

from enclave_shared.catalog.incubation import IntakePath

from services.intake import models
from services.intake.config import IntakeSettings
from services.intake.domain import WallTextKind
from services.intake.handlers import cases, reports
from services.intake.handlers import wall as walls
from tests.unit.intake.factories import opened


async def test_stats_count_signings_and_days_to_construction_by_business_date(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        menu = await opened(sessions, "p-m", enterprise="Acme", on=date(2021, 3, 1))
        order = await opened(
            sessions, "p-o", IntakePath.ORDER, enterprise="Local", on=date(2021, 3, 2)
        )
        async with sessions() as session:
            row = await cases.get_case(session, case_id=menu.id)
            await cases.sign(session, case=row, signed_on=date(2021, 4, 1))
            await cases.start_construction(session, case=row, started_on=date(2021, 4, 21))
            other = await cases.get_case(session, case_id=order.id)
            await cases.sign(session, case=other, signed_on=date(2021, 4, 2))
            await session.commit()
        async with sessions() as session:
            before = await reports.stats(
                session, baseline_days_to_construction=60, start=None, end=date(2021, 4, 10)
            )
            after = await reports.stats(
                session, baseline_days_to_construction=60, start=None, end=date(2021, 4, 30)
            )
    assert before.settled == 1 and before.outcomes_transferred == 1
    assert before.days_to_construction == [] and before.avg_days_to_construction is None
    assert before.cases_by_color["red"] == 2  # colour as of the window's end
    assert after.cases_by_color["yellow"] == 1
    [days] = after.days_to_construction
    assert (days.case_id, days.enterprise, days.days_to_construction) == (menu.id, "Acme", 20)
    assert after.avg_days_to_construction == 20.0


async def test_the_ledger_and_the_wall_are_read_from_the_rows(sessions_for):
    settings = IntakeSettings()
    async with sessions_for(models.Base.metadata) as sessions:
        case = await opened(sessions, "p-1", enterprise="Acme", on=date(2021, 3, 1))
        async with sessions() as session:
            row = await cases.get_case(session, case_id=case.id)
            cases.set_responsible(case=row, unit="Zone office", person="Li", contact="123")
            await cases.sign(session, case=row, signed_on=date(2021, 3, 5))
            await session.commit()
            ledger = await reports.ledger(
                session,
                case=row,
                templates=settings.template(IntakePath.MENU),
                today=date(2021, 3, 20),
            )
            wall = await reports.wall(
                session,
                entry_conditions=await walls.get_text(session, kind=WallTextKind.ENTRY_CONDITIONS),
                entry_process=await walls.get_text(session, kind=WallTextKind.ENTRY_PROCESS),
                plan=await walls.get_plan(session),
                platforms=await walls.platforms(session),
            )
    assert ledger.responsible.model_dump() == {
        "unit": "Zone office",
        "person": "Li",
        "contact": "123",
    }
    assert [(s.stage, s.status) for s in ledger.stages] == [
        ("signing", "done"),
        ("construction", "current"),
        ("production", "pending"),
    ]
    assert [(s.kind, s.due_on.isoformat()) for s in ledger.overdue_meetings] == [
        ("inspection", "2021-03-15")
    ]
    [line] = wall.transfer_progress
    assert (line.project_id, line.color, line.signed_on) == ("p-1", "red", date(2021, 3, 5))
    assert "responsible_person" not in line.model_dump()
    assert wall.distribution.total == 1 and wall.distribution.by_path[IntakePath.MENU] == 1
    assert wall.unplaced == [case.id] and wall.plan.version == 0
    assert wall.entry_conditions.version == 0 and wall.entry_conditions.items
