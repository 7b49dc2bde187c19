"""The console's client of the hotline service: its calls and the shapes it reads."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import Field

from services.console.clients.base import MAX_LIMIT, ServiceClient, _Shape, every_page

# A move of the ticket page -> the service's path under /api/v1/tickets/{id}/
MOVE_PATHS = {
    "accept": "acceptance",
    "route": "routing",
    "sign": "signing",
    "return": "return",
    "request_extension": "extension-requests",
    "decide_extension": "extension-decision",
    "resolve": "resolution",
    "revisit": "revisits",
    "reject": "rejection",
    "close": "closure",
    "note": "notes",
}


class SlaStats(_Shape):
    open_overdue: int
    accept_compliance: float | None
    resolve_compliance: float | None


class TicketStats(_Shape):
    """The hotline's figures (GET /api/v1/tickets/stats)."""

    total: int
    by_status: dict[str, int]
    sla: SlaStats
    median_hours_to_resolve: float | None


class TicketSummary(_Shape):
    """A line of the ticket list."""

    id: str
    status: str
    kind: str
    category: str
    description: str
    opened_at: str
    resolve_due_at: str


class Limit(_Shape):
    """A time limit in working hours or working days."""

    hours: float | None = None
    days: int | None = None


class CalendarReach(_Shape):
    """How far the hotline's working-day calendar reaches (GET /api/v1/calendar)."""

    covered_until: date
    source: str
    days_left: int
    running_out: bool


class Category(_Shape):
    """A configured category and its time limits (working time)."""

    code: str
    name: str
    accept: Limit
    sign: Limit
    resolve: Limit


class Department(_Shape):
    """A department of the hotline's directory."""

    code: str
    name: str
    contact: str | None = None
    categories: list[str] = Field(default_factory=list)
    active: bool = True


class Figures(_Shape):
    """The hotline's figures over a set of tickets."""

    tickets: int
    handled: int
    signed: int
    signed_in_time: int
    resolved: int
    resolved_in_time: int
    revisited: int
    satisfied: int
    reopened: int
    on_time_sign_rate: float | None = None
    on_time_resolve_rate: float | None = None
    resolve_rate: float | None = None
    revisit_rate: float | None = None
    satisfaction_rate: float | None = None
    reopen_rate: float | None = None
    median_working_hours_to_resolve: float | None = None


class DepartmentFigures(_Shape):
    department: str
    department_code: str | None = None
    rank: int
    figures: Figures


class FiguresReport(_Shape):
    """GET /api/v1/figures: overall and per department, ranked."""

    overall: Figures
    departments: list[DepartmentFigures]


class Move(_Shape):
    action: str
    from_status: str | None = None
    to_status: str
    actor_role: str
    actor: str | None = None
    detail: str | None = None
    at: datetime


class Escalation(_Shape):
    breach: str
    level: int = 1
    reason: str
    due_at: datetime
    at: datetime


class Note(_Shape):
    author_role: str
    author: str | None = None
    text: str
    at: datetime


class Extension(_Shape):
    reason: str
    extra_hours: float | None = None
    extra_days: int | None = None
    status: str
    requested_at: datetime
    due_before: datetime
    due_after: datetime | None = None
    decision_note: str | None = None


class Revisit(_Shape):
    round: int
    attempt: int
    result: str
    note: str | None = None
    at: datetime


class Ticket(_Shape):
    """A ticket as the hotline shows it: record, deadlines in working time, the moves its
    state allows, history, notes; the caller masked but for the agent on the ticket."""

    id: str
    status: str
    kind: str
    channel: str
    request_type: str | None = None
    caller_name: str | None = None
    callback_number: str | None = None
    category: str
    description: str
    enterprise_id: str | None = None
    project_id: str | None = None
    case_id: str | None = None
    department: str | None = None
    resolution: str | None = None
    rejection_reason: str | None = None
    opened_at: datetime
    accepted_at: datetime | None = None
    routed_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    signed_at: datetime | None = None
    within_sla: bool | None = None
    signed_in_time: bool | None = None
    reopen_count: int = 0
    revisit_attempts: int = 0
    satisfaction: str | None = None
    close_reason: str | None = None
    voided_at: datetime | None = None
    void_reason: str | None = None
    accept_due_at: datetime
    sign_due_at: datetime | None = None
    resolve_due_at: datetime
    running_clock: str | None = None
    due_at: datetime | None = None
    working_hours_left: float | None = None
    moves: list[str] = Field(default_factory=list)
    extensions: list[Extension] = Field(default_factory=list)
    revisits: list[Revisit] = Field(default_factory=list)
    escalations: list[Escalation] = Field(default_factory=list)
    history: list[Move] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)


