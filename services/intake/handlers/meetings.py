"""The "three ones" (三个一) cadence: meetings scheduled and held, a case's schedule, the
overdue periods, and the missed-meeting sweep (once per period)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from enclave_shared.auth import Principal
from enclave_shared.catalog.intake import MeetingKind, MeetingMissed
from enclave_shared.deps import PageParams
from enclave_shared.errors import Conflict, Invalid
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import found, where_given
from sqlalchemy import func, select

from services.intake.domain import (
    HeldMeeting,
    Pause,
    QuietDayRules,
    SlotStatus,
    new_id,
    quiet_day_rule,
    schedule,
)
from services.intake.handlers.cases import get_pauses, may_see
from services.intake.handlers.rows import entered, page_of
from services.intake.models import CaseSuspension, IntakeCase, Meeting, MissedMeeting
from services.intake.schemas import QuietDays, SlotPublic


def _check_quiet_day(rules: QuietDayRules, kind: MeetingKind, day: date | None, field: str) -> None:
    if kind is not MeetingKind.INSPECTION or day is None:
        return
    rule = quiet_day_rule(rules, day)
    if rule is not None:
        raise Conflict(f"no inspection of a transfer enterprise on a {rule}", field=field)


def quiet_days(rules: QuietDayRules, *, day: date | None) -> QuietDays:
    """The quiet-day rules; with `day`, whether that day is quiet and by which rule."""
    rule = quiet_day_rule(rules, day) if day else None
    return QuietDays(
        weekdays=list(rules.quiet_weekdays),
        month_days=list(rules.quiet_month_days),
        dates=list(rules.quiet_dates),
        day=day,
        quiet=None if day is None else rule is not None,
        rule=rule,
    )


async def create_meeting(
    session: OutboxSession,
    *,
    quiet_days: QuietDayRules,
    case: IntakeCase,
    kind: MeetingKind,
    scheduled_on: date | None,
    held_on: date | None,
    notes: str,
) -> Meeting:
    """Schedule a meeting of a case, or record one that took place (or both)."""
    if scheduled_on is None and held_on is None:
        raise Invalid("give scheduled_on, held_on or both", field="scheduled_on")
    _check_quiet_day(quiet_days, kind, scheduled_on, "scheduled_on")
    _check_quiet_day(quiet_days, kind, held_on, "held_on")
    meeting = Meeting(
        id=new_id("mtg"),
        case_id=case.id,
        kind=kind.value,
        scheduled_on=scheduled_on,
        held_on=held_on,
        notes=notes,
    )
    return await entered(session, meeting)


async def get_meeting(
    session: OutboxSession,
    *,
    meeting_id: str,
    user: Principal | None = None,
    for_update: bool = False,
) -> Meeting:
    """A meeting the caller may see (an enterprise user: of its own cases only, others are
    404); `for_update` locks it for the transaction (before marking it held)."""
    query = select(Meeting).where(Meeting.id == meeting_id)
    meeting = await session.scalar(query.with_for_update() if for_update else query)
    if meeting is not None and user is not None:
        case = await session.get(IntakeCase, meeting.case_id)
        if case is None or not may_see(user, case.enterprise_account):
            meeting = None
    return found(meeting, "meeting", meeting_id, field="meeting_id")


async def mark_held(
    session: OutboxSession,
    *,
    quiet_days: QuietDayRules,
    meeting: Meeting,
    held_on: date,
    notes: str | None,
) -> None:
    """Record that a scheduled meeting took place."""
    if meeting.held_on is not None:
        raise Conflict(
            f"meeting {meeting.id} was already held on {meeting.held_on.isoformat()}",
            field="held_on",
        )
    _check_quiet_day(quiet_days, MeetingKind(meeting.kind), held_on, "held_on")
    meeting.held_on = held_on
    if notes is not None:
        meeting.notes = notes


async def get_meetings(
    session: OutboxSession,
    *,
    case_ids: Sequence[str] | None = None,
    kind: MeetingKind | None = None,
    page: PageParams | None = None,
) -> tuple[Sequence[Meeting], int]:
    """Meetings of some cases (or all), in date order."""
    conditions = where_given((Meeting.kind, kind))
    if case_ids is not None:
        conditions.append(Meeting.case_id.in_(case_ids))
    return await page_of(
        session,
        Meeting,
        *conditions,
        by=[func.coalesce(Meeting.held_on, Meeting.scheduled_on)],
        page=page,
    )


def schedule_of(
    case: IntakeCase,
    meetings: Sequence[Meeting],
    until: date,
    pauses: Sequence[CaseSuspension] = (),
) -> list[SlotPublic]:
    """The case's owed periods up to `until`, given its meetings and suspensions: held, open
    or overdue. None while suspended, none from its withdrawal on, none for a void case."""
    if case.voided_at is not None:
        return []
    held = [
        HeldMeeting(MeetingKind(m.kind), m.held_on, m.id) for m in meetings if m.held_on is not None
    ]
    return [
        SlotPublic(
            case_id=case.id,
            project_id=case.project_id,
            kind=slot.kind,
            start=slot.start,
            due_on=slot.due_on,
            status=status.value,
            meeting_id=meeting_id,
        )
        for slot, status, meeting_id in schedule(
            case.opened_on,
            case.production_started_on,
            held,
            until,
            pauses=[Pause(p.suspended_on, p.resumed_on) for p in pauses],
            ended_on=case.withdrawn_on,
        )
    ]


async def get_schedule(
    session: OutboxSession, *, case: IntakeCase, until: date
) -> list[SlotPublic]:
    """The case's owed periods up to `until`."""
    meetings, _ = await get_meetings(session, case_ids=[case.id])
    pauses = await get_pauses(session, case_ids=[case.id])
    return schedule_of(case, meetings, until, pauses.get(case.id, []))


