"""Corrections and voiding of tickets, with `enclave_shared.corrections` as the other
services use it: a correction changes the category or the request type (the changed fields
only, checked again) and records `ticket.corrected.v1` with before and after; a void marks a
ticket entered by mistake, which then leaves every list and figure and takes no more moves,
and records `ticket.voided.v1`. Nothing is deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from enclave_shared.catalog.hotline import TicketCorrected, TicketVoided
from enclave_shared.corrections import Correctable, correct_record, void_record
from enclave_shared.errors import Invalid
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import found
from sqlalchemy import select

from services.hotline.config import HotlineSettings
from services.hotline.domain import Kind
from services.hotline.models import Ticket
from services.hotline.schemas import TicketCorrection


async def _locked_ticket(session: OutboxSession, ticket_id: str) -> Ticket:
    # Only agents (and admin) correct or void: they see every ticket.
    ticket = await session.scalar(select(Ticket).where(Ticket.id == ticket_id).with_for_update())
    return found(ticket, "ticket", ticket_id)


async def _check_ticket(
    session: OutboxSession, ticket: Ticket, after: dict[str, Any], settings: HotlineSettings
) -> None:
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


TICKET = Correctable(
    what="ticket",
    corrected=TicketCorrected,
    voided=TicketVoided,
    load=_locked_ticket,
    check=_check_ticket,
)
"""A ticket: its category (a configured one) or request type (tickets callers raised;
context: the settings). The deadlines already set keep the limits they were set by."""


async def correct_ticket(
    session: OutboxSession,
    *,
    ticket_id: str,
    body: TicketCorrection,
    settings: HotlineSettings,
    now: datetime,
) -> Ticket:
    """Correct a ticket's category or request type, saying why."""
    ticket = await TICKET.load(session, ticket_id)
    await correct_record(session, TICKET, ticket, body, settings)
    ticket.updated_at = now
    return ticket


async def void_ticket(
    session: OutboxSession, *, ticket_id: str, reason: str, now: datetime
) -> Ticket:
    """Void a ticket entered by mistake: it stays, marked, and counts no more."""
    ticket = await TICKET.load(session, ticket_id)
    await void_record(session, TICKET, ticket, reason, now)
    ticket.updated_at = now
    return ticket
