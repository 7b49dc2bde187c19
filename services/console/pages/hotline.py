"""The hotline (飞地热线): the queue with its clocks in working time and export, a ticket's page
with its history, extensions, revisits, notes and the moves its state allows (sign, return,
extensions and the revisit form among them), and the intake form for a call or a visit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from enclave_shared.auth import Role
from enclave_shared.deps import RuntimeDep
from fastapi import Depends, Query, Request, Response

from services.console import labels
from services.console.clients import (
    FieldError,
    ServiceRefused,
    Services,
    ServiceUnavailable,
    gather,
)
from services.console.clients.hotline import MOVE_PATHS, Ticket
from services.console.deps import ServicesDep, allow, form_value, page_for
from services.console.pages import audit, page_router
from services.console.pages.hotline_sla import SLA_STATES, business_time, moves_of, sla_of
from services.console.pages.lists import N_ as _
from services.console.pages.lists import Offset, unavailable_page
from services.console.sessions import SignedIn
from services.console.web import error_page, language, redirect, render

router = page_router()

QueuePage = Annotated[SignedIn, Depends(page_for("hotline.queue"))]
NewTicketPage = Annotated[SignedIn, Depends(page_for("hotline.new"))]
Worker = Annotated[SignedIn, Depends(allow(Role.HOTLINE_AGENT, Role.ADMIN))]
PAGE_SIZE = 50
OpenedDates = tuple[str, str]
"""The queue's opening dates (from, to) as typed: YYYY-MM-DD or empty."""
WORKERS = frozenset({Role.HOTLINE_AGENT, Role.ADMIN})


# What a refused field means, in words the agent's language has (the service's own text
# is English and technical); a field not listed shows the service's text.
FIELD_MESSAGES = {
    "at": _("The time may be neither in the future nor before the ticket's previous move."),
    "opened_at": _("The time of the call may not be in the future."),
    "category": _("Choose one of the hotline's categories."),
    "description": _("Describe the problem."),
    "department": _("Name the department it goes to."),
    "summary": _("Say how it was resolved."),
    "reason": _("Give the reason."),
    "comment": _("Give the reason for closing without a revisit."),
    "result": _("Choose what the revisit found."),
    "days": _("Give the working time asked for, in days or hours."),
    "hours": _("Give the working time asked for, in days or hours."),
    "callback_number": _("A callback number is digits, spaces and dashes."),
    "caller_name": _("The caller's name is too long."),
    "request_type": _("Choose the request type."),
    "text": _("Write the note."),
    "enterprise_id": _("The enterprise account is too long."),
    "case_id": _("The case number is too long."),
    "project_id": _("The project number is too long."),
}
NOT_A_TIME = _("Give a date and time, e.g. 2021-03-10 09:30.")
MOVED_ON = _("The ticket has moved on meanwhile: these are the moves its state allows now.")
# The fields each move's form sends besides its business time `at` (a note has no time).
MOVE_FIELDS = {
    "accept": (),
    "route": ("department",),
    "sign": (),
    "return": ("reason",),
    "request_extension": ("reason", "amount", "unit"),
    "decide_extension": ("approve", "note"),
    "resolve": ("summary",),
    "revisit": ("result", "note"),
    "reject": ("reason",),
    "close": ("comment",),
    "note": ("text",),
}
OPTIONAL = frozenset({"comment", "note"})
"""Texts a move may leave empty (a required one goes even when empty, so the service names
it)."""


def move_body(action: str, typed: Mapping[str, str]) -> dict[str, Any]:
    """The service's body of a move from the form's fields (without its time)."""
    body: dict[str, Any] = {
        name: typed[name] for name in MOVE_FIELDS[action] if typed[name] or name not in OPTIONAL
    }
    if action == "request_extension":
        unit = "hours" if body.pop("unit", "") == "hours" else "days"
        amount = body.pop("amount", "")
        try:
            body[unit] = float(amount) if unit == "hours" else int(amount)
        except ValueError:
            body["days"] = None  # the service names the field
    if action == "decide_extension":
        body["approve"] = body.get("approve") == "yes"
    return body


def _field_message(exc: FieldError) -> str:
    return FIELD_MESSAGES.get(exc.field, exc.message)


OUTCOMES = ("resolved", "escalated")
"""What the queue can narrow to as the hotline's figures count it: resolved now (resolved,
or closed after it), supervised (督办) at least once."""