async def overdue_slots(
    session: OutboxSession, *, as_of: date, cases: Sequence[IntakeCase]
) -> list[SlotPublic]:
    """Periods of the cases that ended before `as_of` without the meeting held."""
    meetings, _ = await get_meetings(session, case_ids=[c.id for c in cases])
    pauses = await get_pauses(session, case_ids=[c.id for c in cases])
    by_case: dict[str, list[Meeting]] = {}
    for m in meetings:
        by_case.setdefault(m.case_id, []).append(m)
    return [
        slot
        for case in cases
        for slot in schedule_of(case, by_case.get(case.id, []), as_of, pauses.get(case.id, []))
        if slot.status == SlotStatus.OVERDUE
    ]


async def report_missed(
    session: OutboxSession, *, as_of: date, lookback_days: int | None = None
) -> int:
    """Emit MeetingMissed once for every overdue period not yet reported; return how many.

    With `lookback_days`, periods that fell due longer ago are left unannounced (a
    backfilled case with old dates would otherwise raise years of alerts at once).
    """
    since = as_of - timedelta(days=lookback_days) if lookback_days else None
    cases = (
        await session.scalars(
            select(IntakeCase).where(IntakeCase.voided_at.is_(None)).order_by(IntakeCase.id)
        )
    ).all()
    # only reports the lookback can still make matter: the table grows by every slot missed
    reported_stmt = select(MissedMeeting.case_id, MissedMeeting.kind, MissedMeeting.due_on)
    if since is not None:
        reported_stmt = reported_stmt.where(MissedMeeting.due_on >= since)
    reported = {(r.case_id, r.kind, r.due_on) for r in await session.execute(reported_stmt)}
    sent = 0
    for slot in await overdue_slots(session, as_of=as_of, cases=cases):
        if since is not None and slot.due_on < since:
            continue
        if (slot.case_id, slot.kind.value, slot.due_on) in reported:
            continue
        session.add(MissedMeeting(case_id=slot.case_id, kind=slot.kind.value, due_on=slot.due_on))
        session.record(MeetingMissed.model_validate(slot, from_attributes=True))
        sent += 1
    return sent
