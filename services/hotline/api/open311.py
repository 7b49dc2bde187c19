"""Open311 GeoReport v2 over the same tickets, so civic-issue clients can use the hotline.

service_code is a ticket category. Hotline problems have no location, so lat/long and
address are optional here (GeoReport lets a service waive them); an address given is kept
in the description. Requests and errors use GeoReport's JSON shapes; only .json is served.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from enclave_shared.deps import ClockDep, SessionDep
from enclave_shared.errors import DomainError
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.hotline.config import HotlineSettings
from services.hotline.deps import Caller, SettingsDep
from services.hotline.domain import OPEN_STATUSES, Breach, Status
from services.hotline.handlers import tickets
from services.hotline.models import Ticket

router = APIRouter(prefix="/open311/v2", tags=["open311"])

MAX_RESULTS = 1000
MAX_SPAN = timedelta(days=90)
CLOSED = (Status.RESOLVED, Status.CLOSED, Status.REJECTED)


class Open311Error(Exception):
    """A GeoReport error: answered as [{"code": ..., "description": ...}]."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description

    def response(self) -> JSONResponse:
        return JSONResponse(
            [{"code": self.code, "description": self.description}], status_code=self.code
        )


def _time(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def _status_notes(ticket: Ticket) -> str:
    if ticket.status == Status.REJECTED:
        return f"rejected: {ticket.rejection_reason}"
    if ticket.status in (Status.RESOLVED, Status.CLOSED):
        return ticket.resolution or ""
    if ticket.status == Status.ROUTED:
        return f"routed to {ticket.department}"
    return ticket.status


def service_request(ticket: Ticket, settings: HotlineSettings) -> dict[str, Any]:
    """A ticket as a GeoReport v2 service request."""
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
        "expected_datetime": _time(
            settings.sla_for(ticket.category).due_at(ticket.opened_at, Breach.RESOLVE)
        ),
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


@router.get("/services.json")
async def services(settings: SettingsDep) -> list[dict[str, Any]]:
    """The service list: one service per ticket category (public)."""
    return [
        {
            "service_code": code,
            "service_name": settings.name_of(code),
            "description": f"{settings.name_of(code)}: accepted within "
            f"{settings.sla_for(code).accept_hours:g}h, resolved within "
            f"{settings.sla_for(code).resolve_hours:g}h",
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "enclave hotline",
        }
        for code in settings.categories
    ]


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


@router.post("/requests.json", status_code=201, response_model=None)
async def create_request(
    request: Request, session: SessionDep, settings: SettingsDep, clock: ClockDep, user: Caller
) -> JSONResponse | list[dict[str, Any]]:
    """Create a service request: a ticket of category service_code (form or JSON body)."""
    try:
        fields = await _fields(request)
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
        )
        await session.commit()
    except Open311Error as exc:
        return exc.response()
    except DomainError as exc:
        # GeoReport callers know the field as service_code, and expect 400 for bad input
        field = "service_code" if exc.field == "category" else exc.field
        message = exc.message.replace("category", "service_code", 1) if field else exc.message
        return Open311Error(
            exc.status if exc.status != 422 else 400, f"{field}: {message}" if field else message
        ).response()
    return [
        {
            "service_request_id": ticket.id,
            "service_notice": "",
            "account_id": fields.get("account_id") or None,
        }
    ]


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


@router.get("/requests.json", response_model=None)
async def list_requests(
    session: SessionDep,
    settings: SettingsDep,
    user: Caller,
    service_request_id: str | None = None,
    service_code: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    status: str | None = None,
    jurisdiction_id: str | None = None,
) -> JSONResponse | list[dict[str, Any]]:
    """Service requests the caller may see, newest first (at most 1000)."""
    try:
        start, end = _when(start_date, "start_date"), _when(end_date, "end_date")
        if start and end and end - start > MAX_SPAN:
            raise Open311Error(400, "start_date to end_date may not span more than 90 days")
        statuses = _list(status)
        if bad := [s for s in statuses if s not in ("open", "closed")]:
            raise Open311Error(400, f"status must be open or closed, not {bad[0]!r}")
    except Open311Error as exc:
        return exc.response()
    wanted: tuple[Status, ...] = ()
    if len(set(statuses)) == 1:  # open and closed together: every status
        wanted = CLOSED if statuses[0] == "closed" else OPEN_STATUSES
    found = await tickets.get_newest(
        session,
        user=user,
        limit=MAX_RESULTS,
        ids=_list(service_request_id),
        categories=_list(service_code),
        opened_from=start,
        opened_to=end,
        statuses=wanted,
    )
    return [service_request(t, settings) for t in found]


@router.get("/requests/{request_id}.json", response_model=None)
async def get_request(
    request_id: str, session: SessionDep, settings: SettingsDep, user: Caller
) -> JSONResponse | list[dict[str, Any]]:
    """One service request, as a one-element list (GeoReport's shape)."""
    try:
        ticket = await tickets.get(session, ticket_id=request_id, user=user)
    except DomainError:
        return Open311Error(404, f"service_request_id {request_id} not found").response()
    return [service_request(ticket, settings)]
