"""The three ones (三个一) over a session: quiet days, the schedule, and the missed-meeting
sweep with a controlled business date, announced once per period."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from enclave_shared.app import Runtime
from enclave_shared.catalog.intake import MeetingKind, MeetingMissed
from enclave_shared.errors import Conflict, Invalid

from services.intake import jobs, models
from services.intake.config import IntakeSettings
from services.intake.handlers import cases, meetings
from tests.unit.intake.factories import opened
from tests.unit.support import committed_events


async def hold(sessions, case, kind: MeetingKind, day: date) -> None:
    async with sessions() as session:
        await meetings.create_meeting(
            session,
            quiet_days=IntakeSettings(),
            case=case,
            kind=kind,
            scheduled_on=None,
            held_on=day,
            notes="",
        )
        await session.commit()


def missed(events) -> list[tuple[str, str]]:
    return sorted(
        (e.data["kind"], e.data["due_on"]) for e in events if e.type == MeetingMissed.event_type
    )


async def test_no_inspection_on_a_quiet_day_other_meetings_are_not_affected(sessions_for):
    saturdays = IntakeSettings(quiet_weekdays=[6])
    async with sessions_for(models.Base.metadata) as sessions:
        case = await opened(sessions, "p-1")
        async with sessions() as session:
            with pytest.raises(Conflict, match="Saturdays are quiet days") as refused:
                await meetings.create_meeting(
                    session,
                    quiet_days=saturdays,
                    case=case,
                    kind=MeetingKind.INSPECTION,
                    scheduled_on=date(2021, 3, 6),
                    held_on=None,
                    notes="",
                )
            assert refused.value.field == "scheduled_on"
            with pytest.raises(Invalid):
                await meetings.create_meeting(
                    session,
                    quiet_days=saturdays,
                    case=case,
                    kind=MeetingKind.INSPECTION,
                    scheduled_on=None,
                    held_on=None,
                    notes="",
                )
            met = await meetings.create_meeting(
                session,
                quiet_days=saturdays,
                case=case,
                kind=MeetingKind.COORDINATION,
                scheduled_on=date(2021, 3, 6),
                held_on=None,
                notes="",
            )
            scheduled = await meetings.create_meeting(
                session,
                quiet_days=saturdays,
                case=case,
                kind=MeetingKind.INSPECTION,
                scheduled_on=date(2021, 3, 5),
                held_on=None,
                notes="",
            )
            with pytest.raises(Conflict, match="quiet day") as refused:
                await meetings.mark_held(
                    session,
                    quiet_days=saturdays,
                    meeting=scheduled,
                    held_on=date(2021, 3, 13),
                    notes=None,
                )
            assert refused.value.field == "held_on"
            await meetings.mark_held(
                session, quiet_days=saturdays, meeting=met, held_on=date(2021, 3, 6), notes="ok"
            )
            with pytest.raises(Conflict, match="already held"):
                await meetings.mark_held(
                    session, quiet_days=saturdays, meeting=met, held_on=date(2021, 3, 8), notes=None
                )


async def test_the_schedule_shows_each_owed_period_held_open_or_overdue(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        case = await opened(sessions, "p-1", on=date(2021, 3, 1))
        await hold(sessions, case, MeetingKind.INSPECTION, date(2021, 3, 10))
        async with sessions() as session:
            slots = await meetings.get_schedule(session, case=case, until=date(2021, 3, 20))
    assert [(s.kind, s.due_on, s.status) for s in slots] == [
        (MeetingKind.INSPECTION, date(2021, 3, 15), "held"),
        (MeetingKind.COORDINATION, date(2021, 3, 31), "open"),
        (MeetingKind.INSPECTION, date(2021, 3, 31), "open"),
        (MeetingKind.OBSERVATION, date(2021, 3, 31), "open"),
    ]
    assert slots[0].meeting_id is not None and slots[0].case_id == case.id


async def test_the_sweep_announces_each_missed_meeting_once(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        case = await opened(sessions, "p-1", on=date(2021, 3, 1))
        await hold(sessions, case, MeetingKind.INSPECTION, date(2021, 3, 10))
        await hold(sessions, case, MeetingKind.COORDINATION, date(2021, 3, 20))
        blue = await opened(sessions, "p-2", on=date(2021, 3, 1), enterprise="Acme")
        async with sessions() as session:  # in production in its first half month: owes none
            row = await cases.get_case(session, case_id=blue.id)
            await cases.sign(session, case=row, signed_on=date(2021, 3, 2))
            await cases.start_construction(session, case=row, started_on=date(2021, 3, 3))
            await cases.start_production(session, case=row, started_on=date(2021, 3, 15))
            await session.commit()

        for as_of, expected in ((date(2021, 4, 20), 3), (date(2021, 4, 20), 0)):
            async with sessions() as session:
                assert await meetings.report_missed(session, as_of=as_of) == expected
                await session.commit()
        events = await committed_events(sessions)
    assert missed(events) == [
        ("inspection", "2021-03-31"),
        ("inspection", "2021-04-15"),
        ("observation", "2021-03-31"),
    ]
    [first] = [e for e in events if e.type == MeetingMissed.event_type][:1]
    assert first.subject == case.id
    assert set(first.data) == {"case_id", "project_id", "kind", "due_on"}
    assert {e.data["case_id"] for e in events if e.type == MeetingMissed.event_type} == {case.id}


async def test_the_sweep_leaves_periods_older_than_the_lookback_unannounced(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        await opened(sessions, "p-old", on=date(2021, 3, 1))
        async with sessions() as session:
            sent = await meetings.report_missed(session, as_of=date(2021, 4, 20), lookback_days=10)
            await session.commit()
        events = await committed_events(sessions)
    assert sent == 1 and missed(events) == [("inspection", "2021-04-15")]


async def test_the_job_sweeps_as_of_the_business_date_in_the_platforms_time_zone(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        await opened(sessions, "p-1", on=date(2021, 4, 1))
        # 21:00 UTC on 30 April is 05:00 on 1 May in Shanghai: April's periods are over
        runtime = Runtime(
            settings=IntakeSettings(),
            engine=None,
            sessions=sessions,
            producer=None,
            relay=None,
            consumer=None,
            clock=lambda: datetime(2021, 4, 30, 21, tzinfo=UTC),
        )
        assert await jobs.check_meetings(runtime) == 3
        assert await jobs.check_meetings(runtime) == 0
        events = await committed_events(sessions)
    assert missed(events) == [
        ("coordination", "2021-04-30"),
        ("inspection", "2021-04-15"),
        ("inspection", "2021-04-30"),
    ]
    assert [job.name for job in jobs.JOBS] == ["three-ones-missed-meetings"]
