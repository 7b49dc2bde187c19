"""Open311 GeoReport v2 over the same tickets, so civic-issue clients can use the hotline.

Every resource in XML (the standard's format) and JSON, by its extension; the discovery
document at /open311/discovery.{xml,json}. service_code is a ticket category. Reading needs
no token: anyone reads the requests callers raised, without personal data (no caller name,
number or account); a bearer token reads what it sees in the API instead. Posting needs an
`api_key` issued to a registered application (its account reports the request), or a
bearer token. Hotline problems have no location, so lat/long and address are optional here
(GeoReport lets a service waive them); an address given is kept in the description.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import parse_qs
from xml.etree import ElementTree as ET

from enclave_shared.auth import Principal, Role, current_principal
from enclave_shared.deps import ClockDep, SessionDep
from enclave_shared.errors import DomainError
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.hotline.config import HotlineSettings
from services.hotline.deps import SettingsDep
from services.hotline.domain import OPEN_STATUSES, Breach, Status
from services.hotline.handlers import applications, tickets
from services.hotline.models import Ticket

router = APIRouter(tags=["open311"])
V2 = "/open311/v2"

MAX_RESULTS = 1000
MAX_SPAN = timedelta(days=90)
CLOSED = (Status.RESOLVED, Status.CLOSED, Status.REJECTED)
FORMATS = {"json": "application/json", "xml": "text/xml"}
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-01T00:00:00Z"
POSTERS = frozenset({Role.ENTERPRISE, Role.HOTLINE_AGENT, Role.ADMIN})

_bearer = HTTPBearer(auto_error=False)


class Open311Error(Exception):
    """A GeoReport error: answered as [{"code": ..., "description": ...}] (or <errors>)."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def _xml_value(parent: ET.Element, name: str, value: Any) -> None:
    child = ET.SubElement(parent, name)
    if isinstance(value, list):
        for item in value:
            _xml_value(child, name.rstrip("s"), item)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    elif value is not None:
        child.text = str(value)


