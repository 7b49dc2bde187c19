"""Supervision (督办): SLA deadlines, the sweep that escalates overdue tickets and opens
tickets for cases still red too long after signing, and the hotline's statistics."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from enclave_shared.app import Runtime
from enclave_shared.catalog.hotline import TicketEscalated
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select
from sqlalchemy.orm import raiseload

from services.hotline.config import HotlineSettings, settings_of
from services.hotline.handlers import OPEN_STATUSES, SYSTEM, open_for_fact
from services.hotline.models import Escalation, Ticket, TicketMove, WatchedCase
from services.hotline.schemas import Breach, Kind, SlaStats, Status, TicketStats

SWEEPER = "sla-sweep"


def due_at(settings: HotlineSettings, ticket: Ticket, breach: Breach) -> datetime:
    """When the ticket must be accepted (or resolved) by, under its category's SLA."""
    sla = settings.sla_for(ticket.category)
    return ticket.opened_at + (sla.accept if breach is Breach.ACCEPT else sla.resolve)


@dataclass
class SweepResult:
    """What one sweep did."""

    escalated: list[tuple[str, Breach]] = field(default_factory=list)
    red_case_tickets: list[str] = field(default_factory=list)


async def supervise(
    session: OutboxSession, *, settings: HotlineSettings, now: datetime
) -> SweepResult:
    """Escalate every SLA breach not yet escalated; open a ticket per case red too long."""
    result = SweepResult()
    tickets = await session.scalars(
        select(Ticket)
        .where(Ticket.status.in_([s.value for s in OPEN_STATUSES]))
        # every minute: read each open ticket's escalations, not its whole history and notes
        .options(raiseload(Ticket.history), raiseload(Ticket.notes))
        .order_by(Ticket.seq)
    )
    for ticket in tickets.all():
        done = {e.breach for e in ticket.escalations}
        for breach in _breaches(ticket):
            due = due_at(settings, ticket, breach)
            if breach.value in done or now <= due:
                continue
            _escalate(session, ticket, breach=breach, due=due, now=now)
            result.escalated.append((ticket.id, breach))
    cutoff = now.date() - timedelta(days=settings.red_case_days)
    red = await session.scalars(
        select(WatchedCase)
        .where(
            WatchedCase.signed_on.is_not(None),
            WatchedCase.signed_on <= cutoff,
            WatchedCase.construction_started_on.is_(None),
            WatchedCase.supervision_ticket_id.is_(None),
        )
        .order_by(WatchedCase.case_id)
    )
    for case in red.all():
        assert case.signed_on is not None
        opened = await open_for_fact(
            session,
            fact_key=f"red:{case.case_id}",
            kind=Kind.SUPERVISION,
            description=(
                f"Supervision (督办): case {case.case_id} is still red (construction not "
                f"started) {(now.date() - case.signed_on).days} days after signing on "
                f"{case.signed_on.isoformat()}; the rule allows {settings.red_case_days}."
            ),
            case_id=case.case_id,
            project_id=case.project_id,
            enterprise_id=case.enterprise,
            actor=SWEEPER,
            at=now,
        )
        if opened is not None:
            case.supervision_ticket_id = opened.id
            result.red_case_tickets.append(opened.id)
    return result


def _breaches(ticket: Ticket) -> list[Breach]:
    if ticket.status == Status.OPENED:
        return [Breach.ACCEPT, Breach.RESOLVE]
    return [Breach.RESOLVE]


def _escalate(
    session: OutboxSession, ticket: Ticket, *, breach: Breach, due: datetime, now: datetime
) -> None:
    verb = "accepted" if breach is Breach.ACCEPT else "resolved"
    reason = (
        f"not {verb} by {due.isoformat(timespec='minutes')} ({ticket.category} {breach.value} SLA)"
    )
    ticket.escalations.append(Escalation(breach=breach.value, reason=reason, due_at=due, at=now))
    session.add(
        TicketMove(
            ticket_id=ticket.id,
            action="escalate",
            from_status=ticket.status,
            to_status=ticket.status,
            actor_role=SYSTEM,
            actor=SWEEPER,
            detail=reason,
            at=now,
        )
    )
    ticket.updated_at = now
    session.record(
        TicketEscalated(
            ticket_id=ticket.id,
            reason=reason,
            escalated_at=now,
            breach=breach.value,
            category=ticket.category,
            case_id=ticket.case_id,
            due_at=due,
        ),
    )


async def sweep(runtime: Runtime[Any]) -> None:
    """The periodic job: one supervision pass in its own transaction, at the runtime's clock."""
    await sweep_once(runtime)


async def sweep_once(runtime: Runtime[Any]) -> SweepResult:
    """One supervision pass, committed; returns what it did."""
    settings = settings_of(runtime)
    async with runtime.sessions() as session:
        result = await supervise(session, settings=settings, now=runtime.clock())
        await session.commit()
    return result


async def stats(
    session: OutboxSession,
    *,
    settings: HotlineSettings,
    now: datetime,
    opened_from: date | None = None,
    opened_to: date | None = None,
) -> TicketStats:
    """Counts by status and category, SLA compliance and the median time to resolve, of the
    tickets opened from `opened_from` to `opened_to` (UTC dates, both included; open ends)."""
    conditions = []
    if opened_from is not None:
        conditions.append(Ticket.opened_at >= datetime.combine(opened_from, time(), tzinfo=UTC))
    if opened_to is not None:
        # the day's last instant, not the next day's start: `to` may be date.max
        conditions.append(Ticket.opened_at <= datetime.combine(opened_to, time.max, tzinfo=UTC))
    rows = (
        await session.execute(
            select(
                Ticket.status,
                Ticket.category,
                Ticket.opened_at,
                Ticket.accepted_at,
                Ticket.resolved_at,
                Ticket.within_sla,
            ).where(*conditions)
        )
    ).all()
    accepted = in_time_accept = overdue = 0
    hours_to_resolve: list[float] = []
    resolved_in_time = 0
    for row in rows:
        sla = settings.sla_for(row.category)
        if row.accepted_at is not None:
            accepted += 1
            in_time_accept += row.accepted_at <= row.opened_at + sla.accept
        if row.resolved_at is not None:
            hours_to_resolve.append((row.resolved_at - row.opened_at).total_seconds() / 3600)
            resolved_in_time += bool(row.within_sla)
        elif row.status in OPEN_STATUSES and now > row.opened_at + sla.resolve:
            overdue += 1
    resolved = len(hours_to_resolve)
    return TicketStats(
        total=len(rows),
        by_status={s.value: 0 for s in Status} | dict(Counter(r.status for r in rows)),
        by_category={c: 0 for c in settings.categories} | dict(Counter(r.category for r in rows)),
        sla=SlaStats(
            accepted=accepted,
            accepted_within_sla=in_time_accept,
            accept_compliance=_share(in_time_accept, accepted),
            resolved=resolved,
            resolved_within_sla=resolved_in_time,
            resolve_compliance=_share(resolved_in_time, resolved),
            open_overdue=overdue,
        ),
        median_hours_to_resolve=(
            round(statistics.median(hours_to_resolve), 2) if hours_to_resolve else None
        ),
    )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
