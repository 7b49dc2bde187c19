"""One small typed client per service, called with the signed-in user's token.

A service that cannot be reached raises ServiceUnavailable (the page shows a banner naming
it; other parts of the page keep working). A 4xx naming a `field` raises FieldError (the
form shows it beside that field); any other refusal raises ServiceRefused."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict

T = TypeVar("T")
S = TypeVar("S", bound=BaseModel)

MAX_LIMIT = 500
"""The services' cap on `limit`: how many rows `every_page` asks for at a time."""


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


@dataclass
class _FormSubmission:
    key: str
    posts: int = 0


_submission: ContextVar[_FormSubmission | None] = ContextVar("form_submission", default=None)


def submitted_form(key: str) -> None:
    """Mark this request as the submission of a form rendered with idempotency `key`: its
    POSTs to the services carry `<key>-1`, `<key>-2`, … as their Idempotency-Key, so a form
    sent twice (a double click, a retry after a timeout) creates nothing twice."""
    _submission.set(_FormSubmission(key))


def form_key() -> str:
    """The key a form is rendered with: the one it was submitted with when a submission
    renders it again (a refusal: its retry must not repeat what already went through),
    else a new one."""
    submission = _submission.get()
    return submission.key if submission is not None else uuid.uuid4().hex


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
        headers = self._headers
        submission = _submission.get()
        if method == "POST" and submission is not None:
            submission.posts += 1
            headers = {**headers, "Idempotency-Key": f"{submission.key}-{submission.posts}"}
        try:
            response = await self._http.request(
                method, self._base + path, params=query, json=json, headers=headers
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

    async def _send(self, method: str, path: str, body: Mapping[str, Any]) -> Any:
        """A write with a JSON body; the service's answer, decoded."""
        return (await self._call(method, path, json=dict(body))).json()

    async def _page(
        self, path: str, shape: type[S], params: Mapping[str, Any], *, limit: int, offset: int
    ) -> tuple[list[S], int]:
        """One page of a list (`params` filter it) and the total of all its rows
        (X-Total-Count)."""
        query = {**params, "limit": limit, "offset": offset}
        response = await self._call("GET", path, params=query)
        rows = [shape.model_validate(r) for r in response.json()]
        return rows, int(response.headers.get("X-Total-Count", len(rows)))

    async def audit(self, entity: str, record_id: str, *, limit: int = 200) -> list[Any]:
        """The history of one of the service's records (`GET /api/v1/audit`), oldest first."""
        rows: list[Any] = await self._get("/api/v1/audit", entity=entity, id=record_id, limit=limit)
        return rows


async def every_page(fetch: Callable[[int, int], Awaitable[tuple[list[T], int]]]) -> list[T]:
    """All rows of a paged list: `fetch(limit, offset)` gives a page and the total; the
    pages are asked for MAX_LIMIT rows at a time (the services' cap), until the total."""
    rows: list[T] = []
    while True:
        page, total = await fetch(MAX_LIMIT, len(rows))
        rows.extend(page)
        if not page or len(rows) >= total:
            return rows


def _refusal(service: str, response: httpx.Response) -> ServiceRefused:
    """A service's 4xx, a problem (RFC 9457): `detail` in words, and `field` when one field
    is at fault (for a request failing validation, the first of its `errors` names it)."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    message = str(body.get("detail") or f"HTTP {response.status_code}")
    field_name = body.get("field")
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        message = str(errors[0].get("msg") or message)
    if isinstance(field_name, str) and field_name:
        return FieldError(service, response.status_code, message, field_name)
    return ServiceRefused(service, response.status_code, message)


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
