"""The console's client of the incubation service: its calls and the shapes it reads."""

from __future__ import annotations

from datetime import date

from services.console.clients.base import ServiceClient, _Shape


class IncubationProjects(_Shape):
    registered: int
    by_path: dict[str, int]
    by_stage: dict[str, int]
    matured: int
    transferred: int


class IncubationTalents(_Shape):
    high_level: int = 0
    researcher: int = 0
    total: int


class IncubationAgreements(_Shape):
    total: int
    gba: int


class IncubationStats(_Shape):
    """The enclave's figures (GET /api/v1/stats)."""

    talents: IncubationTalents
    agreements: IncubationAgreements
    projects: IncubationProjects
    hq_economy: int


class IncubationClient(ServiceClient):
    """The Shenzhen enclave's service."""

    service = "incubation"

    async def stats(
        self, *, date_from: date | None = None, date_to: date | None = None
    ) -> IncubationStats:
        """The enclave's figures over a range of business dates."""
        params = {"from": date_from, "to": date_to}
        return IncubationStats.model_validate(
            (await self._call("GET", "/api/v1/stats", params=params)).json()
        )
