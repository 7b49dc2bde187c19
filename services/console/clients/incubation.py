"""The console's client of the incubation service: its calls and the shapes it reads."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import Field

from services.console.clients.base import S, ServiceClient, _Shape, every_page


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


class TrainingProgress(_Shape):
    completed: int = 0
    target: int = 0


class GbaEnterprises(_Shape):
    """The GBA partners with cooperation intent, by what their links say they came to."""

    total: int = 0
    outcome_transferred: int = 0
    settled: int = 0
    hq_economy: int = 0
    other: int = 0


class IncubationStats(_Shape):
    """The enclave's figures (GET /api/v1/stats)."""

    talents: IncubationTalents
    agreements: IncubationAgreements
    projects: IncubationProjects
    hq_economy: int
    training: dict[str, TrainingProgress] = Field(default_factory=dict)
    gba_enterprises: GbaEnterprises = Field(default_factory=GbaEnterprises)


class YearOverYearFigure(_Shape):
    """One figure of a period beside the same period a year earlier; `ratio` is None when
    last year's figure is 0 (no baseline)."""

    figure: str
    current: int
    previous: int
    ratio: float | None = None


class YearOverYear(_Shape):
    """The enclave's figures of a period beside the same period a year earlier."""

    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    previous: dict[str, date]
    figures: list[YearOverYearFigure]


class _Voidable(_Shape):
    """A record that can be voided: when and why (None while it stands)."""

    voided_at: datetime | None = None
    void_reason: str | None = None


class Project(_Voidable):
    """A project on one of the four paths, with the dates of its stages."""

    id: str
    title: str
    description: str = ""
    path: str
    stage: str
    industry_chain: str
    layout_category: str | None = None
    enterprise: str | None = None
    enterprise_tag: str | None = None
    demand_id: str | None = None
    menu_item_id: str | None = None
    team_members: list[str] = Field(default_factory=list)
    team_talent_ids: list[str] = Field(default_factory=list)
    registered_on: date
    incubation_started_on: date | None = None
    matured_on: date | None = None
    transferred_on: date | None = None
    dropped_on: date | None = None
    drop_reason: str | None = None
    case_id: str | None = None
    outcome: str | None = None


class BacklogItem(_Shape):
    """An R&D demand or a menu item intake published."""

    kind: str
    id: str
    title: str
    description: str = ""
    enterprise: str | None = None
    industry_chain: str
    layout_category: str | None = None
    submitted_on: date
    project_id: str | None = None


class Ambassador(_Shape):
    id: str
    name: str
    organisation: str | None = None
    appointed_on: date
    talents_recruited: int = 0


class Talent(_Voidable):
    id: str
    name: str
    level: str
    field: str
    recruited_on: date
    ambassador_id: str | None = None


class Agreement(_Voidable):
    id: str
    partner: str
    kind: str
    in_gba: bool
    signed_on: date
    project_id: str | None = None
    project_ids: list[str] = Field(default_factory=list)
    note: str = ""


class Activity(_Voidable):
    id: str
    kind: str
    title: str
    held_on: date
    attendance: int
    place: str | None = None


class Training(_Voidable):
    id: str
    track: str
    count: int
    completed_on: date
    note: str = ""


class HqEnterprise(_Voidable):
    id: str
    name: str
    industry_chain: str | None = None
    registered_on: date
    agreement_id: str | None = None
    note: str = ""


