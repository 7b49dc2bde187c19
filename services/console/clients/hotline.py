"""The console's client of the hotline service: its calls and the shapes it reads."""

from __future__ import annotations

from services.console.clients.base import ServiceClient, _Shape


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
