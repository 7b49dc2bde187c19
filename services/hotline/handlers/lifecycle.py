"""The ticket lifecycle: accept (受理), route (派单), the department's sign (签收) or return
(退单), resolve (办结), reject, close, and supervisors' notes.

Each move locks the ticket, checks the status it starts from (`domain.MOVES`), is dated by
`business_time` and is recorded in the ticket's history; none commits. The department's
moves are recorded by the hotline agent on the department's behalf (docs/hotline.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from enclave_shared.auth import Principal, Role
from enclave_shared.catalog.hotline import (
    TicketClosed,
    TicketResolved,
    TicketReturned,
    TicketRouted,
    TicketSigned,
)
from enclave_shared.corrections import ensure_standing
from enclave_shared.dates import business_date
from enclave_shared.errors import Invalid
from enclave_shared.outbox import OutboxSession
from sqlalchemy import inspect, or_, select
from sqlalchemy.orm import object_session

from services.hotline.config import HotlineSettings
from services.hotline.domain import (
    MOVES,
    Actor,
    Breach,
    Status,
    SystemActor,
    business_time,
    next_status,
)
from services.hotline.handlers.tickets import fill_deadlines, get, previous_move
from services.hotline.models import Department, Note, Ticket, TicketMove


async def locked(
    session: OutboxSession, ticket_id: str, user: Principal, settings: HotlineSettings
) -> Ticket:
    """The ticket, locked for a move, with its deadlines stored; 409 once it is void."""
    ticket = await get(session, ticket_id=ticket_id, user=user, for_update=True)
    ensure_standing(ticket, "ticket")
    fill_deadlines(ticket, settings)
    return ticket


async def moved(
    session: OutboxSession,
    ticket_id: str,
    user: Principal,
    settings: HotlineSettings,
    *,
    action: str,
    now: datetime,
    at: datetime | None,
    detail: str | None = None,
    check: Callable[[Ticket], None] | None = None,
) -> tuple[Ticket, datetime]:
    """Lock the ticket and record one move of it; `check` refuses what the ticket's state
    would allow but its data does not (after the state's own 409, which comes first)."""
    ticket = await locked(session, ticket_id, user, settings)
    if check is not None and ticket.status in MOVES[action][0]:
        check(ticket)
    return ticket, advance(ticket, action=action, user=user, at=at, now=now, detail=detail)


def advance(
    ticket: Ticket,
    *,
    action: str,
    user: Actor,
    at: datetime | None,
    now: datetime,
    detail: str | None = None,
    to: Status | None = None,
) -> datetime:
    """Check and record one move (status, history); returns the move's business time.

    `to` overrides where the move leads (a revisit may close or reopen the ticket). The
    hotline's own moves (`SystemActor`) are dated `now`."""
    allowed = next_status(ticket.id, ticket.status, action)
    to = to or allowed
    actor: str | None
    if isinstance(user, SystemActor):
        when, role, actor = now, user.role, user.name
    else:
        previous = previous_move(ticket)
        when = business_time(at, user=user, now=now, field="at", previous=previous)
        role, actor = user.role.value, user.sub
    move = TicketMove(
        action=action,
        from_status=ticket.status,
        to_status=to.value,
        actor_role=role,
        actor=actor,
        detail=detail,
        at=when,
    )
    if "history" in inspect(ticket).unloaded:  # the sweep reads tickets without it
        move.ticket_id = ticket.id
        session = object_session(ticket)
        assert session is not None
        session.add(move)
    else:
        ticket.history.append(move)
    ticket.status = to.value
    ticket.updated_at = now
    return when


async def accept(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    settings: HotlineSettings,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """受理: an agent takes the ticket on."""
    ticket, when = await moved(session, ticket_id, user, settings, action="accept", now=now, at=at)
    ticket.accepted_at = when
    return ticket


async def _directory_entry(session: OutboxSession, department: str) -> Department | None:
    return await session.scalar(
        select(Department).where(or_(Department.code == department, Department.name == department))
    )


async def route(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    department: str,
    settings: HotlineSettings,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """派单: send the ticket to a department (again, to re-route); accepts it if still opened.

    A department of the directory is named by its code or name and stored by its name;
    another name is kept as given (tickets routed before the directory, scripts)."""
    ticket = await locked(session, ticket_id, user, settings)
    entry = await _directory_entry(session, department)
    if entry is not None and not entry.active:
        raise Invalid(f"department {entry.name} is no longer in service", field="department")
    name = entry.name if entry else department
    if ticket.status == Status.OPENED:
        ticket.accepted_at = advance(ticket, action="accept", user=user, at=at, now=now)
    previous = ticket.department
    detail = f"to {name}" if previous is None else f"from {previous} to {name}"
    when = advance(ticket, action="route", user=user, at=at, now=now, detail=detail)
    ticket.department = name
    ticket.department_code = entry.code if entry else None
    ticket.routed_at = when
    ticket.routings += 1
    ticket.signed_in_time = None
    ticket.sign_due_at = settings.limit_ends(ticket.category, Breach.SIGN, when)
    session.record(
        TicketRouted(
            ticket_id=ticket.id,
            department=name,
            routed_at=when,
            case_id=ticket.case_id,
            previous_department=previous,
            department_code=ticket.department_code,
            sign_due_at=ticket.sign_due_at,
        ),
    )
    return ticket


def _sign(ticket: Ticket, *, user: Principal, at: datetime | None, now: datetime) -> datetime:
    when = advance(ticket, action="sign", user=user, at=at, now=now, detail=ticket.department)
    ticket.signed_at = when
    ticket.signed_in_time = ticket.sign_due_at is None or when <= ticket.sign_due_at
    return when


async def sign(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    settings: HotlineSettings,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """签收: the department signs for a routed ticket (recorded by the agent for it)."""
    ticket = await locked(session, ticket_id, user, settings)
    when = _sign(ticket, user=user, at=at, now=now)
    _record_signed(session, ticket, when)
    return ticket


def _record_signed(session: OutboxSession, ticket: Ticket, when: datetime) -> None:
    session.record(
        TicketSigned(
            ticket_id=ticket.id,
            department=ticket.department or "",
            signed_at=when,
            in_time=bool(ticket.signed_in_time),
            case_id=ticket.case_id,
        )
    )


async def give_back(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    reason: str,
    settings: HotlineSettings,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """退单: the department returns a routed ticket to the hotline, saying why (not its
    jurisdiction, not its function…); the hotline routes it again."""
    ticket = await locked(session, ticket_id, user, settings)
    department = ticket.department or ""
    when = advance(
        ticket, action="return", user=user, at=at, now=now, detail=f"{department}: {reason}"
    )
    ticket.sign_due_at = None
    session.record(
        TicketReturned(
            ticket_id=ticket.id,
            department=department,
            reason=reason,
            returned_at=when,
            case_id=ticket.case_id,
        )
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
    """办结: the department solved the problem; whether in time stays with it.

    A routed ticket is signed for first (both moves recorded, same actor and time), so the
    main flow create → routing → resolution works. `resolved_on`, the date the assessment
    counts, is the business date in the platform's time zone."""
    ticket = await locked(session, ticket_id, user, settings)
    if ticket.status == Status.ROUTED:
        _record_signed(session, ticket, _sign(ticket, user=user, at=at, now=now))
    when = advance(ticket, action="resolve", user=user, at=at, now=now, detail=summary)
    ticket.resolution = summary
    ticket.resolved_at = when
    ticket.within_sla = ticket.resolve_due_at is None or when <= ticket.resolve_due_at
    session.record(
        TicketResolved(
            ticket_id=ticket.id,
            category=ticket.category,
            within_sla=ticket.within_sla,
            resolved_at=when,
            resolved_on=business_date(when, settings.time_zone),
            case_id=ticket.case_id,
            round=ticket.reopen_count,
            department=ticket.department,
        ),
    )
    return ticket


def record_closed(session: OutboxSession, ticket: Ticket, *, when: datetime, reason: str) -> None:
    """The closure's fields and event (a revisit's or a closure's)."""
    ticket.closed_at = when
    ticket.close_reason = reason
    session.record(
        TicketClosed(
            ticket_id=ticket.id,
            closed_at=when,
            reason=reason,
            satisfaction=ticket.satisfaction,
            case_id=ticket.case_id,
        )
    )


async def close(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    comment: str | None,
    settings: HotlineSettings,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """Close a resolved ticket without a revisit: an agent gives the reason; the enterprise
    that raised it closes it by confirming (its confirmation is the reason)."""
    ticket = await locked(session, ticket_id, user, settings)
    if comment is None:
        if user.role is not Role.ENTERPRISE:  # an enterprise reaches only its own tickets
            next_status(ticket.id, ticket.status, "close")  # the state's 409 comes first
            raise Invalid(
                "a ticket closes after its revisit, or with a reason: give comment",
                field="comment",
            )
        comment = "confirmed by the requester"
    when = advance(ticket, action="close", user=user, at=at, now=now, detail=comment)
    record_closed(session, ticket, when=when, reason=comment)
    return ticket


async def reject(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    reason: str,
    settings: HotlineSettings,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """Refuse a ticket that is not a government-service problem, saying why."""
    ticket, _when = await moved(
        session, ticket_id, user, settings, action="reject", now=now, at=at, detail=reason
    )
    ticket.rejection_reason = reason
    return ticket


async def add_note(
    session: OutboxSession, *, ticket_id: str, user: Principal, text: str, now: datetime
) -> Ticket:
    """A supervisor's (督办) note; it does not move the ticket."""
    ticket = await get(session, ticket_id=ticket_id, user=user, for_update=True)
    ticket.notes.append(Note(author_role=user.role.value, author=user.sub, text=text, at=now))
    ticket.updated_at = now
    return ticket
