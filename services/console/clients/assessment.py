"""The console's client of the assessment service: its calls and the shapes it reads."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from services.console.clients.base import ServiceClient, _Shape, every_page


class AssessmentSummary(_Shape):
    """A year's assessment, as far as the home page shows it."""

    year: int
    status: str
    total: float | None = None


class Evidence(_Shape):
    source: str
    facts: int | None = None
    note: str | None = None
    entered_by: str | None = None
    entered_at: datetime | None = None


class IndicatorScore(_Shape):
    rule: str
    target: Decimal
    points: Decimal
    actual: Decimal
    progress: Decimal
    score: Decimal
    evidence: Evidence


class DimensionScore(_Shape):
    weight: Decimal
    score: Decimal
    progress: Decimal
    indicators: dict[str, IndicatorScore]


class BonusItemScore(_Shape):
    label: str = ""
    indicator: str
    actual: Decimal
    above: Decimal
    points_per_unit: Decimal
    cap: Decimal
    score: Decimal


class Fund(_Shape):
    base: Decimal
    reward_pool: Decimal
    reward_basis: str
    share: Decimal
    reward: Decimal
    total: Decimal


class Assessment(_Shape):
    """A year's scores and funds: the published result, or the live preview."""

    year: int
    status: str
    scheme_version: int
    published_on: date | None = None
    as_of: date | None = None
    dimensions: dict[str, DimensionScore]
    bonus: Decimal
    bonus_uncapped: Decimal
    bonus_cap: Decimal | None = None
    bonus_items: dict[str, BonusItemScore] = Field(default_factory=dict)
    total: Decimal
    progress: Decimal
    fund: Fund


class Step(_Shape):
    at: Decimal
    points: Decimal


class IndicatorRule(_Shape):
    key: str
    steps: list[Step] = Field(default_factory=list)


class DimensionRule(_Shape):
    indicators: list[IndicatorRule]


class Scheme(_Shape):
    title: str = ""
    dimensions: dict[str, DimensionRule]


class SchemeVersion(_Shape):
    """A stored version of the year's scheme."""

    year: int
    version: int
    created_at: datetime
    created_by: str | None = None
    frozen: bool = False
    scheme: Scheme


class Fact(_Shape):
    """A counted fact behind an event-derived indicator."""

    indicator: str
    quantity: int
    business_date: date
    subject: str
    event_id: str
    event_type: str


class ManualEntry(_Shape):
    """An assessor's value for a manual indicator (the newest per indicator is in force)."""

    id: int
    year: int
    indicator: str
    value: Decimal
    evidence: str
    entered_by: str | None = None
    entered_at: datetime
    event_id: str


class Indicator(_Shape):
    key: str
    source: str
    label: str


class AssessmentClient(ServiceClient):
    """The district's assessment service."""

    service = "assessment"

    async def assessment(self, year: int, *, as_of: str | None = None) -> Assessment:
        """A year's scores and fund allocation (preview until published); `as_of` (YYYY-MM):
        as of that month's end."""
        params = {} if as_of is None else {"as_of": as_of}
        return Assessment.model_validate(await self._get(f"/api/v1/assessments/{year}", **params))

    async def scheme(self, year: int) -> SchemeVersion:
        """The newest version of the year's scheme."""
        return SchemeVersion.model_validate(await self._get(f"/api/v1/schemes/{year}"))

    async def indicators(self) -> list[Indicator]:
        """The registry of indicator keys."""
        return [Indicator.model_validate(i) for i in await self._get("/api/v1/indicators")]

    async def fact_page(
        self, year: int, indicator: str | None, *, limit: int, offset: int, to: str | None = None
    ) -> tuple[list[Fact], int]:
        """A page of the facts counted for the year (one indicator's, or all; dated up to
        `to`, if given)."""
        path, filters = f"/api/v1/assessments/{year}/facts", {"indicator": indicator, "to": to}
        return await self._page(path, Fact, filters, limit=limit, offset=offset)

    async def all_facts(self, year: int, indicator: str | None) -> list[Fact]:
        """Every fact counted for the year (page after page of the service's largest)."""
        return await every_page(
            lambda limit, offset: self.fact_page(year, indicator, limit=limit, offset=offset)
        )

    async def manual_entries(self, year: int) -> list[ManualEntry]:
        """Every manual entry of the year, oldest first."""
        rows = await self._get(f"/api/v1/assessments/{year}/manual")
        return [ManualEntry.model_validate(e) for e in rows]

    async def enter_manual(
        self, year: int, indicator: str, *, value: str, evidence: str
    ) -> ManualEntry:
        """Enter a manual indicator's value with its evidence."""
        path = f"/api/v1/assessments/{year}/manual/{indicator}"
        body = {"value": value, "evidence": evidence}
        return ManualEntry.model_validate(await self._send("PUT", path, body))

    async def publish(self, year: int) -> Assessment:
        """Publish the year: its scheme, entries and scores are frozen."""
        response = await self._call("POST", f"/api/v1/assessments/{year}/publication")
        return Assessment.model_validate(response.json()["assessment"])
