"""The console's client of the intake service: its calls and the shapes it reads."""

from __future__ import annotations

from datetime import date

from services.console.clients.base import ServiceClient, _Shape


class IntakeStats(_Shape):
    """The intake base's figures (GET /api/v1/stats)."""

    cases_opened: int
    cases_by_color: dict[str, int]
    cases_by_path: dict[str, int]
    settled: int
    outcomes_transferred: int
    avg_days_to_construction: float | None
    baseline_days_to_construction: float


class CaseSummary(_Shape):
    """A line of the intake cases list."""

    id: str
    title: str
    path: str
    color: str | None = None
    opened_on: date
    signed_on: date | None = None
    construction_started_on: date | None = None
    production_started_on: date | None = None


class IntakeClient(ServiceClient):
    """The Shangrao intake base's service."""

    service = "intake"

    async def stats(self) -> IntakeStats:
        """The zone's figures up to today."""
        return IntakeStats.model_validate(await self._get("/api/v1/stats"))

    async def cases(self, *, limit: int = 50) -> list[CaseSummary]:
        """Intake cases (an enterprise sees only its own)."""
        rows = await self._get("/api/v1/cases", limit=limit)
        return [CaseSummary.model_validate(c) for c in rows]