def ticket_filters(
    status: str,
    category: str,
    department: str = "",
    opened: OpenedDates = ("", ""),
    outcome: str = "",
) -> dict[str, str]:
    """The service's filters from the page's query (unknown codes are dropped; the opening
    dates go as they are, the service names a malformed one)."""
    filters = {name: day for name, day in zip(("from", "to"), opened, strict=True) if day}
    if outcome in OUTCOMES:
        filters[outcome] = "true"
    if status in labels.LABELS["ticket_status"]:
        filters["status"] = status
    if category:
        filters["category"] = category
    if department:
        filters["department"] = department
    return filters


async def _filtered(
    services: Services, filters: Mapping[str, str], sla: str, now: datetime, offset: int
) -> tuple[list[Ticket], int]:
    """A page of the queue. The SLA state is the console's reading of the deadlines, so with
    it every matching ticket is fetched and the page cut here."""
    if sla not in SLA_STATES:
        return await services.hotline.ticket_page(filters, limit=PAGE_SIZE, offset=offset)
    rows = [t for t in await services.hotline.all_tickets(filters) if sla_of(t, now).state == sla]
    return rows[offset : offset + PAGE_SIZE], len(rows)


@router.get("/hotline/tickets")
async def queue(
    request: Request,
    services: ServicesDep,
    runtime: RuntimeDep,
    _signed: QueuePage,
    status: str = "",
    category: str = "",
    sla: str = "",
    department: Annotated[str, Query(max_length=200)] = "",
    from_: Annotated[str, Query(alias="from", max_length=10)] = "",
    to: Annotated[str, Query(max_length=10)] = "",
    outcome: str = "",
    offset: Offset = 0,
) -> Response:
    """The queue: filters (the opening dates among them), each ticket's SLA clock (overdue
    in red), pages, export."""
    now = runtime.clock()
    filters = ticket_filters(status, category, department, (from_, to), outcome)
    gathered = await gather(
        {
            "tickets": _filtered(services, filters, sla, now, offset),
            "categories": services.hotline.categories(),
        }
    )
    rows, total = gathered.values["tickets"] or ([], 0)
    query = {
        "status": status,
        "category": category,
        "sla": sla,
        "department": department,
        "from": from_,
        "to": to,
        "outcome": outcome if outcome in OUTCOMES else "",
    }
    context = {
        "tickets": [(t, sla_of(t, now)) for t in rows],
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "query": query,
        "query_string": urlencode({k: v for k, v in query.items() if v}),
        "categories": _category_codes(gathered.values["categories"]),
        "sla_states": SLA_STATES,
        "outcomes": OUTCOMES,
        "unavailable": gathered.unavailable,
        "refused": bool(gathered.refused),
    }
    return render(request, "hotline/queue.html", context)


def _category_codes(categories: list[Any] | None) -> list[str]:
    if categories:
        return [c.code for c in categories]
    return list(labels.LABELS["ticket_category"])


@router.get("/hotline/tickets/new")
async def new_ticket(request: Request, services: ServicesDep, _signed: NewTicketPage) -> Response:
    """The form for a phone call."""
    return await _new_ticket_page(request, services)


async def _new_ticket_page(
    request: Request, services: Services, status_code: int = 200, **context: Any
) -> Response:
    gathered = await gather({"categories": services.hotline.categories()})
    values = {
        "categories": _category_codes(gathered.values["categories"]),
        "channels": CHANNELS,
        "unavailable": gathered.unavailable,
        **context,
    }
    return render(request, "hotline/new.html", values, status_code=status_code)


NEW_FIELDS = (
    "category", "description", "request_type", "channel", "caller_name", "callback_number",
    "enterprise_id", "case_id", "project_id", "opened_at",
)  # fmt: skip
CHANNELS = ("phone", "walk_in")
"""How an agent takes a problem in: a call, or a visit to the desk."""