def _xml(root: str, item: str, rows: list[dict[str, Any]]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        element = ET.SubElement(top, item)
        for name, value in row.items():
            _xml_value(element, name, value)
    body: bytes = ET.tostring(top, encoding="utf-8", xml_declaration=True)
    return body


def _answer(
    fmt: str, root: str, item: str, rows: list[dict[str, Any]], status: int = 200
) -> Response:
    if fmt == "xml":
        return Response(_xml(root, item, rows), status_code=status, media_type=FORMATS["xml"])
    return JSONResponse(rows, status_code=status)


def _error(fmt: str, exc: Open311Error) -> Response:
    rows = [{"code": exc.code, "description": exc.description}]
    return _answer(fmt if fmt in FORMATS else "json", "errors", "error", rows, exc.code)


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(404, f"format {fmt!r} not served: use .xml or .json")
    return fmt


async def optional_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal | None:
    """The caller when a bearer token is given (401 for a bad one), else None: anyone."""
    if credentials is None:
        return None
    return await current_principal(request, credentials)


Viewer = Annotated[Principal | None, Depends(optional_user)]


def _time(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def _status_notes(ticket: Ticket) -> str:
    if ticket.status == Status.REJECTED:
        return f"rejected: {ticket.rejection_reason}"
    if ticket.status in (Status.RESOLVED, Status.CLOSED):
        return ticket.resolution or ""
    if ticket.status in (Status.ROUTED, Status.SIGNED):
        return f"{ticket.status} to {ticket.department}"
    return ticket.status


def service_request(ticket: Ticket, settings: HotlineSettings) -> dict[str, Any]:
    """A ticket as a GeoReport v2 service request: no caller, number or account in it."""
    expected = settings.due(ticket, Breach.RESOLVE)
    return {
        "service_request_id": ticket.id,
        "status": "closed" if ticket.status in CLOSED else "open",
        "status_notes": _status_notes(ticket),
        "service_name": settings.name_of(ticket.category),
        "service_code": ticket.category,
        "description": ticket.description,
        "agency_responsible": ticket.department,
        "service_notice": "",
        "requested_datetime": _time(ticket.opened_at),
        "updated_datetime": _time(ticket.updated_at),
        "expected_datetime": _time(expected),
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


@router.get("/open311/discovery.{fmt}", response_model=None)
async def discovery(fmt: str, request: Request) -> Response:
    """The service discovery document: where the GeoReport v2 endpoint is, in which formats."""
    try:
        fmt = _format(fmt)
    except Open311Error as exc:
        return _error("json", exc)
    document: dict[str, Any] = {
        "changeset": CHANGESET,
        "contact": "Enclave hotline (飞地热线)",
        "key_service": "api_key from the hotline agents (registered applications)",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": str(request.base_url).rstrip("/") + V2,
                "changeset": CHANGESET,
                "type": "production",
                "formats": list(FORMATS.values()),
            }
        ],
    }
    if fmt == "json":
        return JSONResponse(document)
    top = ET.Element("discovery")
    for name in ("changeset", "contact", "key_service"):
        ET.SubElement(top, name).text = document[name]
    endpoints = ET.SubElement(top, "endpoints")
    for endpoint in document["endpoints"]:
        element = ET.SubElement(endpoints, "endpoint")
        for name in ("specification", "url", "changeset", "type"):
            ET.SubElement(element, name).text = endpoint[name]
        formats = ET.SubElement(element, "formats")
        for media in endpoint["formats"]:
            ET.SubElement(formats, "format").text = media
    body = ET.tostring(top, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type=FORMATS["xml"])


@router.get(V2 + "/services.{fmt}", response_model=None)
async def services(fmt: str, settings: SettingsDep) -> Response:
    """The service list: one service per ticket category (public)."""
    try:
        fmt = _format(fmt)
    except Open311Error as exc:
        return _error("json", exc)
    rows = [
        {
            "service_code": code,
            "service_name": settings.name_of(code),
            "description": f"{settings.name_of(code)}: accepted within "
            f"{settings.sla_for(code).accept}, resolved within {settings.sla_for(code).resolve}",
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "enclave hotline",
        }
        for code in settings.categories
    ]
    return _answer(fmt, "services", "service", rows)


async def _fields(request: Request) -> dict[str, str]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    try:
        if content_type in ("", "application/x-www-form-urlencoded"):
            parsed = parse_qs(raw.decode(), keep_blank_values=True, strict_parsing=False)
            return {k: v[-1] for k, v in parsed.items()}
        if content_type == "application/json":
            data = json.loads(raw or b"{}")
            if not isinstance(data, dict):
                raise Open311Error(400, "the body must be a JSON object")
            return {k: str(v) for k, v in data.items() if v is not None}
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Open311Error(400, f"unreadable body: {exc}") from exc
    raise Open311Error(
        400,
        f"content type {content_type} not supported: use "
        "application/x-www-form-urlencoded or application/json",
    )


def _text(fields: dict[str, str], name: str, *, max_length: int = 4000) -> str | None:
    value = (fields.get(name) or "").strip()
    if not value:
        return None
    if len(value) > max_length:
        raise Open311Error(400, f"{name} is longer than {max_length} characters")
    return value


def _required(fields: dict[str, str], name: str) -> str:
    value = _text(fields, name)
    if value is None:
        raise Open311Error(400, f"{name} is required")
    return value


async def _poster(
    session: SessionDep, fields: dict[str, str], request: Request, viewer: Principal | None
) -> tuple[Principal, str | None]:
    """Who posts: the account of the application whose api_key is given, else the bearer
    token's caller; 403 (the standard's error) for a bad key or none."""
    key = _text(fields, "api_key") or request.query_params.get("api_key")
    if key:
        app = await applications.by_key(session, key=key)
        if app is None:
            raise Open311Error(403, "api_key is not valid")
        return Principal(role=Role.ENTERPRISE, sub=app.account), app.account
    if viewer is None:
        raise Open311Error(403, "api_key is required to post a service request")
    if viewer.role not in POSTERS:
        raise Open311Error(403, f"role {viewer.role.value} may not post service requests")
    return viewer, fields.get("account_id") or None


@router.post(V2 + "/requests.{fmt}", status_code=201, response_model=None)
async def create_request(
    fmt: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    viewer: Viewer,
) -> Response:
    """Create a service request: a ticket of category service_code (form or JSON body)."""
    try:
        fmt = _format(fmt)
        fields = await _fields(request)
        user, account = await _poster(session, fields, request, viewer)
        code = _required(fields, "service_code")
        description = _required(fields, "description")
        for name in ("lat", "long"):
            if _text(fields, name) is not None:
                try:
                    float(fields[name])
                except ValueError:
                    raise Open311Error(400, f"{name} must be a number") from None
        address = _text(fields, "address_string")
        if address:
            description = f"{description}\n(address: {address})"
        name = " ".join(n for n in (_text(fields, "first_name"), _text(fields, "last_name")) if n)
        ticket = await tickets.create(
            session,
            settings=settings,
            user=user,
            category=code,
            description=description,
            channel=None,
            # the columns' width: PostgreSQL refuses a longer value with a 500
            case_id=_text(fields, "attribute[case_id]", max_length=200),
            project_id=_text(fields, "attribute[project_id]", max_length=200),
            enterprise_id=_text(fields, "attribute[enterprise_id]"),
            now=clock(),
            caller_name=name[:200] or None,
            callback_number=_text(fields, "phone", max_length=40),
        )
        await session.commit()
    except Open311Error as exc:
        return _error(fmt, exc)
    except DomainError as exc:
        # GeoReport callers know the field as service_code, and expect 400 for bad input
        field = "service_code" if exc.field == "category" else exc.field
        message = exc.message.replace("category", "service_code", 1) if field else exc.message
        code_ = exc.status if exc.status != 422 else 400
        return _error(fmt, Open311Error(code_, f"{field}: {message}" if field else message))
    row = {"service_request_id": ticket.id, "service_notice": "", "account_id": account}
    return _answer(fmt, "service_requests", "request", [row], 201)


def _when(value: str | None, name: str) -> datetime | None:
    if value is None or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise Open311Error(400, f"{name} must be an ISO 8601 date and time") from None


def _list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _reader(viewer: Principal | None) -> Principal | None:
    """A token's caller reads what the API shows it; other roles and no token read as anyone."""
    return viewer if viewer is not None and viewer.role in POSTERS else None


@router.get(V2 + "/requests.{fmt}", response_model=None)
async def list_requests(
    fmt: str,
    session: SessionDep,
    settings: SettingsDep,
    viewer: Viewer,
    service_request_id: str | None = None,
    service_code: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    status: str | None = None,
    jurisdiction_id: str | None = None,
) -> Response:
    """Service requests, newest first (at most 1000)."""
    try:
        fmt = _format(fmt)
        start, end = _when(start_date, "start_date"), _when(end_date, "end_date")
        if start and end and end - start > MAX_SPAN:
            raise Open311Error(400, "start_date to end_date may not span more than 90 days")
        statuses = _list(status)
        if bad := [s for s in statuses if s not in ("open", "closed")]:
            raise Open311Error(400, f"status must be open or closed, not {bad[0]!r}")
    except Open311Error as exc:
        return _error(fmt, exc)
    wanted: tuple[Status, ...] = ()
    if len(set(statuses)) == 1:  # open and closed together: every status
        wanted = CLOSED if statuses[0] == "closed" else OPEN_STATUSES
    found = await tickets.get_newest(
        session,
        user=_reader(viewer),
        limit=MAX_RESULTS,
        ids=_list(service_request_id),
        categories=_list(service_code),
        opened_from=start,
        opened_to=end,
        statuses=wanted,
    )
    rows = [service_request(t, settings) for t in found]
    return _answer(fmt, "service_requests", "request", rows)


@router.get(V2 + "/requests/{request_id}.{fmt}", response_model=None)
async def get_request(
    request_id: str, fmt: str, session: SessionDep, settings: SettingsDep, viewer: Viewer
) -> Response:
    """One service request, as a one-element list (GeoReport's shape)."""
    try:
        fmt = _format(fmt)
        reader = _reader(viewer)
        if reader is None:
            ticket = await tickets.get_public(session, ticket_id=request_id)
        else:
            ticket = await tickets.get(session, ticket_id=request_id, user=reader)
    except Open311Error as exc:
        return _error(fmt, exc)
    except DomainError:
        return _error(fmt, Open311Error(404, f"service_request_id {request_id} not found"))
    return _answer(fmt, "service_requests", "request", [service_request(ticket, settings)])
