"""The "three ones" (三个一) cadence: meetings scheduled and held, overdue slots, missed reports."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from enclave_shared.app import Runtime
from enclave_shared.catalog.intake import MeetingKind, MeetingMissed
from enclave_shared.deps import PageParams, paged
from enclave_shared.errors import Conflict, Invalid, NotFound
from enclave_shared.outbox import OutboxSession
from sqlalchemy import ColumnElement, func, select

from services.intake.config import IntakeSettings, intake_settings
from services.intake.domain import Slot, new_id, owed_slots, quiet_day_rule
from services.intake.models import IntakeCase, Meeting, MissedMeeting

log = logging.getLogger(__name__)


def business_today(settings: IntakeSettings, now: datetime) -> date:
    """Today at the intake base (its time zone), from the service clock."""
    return now.astimezone(ZoneInfo(settings.timezone)).date()


def _check_quiet_day(
    settings: IntakeSettings, kind: MeetingKind, day: date | None, field: str
) -> None:
    if kind is not MeetingKind.INSPECTION or day is None:
        return
    rule = quiet_day_rule(settings, day)
    if rule is not None:
        raise Conflict(f"no inspection of a transfer enterprise on a {rule}", field=field)


async def create_meeting(
    session: OutboxSession,
    *,
    settings: IntakeSettings,
    case: IntakeCase,
    kind: MeetingKind,
    scheduled_on: date | None,
    held_on: date | None,
    notes: str,
) -> Meeting:
    """Schedule a meeting of a case, or record one that took place (or both)."""
    if scheduled_on is None and held_on is None:
        raise Invalid("give scheduled_on, held_on or both", field="scheduled_on")
    _check_quiet_day(settings, kind, scheduled_on, "scheduled_on")
    _check_quiet_day(settings, kind, held_on, "held_on")
    meeting = Meeting(
        id=new_id("mtg"),
        case_id=case.id,
        kind=kind.value,
        scheduled_on=scheduled_on,
        held_on=held_on,
        notes=notes,
    )
    session.add(meeting)
    await session.flush()
    return meeting


async def get_meeting(
    session: OutboxSession, *, meeting_id: str, for_update: bool = False
) -> Meeting:
    """A meeting by id; `for_update` locks it for the transaction (before marking it held)."""
    query = select(Meeting).where(Meeting.id == meeting_id)
    meeting = await session.scalar(query.with_for_update() if for_update else query)
    if meeting is None:
        raise NotFound(f"no meeting {meeting_id}", field="meeting_id")
    return meeting


async def mark_held(
    session: OutboxSession,
    *,
    settings: IntakeSettings,
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
    _check_quiet_day(settings, MeetingKind(meeting.kind), held_on, "held_on")
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
    conditions: list[ColumnElement[bool]] = []
    if case_ids is not None:
        conditions.append(Meeting.case_id.in_(case_ids))
    if kind is not None:
        conditions.append(Meeting.kind == kind.value)
    stmt = (
        select(Meeting)
        .where(*conditions)
        .order_by(
            func.coalesce(Meeting.held_on, Meeting.scheduled_on), Meeting.created_at, Meeting.id
        )
    )
    return await paged(session, stmt, page)


def schedule_of(
    case: IntakeCase, held: Sequence[Meeting], until: date
) -> list[tuple[Slot, str, str | None]]:
    """The case's owed slots up to `until`: (slot, held/open/overdue, meeting id that kept it)."""
    out: list[tuple[Slot, str, str | None]] = []
    for kind in MeetingKind:
        days = sorted(
            (m.held_on, m.id) for m in held if m.kind == kind.value and m.held_on is not None
        )
        for slot in owed_slots(kind, case.opened_on, until, case.production_started_on):
            kept = next((mid for day, mid in days if slot.start <= day <= slot.due_on), None)
            if kept is not None:
                out.append((slot, "held", kept))
            else:
                out.append((slot, "overdue" if slot.due_on < until else "open", None))
    out.sort(key=lambda item: (item[0].due_on, item[0].kind.value))
    return out


async def overdue_slots(
    session: OutboxSession, *, as_of: date, cases: Sequence[IntakeCase]
) -> list[tuple[IntakeCase, Slot]]:
    """Slots of the cases whose period ended before `as_of` without the meeting held."""
    meetings, _ = await get_meetings(session, case_ids=[c.id for c in cases])
    by_case: dict[str, list[Meeting]] = {}
    for m in meetings:
        by_case.setdefault(m.case_id, []).append(m)
    return [
        (case, slot)
        for case in cases
        for slot, status, _ in schedule_of(case, by_case.get(case.id, []), as_of)
        if status == "overdue"
    ]


async def report_missed(
    session: OutboxSession, *, as_of: date, lookback_days: int | None = None
) -> int:
    """Emit MeetingMissed once for every overdue slot not yet reported; return how many.

    With `lookback_days`, slots that fell due longer ago are left unannounced (a backfilled
    case with old dates would otherwise raise years of alerts at once).
    """
    since = as_of - timedelta(days=lookback_days) if lookback_days else None
    cases = (await session.scalars(select(IntakeCase).order_by(IntakeCase.id))).all()
    # only reports the lookback can still make matter: the table grows by every slot missed
    reported_stmt = select(MissedMeeting.case_id, MissedMeeting.kind, MissedMeeting.due_on)
    if since is not None:
        reported_stmt = reported_stmt.where(MissedMeeting.due_on >= since)
    reported = {(r.case_id, r.kind, r.due_on) for r in await session.execute(reported_stmt)}
    sent = 0
    for case, slot in await overdue_slots(session, as_of=as_of, cases=cases):
        if since is not None and slot.due_on < since:
            continue
        if (case.id, slot.kind.value, slot.due_on) in reported:
            continue
        session.add(MissedMeeting(case_id=case.id, kind=slot.kind.value, due_on=slot.due_on))
        session.record(
            MeetingMissed(
                case_id=case.id, project_id=case.project_id, kind=slot.kind, due_on=slot.due_on
            ),
        )
        sent += 1
    return sent


async def check_meetings(runtime: Runtime[Any]) -> int:
    """The periodic job: report missed meetings as of the service clock's today."""
    settings = intake_settings(runtime.settings)
    async with runtime.sessions() as session:
        sent = await report_missed(
            session,
            as_of=business_today(settings, runtime.clock()),
            lookback_days=settings.missed_meeting_lookback_days,
        )
        await session.commit()
    if sent:
        log.info("reported %d missed three-ones meeting(s)", sent)
    return sent