@router.post("/hotline/tickets/new")
async def open_ticket(request: Request, services: ServicesDep, _signed: NewTicketPage) -> Response:
    """Open the ticket of a phone call; a refused field shows beside it, the rest kept."""
    form = await request.form()
    values = {name: form_value(form, name) for name in NEW_FIELDS}
    channel = values["channel"] if values["channel"] in CHANNELS else "phone"
    body: dict[str, Any] = {"channel": channel, "category": values["category"]}
    body["description"] = values["description"]
    for name in (
        "request_type", "caller_name", "callback_number", "enterprise_id", "case_id", "project_id"
    ):  # fmt: skip
        if values[name]:
            body[name] = values[name]
    errors: dict[str, str] = {}
    try:
        opened_at = business_time(values["opened_at"])
        if opened_at:
            body["opened_at"] = opened_at
    except ValueError:
        errors["opened_at"] = NOT_A_TIME
    if not errors:
        try:
            ticket = await services.hotline.open_ticket(body)
            return redirect(request, f"/hotline/tickets/{ticket.id}")
        except FieldError as exc:
            errors[exc.field] = _field_message(exc)
        except ServiceUnavailable as exc:
            return await _new_ticket_page(
                request, services, 503, values=values, unavailable=[exc.service]
            )
    return await _new_ticket_page(request, services, 422, values=values, errors=errors)


@router.get("/hotline/tickets/{ticket_id}")
async def ticket_page(
    request: Request, ticket_id: str, services: ServicesDep, runtime: RuntimeDep, signed: QueuePage
) -> Response:
    """A ticket: its record, SLA clock, history, escalations, notes and its moves."""
    return await ticket_view(request, ticket_id, services, runtime.clock(), signed)


async def ticket_or_page(request: Request, services: Services, ticket_id: str) -> Ticket | Response:
    """The ticket, or the page saying why it cannot be shown (not found, unavailable)."""
    try:
        return await services.hotline.ticket(ticket_id)
    except ServiceUnavailable as exc:
        return unavailable_page(request, exc)
    except ServiceRefused as exc:
        return error_page(request, 404 if exc.status == 404 else exc.status)


async def ticket_view(
    request: Request,
    ticket_id: str,
    services: Services,
    now: datetime,
    signed: SignedIn,
    status_code: int = 200,
    **context: Any,
) -> Response:
    ticket = await ticket_or_page(request, services, ticket_id)
    if isinstance(ticket, Response):
        return ticket
    works = signed.role in WORKERS and ticket.voided_at is None
    moves = moves_of(ticket) if works else ()
    wanted: dict[str, Any] = {"categories": services.hotline.categories()} if works else {}
    if "route" in moves:
        wanted["departments"] = services.hotline.departments(active=True)
    if signed.role is not Role.ENTERPRISE:
        wanted["trail"] = audit.trail(services.hotline, "ticket", ticket.id, language(request))
    gathered = await gather(wanted)
    values = {
        "ticket": ticket,
        "sla": sla_of(ticket, now),
        "moves": moves,
        "departments": gathered.values.get("departments") or [],
        "may_correct": works,
        "categories": _category_codes(gathered.values.get("categories")),
        "show_trail": "trail" in wanted,
        "trail": gathered.values.get("trail"),
        **context,
    }
    return render(request, "hotline/ticket.html", values, status_code=status_code)


@router.post("/hotline/tickets/{ticket_id}/{action}")
async def move(
    request: Request,
    ticket_id: str,
    action: str,
    services: ServicesDep,
    runtime: RuntimeDep,
    signed: Worker,
) -> Response:
    """Do one move of the ticket (or add a note); a refusal shows beside its field."""
    if action not in MOVE_PATHS:
        return error_page(request, 404)
    form = await request.form()
    typed = {name: form_value(form, name) for name in (*MOVE_FIELDS[action], "at")}
    body = move_body(action, typed)
    errors: dict[str, str] = {}
    if action != "note":
        try:
            at = business_time(typed["at"])
            if at:
                body["at"] = at
        except ValueError:
            errors[f"{action}-at"] = NOT_A_TIME
    if not errors:
        try:
            await services.hotline.move(ticket_id, action, body)
            return redirect(request, f"/hotline/tickets/{ticket_id}")
        except FieldError as exc:
            if exc.field == "status":
                errors["moves"] = MOVED_ON
            else:
                errors[f"{action}-{exc.field}"] = _field_message(exc)
        except ServiceRefused as exc:
            if exc.status == 404:
                return error_page(request, 404)
            errors["moves"] = MOVED_ON
        except ServiceUnavailable as exc:
            return unavailable_page(request, exc)
    values = {f"{action}-{name}": value for name, value in typed.items()}
    return await ticket_view(
        request, ticket_id, services, runtime.clock(), signed, 422, errors=errors, values=values
    )