class HotlineClient(ServiceClient):
    """The enclave hotline's service."""

    service = "hotline"

    async def stats(self) -> TicketStats:
        """Counts by status, SLA compliance."""
        return TicketStats.model_validate(await self._get("/api/v1/tickets/stats"))

    async def tickets(self, *, limit: int = 50) -> list[TicketSummary]:
        """Tickets (an enterprise sees only its own)."""
        rows = await self._get("/api/v1/tickets", limit=limit)
        return [TicketSummary.model_validate(t) for t in rows]

    async def calendar(self) -> CalendarReach:
        """How far the working-day calendar reaches, and whether it runs out soon."""
        return CalendarReach.model_validate(await self._get("/api/v1/calendar"))

    async def categories(self) -> list[Category]:
        """The configured categories with their SLAs."""
        return [Category.model_validate(c) for c in await self._get("/api/v1/categories")]

    async def ticket_page(
        self, filters: Mapping[str, Any], *, limit: int, offset: int
    ) -> tuple[list[Ticket], int]:
        """One page of the tickets matching the filters, and how many match in all."""
        return await self._page("/api/v1/tickets", Ticket, filters, limit=limit, offset=offset)

    async def all_tickets(self, filters: Mapping[str, Any]) -> list[Ticket]:
        """Every ticket matching the filters (page after page of the service's largest)."""
        return await every_page(
            lambda limit, offset: self.ticket_page(filters, limit=limit, offset=offset)
        )

    async def ticket(self, ticket_id: str) -> Ticket:
        """One ticket with its history, escalations and notes."""
        return Ticket.model_validate(await self._get(f"/api/v1/tickets/{ticket_id}"))

    async def open_ticket(self, body: Mapping[str, Any]) -> Ticket:
        """Open a ticket (an agent taking a phone call)."""
        return Ticket.model_validate(await self._send("POST", "/api/v1/tickets", body))

    async def departments(self, *, active: bool | None = None) -> list[Department]:
        """The departments directory (every entry: it holds tens)."""
        params: dict[str, Any] = {"limit": MAX_LIMIT}
        if active is not None:
            params["active"] = str(active).lower()
        rows = await self._get("/api/v1/departments", **params)
        return [Department.model_validate(d) for d in rows]

    async def add_department(self, body: Mapping[str, Any]) -> Department:
        """Add a department to the directory."""
        return Department.model_validate(await self._send("POST", "/api/v1/departments", body))

    async def update_department(self, code: str, body: Mapping[str, Any]) -> Department:
        """Change a department (name, contact, categories, in service or not)."""
        return Department.model_validate(
            await self._send("PUT", f"/api/v1/departments/{code}", body)
        )

    async def figures(self, params: Mapping[str, str]) -> FiguresReport:
        """The figures of the tickets opened in a period, overall and per department."""
        return FiguresReport.model_validate(await self._get("/api/v1/figures", **params))

    async def correct(self, ticket_id: str, body: Mapping[str, Any]) -> Ticket:
        """Correct a ticket's category or request type (`PATCH`: the changed fields, a reason)."""
        return Ticket.model_validate(
            await self._send("PATCH", f"/api/v1/tickets/{ticket_id}", body)
        )

    async def void(self, ticket_id: str, reason: str) -> Ticket:
        """Void a ticket entered by mistake (`DELETE` with the reason)."""
        path = f"/api/v1/tickets/{ticket_id}"
        return Ticket.model_validate(await self._send("DELETE", path, {"reason": reason}))

    async def move(self, ticket_id: str, action: str, body: Mapping[str, Any]) -> Ticket:
        """One move of a ticket (accept, route, sign, return, extension, resolve, revisit,
        reject, close), or a note added to it."""
        path = f"/api/v1/tickets/{ticket_id}/{MOVE_PATHS[action]}"
        return Ticket.model_validate(await self._send("POST", path, body))
