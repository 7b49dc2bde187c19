"""Supervision: the sweep that reminds (催办) at a share of each time limit, supervises (督办)
on a breach and escalates by levels (提级督办) while it lasts, each once per ticket, clock,
level and run of the clock; and opens a ticket for each case still red too long after
signing."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from enclave_shared.catalog.hotline import TicketEscalated, TicketReminded
from enclave_shared.corrections import standing
from enclave_shared.dates import business_date
from enclave_shared.metrics import SLA_BREACHES
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select
from sqlalchemy.orm import raiseload

from services.hotline.config import HotlineSettings
from services.hotline.domain import (
    OPEN_STATUSES,
    REMINDER,
    SWEEPER,
    Breach,
    Kind,
    SystemActor,
    breaches,
)
from services.hotline.domain.worktime import CalendarMissing
from services.hotline.handlers.lifecycle import advance
from services.hotline.handlers.tickets import fill_deadlines, open_for_fact
from services.hotline.models import Escalation, Ticket, WatchedCase

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    """What one sweep did: (ticket, clock, level) per reminder (0) or escalation (1+)."""

    escalated: list[tuple[str, Breach, int]] = field(default_factory=list)
    red_case_tickets: list[str] = field(default_factory=list)

    def count_breaches(self) -> None:
        """Count each escalation (督办, 提级督办) in enclave_sla_breaches_total; call it once
        the sweep committed (a sweep rolled back breached nothing)."""
        for _ticket, breach, level in self.escalated:
            if level != REMINDER:
                SLA_BREACHES.labels("hotline", breach.value).inc()


def _round(ticket: Ticket, breach: Breach) -> int:
    """Which run of a clock: a re-routing restarts the sign clock, a sending back the
    resolve clock; each run gets its reminder and levels once."""
    if breach is Breach.SIGN:
        return ticket.routings
    return ticket.reopen_count if breach is Breach.RESOLVE else 0


def _start(ticket: Ticket, breach: Breach) -> datetime | None:
    if breach is Breach.SIGN:
        return ticket.routed_at
    return ticket.opened_at if breach is Breach.ACCEPT else ticket.resolve_started_at


def levels(settings: HotlineSettings, start: datetime, due: datetime) -> list[tuple[int, datetime]]:
    """When each level falls due for a clock from `start` to `due`: the reminder at a share
    of the limit, supervision past the deadline, each further level a configured number of
    working hours after it. A level past the calendar's last covered day is left out, with
    those after it (in the last days of a year whose successor is not given yet): the
    levels before it still go out, and it does once the year is given."""
    calendar = settings.calendar
    marks = [(REMINDER, calendar.share_at(start, due, settings.reminder_share)), (1, due)]
    for n, extra in enumerate(settings.escalation_hours):
        try:
            marks.append((n + 2, calendar.add_hours(due, extra)))
        except CalendarMissing:
            break
    return marks


def _marks(
    ticket: Ticket, settings: HotlineSettings
) -> list[tuple[Breach, int, datetime, list[tuple[int, datetime]]]]:
    """Each running clock of a ticket: its run, deadline and the moments of its levels."""
    fill_deadlines(ticket, settings)
    marks = []
    for breach in breaches(ticket.status):
        start, due = _start(ticket, breach), settings.due(ticket, breach)
        if start is not None and due is not None:
            marks.append((breach, _round(ticket, breach), due, levels(settings, start, due)))
    return marks


async def supervise(
    session: OutboxSession, *, settings: HotlineSettings, now: datetime
) -> SweepResult:
    """Send every reminder and escalation due and not yet sent; open a ticket per case red
    too long."""
    result = SweepResult()
    tickets = await session.scalars(
        select(Ticket)
        .where(Ticket.status.in_([s.value for s in OPEN_STATUSES]), *standing(Ticket))
        # every minute: read each open ticket's escalations, not its whole history and notes
        .options(raiseload(Ticket.history), raiseload(Ticket.notes))
        .order_by(Ticket.seq)
    )
    for ticket in tickets.all():
        try:
            marks = _marks(ticket, settings)
        except CalendarMissing as exc:  # refused at start-up; a ticket far in the past
            log.warning("ticket %s not supervised: %s", ticket.id, exc.message)
            continue
        done = {(e.breach, e.level, e.round) for e in ticket.escalations}
        for breach, round_, due, level_marks in marks:
            for level, at in level_marks:
                # a reminder is sent at its moment; a deadline is missed only after it
                if (breach.value, level, round_) in done or now < at or (level and now == at):
                    continue
                _escalate(
                    session, ticket, breach=breach, level=level, round_=round_, due=due, now=now
                )
                result.escalated.append((ticket.id, breach, level))
    result.red_case_tickets = await _supervise_red_cases(
        session, settings=settings, today=business_date(now, settings.time_zone), now=now
    )
    return result


async def _supervise_red_cases(
    session: OutboxSession, *, settings: HotlineSettings, today: date, now: datetime
) -> list[str]:
    """One supervision ticket per watched case still red `red_case_days` (business days)
    after signing, unless intake suspended, withdrew or voided it; returns the tickets
    opened."""
    red = await session.scalars(
        select(WatchedCase)
        .where(
            WatchedCase.signed_on.is_not(None),
            WatchedCase.signed_on <= today - timedelta(days=settings.red_case_days),
            WatchedCase.construction_started_on.is_(None),
            WatchedCase.supervision_ticket_id.is_(None),
            WatchedCase.suspended_on.is_(None),
            WatchedCase.stopped_at.is_(None),
        )
        .order_by(WatchedCase.case_id)
    )
    opened_ids: list[str] = []
    for case in red.all():
        signed_on = case.signed_on
        if signed_on is None:  # excluded by the query; narrows the type
            continue
        opened = await open_for_fact(
            session,
            fact_key=f"red:{case.case_id}",
            kind=Kind.SUPERVISION,
            description=(
                f"Supervision (督办): case {case.case_id} is still red (construction not "
                f"started) {(today - signed_on).days} days after signing on "
                f"{signed_on.isoformat()}; the rule allows {settings.red_case_days}."
            ),
            case_id=case.case_id,
            project_id=case.project_id,
            enterprise_id=case.enterprise,
            actor=SWEEPER,
            at=now,
        )
        if opened is not None:
            case.supervision_ticket_id = opened.id
            opened_ids.append(opened.id)
    return opened_ids


def _escalate(
    session: OutboxSession,
    ticket: Ticket,
    *,
    breach: Breach,
    level: int,
    round_: int,
    due: datetime,
    now: datetime,
) -> None:
    verb = {Breach.ACCEPT: "accepted", Breach.SIGN: "signed for"}.get(breach, "resolved")
    by = due.isoformat(timespec="minutes")
    what = f"{ticket.category} {breach.value} limit"
    if level == REMINDER:
        reason = f"reminder (催办): to be {verb} by {by} ({what})"
    elif level == 1:
        reason = f"supervision (督办): not {verb} by {by} ({what})"
    else:
        reason = f"escalated supervision (提级督办) level {level}: not {verb} by {by} ({what})"
    ticket.escalations.append(
        Escalation(
            breach=breach.value, level=level, round=round_, reason=reason, due_at=due, at=now
        )
    )
    action = "remind" if level == REMINDER else "escalate"
    advance(ticket, action=action, user=SystemActor(SWEEPER), at=None, now=now, detail=reason)
    if level == REMINDER:
        session.record(
            TicketReminded(
                ticket_id=ticket.id,
                breach=breach.value,
                due_at=due,
                reminded_at=now,
                category=ticket.category,
                case_id=ticket.case_id,
                department=ticket.department,
            )
        )
        return
    session.record(
        TicketEscalated(
            ticket_id=ticket.id,
            reason=reason,
            escalated_at=now,
            breach=breach.value,
            category=ticket.category,
            case_id=ticket.case_id,
            due_at=due,
            level=level,
            department=ticket.department,
        ),
    )
