"""The HTTP edge every service shares: request context, body limit, errors as JSON."""

from __future__ import annotations

import gc
import logging
import re
import time
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from enclave_shared.context import correlation_id
from enclave_shared.errors import DomainError
from enclave_shared.failures import is_transient
from enclave_shared.metrics import HTTP_LATENCY
from enclave_shared.problems import problem_response, send_problem, validation_problem

log = logging.getLogger(__name__)


class _BodyTooLarge(HTTPException):
    """Raised from the body stream; an HTTPException so the route's body parsing lets it
    through (it turns any other error into a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over the limit of {limit} bytes")


class RequestContext:
    """Plain ASGI middleware (no BaseHTTPMiddleware task hand-off per request): the
    request id (sent back as `x-request-id`, carried into events as their correlation
    id), the latency metric by route, and the body limit: a body over `max_body_bytes` is
    refused with 413 before it is read whole, whatever the route and before auth."""

    def __init__(self, app: ASGIApp, *, service: str, max_body_bytes: int) -> None:
        self.app = app
        self.service = service
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, _settling_heap_after_startup(send))
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        request_id = headers.get("x-request-id") or str(uuid.uuid4())
        token = correlation_id.set(request_id)
        started = time.perf_counter()
        status = 500
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge(self.max_body_bytes)
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["x-request-id"] = request_id
            await send(message)

        try:
            if _declared_length(headers) > self.max_body_bytes:
                await _too_large(send_with_id, self.max_body_bytes)
                return
            await self.app(scope, receive_within_limit, send_with_id)
        finally:
            route = scope.get("route")
            HTTP_LATENCY.labels(
                self.service, scope["method"], getattr(route, "path", "unmatched"), str(status)
            ).observe(time.perf_counter() - started)
            correlation_id.reset(token)


_heap_settled = False


def _settling_heap_after_startup(send: Send) -> Send:
    """The lifespan's `send`, settling the heap once the service has started (once a
    process): the modules, the app and the clients it started live as long as the process,
    and the collector's full passes walked all of them again and again, ~10-20 % of a list
    request's CPU (docs/performance.md). `gc.freeze` sets them aside; the youngest
    generation's threshold is raised from 700 so that a request's short-lived objects are
    freed by reference counting before a pass is due."""

    async def settle_then_send(message: Message) -> None:
        global _heap_settled
        if message["type"] == "lifespan.startup.complete" and not _heap_settled:
            _heap_settled = True
            gc.collect()
            gc.freeze()
            gc.set_threshold(10_000, 20, 20)
        await send(message)

    return settle_then_send


def _declared_length(headers: Headers) -> int:
    value = headers.get("content-length", "0")
    return int(value) if value.isdigit() else 0


async def _too_large(send: Send, limit: int) -> None:
    detail = f"the request body is over the limit of {limit} bytes"
    await send_problem(send, 413, detail, headers={"connection": "close"})


UNSTORABLE_TEXT = frozenset({"22021", "22P05"})  # character_not_in_repertoire, untranslatable


def _documented_methods(app: FastAPI, path: str) -> list[str]:
    """The methods the OpenAPI document gives the path (its template matched), for the
    `Allow` of a 405: the router knows only the first route that matched the path."""
    patterns: list[tuple[re.Pattern[str], list[str]]] | None = getattr(
        app.state, "allow_patterns", None
    )
    if patterns is None:
        patterns = [
            (
                re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"),
                sorted(method.upper() for method in operations),
            )
            for template, operations in app.openapi().get("paths", {}).items()
        ]
        app.state.allow_patterns = patterns
    return sorted({m for pattern, methods in patterns if pattern.match(path) for m in methods})


def add_error_mapping(app: FastAPI) -> None:
    """The one error-to-HTTP mapping, every answer a problem (problems.py): a DomainError
    is its status with `detail` (and `field`); a request failing validation a 422 listing
    `errors`; a database constraint the handler did not check first a 409 whose details
    (constraint names, values) go to the log only, with the request id."""

    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, exc: DomainError) -> Response:
        return problem_response(exc.status, exc.message, field=exc.field, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> Response:
        return validation_problem(list(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method the document names for the path
            headers["Allow"] = ", ".join(_documented_methods(app, request.url.path))
        return problem_response(exc.status_code, str(exc.detail), headers=headers)

    @app.exception_handler(IntegrityError)
    async def integrity_error(_request: Request, exc: IntegrityError) -> Response:
        log.warning("request %s broke a database constraint: %s", correlation_id.get(), exc.orig)
        return problem_response(409, "the change conflicts with existing data")

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> Response:
        # The database is away (an outage, a failover, a lock timeout): the request may be
        # retried. Anything else is the server's fault, logged in full, and a plain 500.
        if getattr(exc.orig, "sqlstate", None) in UNSTORABLE_TEXT:
            # Text PostgreSQL cannot store (a NUL character, a byte sequence that is not
            # UTF-8): the input's fault, refused as such; SQLite stores it as given.
            return problem_response(422, "text may not contain NUL (\\u0000) characters")
        if not is_transient(exc):
            log.error("request %s failed in the database", correlation_id.get(), exc_info=exc)
            return problem_response(500, "the service failed; it has been logged")
        log.warning("request %s: database unavailable (%s)", correlation_id.get(), exc.orig)
        return problem_response(
            503, "the database is unavailable; try again shortly", headers={"Retry-After": "5"}
        )
