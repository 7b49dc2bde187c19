"""Events the hotline service (飞地热线) publishes."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

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
    kind: str | None = Field(
        None, description="request (a caller), landing_followup or supervision (from events)"
    )
    enterprise_id: str | None = None


class TicketRouted(_Hotline):
    """A ticket was routed (or re-routed) to a department."""

    event_type: ClassVar[str] = "enclave.ticket.routed.v1"
    subject_field: ClassVar[str] = "ticket_id"

    ticket_id: str
    department: str
    routed_at: datetime
    case_id: str | None = None
    previous_department: str | None = Field(None, description="set when re-routed")


class TicketEscalated(_Hotline):
    """A ticket missed its SLA and was escalated for supervision (督办)."""

    event_type: ClassVar[str] = "enclave.ticket.escalated.v1"
    subject_field: ClassVar[str] = "ticket_id"

    ticket_id: str
    reason: str
    escalated_at: datetime
    breach: str | None = Field(None, description="the SLA missed: accept or resolve")
    category: str | None = None
    case_id: str | None = None
    due_at: datetime | None = None


class TicketResolved(_Hotline):
    """A ticket was resolved; `within_sla` says whether its resolve SLA was kept."""

    event_type: ClassVar[str] = "enclave.ticket.resolved.v1"
    subject_field: ClassVar[str] = "ticket_id"

    ticket_id: str
    category: str
    within_sla: bool
    resolved_at: datetime
    resolved_on: date
    case_id: str | None = None


EVENTS: list[type[Payload]] = [TicketOpened, TicketRouted, TicketEscalated, TicketResolved]
