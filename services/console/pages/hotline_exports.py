"""The hotline queue's export: every ticket the queue's filters select, with its SLA state."""

from __future__ import annotations

from enclave_shared.deps import RuntimeDep
from fastapi import Request, Response

from services.console import labels
from services.console.clients import ServiceRefused, ServiceUnavailable
from services.console.deps import ServicesDep
from services.console.formatting import as_datetime
from services.console.pages import page_router
from services.console.pages.hotline import QueuePage, QueueQueryDep
from services.console.pages.hotline_sla import sla_of
from services.console.pages.lists import N_ as _
from services.console.pages.lists import unavailable_page, workbook
from services.console.web import error_page, language

router = page_router()


@router.get("/hotline/tickets.xlsx")
async def export_queue(
    request: Request,
    services: ServicesDep,
    runtime: RuntimeDep,
    _signed: QueuePage,
    query: QueueQueryDep,
) -> Response:
    """The filtered queue as an .xlsx (every matching ticket, not only the page shown)."""
    now = runtime.clock()
    lang = language(request)
    try:
        rows = await services.hotline.all_tickets(query.filters())
    except ServiceUnavailable as exc:
        return unavailable_page(request, exc)
    except ServiceRefused as exc:  # a malformed opening date
        return error_page(request, exc.status)
    lines = []
    for ticket in rows:
        if not query.selects(ticket, now):
            continue
        view = sla_of(ticket, now)
        lines.append(
            [
                ticket.id,
                labels.label(ticket.status, "ticket_status", lang),
                labels.label(ticket.category, "ticket_category", lang),
                labels.label(ticket.kind, "ticket_kind", lang),
                labels.label(ticket.channel, "channel", lang),
                labels.label(ticket.request_type, "request_type", lang),
                ticket.caller_name or "",
                ticket.callback_number or "",  # masked by the service in every list
                ticket.description,
                ticket.enterprise_id or "",
                ticket.department or "",
                as_datetime(ticket.opened_at),
                as_datetime(ticket.accept_due_at),
                as_datetime(ticket.resolve_due_at),
                labels.label(ticket.satisfaction, "revisit_result", lang),
                labels.label(view.state, "sla_state", lang),
            ]
        )
    return workbook(request, _("Tickets"), EXPORT_HEADERS, lines, filename="热线工单.xlsx")


EXPORT_HEADERS = (
    _("Ticket number"),
    _("Ticket state"),
    _("Category"),
    _("Ticket kind"),
    _("Channel"),
    _("Request type"),
    _("Caller"),
    _("Callback number"),
    _("Problem"),
    _("Enterprise account"),
    _("Department routed to"),
    _("Opened"),
    _("Accept by"),
    _("Resolve by"),
    _("Satisfaction"),
    _("SLA state"),
)
