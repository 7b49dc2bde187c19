"""The console's client of the assessment service: its calls and the shapes it reads."""

from __future__ import annotations

from typing import Any

from services.console.clients.base import ServiceClient, _Shape


class AssessmentSummary(_Shape):
    """A year's assessment, as far as the home page shows it."""

    year: int
    status: str
    total: float | None = None


class AssessmentClient(ServiceClient):
    """The district's assessment service."""

    service = "assessment"

    async def assessment(self, year: int) -> dict[str, Any]:
        """A year's scores and fund allocation (preview until published)."""
        result: dict[str, Any] = await self._get(f"/api/v1/assessments/{year}")
        return result
