"""One small typed client per service, called with the signed-in user's token.

A service that cannot be reached raises ServiceUnavailable (the page shows a banner naming
it; other parts of the page keep working). A 4xx naming a `field` raises FieldError (the
form shows it beside that field); any other refusal raises ServiceRefused."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class ServiceError(Exception):
    """Something a service call did not give."""

    def __init__(self, service: str, message: str) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service
        self.message = message


class ServiceUnavailable(ServiceError):
    """The service did not answer (connection refused, timeout, or a 5xx)."""


class ServiceRefused(ServiceError):
    """The service answered with a 4xx that names no field (403, 404, 409 …)."""

    def __init__(self, service: str, status: int, message: str) -> None:
        super().__init__(service, message)
        self.status = status


class FieldError(ServiceRefused):
    """The service refused one field of the input: show `message` beside `field`."""

    def __init__(self, service: str, status: int, message: str, field: str) -> None:
        super().__init__(service, status, message)
        self.field = field


class _Shape(BaseModel):
    # The console reads the fields it shows; a service adding fields breaks nothing here.
    model_config = ConfigDict(extra="ignore")


class ServiceClient:
    """The calls all clients share: JSON over HTTP with the user's bearer token."""

    service: ClassVar[str]

    def __init__(self, http: httpx.AsyncClient, base_url: str, token: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        query = {k: v for k, v in (params or {}).items() if v is not None and v != ""}
        try:
            response = await self._http.request(
                method, self._base + path, params=query, json=json, headers=self._headers
            )
        except (httpx.TransportError, httpx.TimeoutException) as exc:
            raise ServiceUnavailable(self.service, type(exc).__name__) from exc
        if response.status_code >= 500:
            raise ServiceUnavailable(self.service, f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise _refusal(self.service, response)
        return response

    async def _get(self, path: str, **params: Any) -> Any:
        return (await self._call("GET", path, params=params)).json()


def _refusal(service: str, response: httpx.Response) -> ServiceRefused:
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, list):  # FastAPI's own 422: a list of errors with their locations
        first = detail[0] if detail else {}
        loc = [str(p) for p in first.get("loc", []) if p not in ("body", "query", "path")]
        message = str(first.get("msg", "invalid input"))
        if loc:
            return FieldError(service, response.status_code, message, loc[-1])
        return ServiceRefused(service, response.status_code, message)
    message = str(detail or f"HTTP {response.status_code}")
    field_name = body.get("field") if isinstance(body, dict) else None
    if isinstance(field_name, str) and field_name:
        return FieldError(service, response.status_code, message, field_name)
    return ServiceRefused(service, response.status_code, message)


# --- incubation --------------------------------------------------------------------------


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


# --- intake ------------------------------------------------------------------------------


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


# --- hotline -----------------------------------------------------------------------------


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


# --- assessment --------------------------------------------------------------------------


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


@dataclass
class Services:
    """The four clients, for one signed-in user."""

    incubation: IncubationClient
    intake: IntakeClient
    hotline: HotlineClient
    assessment: AssessmentClient

    @classmethod
    def for_token(cls, http: httpx.AsyncClient, urls: Mapping[str, str], token: str) -> Services:
        """The clients, calling each service's base URL with this token."""
        return cls(
            incubation=IncubationClient(http, urls["incubation"], token),
            intake=IntakeClient(http, urls["intake"], token),
            hotline=HotlineClient(http, urls["hotline"], token),
            assessment=AssessmentClient(http, urls["assessment"], token),
        )


@dataclass
class Gathered:
    """What concurrent calls gave: each call's value (None when it failed), the services
    that could not be reached (for the banner) and the other refusals by call."""

    values: dict[str, Any] = field(default_factory=dict)
    unavailable: list[str] = field(default_factory=list)
    refused: dict[str, ServiceError] = field(default_factory=dict)


async def gather(calls: Mapping[str, Awaitable[Any]]) -> Gathered:
    """Run a page's independent calls concurrently; one failing spoils only its own part."""
    names = list(calls)
    results = await asyncio.gather(*calls.values(), return_exceptions=True)
    gathered = Gathered()
    for name, result in zip(names, results, strict=True):
        if isinstance(result, ServiceUnavailable):
            gathered.values[name] = None
            if result.service not in gathered.unavailable:
                gathered.unavailable.append(result.service)
        elif isinstance(result, ServiceError):
            gathered.values[name] = None
            gathered.refused[name] = result
        elif isinstance(result, BaseException):
            raise result
        else:
            gathered.values[name] = result
    return gathered
