"""Supervision (督办): the sweep that escalates overdue tickets once per breach and opens a
ticket for each case still red too long after signing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from enclave_shared.catalog.hotline import TicketEscalated
from enclave_shared.dates import business_date
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select
from sqlalchemy.orm import raiseload

from services.hotline.config import HotlineSettings
from services.hotline.domain import OPEN_STATUSES, SWEEPER, SYSTEM, Breach, Kind, breaches
from services.hotline.handlers.tickets import open_for_fact
from services.hotline.models import Escalation, Ticket, TicketMove, WatchedCase


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
        sla = settings.sla_for(ticket.category)
        for breach in breaches(ticket.status):
            due = sla.due_at(ticket.opened_at, breach)
            if breach.value in done or now <= due:
                continue
            _escalate(session, ticket, breach=breach, due=due, now=now)
            result.escalated.append((ticket.id, breach))
    result.red_case_tickets = await _supervise_red_cases(
        session, settings=settings, today=business_date(now, settings.time_zone), now=now
    )
    return result


async def _supervise_red_cases(
    session: OutboxSession, *, settings: HotlineSettings, today: date, now: datetime
) -> list[str]:
    """One supervision ticket per watched case still red `red_case_days` (business days)
    after signing; returns the tickets opened."""
    red = await session.scalars(
        select(WatchedCase)
        .where(
            WatchedCase.signed_on.is_not(None),
            WatchedCase.signed_on <= today - timedelta(days=settings.red_case_days),
            WatchedCase.construction_started_on.is_(None),
            WatchedCase.supervision_ticket_id.is_(None),
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
