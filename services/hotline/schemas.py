"""HTTP shapes of the hotline API; a ticket is shown from its row (`TicketPublic.of`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from enclave_shared.auth import Principal
from enclave_shared.corrections import Correction
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from services.hotline.config import HotlineSettings
from services.hotline.domain import (
    Breach,
    Channel,
    ExtensionStatus,
    Kind,
    RequestType,
    RevisitResult,
    Status,
    allowed_moves,
    breaches,
    is_agent,
    mask_name,
    mask_number,
)
from services.hotline.domain.worktime import CalendarMissing, Limit
from services.hotline.models import Ticket

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 -]{4,38}$")]
Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_.-]{1,100}$")]
At = Annotated[
    AwareDatetime | None,
    Field(
        description="agents: when the move happened (with offset; not in the future, not "
        "before the ticket's previous move); default now"
    ),
]


class FromRow(BaseModel):
    """An HTTP shape built from its table's row (`model_validate(row)`)."""

    model_config = ConfigDict(from_attributes=True)


class TicketCreate(BaseModel):
    """A caller's problem. `category` is one of the configured categories."""

    category: Name
    description: Text
    channel: Channel | None = Field(
        None,
        description="phone, web or walk_in; defaults to web for enterprises, phone for agents",
    )
    request_type: RequestType | None = Field(
        None, description="咨询/求助/投诉/举报/建议/表扬; default consult"
    )
    caller_name: Name | None = None
    callback_number: Phone | None = Field(
        None, description="shown in full only to the hotline agent, on the ticket itself"
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


class TicketReturn(MoveBody):
    reason: Text = Field(description="why the department returns it (退单): not its function…")


class ExtensionRequest(MoveBody):
    reason: Text
    hours: float | None = Field(None, gt=0, le=2000, description="working hours asked for")
    days: int | None = Field(None, gt=0, le=250, description="working days asked for")


class ExtensionDecision(MoveBody):
    approve: bool
    note: Text | None = None


class RevisitCreate(MoveBody):
    result: RevisitResult
    note: Text | None = None


class TicketResolution(MoveBody):
    summary: Text


class TicketRejection(MoveBody):
    reason: Text


class TicketClosing(MoveBody):
    comment: Text | None = None


class NoteCreate(BaseModel):
    text: Text


class MovePublic(FromRow):
    action: str
    from_status: Status | None
    to_status: Status
    actor_role: str
    actor: str | None
    detail: str | None
    at: datetime


class EscalationPublic(FromRow):
    breach: Breach
    level: int = Field(description="0 reminder (催办), 1 supervision (督办), 2+ 提级督办")
    round: int
    reason: str
    due_at: datetime
    at: datetime


class ExtensionPublic(FromRow):
    reason: str
    extra_hours: float | None
    extra_days: int | None
    status: ExtensionStatus
    requested_at: datetime
    due_before: datetime
    due_after: datetime | None
    decided_at: datetime | None
    decision_note: str | None


class RevisitPublic(FromRow):
    round: int
    attempt: int
    result: RevisitResult
    note: str | None
    at: datetime


class NotePublic(FromRow):
    author_role: str
    author: str | None
    text: str
    at: datetime


class TicketRecord(FromRow):
    """A ticket as stored: the fields of its row and of its history, escalations and notes."""

    id: str
    status: Status
    kind: Kind
    channel: Channel
    request_type: RequestType | None
    caller_name: str | None
    callback_number: str | None
    category: str
    description: str
    enterprise_id: str | None
    project_id: str | None
    case_id: str | None
    reporter_sub: str | None
    department: str | None
    department_code: str | None
    resolution: str | None
    rejection_reason: str | None
    opened_at: datetime
    accepted_at: datetime | None
    routed_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    signed_at: datetime | None
    within_sla: bool | None = Field(None, description="set at resolution: resolved in time?")
    signed_in_time: bool | None
    reopen_count: int
    revisit_attempts: int
    satisfaction: RevisitResult | None
    close_reason: str | None
    voided_at: datetime | None = Field(None, description="set when voided as entered by mistake")
    void_reason: str | None = None
    escalations: list[EscalationPublic]
    extensions: list[ExtensionPublic]
    revisits: list[RevisitPublic]
    history: list[MovePublic]
    notes: list[NotePublic] = Field(description="supervision notes; not shown to enterprises")


class TicketPublic(TicketRecord):
    """A ticket as its caller sees it: its record, its deadlines in working time, the moves
    its state allows; notes for agents only; the caller masked but for the agent."""

    accept_due_at: datetime
    sign_due_at: datetime | None
    resolve_due_at: datetime
    running_clock: Breach | None = Field(
        description="the limit that matters now: accept, sign or resolve; null when done"
    )
    due_at: datetime | None = Field(description="the running clock's deadline")
    working_hours_left: float | None = Field(
        description="working hours to the running clock's deadline (negative: overdue; null "
        "when the working-day calendar does not reach from now to it)"
    )
    moves: list[str] = Field(description="the moves the ticket's state allows now")

    @classmethod
    def of(
        cls,
        ticket: Ticket,
        settings: HotlineSettings,
        user: Principal,
        *,
        now: datetime,
        full_caller: bool = False,
    ) -> TicketPublic:
        """The ticket's row as `user` may see it; `full_caller` shows the caller unmasked."""
        record = TicketRecord.model_validate(ticket)
        accept_due = settings.due(ticket, Breach.ACCEPT)
        resolve_due = settings.due(ticket, Breach.RESOLVE)
        assert accept_due is not None and resolve_due is not None
        clocks = breaches(ticket.status)
        clock = clocks[0] if clocks else None
        due_at = settings.due(ticket, clock) if clock else None
        left = _hours_left(settings, now, due_at) if due_at else None
        pending = any(e.status == ExtensionStatus.PENDING for e in ticket.extensions)
        shown = {**dict(record), "notes": record.notes if is_agent(user) else []}
        if not full_caller:
            shown["caller_name"] = mask_name(ticket.caller_name)
            shown["callback_number"] = mask_number(ticket.callback_number)
        return cls(
            **shown,
            accept_due_at=accept_due,
            sign_due_at=ticket.sign_due_at,
            resolve_due_at=resolve_due,
            running_clock=clock,
            due_at=due_at,
            working_hours_left=left,
            moves=[]
            if ticket.voided_at is not None
            else allowed_moves(ticket.status, extension_pending=pending),
        )


class TicketCorrection(Correction):
    """A ticket's category or request type entered wrongly, and why (the changed fields
    only). The deadlines already set keep the limits they were set by."""

    category: Name | None = Field(None, description="one of the configured categories")
    request_type: RequestType | None = Field(
        None, description="咨询/求助/投诉/举报/建议/表扬 (tickets callers raised only)"
    )


def _hours_left(settings: HotlineSettings, now: datetime, due_at: datetime) -> float | None:
    """Working hours from now to a deadline; None when the calendar does not reach between
    them (now is past its last covered day): the ticket still reads, its deadline shown."""
    try:
        return round(settings.calendar.between(now, due_at).total_seconds() / 3600, 2)
    except CalendarMissing:
        return None


class CategoryPublic(BaseModel):
    code: str
    name: str
    accept: Limit = Field(description="to accept, from opening (working time)")
    sign: Limit = Field(description="for the department to sign, from routing")
    resolve: Limit = Field(description="to resolve, from opening")

    @classmethod
    def of(cls, code: str, settings: HotlineSettings) -> CategoryPublic:
        """A configured category with its display name and time limits."""
        sla = settings.sla_for(code)
        return cls(
            code=code,
            name=settings.name_of(code),
            accept=sla.accept,
            sign=sla.sign,
            resolve=sla.resolve,
        )


class CalendarPublic(BaseModel):
    covered_until: date = Field(
        description="the last day the working-day calendar knows, without a gap from "
        "HOTLINE_CALENDAR_FROM; a time limit running past it is refused (422)"
    )
    source: str = Field(
        description="where the last covered year comes from: the chinesecalendar package "
        "(with its version) or HOTLINE_CALENDAR_FILE"
    )
    days_left: int = Field(description="days from today to covered_until (negative once past)")
    warn_days: int = Field(description="HOTLINE_CALENDAR_WARN_DAYS")
    running_out: bool = Field(description="fewer than warn_days days are left: supply next year")

    @classmethod
    def of(cls, settings: HotlineSettings, today: date) -> CalendarPublic:
        """How far the calendar reaches, seen on `today` (the business date)."""
        coverage = settings.calendar_coverage()
        left = coverage.days_left(today)
        return cls(
            covered_until=coverage.until,
            source=coverage.source,
            days_left=left,
            warn_days=settings.calendar_warn_days,
            running_out=left < settings.calendar_warn_days,
        )


class DepartmentCreate(BaseModel):
    code: Code
    name: Name
    contact: Text | None = None
    categories: list[Name] = Field(default_factory=list, max_length=100)


class DepartmentUpdate(BaseModel):
    name: Name
    contact: Text | None = None
    categories: list[Name] = Field(default_factory=list, max_length=100)
    active: bool = True


class DepartmentPublic(FromRow):
    code: str
    name: str
    contact: str | None
    categories: list[str]
    active: bool
    updated_at: datetime


class Figures(BaseModel):
    """The hotline's figures over a set of tickets (handlers/figures.py says each one)."""

    tickets: int
    handled: int = Field(description="not rejected")
    signed: int
    signed_in_time: int
    resolved: int
    resolved_in_time: int
    revisited: int = Field(description="resolved tickets whose requester was reached")
    satisfied: int = Field(description="满意 + 基本满意")
    reopened: int = Field(description="sent back (发回重办) at least once")
    on_time_sign_rate: float | None = Field(description="按时签收率")
    on_time_resolve_rate: float | None = Field(description="按时办结率")
    resolve_rate: float | None = Field(description="办结率")
    revisit_rate: float | None = Field(description="回访率")
    satisfaction_rate: float | None = Field(description="满意率")
    reopen_rate: float | None = Field(description="发回重办率")
    median_working_hours_to_resolve: float | None


class DepartmentFigures(BaseModel):
    department: str
    department_code: str | None
    rank: int
    figures: Figures


class FiguresReport(BaseModel):
    opened_from: date | None
    opened_to: date | None
    overall: Figures
    departments: list[DepartmentFigures] = Field(description="ranked, best first")


class ApplicationCreate(BaseModel):
    name: Name
    account: Ref = Field(description="the account its requests are reported under")


class ApplicationPublic(FromRow):
    id: int
    name: str
    account: str
    created_at: datetime
    revoked_at: datetime | None


class ApplicationIssued(ApplicationPublic):
    api_key: str = Field(description="shown once: the hotline keeps only its hash")


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
