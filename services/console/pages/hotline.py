"""The hotline (飞地热线): the queue with its clocks in working time (its filters shared with
the export, `pages/hotline_exports.py`) and the intake form for a call or a visit; a
ticket's own page is `pages/hotline_ticket.py`. The words of a refused field are here, for
every hotline form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from enclave_shared.auth import Role
from enclave_shared.deps import RuntimeDep
from fastapi import Depends, Query, Request, Response

from services.console import labels
from services.console.clients import FieldError, Services, ServiceUnavailable, gather
from services.console.clients.hotline import CalendarReach, Ticket
from services.console.deps import ServicesDep, allow, form_value, page_for
from services.console.pages import page_router
from services.console.pages.hotline_sla import SLA_STATES, business_time, sla_of
from services.console.pages.lists import N_ as _
from services.console.pages.lists import Offset
from services.console.sessions import SignedIn
from services.console.web import redirect, render

router = page_router()

QueuePage = Annotated[SignedIn, Depends(page_for("hotline.queue"))]
NewTicketPage = Annotated[SignedIn, Depends(page_for("hotline.new"))]
WORKERS = frozenset({Role.HOTLINE_AGENT, Role.ADMIN})
"""Who moves, corrects and voids a ticket."""
Worker = Annotated[SignedIn, Depends(allow(*WORKERS))]
PAGE_SIZE = 50
OpenedDates = tuple[str, str]
"""The queue's opening dates (from, to) as typed: YYYY-MM-DD or empty."""


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


def field_message(exc: FieldError) -> str:
    """What the hotline's refusal of a field says to the agent."""
    return FIELD_MESSAGES.get(exc.field, exc.message)


def category_codes(categories: list[Any] | None) -> list[str]:
    """The hotline's category codes, or the console's labelled ones when it gave none."""
    if categories:
        return [c.code for c in categories]
    return list(labels.LABELS["ticket_category"])


async def calendar_warning(request: Request, services: Services) -> CalendarReach | None:
    """The working-day calendar's reach while it runs out, for the banner every hotline page
    shows the signed-in agent or admin (they have next year's holidays imported; the page
    reads who is signed in from the request, as `render` does); None otherwise."""
    signed: SignedIn | None = getattr(request.state, "signed_in", None)
    if signed is None or signed.role not in WORKERS:
        return None
    reach = await services.hotline.calendar()
    return reach if reach.running_out else None


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


@dataclass(frozen=True)
class QueueQuery:
    """The queue's query as typed: the queue and its export select the same tickets."""

    status: str
    category: str
    sla: str
    department: str
    opened: OpenedDates
    outcome: str

    def filters(self) -> dict[str, str]:
        """The service's filters (the SLA state is the console's own, see `selects`)."""
        return ticket_filters(
            self.status, self.category, self.department, self.opened, self.outcome
        )

    def selects(self, ticket: Ticket, now: datetime) -> bool:
        """Whether the ticket is in the chosen SLA state (any, when none is chosen)."""
        return self.sla not in SLA_STATES or sla_of(ticket, now).state == self.sla


async def queue_query(
    status: str = "",
    category: str = "",
    sla: str = "",
    department: Annotated[str, Query(max_length=200)] = "",
    from_: Annotated[str, Query(alias="from", max_length=10)] = "",
    to: Annotated[str, Query(max_length=10)] = "",
    outcome: str = "",
) -> QueueQuery:
    """The queue's filters from the query string."""
    return QueueQuery(status, category, sla, department, (from_, to), outcome)


QueueQueryDep = Annotated[QueueQuery, Depends(queue_query)]


async def _filtered(
    services: Services, query: QueueQuery, now: datetime, offset: int
) -> tuple[list[Ticket], int]:
    """A page of the queue. The SLA state is the console's reading of the deadlines, so with
    it every matching ticket is fetched and the page cut here."""
    if query.sla not in SLA_STATES:
        return await services.hotline.ticket_page(query.filters(), limit=PAGE_SIZE, offset=offset)
    rows = [t for t in await services.hotline.all_tickets(query.filters()) if query.selects(t, now)]
    return rows[offset : offset + PAGE_SIZE], len(rows)


@router.get("/hotline/tickets")
async def queue(
    request: Request,
    services: ServicesDep,
    runtime: RuntimeDep,
    _signed: QueuePage,
    query: QueueQueryDep,
    offset: Offset = 0,
) -> Response:
    """The queue: filters (the opening dates among them), each ticket's SLA clock (overdue
    in red), pages, export."""
    now = runtime.clock()
    gathered = await gather(
        {
            "tickets": _filtered(services, query, now, offset),
            "categories": services.hotline.categories(),
            "calendar": calendar_warning(request, services),
        }
    )
    rows, total = gathered.values["tickets"] or ([], 0)
    shown = {
        "status": query.status,
        "category": query.category,
        "sla": query.sla,
        "department": query.department,
        "from": query.opened[0],
        "to": query.opened[1],
        "outcome": query.outcome if query.outcome in OUTCOMES else "",
    }
    context = {
        "tickets": [(t, sla_of(t, now)) for t in rows],
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "query": shown,
        "query_string": urlencode({k: v for k, v in shown.items() if v}),
        "categories": category_codes(gathered.values["categories"]),
        "sla_states": SLA_STATES,
        "outcomes": OUTCOMES,
        "calendar": gathered.values["calendar"],
        "unavailable": gathered.unavailable,
        "refused": bool(gathered.refused),
    }
    return render(request, "hotline/queue.html", context)


@router.get("/hotline/tickets/new")
async def new_ticket(request: Request, services: ServicesDep, _signed: NewTicketPage) -> Response:
    """The form for a phone call."""
    return await _new_ticket_page(request, services)


async def _new_ticket_page(
    request: Request, services: Services, status_code: int = 200, **context: Any
) -> Response:
    gathered = await gather(
        {
            "categories": services.hotline.categories(),
            "calendar": calendar_warning(request, services),
        }
    )
    values = {
        "categories": category_codes(gathered.values["categories"]),
        "calendar": gathered.values["calendar"],
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
            errors[exc.field] = field_message(exc)
        except ServiceUnavailable as exc:
            return await _new_ticket_page(
                request, services, 503, values=values, unavailable=[exc.service]
            )
    return await _new_ticket_page(request, services, 422, values=values, errors=errors)
