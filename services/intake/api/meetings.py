"""Routes of the "three ones" cadence (三个一) and the quiet days (宁静日)."""

from __future__ import annotations

from datetime import date

from enclave_shared.catalog.intake import MeetingKind
from enclave_shared.deps import ListPageDep, SessionDep
from enclave_shared.errors import Invalid
from fastapi import APIRouter

from services.intake.deps import CaseReader, Officer, SettingsDep, TodayDep
from services.intake.handlers import cases, meetings
from services.intake.schemas import (
    MeetingCreate,
    MeetingHeldIn,
    MeetingPublic,
    QuietDays,
    SlotPublic,
)

router = APIRouter(prefix="/api/v1", tags=["three ones"])

HORIZON_DAYS = 3660  # how far ahead a schedule may be asked for: about ten years


def _horizon(day: date | None, today: date, field: str) -> date:
    if day is None:
        return today
    if (day - today).days > HORIZON_DAYS:
        raise Invalid(f"{field} is more than {HORIZON_DAYS} days ahead", field=field)
    return day


@router.post("/cases/{case_id}/meetings", status_code=201)
async def create_meeting(
    case_id: str, body: MeetingCreate, session: SessionDep, settings: SettingsDep, _user: Officer
) -> MeetingPublic:
    """Schedule an inspection, coordination or observation, or record one held (or both)."""
    case = await cases.get_case(session, case_id=case_id)
    meeting = await meetings.create_meeting(
        session,
        quiet_days=settings,
        case=case,
        kind=body.kind,
        scheduled_on=body.scheduled_on,
        held_on=body.held_on,
        notes=body.notes,
    )
    await session.commit()
    return MeetingPublic.model_validate(meeting)


@router.get("/cases/{case_id}/meetings")
async def list_case_meetings(
    case_id: str,
    session: SessionDep,
    user: CaseReader,
    page: ListPageDep,
    kind: MeetingKind | None = None,
) -> list[MeetingPublic]:
    """The case's meetings in date order."""
    await cases.get_case(session, case_id=case_id, user=user)
    found = await meetings.get_meetings(session, case_ids=[case_id], kind=kind, page=page.params)
    return page.shaped(MeetingPublic, found)


@router.get("/cases/{case_id}/schedule")
async def case_schedule(
    case_id: str, session: SessionDep, user: CaseReader, today: TodayDep, until: date | None = None
) -> list[SlotPublic]:
    """Every owed period of the case up to `until` (default today): held, open or overdue."""
    case = await cases.get_case(session, case_id=case_id, user=user)
    return await meetings.get_schedule(session, case=case, until=_horizon(until, today, "until"))


@router.get("/meetings/overdue")
async def list_overdue(
    session: SessionDep,
    user: Officer,
    today: TodayDep,
    page: ListPageDep,
    as_of: date | None = None,
) -> list[SlotPublic]:
    """Owed meetings whose period ended before `as_of` (default today) without taking place."""
    rows, _ = await cases.get_all_cases(session, user=user)
    overdue = await meetings.overdue_slots(
        session, as_of=_horizon(as_of, today, "as_of"), cases=rows
    )
    return page.shaped(SlotPublic, page.window(overdue))


@router.get("/meetings/{meeting_id}")
async def get_meeting(meeting_id: str, session: SessionDep, user: CaseReader) -> MeetingPublic:
    """One meeting."""
    meeting = await meetings.get_meeting(session, meeting_id=meeting_id, user=user)
    return MeetingPublic.model_validate(meeting)


@router.post("/meetings/{meeting_id}/held")
async def mark_held(
    meeting_id: str, body: MeetingHeldIn, session: SessionDep, settings: SettingsDep, _user: Officer
) -> MeetingPublic:
    """Record that a scheduled meeting took place."""
    meeting = await meetings.get_meeting(session, meeting_id=meeting_id, for_update=True)
    await meetings.mark_held(
        session, quiet_days=settings, meeting=meeting, held_on=body.held_on, notes=body.notes
    )
    await session.commit()
    return MeetingPublic.model_validate(meeting)


@router.get("/quiet-days")
async def quiet_days(settings: SettingsDep, _user: Officer, day: date | None = None) -> QuietDays:
    """The quiet-day (宁静日) rules; with `day`, whether that day is quiet and by which rule."""
    return meetings.quiet_days(settings, day=day)
