"""A hotline ticket's page: its record, SLA clock, history (the audit trail), extensions,
revisits, notes and the moves its state allows (sign, return, extensions and the revisit
form among them), each move's form and its refusal shown beside its field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from enclave_shared.app import Runtime
from enclave_shared.auth import Role
from enclave_shared.deps import RuntimeDep
from fastapi import Depends, Request, Response

from services.console.clients import (
    FieldError,
    ServiceRefused,
    Services,
    ServiceUnavailable,
    gather,
)
from services.console.clients.hotline import MOVE_PATHS, Ticket
from services.console.deps import ServicesDep, form_value
from services.console.pages import audit, page_router
from services.console.pages.hotline import (
    NOT_A_TIME,
    WORKERS,
    QueuePage,
    Worker,
    calendar_warning,
    category_codes,
    field_message,
)
from services.console.pages.hotline_sla import business_time, moves_of, sla_of
from services.console.pages.lists import N_ as _
from services.console.pages.lists import unavailable_page
from services.console.sessions import SignedIn
from services.console.web import error_page, language, redirect, render

router = page_router()

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
    """The ticket's page; a refused form renders it again with its `errors` and `values`."""
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
    wanted["calendar"] = calendar_warning(request, services)
    gathered = await gather(wanted)
    values = {
        "ticket": ticket,
        "calendar": gathered.values["calendar"],
        "sla": sla_of(ticket, now),
        "moves": moves,
        "departments": gathered.values.get("departments") or [],
        "may_correct": works,
        "categories": category_codes(gathered.values.get("categories")),
        "show_trail": "trail" in wanted,
        "trail": gathered.values.get("trail"),
        **context,
    }
    return render(request, "hotline/ticket.html", values, status_code=status_code)


@dataclass(frozen=True)
class TicketForm:
    """A form of the ticket's page as posted by an agent: what it typed, and the ticket's
    page to go back to (once done) or to show again with the refusal beside its field."""

    request: Request
    ticket_id: str
    services: Services
    runtime: Runtime[Any]
    signed: SignedIn

    async def typed(self, names: Iterable[str]) -> dict[str, str]:
        """The form's fields of these names, as typed ("" when left out)."""
        form = await self.request.form()
        return {name: form_value(form, name) for name in names}

    def done(self) -> Response:
        """Back to the ticket's page."""
        return redirect(self.request, f"/hotline/tickets/{self.ticket_id}")

    async def again(self, errors: dict[str, str], values: dict[str, str]) -> Response:
        """The ticket's page once more (422) with what was typed and the refusals."""
        now = self.runtime.clock()
        return await ticket_view(
            self.request,
            self.ticket_id,
            self.services,
            now,
            self.signed,
            422,
            errors=errors,
            values=values,
        )


async def _ticket_form(
    request: Request, ticket_id: str, services: ServicesDep, runtime: RuntimeDep, signed: Worker
) -> TicketForm:
    return TicketForm(request, ticket_id, services, runtime, signed)


TicketFormDep = Annotated[TicketForm, Depends(_ticket_form)]
"""A ticket page's form route's dependencies at once (an agent's, on the ticket in the path)."""


@router.post("/hotline/tickets/{ticket_id}/{action}")
async def move(action: str, form: TicketFormDep) -> Response:
    """Do one move of the ticket (or add a note); a refusal shows beside its field."""
    request = form.request
    if action not in MOVE_PATHS:
        return error_page(request, 404)
    typed = await form.typed((*MOVE_FIELDS[action], "at"))
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
            await form.services.hotline.move(form.ticket_id, action, body)
            return form.done()
        except FieldError as exc:
            if exc.field == "status":
                errors["moves"] = MOVED_ON
            else:
                errors[f"{action}-{exc.field}"] = field_message(exc)
        except ServiceRefused as exc:
            if exc.status == 404:
                return error_page(request, 404)
            errors["moves"] = MOVED_ON
        except ServiceUnavailable as exc:
            return unavailable_page(request, exc)
    return await form.again(errors, {f"{action}-{name}": value for name, value in typed.items()})
