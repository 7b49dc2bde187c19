"""The console's client of the hotline service: its calls and the shapes it reads."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import Field

from services.console.clients.base import ServiceClient, _Shape

PAGE_MAX = 500  # the service's cap on `limit`

# A move of the ticket page -> the service's path under /api/v1/tickets/{id}/
MOVE_PATHS = {
    "accept": "acceptance",
    "route": "routing",
    "resolve": "resolution",
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


class Category(_Shape):
    """A configured category and its SLA."""

    code: str
    name: str
    accept_hours: float
    resolve_hours: float


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
    reason: str
    due_at: datetime
    at: datetime


class Note(_Shape):
    author_role: str
    author: str | None = None
    text: str
    at: datetime


class Ticket(_Shape):
    """A ticket as the hotline shows it to an agent: record, deadlines, history, notes."""

    id: str
    status: str
    kind: str
    channel: str
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
    within_sla: bool | None = None
    accept_due_at: datetime
    resolve_due_at: datetime
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

    async def categories(self) -> list[Category]:
        """The configured categories with their SLAs."""
        return [Category.model_validate(c) for c in await self._get("/api/v1/categories")]

    async def ticket_page(
        self, filters: Mapping[str, Any], *, limit: int, offset: int
    ) -> tuple[list[Ticket], int]:
        """One page of the tickets matching the filters, and how many match in all."""
        params = {**filters, "limit": limit, "offset": offset}
        response = await self._call("GET", "/api/v1/tickets", params=params)
        rows = [Ticket.model_validate(t) for t in response.json()]
        return rows, int(response.headers.get("X-Total-Count", len(rows)))

    async def all_tickets(self, filters: Mapping[str, Any]) -> list[Ticket]:
        """Every ticket matching the filters (page after page of the service's largest)."""
        rows: list[Ticket] = []
        while True:
            page, total = await self.ticket_page(filters, limit=PAGE_MAX, offset=len(rows))
            rows.extend(page)
            if not page or len(rows) >= total:
                return rows

    async def ticket(self, ticket_id: str) -> Ticket:
        """One ticket with its history, escalations and notes."""
        return Ticket.model_validate(await self._get(f"/api/v1/tickets/{ticket_id}"))

    async def open_ticket(self, body: Mapping[str, Any]) -> Ticket:
        """Open a ticket (an agent taking a phone call)."""
        response = await self._call("POST", "/api/v1/tickets", json=dict(body))
        return Ticket.model_validate(response.json())

    async def move(self, ticket_id: str, action: str, body: Mapping[str, Any]) -> Ticket:
        """Accept, route, resolve, reject or close a ticket, or add a note to it."""
        path = f"/api/v1/tickets/{ticket_id}/{MOVE_PATHS[action]}"
        response = await self._call("POST", path, json=dict(body))
        return Ticket.model_validate(response.json())
