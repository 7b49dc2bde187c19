"""The enterprise's pages: its own case's progress (the ledger, read-only) and its hotline
tickets with the form to raise one. The services show an enterprise only its own records
(its token's `sub` is its enterprise account): the tickets it opened, those opened for it,
and every ticket about its case or project, whoever opened it (each line says who)."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import Depends, Form, Query, Request, Response
from pydantic import Field

from services.console import formatting, labels
from services.console.clients import gather
from services.console.deps import ServicesDep, page_for
from services.console.pages import page_router
from services.console.pages.intake_case import ledger_context
from services.console.pages.intake_hotline import CaseTickets, CaseTicketsDep, Ticket
from services.console.pages.intake_workbook import ledger_workbook
from services.console.pages.lists import (
    PAGE_SIZE,
    FormFields,
    Offset,
    paging,
    required,
    submit,
    workbook,
)
from services.console.sessions import SignedIn
from services.console.web import gettext_for, language, render

router = page_router()

CasePage = Annotated[SignedIn, Depends(page_for("enterprise.case"))]
TicketsPage = Annotated[SignedIn, Depends(page_for("enterprise.tickets"))]
CaseParam = Annotated[str, Query(alias="case", max_length=100)]
StatusFilter = Annotated[str, Query(max_length=20)]
TICKET_HEADERS = (
    "Hotline ticket",
    "About",
    "Opened by",
    "Category",
    "Status",
    "Opened",
    "Details",
    "Ticket outcome",
)
OPENED_BY = {"self": "Opened by us", "hotline": "By a hotline agent", "system": "By the hotline"}


def about(ticket: Ticket, titles: dict[str, str]) -> str:
    """What a ticket is about: its case (by the case's title when it is the enterprise's),
    or its project."""
    if ticket.case_id:
        return titles.get(ticket.case_id, ticket.case_id)
    return ticket.project_id or ""


async def _own_case(
    services: ServicesDep, hotline: CaseTicketsDep, _signed: CasePage, case: CaseParam = ""
) -> tuple[dict[str, Any], list[Any]]:
    """The enterprise's cases, and the ledger's context of the one asked for (by default its
    first): what its case page and that page's workbook show."""
    gathered = await gather({"cases": services.intake.all_cases()})
    cases = gathered.values["cases"] or []
    chosen = next((c for c in cases if c.id == case), cases[0] if cases else None)
    context: dict[str, Any] = {"ledger": None, "unavailable": gathered.unavailable}
    if chosen is not None:
        context = await ledger_context(services, hotline, chosen.id, officer=False)
    return context, cases


OwnCase = Annotated[tuple[dict[str, Any], list[Any]], Depends(_own_case)]


@router.get("/enterprise/case")
async def my_case(request: Request, own: OwnCase) -> Response:
    """The enterprise's own case: its ledger, stages, progress and tickets (read-only)."""
    context, cases = own
    ledger = context["ledger"]
    context.update(
        cases=cases,
        writer=False,
        export_url=f"/enterprise/case/export?case={ledger.case.id}" if ledger else "",
    )
    return render(request, "enterprise/case.html", context)


@router.get("/enterprise/case/export")
async def my_case_export(request: Request, own: OwnCase) -> Response:
    """The enterprise's own ledger as one workbook."""
    context, cases = own
    if context["ledger"] is None:
        context.update(cases=cases, writer=False, export_url="")
        return render(request, "enterprise/case.html", context, status_code=503)
    return ledger_workbook(context, request)


async def _tickets_page(
    request: Request,
    services: ServicesDep,
    hotline: CaseTickets,
    signed: SignedIn,
    status: str,
    offset: int,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    gathered = await gather(
        {
            "tickets": hotline.case_ticket_page(
                status=status or None, limit=PAGE_SIZE, offset=offset
            ),
            "categories": hotline.ticket_categories(),
            "cases": services.intake.all_cases(),
        }
    )
    rows, total = gathered.values["tickets"] or ([], 0)
    cases = gathered.values["cases"] or []
    titles = {c.id: c.title for c in cases}
    context = {
        "tickets": [
            (t, about(t, titles), OPENED_BY[t.opened_by(signed.principal.sub)]) for t in rows
        ],
        **paging(request, "/enterprise/tickets", offset, total),
        "filters": {"status": status},
        "categories": gathered.values["categories"] or [],
        "cases": cases,
        "unavailable": gathered.unavailable,
        **extra,
    }
    return render(request, "enterprise/tickets.html", context, status_code=status_code)


@router.get("/enterprise/tickets")
async def my_tickets(
    request: Request,
    services: ServicesDep,
    hotline: CaseTicketsDep,
    signed: TicketsPage,
    status: StatusFilter = "",
    offset: Offset = 0,
) -> Response:
    """The enterprise's tickets (filter by status), and the form to raise one."""
    return await _tickets_page(request, services, hotline, signed, status, offset)


class TicketFields(FormFields):
    """The form that raises a ticket with the hotline (about one of its cases, or none)."""

    category: Annotated[str, Field(max_length=200)] = ""
    description: Annotated[str, Field(max_length=4000)] = ""
    case_id: Annotated[str, Field(max_length=100)] = ""


@router.post("/enterprise/tickets")
async def raise_ticket(
    request: Request,
    services: ServicesDep,
    hotline: CaseTicketsDep,
    signed: TicketsPage,
    fields: Annotated[TicketFields, Form()],
) -> Response:
    """Raise a ticket with the hotline (on the web)."""
    values = fields.values()
    errors = required(values, "category", "description")
    body = {
        "category": fields.category,
        "description": fields.description,
        "case_id": fields.case_id or None,
    }
    again = partial(_tickets_page, request, services, hotline, signed, "", 0, values=values)
    return await submit(
        request,
        lambda: hotline.raise_ticket(body),
        errors=errors,
        primary="description",
        done="/enterprise/tickets",
        again=again,
    )


@router.get("/enterprise/tickets/export")
async def my_tickets_export(
    request: Request,
    services: ServicesDep,
    hotline: CaseTicketsDep,
    signed: TicketsPage,
    status: StatusFilter = "",
) -> Response:
    """The enterprise's tickets, exactly as filtered, as an .xlsx workbook."""
    gathered = await gather(
        {
            "tickets": hotline.case_tickets(status=status or None),
            "cases": services.intake.all_cases(),
        }
    )
    rows = gathered.values["tickets"]
    if rows is None:
        return await _tickets_page(request, services, hotline, signed, status, 0, status_code=503)
    titles = {c.id: c.title for c in gathered.values["cases"] or []}
    lang = language(request)
    _ = gettext_for(request)
    return workbook(
        request,
        "My tickets",
        TICKET_HEADERS,
        [
            (
                t.id,
                about(t, titles),
                _(OPENED_BY[t.opened_by(signed.principal.sub)]),
                labels.label(t.category, "ticket_category", lang),
                labels.label(t.status, "ticket_status", lang),
                formatting.as_datetime(t.opened_at),
                t.description,
                t.resolution or "",
            )
            for t in rows
        ],
    )
