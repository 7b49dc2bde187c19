"""HTTP shapes of the hotline API; a ticket is shown from its row (`TicketPublic.of`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from enclave_shared.auth import Principal
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from services.hotline.config import HotlineSettings
from services.hotline.domain import Breach, Channel, Kind, Status, is_agent
from services.hotline.models import Ticket

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
At = Annotated[
    AwareDatetime | None,
    Field(
        description="agents: when the move happened (with offset; not in the future, not "
        "before the ticket's previous move); default now"
    ),
]


class TicketCreate(BaseModel):
    """A caller's problem. `category` is one of the configured categories."""

    category: Name
    description: Text
    channel: Channel | None = Field(
        None, description="phone or web; defaults to web for enterprises, phone for agents"
    )
    case_id: Ref | None = None
    project_id: Ref | None = None
    enterprise_id: Ref | None = Field(
        None, description="the reporting enterprise; an enterprise caller is always itself"
    )
    opened_at: AwareDatetime | None = Field(
        None, description="agents: when the call came in (not in the future); default now"
    )


class MoveBody(BaseModel):
    """The body every move may have: its business time."""

    at: At = None


class TicketRouting(MoveBody):
    department: Name


class TicketResolution(MoveBody):
    summary: Text


class TicketRejection(MoveBody):
    reason: Text


class TicketClosing(MoveBody):
    comment: Text | None = None


class NoteCreate(BaseModel):
    text: Text


class MovePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    action: str
    from_status: Status | None
    to_status: Status
    actor_role: str
    actor: str | None
    detail: str | None
    at: datetime


class EscalationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    breach: Breach
    reason: str
    due_at: datetime
    at: datetime


class NotePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    author_role: str
    author: str | None
    text: str
    at: datetime


class TicketRecord(BaseModel):
    """A ticket as stored: the fields of its row and of its history, escalations and notes."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    status: Status
    kind: Kind
    channel: Channel
    category: str
    description: str
    enterprise_id: str | None
    project_id: str | None
    case_id: str | None
    reporter_sub: str | None
    department: str | None
    resolution: str | None
    rejection_reason: str | None
    opened_at: datetime
    accepted_at: datetime | None
    routed_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    within_sla: bool | None = Field(None, description="set at resolution: resolved in time?")
    escalations: list[EscalationPublic]
    history: list[MovePublic]
    notes: list[NotePublic] = Field(description="supervision notes; not shown to enterprises")


class TicketPublic(TicketRecord):
    """A ticket as its caller sees it: its record, its SLA deadlines; notes for agents only."""

    accept_due_at: datetime
    resolve_due_at: datetime

    @classmethod
    def of(cls, ticket: Ticket, settings: HotlineSettings, user: Principal) -> TicketPublic:
        """The ticket's row as `user` may see it, with the deadlines of its category's SLA."""
        record = TicketRecord.model_validate(ticket)
        sla = settings.sla_for(ticket.category)
        return cls(
            **{**dict(record), "notes": record.notes if is_agent(user) else []},
            accept_due_at=sla.due_at(ticket.opened_at, Breach.ACCEPT),
            resolve_due_at=sla.due_at(ticket.opened_at, Breach.RESOLVE),
        )


class CategoryPublic(BaseModel):
    code: str
    name: str
    accept_hours: float
    resolve_hours: float

    @classmethod
    def of(cls, code: str, settings: HotlineSettings) -> CategoryPublic:
        """A configured category with its display name and SLA."""
        sla = settings.sla_for(code)
        return cls(
            code=code,
            name=settings.name_of(code),
            accept_hours=sla.accept_hours,
            resolve_hours=sla.resolve_hours,
        )


class SlaStats(BaseModel):
    accepted: int = Field(description="tickets accepted so far")
    accepted_within_sla: int
    accept_compliance: float | None = Field(description="share accepted in time; null: none")
    resolved: int = Field(description="tickets resolved so far (incl. closed after)")
    resolved_within_sla: int
    resolve_compliance: float | None
    open_overdue: int = Field(description="unresolved tickets past their resolve deadline now")


class TicketStats(BaseModel):
    total: int
    by_status: dict[str, int]
    by_category: dict[str, int]
    sla: SlaStats
    median_hours_to_resolve: float | None
