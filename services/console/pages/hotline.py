"""The hotline (飞地热线): the queue with its SLA clocks and export, a ticket's page with its
history, notes and the moves its state allows, and the form for a phone call."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from enclave_shared.auth import Role
from enclave_shared.deps import RuntimeDep
from fastapi import Depends, Request, Response

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
from services.console.pages import page_router
from services.console.pages.hotline_sla import SLA_STATES, business_time, moves_of, sla_of
from services.console.pages.lists import N_ as _
from services.console.pages.lists import Offset, unavailable_page
from services.console.sessions import SignedIn
from services.console.web import error_page, redirect, render

router = page_router()

QueuePage = Annotated[SignedIn, Depends(page_for("hotline.queue"))]
NewTicketPage = Annotated[SignedIn, Depends(page_for("hotline.new"))]
Worker = Annotated[SignedIn, Depends(allow(Role.HOTLINE_AGENT, Role.ADMIN))]
PAGE_SIZE = 50
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
    "comment": _("The comment is too long."),
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
    "resolve": ("summary",),
    "reject": ("reason",),
    "close": ("comment",),
    "note": ("text",),
}


def _field_message(exc: FieldError) -> str:
    return FIELD_MESSAGES.get(exc.field, exc.message)


def ticket_filters(status: str, category: str) -> dict[str, str]:
    """The service's filters from the page's query (unknown codes are dropped)."""
    filters = {}
    if status in labels.LABELS["ticket_status"]:
        filters["status"] = status
    if category:
        filters["category"] = category
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
    offset: Offset = 0,
) -> Response:
    """The queue: filters, each ticket's SLA clock (overdue in red), pages, export."""
    now = runtime.clock()
    gathered = await gather(
        {
            "tickets": _filtered(services, ticket_filters(status, category), sla, now, offset),
            "categories": services.hotline.categories(),
        }
    )
    rows, total = gathered.values["tickets"] or ([], 0)
    query = {"status": status, "category": category, "sla": sla}
    context = {
        "tickets": [(t, sla_of(t, now)) for t in rows],
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "query": query,
        "query_string": "&".join(f"{k}={v}" for k, v in query.items() if v),
        "categories": _category_codes(gathered.values["categories"]),
        "sla_states": SLA_STATES,
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
        "unavailable": gathered.unavailable,
        **context,
    }
    return render(request, "hotline/new.html", values, status_code=status_code)


NEW_FIELDS = ("category", "description", "enterprise_id", "case_id", "project_id", "opened_at")


@router.post("/hotline/tickets/new")
async def open_ticket(request: Request, services: ServicesDep, _signed: NewTicketPage) -> Response:
    """Open the ticket of a phone call; a refused field shows beside it, the rest kept."""
    form = await request.form()
    values = {name: form_value(form, name) for name in NEW_FIELDS}
    body: dict[str, Any] = {"channel": "phone", "category": values["category"]}
    body["description"] = values["description"]
    for name in ("enterprise_id", "case_id", "project_id"):
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
    return await _ticket_page(request, ticket_id, services, runtime.clock(), signed)


async def _ticket_page(
    request: Request,
    ticket_id: str,
    services: Services,
    now: datetime,
    signed: SignedIn,
    status_code: int = 200,
    **context: Any,
) -> Response:
    try:
        ticket = await services.hotline.ticket(ticket_id)
    except ServiceUnavailable as exc:
        return unavailable_page(request, exc)
    except ServiceRefused as exc:
        return error_page(request, 404 if exc.status == 404 else exc.status)
    moves = moves_of(ticket) if signed.role in WORKERS else ()
    values = {"ticket": ticket, "sla": sla_of(ticket, now), "moves": moves, **context}
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
    # A required text goes even when empty, so the service names it; a comment is optional.
    body: dict[str, Any] = {
        name: typed[name] for name in MOVE_FIELDS[action] if typed[name] or name != "comment"
    }
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
    return await _ticket_page(
        request, ticket_id, services, runtime.clock(), signed, 422, errors=errors, values=values
    )
