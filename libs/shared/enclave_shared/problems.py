"""Errors as RFC 9457 problem details, the same in every service, and documented.

Every error answer is `application/problem+json`: `type` (`about:blank`: the status says
it), `title` (the status's phrase), `status`, `detail` (what was wrong, in words), `field`
where one field is at fault, and `errors` (each `loc`, `msg`, `type`) for a request that
fails validation. `document_problems` lists on every route of the OpenAPI document the
statuses it can answer, with that schema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field
from starlette.responses import Response
from starlette.types import Message, Send

MEDIA_TYPE = "application/problem+json"
# RFC 9110's names where Python's older phrases differ.
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


def title_of(status: int) -> str:
    """The status's phrase (RFC 9110)."""
    return _TITLES.get(status) or HTTPStatus(status).phrase


class ValidationIssue(BaseModel):
    """One reason a request failed validation."""

    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """An error answer (RFC 9457 problem details)."""

    type: str = Field("about:blank", description="`about:blank`: the status says what it is")
    title: str = Field(description="the HTTP status's phrase")
    status: int
    detail: str = Field(description="what was wrong, in words")
    field: str | None = Field(None, description="the one field at fault, when there is one")
    errors: list[ValidationIssue] | None = Field(
        None, description="a request failing validation: each place and why"
    )


def problem_body(
    status: int,
    detail: str,
    *,
    field: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The JSON of a problem."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title_of(status),
        "status": status,
        "detail": detail,
    }
    if field:
        body["field"] = field
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(
    status: int,
    detail: str,
    *,
    field: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A problem as an HTTP answer."""
    body = problem_body(status, detail, field=field, errors=errors)
    return Response(
        json.dumps(jsonable_encoder(body), ensure_ascii=False),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=dict(headers or {}),
    )


async def send_problem(
    send: Send, status: int, detail: str, *, headers: Mapping[str, str] | None = None
) -> None:
    """Answer a problem straight from ASGI middleware (before any route)."""

    async def nothing_to_read() -> Message:
        return {"type": "http.disconnect"}

    await problem_response(status, detail, headers=headers)({"type": "http"}, nothing_to_read, send)


def validation_problem(raw_errors: list[Any]) -> Response:
    """A 422 for a request that fails validation: the first reason in words, every one
    listed, and the field when the first names one."""
    errors = [
        {
            "loc": [p if isinstance(p, int) else str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in raw_errors
    ]
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    places = [str(p) for p in first["loc"] if p not in ("body", "query", "path", "header")]
    where = f" ({'.'.join(places)})" if places else ""
    return problem_response(
        422, f"{first['msg']}{where}", field=places[-1] if places else None, errors=errors
    )


_PROBLEM = {"content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
_WRITES = {"post", "put", "patch", "delete"}
# Open311 (GeoReport v2) answers its errors in the standard's own shape, JSON or XML.
_OPEN311_ERROR = {
    "content": {
        "application/json": {
            "schema": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
                },
            }
        },
        "text/xml": {"schema": {"type": "string"}},
    }
}


def document_problems(app: FastAPI) -> None:
    """Declare on every operation of the OpenAPI document the error statuses it can
    answer, as problems: 400 where a body is read (one that cannot be parsed), 401 and 403
    where a token is checked, 404 where the path names a record, 409 and 413 for a write,
    422 everywhere (bad input or a broken rule)."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original()
            for path, operations in schema.get("paths", {}).items():
                for method, operation in operations.items():
                    _declare(operation, path=path, method=method)
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            refs = "#/components/schemas/{model}"
            schemas["Problem"] = Problem.model_json_schema(ref_template=refs)
            schemas.update(schemas["Problem"].pop("$defs", {}))
            for unused in ("HTTPValidationError", "ValidationError"):
                schemas.pop(unused, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _declare(operation: dict[str, Any], *, path: str, method: str) -> None:
    statuses = [422]
    if "requestBody" in operation:
        statuses.append(400)
    if operation.get("security"):
        statuses += [401, 403]
    if "{" in path:
        statuses.append(404)
    if method in _WRITES:
        statuses += [409, 413]
    responses = operation.setdefault("responses", {})
    shape = _OPEN311_ERROR if path.startswith("/open311/") else _PROBLEM
    for status in statuses:
        responses[str(status)] = {"description": title_of(status), **shape}
