"""Events the hotline service (飞地热线) publishes."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from enclave_shared.events import Corrected, Payload, Voided


class _TicketEvent(Payload):
    """An event of the hotline about one ticket: keyed by its `ticket_id`."""

    producer: ClassVar[str] = "hotline"
    subject_field: ClassVar[str] = "ticket_id"

    ticket_id: str


class TicketOpened(_TicketEvent):
    """A hotline ticket was opened (by phone, web or from an event)."""

    event_type: ClassVar[str] = "enclave.ticket.opened.v1"

    channel: str
    category: str
    case_id: str | None = None
    project_id: str | None = None
    opened_at: datetime
    kind: str | None = Field(
        None, description="request (a caller), landing_followup or supervision (from events)"
    )
    enterprise_id: str | None = None
    request_type: str | None = Field(
        None,
        description="consult, help, complaint, report, suggestion, praise "
        "(咨询/求助/投诉/举报/建议/表扬); null for tickets opened from events. "
        "The caller's name and number are never sent",
    )


class TicketRouted(_TicketEvent):
    """A ticket was routed (or re-routed) to a department."""

    event_type: ClassVar[str] = "enclave.ticket.routed.v1"

    department: str
    routed_at: datetime
    case_id: str | None = None
    previous_department: str | None = Field(None, description="set when re-routed")
    department_code: str | None = Field(None, description="the directory's code, when listed")
    sign_due_at: datetime | None = Field(None, description="the department signs by then")


class TicketSigned(_TicketEvent):
    """The department signed for a routed ticket (签收) and is handling it."""

    event_type: ClassVar[str] = "enclave.ticket.signed.v1"

    department: str
    signed_at: datetime
    in_time: bool = Field(description="signed by the sign deadline (working time)")
    case_id: str | None = None


class TicketReturned(_TicketEvent):
    """The department sent a routed ticket back (退单) to the hotline to be routed again."""

    event_type: ClassVar[str] = "enclave.ticket.returned.v1"

    department: str
    reason: str
    returned_at: datetime
    case_id: str | None = None


class TicketExtensionRequested(_TicketEvent):
    """The department asked for more time (延期申请)."""

    event_type: ClassVar[str] = "enclave.ticket.extension_requested.v1"

    department: str | None = None
    reason: str
    extra: str = Field(description="the time asked for, e.g. '3 working days'")
    requested_at: datetime
    resolve_due_at: datetime = Field(description="the deadline as it stands")


class TicketExtensionDecided(_TicketEvent):
    """The hotline approved (the deadline moved) or refused an extension (延期审批)."""

    event_type: ClassVar[str] = "enclave.ticket.extension_decided.v1"

    approved: bool
    decided_at: datetime
    due_before: datetime
    due_after: datetime = Field(description="the deadline now (= due_before when refused)")
    note: str | None = None


class TicketEscalated(_TicketEvent):
    """A ticket missed its SLA and was escalated for supervision (督办)."""

    event_type: ClassVar[str] = "enclave.ticket.escalated.v1"

    reason: str
    escalated_at: datetime
    breach: str | None = Field(None, description="the limit missed: accept, sign or resolve")
    category: str | None = None
    case_id: str | None = None
    due_at: datetime | None = None
    level: int = Field(1, description="1 supervision (督办), 2 and up escalated (提级督办)")
    department: str | None = None


class TicketReminded(_TicketEvent):
    """A share of a ticket's time limit has passed: a reminder (催办), once per clock."""

    event_type: ClassVar[str] = "enclave.ticket.reminded.v1"

    breach: str = Field(description="the clock: accept, sign or resolve")
    due_at: datetime
    reminded_at: datetime
    category: str | None = None
    case_id: str | None = None
    department: str | None = None


class TicketResolved(_TicketEvent):
    """A ticket was resolved; `within_sla` says whether its resolve SLA was kept."""

    event_type: ClassVar[str] = "enclave.ticket.resolved.v1"

    category: str
    within_sla: bool
    resolved_at: datetime
    resolved_on: date
    case_id: str | None = None
    round: int = Field(
        0, description="0 the first resolution; n after the n-th sending back (发回重办)"
    )
    department: str | None = None


class TicketRevisited(_TicketEvent):
    """The hotline called the requester back (回访) about a resolved ticket.

    `result` is satisfied, basically_satisfied, dissatisfied, or unreachable (one attempt
    that did not reach the requester); `reopened`: dissatisfied sent it back to the same
    department (发回重办); `closed`: the revisit closed it. A satisfaction indicator counts
    the events with a satisfaction result by `revisited_on` (the business date)."""

    event_type: ClassVar[str] = "enclave.ticket.revisited.v1"

    result: str
    attempt: int = Field(description="the attempt of this round, from 1")
    round: int = Field(description="the resolution revisited: 0 first, n after n sendings back")
    revisited_at: datetime
    revisited_on: date
    category: str
    department: str | None = None
    case_id: str | None = None
    enterprise_id: str | None = None
    reopened: bool = False
    closed: bool = False


class TicketClosed(_TicketEvent):
    """A ticket was closed: after its revisit, or with a recorded reason."""

    event_type: ClassVar[str] = "enclave.ticket.closed.v1"

    closed_at: datetime
    reason: str
    satisfaction: str | None = Field(None, description="the last revisit's result, if reached")
    case_id: str | None = None


class TicketCorrected(_TicketEvent, Corrected):
    """A ticket's category or request type was corrected (the changed fields, before and
    after): the facts counted from it count in the corrected version."""

    event_type: ClassVar[str] = "enclave.ticket.corrected.v1"


class TicketVoided(_TicketEvent, Voided):
    """A ticket was entered by mistake: it stays, marked void, and counts no more."""

    event_type: ClassVar[str] = "enclave.ticket.voided.v1"


EVENTS: list[type[Payload]] = [
    TicketOpened,
    TicketRouted,
    TicketSigned,
    TicketReturned,
    TicketExtensionRequested,
    TicketExtensionDecided,
    TicketReminded,
    TicketEscalated,
    TicketResolved,
    TicketRevisited,
    TicketClosed,
    TicketCorrected,
    TicketVoided,
]
