"""The ticket lifecycle: accept, route, resolve, close, reject, and supervisors' notes.

Each move locks the ticket, checks the status it starts from (`domain.MOVES`), is dated by
`business_time` and is recorded in the ticket's history; none commits.
"""

from __future__ import annotations

from datetime import datetime

from enclave_shared.auth import Principal
from enclave_shared.catalog.hotline import TicketResolved, TicketRouted
from enclave_shared.dates import business_date
from enclave_shared.outbox import OutboxSession

from services.hotline.config import HotlineSettings
from services.hotline.domain import Status, business_time, next_status
from services.hotline.handlers.tickets import get, previous_move
from services.hotline.models import Note, Ticket, TicketMove


async def _locked(session: OutboxSession, ticket_id: str, user: Principal) -> Ticket:
    return await get(session, ticket_id=ticket_id, user=user, for_update=True)


def _advance(
    ticket: Ticket,
    *,
    action: str,
    user: Principal,
    at: datetime | None,
    now: datetime,
    detail: str | None = None,
) -> datetime:
    """Check and record one move (status, history); returns the move's business time."""
    to = next_status(ticket.id, ticket.status, action)
    when = business_time(at, user=user, now=now, field="at", previous=previous_move(ticket))
    ticket.history.append(
        TicketMove(
            action=action,
            from_status=ticket.status,
            to_status=to.value,
            actor_role=user.role.value,
            actor=user.sub,
            detail=detail,
            at=when,
        )
    )
    ticket.status = to.value
    ticket.updated_at = now
    return when


async def accept(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """受理: an agent takes the ticket on."""
    ticket = await _locked(session, ticket_id, user)
    ticket.accepted_at = _advance(ticket, action="accept", user=user, at=at, now=now)
    return ticket


async def route(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    department: str,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """分流: send the ticket to a department (again, to re-route); accepts it if still opened."""
    ticket = await _locked(session, ticket_id, user)
    if ticket.status == Status.OPENED:
        ticket.accepted_at = _advance(ticket, action="accept", user=user, at=at, now=now)
    previous = ticket.department
    detail = f"to {department}" if previous is None else f"from {previous} to {department}"
    when = _advance(ticket, action="route", user=user, at=at, now=now, detail=detail)
    ticket.department = department
    ticket.routed_at = when
    session.record(
        TicketRouted(
            ticket_id=ticket.id,
            department=department,
            routed_at=when,
            case_id=ticket.case_id,
            previous_department=previous,
        ),
    )
    return ticket


async def resolve(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    summary: str,
    settings: HotlineSettings,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """The department solved the problem; whether in time (business time) stays with it.

    `resolved_on`, the date the assessment counts, is the business date in the platform's
    time zone: 07:00 on 1 January in Shangrao counts for the new year."""
    ticket = await _locked(session, ticket_id, user)
    when = _advance(ticket, action="resolve", user=user, at=at, now=now, detail=summary)
    ticket.resolution = summary
    ticket.resolved_at = when
    ticket.within_sla = when <= ticket.opened_at + settings.sla_for(ticket.category).resolve
    session.record(
        TicketResolved(
            ticket_id=ticket.id,
            category=ticket.category,
            within_sla=ticket.within_sla,
            resolved_at=when,
            resolved_on=business_date(when, settings.time_zone),
            case_id=ticket.case_id,
        ),
    )
    return ticket


async def close(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    comment: str | None,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """Close a resolved ticket (an agent, or the enterprise that raised it)."""
    ticket = await _locked(session, ticket_id, user)
    ticket.closed_at = _advance(ticket, action="close", user=user, at=at, now=now, detail=comment)
    return ticket


async def reject(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    reason: str,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """Refuse a ticket that is not a government-service problem, saying why."""
    ticket = await _locked(session, ticket_id, user)
    _advance(ticket, action="reject", user=user, at=at, now=now, detail=reason)
    ticket.rejection_reason = reason
    return ticket


async def add_note(
    session: OutboxSession, *, ticket_id: str, user: Principal, text: str, now: datetime
) -> Ticket:
    """A supervisor's (督办) note; it does not move the ticket."""
    ticket = await _locked(session, ticket_id, user)
    ticket.notes.append(Note(author_role=user.role.value, author=user.sub, text=text, at=now))
    ticket.updated_at = now
    return ticket
