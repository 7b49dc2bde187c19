"""Revisits (回访): after resolution the hotline calls the requester back.

满意 / 基本满意 close the ticket; 不满意 sends it back to the same department (发回重办), its
resolve clock restarting, up to `max_reopens` times (then it closes dissatisfied); a call
that does not reach the requester is counted, and after `revisit_attempts` of them the
ticket closes as unreachable."""

from __future__ import annotations

from datetime import datetime

from enclave_shared.auth import Principal
from enclave_shared.catalog.hotline import TicketRevisited
from enclave_shared.dates import business_date
from enclave_shared.outbox import OutboxSession

from services.hotline.config import HotlineSettings
from services.hotline.domain import SATISFIED, Breach, RevisitResult, Status
from services.hotline.handlers.lifecycle import advance, locked, record_closed
from services.hotline.models import Revisit, Ticket


async def revisit(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    result: RevisitResult,
    note: str | None,
    settings: HotlineSettings,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """Record one revisit call and what follows from it."""
    ticket = await locked(session, ticket_id, user, settings)
    attempt = ticket.revisit_attempts + 1 if ticket.status == Status.RESOLVED else 0
    reopen = result is RevisitResult.DISSATISFIED and ticket.reopen_count < settings.max_reopens
    close = (
        result in SATISFIED
        or (result is RevisitResult.DISSATISFIED and not reopen)
        or (result is RevisitResult.UNREACHABLE and attempt >= settings.revisit_attempts)
    )
    to = Status.SIGNED if reopen else Status.CLOSED if close else Status.RESOLVED
    detail = result.value + (f": {note}" if note else "")
    when = advance(ticket, action="revisit", user=user, at=at, now=now, detail=detail, to=to)
    round_ = ticket.reopen_count
    ticket.revisits.append(
        Revisit(
            round=round_, attempt=attempt, result=result.value, note=note, actor=user.sub, at=when
        )
    )
    ticket.revisit_attempts = attempt
    if result is not RevisitResult.UNREACHABLE:
        ticket.satisfaction = result.value
    session.record(
        TicketRevisited(
            ticket_id=ticket.id,
            result=result.value,
            attempt=attempt,
            round=round_,
            revisited_at=when,
            revisited_on=business_date(when, settings.time_zone),
            category=ticket.category,
            department=ticket.department,
            case_id=ticket.case_id,
            enterprise_id=ticket.enterprise_id,
            reopened=reopen,
            closed=close,
        )
    )
    if reopen:
        ticket.reopen_count += 1
        ticket.revisit_attempts = 0
        ticket.within_sla = None
        ticket.resolved_at = None
        ticket.resolve_started_at = when
        ticket.resolve_due_at = settings.limit_ends(ticket.category, Breach.RESOLVE, when)
    elif close:
        reason = {
            RevisitResult.UNREACHABLE: f"requester not reached after {attempt} attempts",
            RevisitResult.DISSATISFIED: (
                f"dissatisfied after {ticket.reopen_count} sendings back (the most allowed)"
            ),
        }.get(result, f"revisit: {result.value}")
        record_closed(session, ticket, when=when, reason=reason)
    return ticket
