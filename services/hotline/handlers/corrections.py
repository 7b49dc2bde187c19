"""Corrections and voiding of tickets: a correction changes the category or the request type
(the changed fields only, checked again) and records `ticket.corrected.v1` with before and
after; a void marks a ticket entered by mistake, which then leaves every list and figure
and takes no more moves, and records `ticket.voided.v1`. Nothing is deleted."""

from __future__ import annotations

from datetime import datetime

from enclave_shared.auth import Principal
from enclave_shared.catalog.hotline import TicketCorrected, TicketVoided
from enclave_shared.corrections import correct, void
from enclave_shared.errors import Invalid
from enclave_shared.outbox import OutboxSession

from services.hotline.config import HotlineSettings
from services.hotline.domain import Kind
from services.hotline.handlers.tickets import get
from services.hotline.models import Ticket
from services.hotline.schemas import TicketCorrection


async def correct_ticket(
    session: OutboxSession,
    *,
    ticket_id: str,
    body: TicketCorrection,
    user: Principal,
    settings: HotlineSettings,
    now: datetime,
) -> Ticket:
    """Correct a ticket's category or request type, saying why."""
    ticket = await get(session, ticket_id=ticket_id, user=user, for_update=True)
    before, after = correct(ticket, body, "ticket")
    if "category" in after and ticket.category not in settings.categories:
        raise Invalid(
            f"category {ticket.category!r} is not one of: {', '.join(settings.categories)}",
            field="category",
        )
    if "request_type" in after and ticket.kind != Kind.REQUEST:
        raise Invalid(
            f"ticket {ticket.id} was opened by the hotline from an event: it has no request "
            "type to correct",
            field="request_type",
        )
    ticket.updated_at = now
    session.record(
        TicketCorrected(ticket_id=ticket.id, reason=body.reason, before=before, after=after)
    )
    return ticket


async def void_ticket(
    session: OutboxSession, *, ticket_id: str, reason: str, user: Principal, now: datetime
) -> Ticket:
    """Void a ticket entered by mistake: it stays, marked, and counts no more."""
    ticket = await get(session, ticket_id=ticket_id, user=user, for_update=True)
    void(ticket, reason, now, "ticket")
    ticket.updated_at = now
    session.record(TicketVoided(ticket_id=ticket.id, reason=ticket.void_reason or reason))
    return ticket
