"""The ticket lifecycle: accept, route, resolve, close, reject, and supervisors' notes.

Each move checks the status it starts from, is dated by `business_time` and is recorded
in the ticket's history; the routes call these functions, which never commit.
"""

from __future__ import annotations

from datetime import datetime

from enclave_shared.auth import Principal
from enclave_shared.catalog.hotline import TicketResolved, TicketRouted
from enclave_shared.errors import Conflict
from enclave_shared.outbox import OutboxSession

from services.hotline.config import HotlineSettings
from services.hotline.handlers import business_time
from services.hotline.models import Note, Ticket, TicketMove
from services.hotline.schemas import Status

# action -> (statuses it may start from, status it leads to)
MOVES: dict[str, tuple[frozenset[Status], Status]] = {
    "accept": (frozenset({Status.OPENED}), Status.ACCEPTED),
    "route": (frozenset({Status.ACCEPTED, Status.ROUTED}), Status.ROUTED),
    "resolve": (frozenset({Status.ROUTED}), Status.RESOLVED),
    "close": (frozenset({Status.RESOLVED}), Status.CLOSED),
    "reject": (frozenset({Status.OPENED, Status.ACCEPTED, Status.ROUTED}), Status.REJECTED),
}


def _check(ticket: Ticket, action: str) -> Status:
    allowed, to = MOVES[action]
    if ticket.status not in allowed:
        raise Conflict(
            f"ticket {ticket.id} is {ticket.status}: cannot {action} it "
            f"(only when {' or '.join(sorted(allowed))})",
            field="status",
        )
    return to


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
    to = _check(ticket, action)
    when = business_time(ticket, user=user, at=at, now=now, field="at")
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
    *,
    ticket: Ticket,
    user: Principal,
    now: datetime,
    at: datetime | None = None,
) -> None:
    """受理: an agent takes the ticket on."""
    ticket.accepted_at = _advance(ticket, action="accept", user=user, at=at, now=now)


async def route(
    session: OutboxSession,
    *,
    ticket: Ticket,
    user: Principal,
    department: str,
    now: datetime,
    at: datetime | None = None,
) -> None:
    """分流: send the ticket to a department (again, to re-route); accepts it if still opened."""
    if ticket.status == Status.OPENED:
        await accept(ticket=ticket, user=user, now=now, at=at)
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


async def resolve(
    session: OutboxSession,
    *,
    ticket: Ticket,
    user: Principal,
    summary: str,
    settings: HotlineSettings,
    now: datetime,
    at: datetime | None = None,
) -> None:
    """The department solved the problem; whether in time (business time) stays with it."""
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
            resolved_on=when.date(),
            case_id=ticket.case_id,
        ),
    )


async def close(
    *,
    ticket: Ticket,
    user: Principal,
    comment: str | None,
    now: datetime,
    at: datetime | None = None,
) -> None:
    """Close a resolved ticket (an agent, or the enterprise that raised it)."""
    ticket.closed_at = _advance(ticket, action="close", user=user, at=at, now=now, detail=comment)


async def reject(
    *,
    ticket: Ticket,
    user: Principal,
    reason: str,
    now: datetime,
    at: datetime | None = None,
) -> None:
    """Refuse a ticket that is not a government-service problem, saying why."""
    _advance(ticket, action="reject", user=user, at=at, now=now, detail=reason)
    ticket.rejection_reason = reason


async def add_note(*, ticket: Ticket, user: Principal, text: str, now: datetime) -> Note:
    """A supervisor's (督办) note; it does not move the ticket."""
    note = Note(author_role=user.role.value, author=user.sub, text=text, at=now)
    ticket.notes.append(note)
    ticket.updated_at = now
    return note
