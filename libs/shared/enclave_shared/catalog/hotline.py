"""Events the hotline service (飞地热线) publishes."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from enclave_shared.events import Payload


class _Hotline(Payload):
    producer: ClassVar[str] = "hotline"


class TicketOpened(_Hotline):
    """A hotline ticket was opened (by phone, web or from an event)."""

    event_type: ClassVar[str] = "enclave.ticket.opened.v1"
    subject_field: ClassVar[str] = "ticket_id"

    ticket_id: str
    channel: str
    category: str
    case_id: str | None = None
    project_id: str | None = None
    opened_at: datetime


class TicketRouted(_Hotline):
    """A ticket was routed (or re-routed) to a department."""

    event_type: ClassVar[str] = "enclave.ticket.routed.v1"
    subject_field: ClassVar[str] = "ticket_id"

    ticket_id: str
    department: str
    routed_at: datetime


class TicketEscalated(_Hotline):
    """A ticket missed its SLA and was escalated for supervision (督办)."""

    event_type: ClassVar[str] = "enclave.ticket.escalated.v1"
    subject_field: ClassVar[str] = "ticket_id"

    ticket_id: str
    reason: str
    escalated_at: datetime


class TicketResolved(_Hotline):
    """A ticket was resolved; `within_sla` says whether its resolve SLA was kept."""

    event_type: ClassVar[str] = "enclave.ticket.resolved.v1"
    subject_field: ClassVar[str] = "ticket_id"

    ticket_id: str
    category: str
    within_sla: bool
    resolved_at: datetime
    resolved_on: date


EVENTS: list[type[Payload]] = [TicketOpened, TicketRouted, TicketEscalated, TicketResolved]
