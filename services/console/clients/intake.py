"""The console's client of the intake service: its calls and the shapes it reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from services.console.clients.base import ServiceClient, _Shape

T = TypeVar("T", bound=BaseModel)

MAX_LIMIT = 500  # the services' cap on `limit`


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


class Case(CaseSummary):
    """An intake case with its enterprise, chain and responsible body."""

    project_id: str
    outcome: str
    industry_chain: str
    layout_category: str | None = None
    enterprise: str | None = None
    enterprise_account: str | None = None
    enterprise_tag: str | None = None
    days_to_construction: int | None = None
    responsible_unit: str | None = None
    responsible_person: str | None = None
    responsible_contact: str | None = None


class Responsible(_Shape):
    unit: str | None = None
    person: str | None = None
    contact: str | None = None


class StageView(_Shape):
    """A stage of the ledger: its requirements, its date, done / current / pending."""

    stage: str
    requirements: list[str]
    done_on: date | None = None
    status: str


class ProgressEntry(_Shape):
    id: str
    happened_on: date
    stage: str | None = None
    text: str
    recorded_by: str | None = None


class Meeting(_Shape):
    id: str
    kind: str
    scheduled_on: date | None = None
    held_on: date | None = None
    notes: str = ""


class Slot(_Shape):
    """A period of the "three ones" in which a meeting is owed: held, open or overdue."""

    kind: str
    start: date
    due_on: date
    status: str
    meeting_id: str | None = None


class Ledger(_Shape):
    """One enterprise, one ledger (一企一台账)."""

    case: Case
    responsible: Responsible
    stages: list[StageView]
    progress: list[ProgressEntry]
    meetings: list[Meeting]
    overdue_meetings: list[Slot]


class QuietDays(_Shape):
    weekdays: list[int]
    month_days: list[int]
    dates: list[date]


class Demand(_Shape):
    """A local enterprise's R&D demand."""

    id: str
    enterprise: str
    enterprise_account: str | None = None
    industry_chain: str
    title: str
    description: str = ""
    submitted_on: date
    project_id: str | None = None
    taken_on: date | None = None


class MenuItem(_Shape):
    """A project the zone wants incubated."""

    id: str
    title: str
    industry_chain: str
    layout_category: str
    description: str = ""
    published_on: date


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

    async def _page(
        self, shape: type[T], url: str, *, limit: int, offset: int, **params: Any
    ) -> tuple[list[T], int]:
        query = {**params, "limit": limit, "offset": offset}
        response = await self._call("GET", url, params=query)
        rows = [shape.model_validate(r) for r in response.json()]
        return rows, int(response.headers.get("X-Total-Count", len(rows)))

    async def case_page(
        self, *, path: str | None, color: str | None, limit: int, offset: int
    ) -> tuple[list[Case], int]:
        """A page of cases and the total, filtered by path and colour."""
        return await self._page(
            Case, "/api/v1/cases", limit=limit, offset=offset, path=path, color=color
        )

    async def all_cases(self, *, path: str | None = None, color: str | None = None) -> list[Case]:
        """Every case of the filter (all pages)."""
        return await every_page(
            lambda limit, offset: self.case_page(path=path, color=color, limit=limit, offset=offset)
        )

    async def ledger(self, case_id: str) -> Ledger:
        """The case's whole ledger."""
        return Ledger.model_validate(await self._get(f"/api/v1/cases/{case_id}/ledger"))

    async def schedule(self, case_id: str) -> list[Slot]:
        """Every owed "three ones" period of the case up to today."""
        rows = await self._get(f"/api/v1/cases/{case_id}/schedule")
        return [Slot.model_validate(s) for s in rows]

    async def quiet_days(self) -> QuietDays:
        """The quiet-day (宁静日) rules."""
        return QuietDays.model_validate(await self._get("/api/v1/quiet-days"))

    async def move(self, case_id: str, stage: str, day: date, **extra: str) -> Case:
        """Record a stage: signing (`signed_on`), construction or production (`started_on`)."""
        field = "signed_on" if stage == "signing" else "started_on"
        body = {field: day.isoformat(), **{k: v for k, v in extra.items() if v}}
        response = await self._call("POST", f"/api/v1/cases/{case_id}/{stage}", json=body)
        return Case.model_validate(response.json())

    async def set_responsible(self, case_id: str, *, unit: str, person: str, contact: str) -> Case:
        """Name the responsible body (推进责任主体)."""
        body = {"unit": unit, "person": person, "contact": contact or None}
        response = await self._call("PUT", f"/api/v1/cases/{case_id}/responsible", json=body)
        return Case.model_validate(response.json())

    async def add_progress(
        self, case_id: str, *, happened_on: str, text: str, stage: str
    ) -> ProgressEntry:
        """Add a dated progress entry to the ledger."""
        body = {"happened_on": happened_on, "text": text, "stage": stage or None}
        response = await self._call("POST", f"/api/v1/cases/{case_id}/progress", json=body)
        return ProgressEntry.model_validate(response.json())

    async def demand_page(
        self, *, industry_chain: str | None, limit: int, offset: int
    ) -> tuple[list[Demand], int]:
        """A page of R&D demands and the total."""
        return await self._page(
            Demand, "/api/v1/rd-demands", limit=limit, offset=offset, industry_chain=industry_chain
        )

    async def all_demands(self, *, industry_chain: str | None) -> list[Demand]:
        """Every R&D demand of the filter."""
        return await every_page(
            lambda limit, offset: self.demand_page(
                industry_chain=industry_chain, limit=limit, offset=offset
            )
        )

    async def submit_demand(self, body: dict[str, Any]) -> Demand:
        """Record a local enterprise's R&D demand."""
        response = await self._call("POST", "/api/v1/rd-demands", json=body)
        return Demand.model_validate(response.json())

    async def menu_page(self, *, limit: int, offset: int) -> tuple[list[MenuItem], int]:
        """A page of the menu and the total."""
        return await self._page(MenuItem, "/api/v1/menu-items", limit=limit, offset=offset)

    async def all_menu_items(self) -> list[MenuItem]:
        """The whole menu."""
        return await every_page(lambda limit, offset: self.menu_page(limit=limit, offset=offset))

    async def publish_menu_item(self, body: dict[str, Any]) -> MenuItem:
        """Put a project on the menu."""
        response = await self._call("POST", "/api/v1/menu-items", json=body)
        return MenuItem.model_validate(response.json())


async def every_page(
    fetch: Callable[[int, int], Awaitable[tuple[list[T], int]]],
) -> list[T]:
    """All rows of a paged list, fetched 500 at a time (the services' cap)."""
    rows: list[T] = []
    while True:
        page, total = await fetch(MAX_LIMIT, len(rows))
        rows.extend(page)
        if not page or len(rows) >= total:
            return rows
