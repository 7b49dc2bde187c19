"""Extensions (延期): the department asks for more time with a reason, the hotline approves
(the resolve deadline moves, the history shows both) or refuses. One request at a time."""

from __future__ import annotations

from datetime import datetime

from enclave_shared.auth import Principal
from enclave_shared.catalog.hotline import TicketExtensionDecided, TicketExtensionRequested
from enclave_shared.errors import Conflict
from enclave_shared.outbox import OutboxSession

from services.hotline.config import HotlineSettings
from services.hotline.domain import ExtensionStatus
from services.hotline.domain.worktime import Limit
from services.hotline.handlers.lifecycle import moved
from services.hotline.models import Extension, Ticket


def pending(ticket: Ticket) -> Extension | None:
    """The extension request waiting for the hotline's decision, if any."""
    return next((e for e in ticket.extensions if e.status == ExtensionStatus.PENDING), None)


def _none_pending(ticket: Ticket) -> None:
    if pending(ticket) is not None:
        raise Conflict(
            f"ticket {ticket.id} already has an extension request pending", field="status"
        )


def _one_pending(ticket: Ticket) -> None:
    if pending(ticket) is None:
        raise Conflict(f"ticket {ticket.id} has no extension request pending", field="status")


async def request(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    reason: str,
    extra: Limit,
    settings: HotlineSettings,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """延期申请: the department (through the agent) asks for `extra` working time."""
    ticket, when = await moved(
        session,
        ticket_id,
        user,
        settings,
        action="request_extension",
        now=now,
        at=at,
        detail=f"{extra}: {reason}",
        check=_none_pending,
    )
    assert ticket.resolve_due_at is not None  # fill_deadlines stored it
    ticket.extensions.append(
        Extension(
            reason=reason,
            extra_hours=extra.hours,
            extra_days=extra.days,
            status=ExtensionStatus.PENDING.value,
            requested_by=user.sub,
            requested_at=when,
            due_before=ticket.resolve_due_at,
        )
    )
    session.record(
        TicketExtensionRequested(
            ticket_id=ticket.id,
            department=ticket.department,
            reason=reason,
            extra=str(extra),
            requested_at=when,
            resolve_due_at=ticket.resolve_due_at,
        )
    )
    return ticket


async def decide(
    session: OutboxSession,
    *,
    ticket_id: str,
    user: Principal,
    approve: bool,
    note: str | None,
    settings: HotlineSettings,
    now: datetime,
    at: datetime | None = None,
) -> Ticket:
    """延期审批: approve (the deadline moves by the time asked, from the deadline as it stood)
    or refuse the pending request."""
    verb = "approved" if approve else "refused"
    ticket, when = await moved(
        session,
        ticket_id,
        user,
        settings,
        action="decide_extension",
        now=now,
        at=at,
        detail=f"{verb}" + (f": {note}" if note else ""),
        check=_one_pending,
    )
    asked = pending(ticket)
    assert asked is not None  # _one_pending checked it
    before = asked.due_before
    after = before
    if approve:
        extra = Limit(hours=asked.extra_hours, days=asked.extra_days)
        after = settings.calendar.due(before, extra)
        ticket.resolve_due_at = after
    asked.status = (ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED).value
    asked.decided_by = user.sub
    asked.decided_at = when
    asked.decision_note = note
    asked.due_after = after
    session.record(
        TicketExtensionDecided(
            ticket_id=ticket.id,
            approved=approve,
            decided_at=when,
            due_before=before,
            due_after=after,
            note=note,
        )
    )
    return ticket