class IncubationClient(ServiceClient):
    """The Shenzhen enclave's service."""

    service = "incubation"

    async def stats(
        self, *, date_from: date | None = None, date_to: date | None = None
    ) -> IncubationStats:
        """The enclave's figures over a range of business dates."""
        params = {"from": date_from, "to": date_to}
        return IncubationStats.model_validate(await self._get("/api/v1/stats", **params))

    async def year_over_year(
        self, *, date_from: date | None = None, date_to: date | None = None
    ) -> YearOverYear:
        """A period's figures beside the same period a year earlier (default: the year so far)."""
        params = {"from": date_from, "to": date_to}
        return YearOverYear.model_validate(
            await self._get("/api/v1/stats/year-over-year", **params)
        )

    async def industry_chains(self) -> list[str]:
        """The configured industry chains."""
        chains: list[str] = await self._get("/api/v1/industry-chains")
        return chains

    async def page(
        self, path: str, shape: type[S], params: Mapping[str, Any], *, limit: int, offset: int
    ) -> tuple[list[S], int]:
        """One page of a list and the total of all its rows (X-Total-Count)."""
        return await self._page("/api/v1/" + path, shape, params, limit=limit, offset=offset)

    async def every(self, path: str, shape: type[S], params: Mapping[str, Any]) -> list[S]:
        """Every row of a filtered list (page by page: the service caps `limit`)."""
        return await every_page(
            lambda limit, offset: self.page(path, shape, params, limit=limit, offset=offset)
        )

    async def get(self, path: str, shape: type[S]) -> S:
        """One record."""
        return shape.model_validate(await self._get("/api/v1/" + path))

    async def post(self, path: str, shape: type[S], body: Mapping[str, Any]) -> S:
        """Create a record or make a move; the service's answer in its shape."""
        clean = {k: v for k, v in body.items() if v is not None and v != ""}
        return shape.model_validate(await self._send("POST", "/api/v1/" + path, clean))

    async def post_many(self, path: str, shape: type[S], body: Mapping[str, Any]) -> list[S]:
        """A batch call answering a list."""
        rows = await self._send("POST", "/api/v1/" + path, body)
        return [shape.model_validate(r) for r in rows]

    async def correct(self, path: str, shape: type[S], body: Mapping[str, Any]) -> S:
        """Correct a record (`PATCH`: the changed fields and a reason)."""
        return shape.model_validate(await self._send("PATCH", "/api/v1/" + path, body))

    async def void(self, path: str, shape: type[S], reason: str) -> S:
        """Void a record entered by mistake (`DELETE` with the reason)."""
        answer = await self._send("DELETE", "/api/v1/" + path, {"reason": reason})
        return shape.model_validate(answer)


# --- the work plans (有计划) --------------------------------------------------------------


class PlanItem(_Voidable):
    """An item of a month's work plan."""

    id: str
    title: str
    owner: str
    due_month: str
    status: str
    done_on: date | None = None
    goal: str = ""
    note: str = ""


class PlanMonth(_Voidable):
    """A month's work plan closed with its results."""

    id: str
    month: str
    closed_on: date
    results: str


# --- 有团队 / 有场所 -------------------------------------------------------------------------


class TeamMember(_Voidable):
    """A member of the advisory group or of the operating team."""

    id: str
    team: str
    name: str
    role: str
    organisation: str | None = None
    since: date
    centre_id: str | None = None


class Centre(_Voidable):
    """One of the three centres, as a place."""

    id: str
    kind: str
    name: str
    address: str
    area_m2: int
    opened_on: date


class Hosting(_Voidable):
    """A project a centre hosts, since a date."""

    id: str
    centre_id: str
    project_id: str
    since: date


class RdCentre(_Voidable):
    """An R&D centre in Shenzhen: a local enterprise's, or a Shenzhen R&D institution's."""

    id: str
    kind: str
    name: str
    industry_chain: str
    centre_id: str | None = None
    since: date
    project_ids: list[str] = Field(default_factory=list)
    note: str = ""


class RdFigures(_Shape):
    """The R&D centres standing, and the institutions whose results reached Guangfeng."""

    local_enterprises: int = 0
    institutions: int = 0
    institutions_transferring: int = 0


class Declaration(_Voidable):
    """A high-level talent's declaration for a talent programme, and its outcome."""

    id: str
    talent_id: str
    talent_name: str
    programme: str
    level: str
    declared_on: date
    outcome: str
    outcome_on: date | None = None
    note: str = ""


# --- 一轴: party organisations on the sage bodies, and the sages ---------------------------


class PartyOrg(_Voidable):
    """A party organisation built on a new-village-sage body."""

    id: str
    name: str
    body: str
    formation: str
    members: int
    formed_on: date
    note: str = ""


class Sage(_Voidable):
    """A new village sage of a body, and their tie to the enclave."""

    id: str
    name: str
    body: str
    tie: str
    joined_on: date
    note: str = ""
