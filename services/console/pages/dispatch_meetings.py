"""The "three ones" periods behind the dispatch's figures (书记项目调度): the inspections,
coordinations and observations falling due between two dates, each held, still open or
missed, as intake's dispatch counts them; filtered by kind and status, paged, exported."""

from __future__ import annotations

from typing import Annotated, Any

from enclave_shared.app import Runtime
from enclave_shared.deps import RuntimeDep
from fastapi import Depends, Request, Response

from services.console import labels
from services.console.clients import FieldError, ServiceUnavailable, gather
from services.console.clients.base import every_page
from services.console.clients.intake import DueMeeting
from services.console.deps import ServicesDep, page_for
from services.console.formatting import SITE_ZONE
from services.console.pages import page_router
from services.console.pages.lists import N_, PAGE_SIZE, Offset, paging, unavailable_page, workbook
from services.console.sessions import SignedIn
from services.console.web import language, render

router = page_router()

DispatchPage = Annotated[SignedIn, Depends(page_for("dispatch"))]
TITLE = N_('"Three ones" meetings due')
HEADERS = (
    N_("Project"),
    N_("Enterprise"),
    N_("Kind"),
    N_("Period from"),
    N_("Due on"),
    N_("Status"),
)
FILTERS = ("from", "to", "kind", "status")


def _filters(request: Request, runtime: Runtime[Any]) -> dict[str, str]:
    """The asked filters; the period defaults to this month so far (the business date)."""
    asked = {name: request.query_params.get(name, "").strip() for name in FILTERS}
    found = {name: value for name, value in asked.items() if value}
    today = runtime.clock().astimezone(SITE_ZONE).date()
    found.setdefault("from", today.replace(day=1).isoformat())
    found.setdefault("to", today.isoformat())
    return found


def _row(m: DueMeeting, lang: str) -> list[Any]:
    return [
        m.title,
        m.enterprise or "",
        labels.label(m.kind, "meeting_kind", lang),
        m.start,
        m.due_on,
        labels.label(m.status, "meeting_status", lang),
    ]


@router.get("/dispatch/meetings")
async def meetings(
    request: Request,
    services: ServicesDep,
    runtime: RuntimeDep,
    _signed: DispatchPage,
    offset: Offset = 0,
) -> Response:
    """The periods due in the chosen dates (the dispatch's "three ones" of a month)."""
    filters = _filters(request, runtime)
    listed = services.intake.meetings_due(filters, limit=PAGE_SIZE, offset=offset)
    gathered = await gather({"list": listed})
    rows, total = gathered.values["list"] or ([], 0)
    refusal = gathered.refused.get("list")
    errors = {refusal.field: refusal.message} if isinstance(refusal, FieldError) else {}
    context = {
        "filters": filters,
        "meetings": rows,
        "errors": errors,
        "unavailable": gathered.unavailable,
        **paging(request, "/dispatch/meetings", offset, total),
    }
    return render(request, "dispatch/meetings.html", context)


@router.get("/dispatch/meetings/export")
async def meetings_export(
    request: Request, services: ServicesDep, runtime: RuntimeDep, _signed: DispatchPage
) -> Response:
    """Every period the filters select, as an .xlsx."""
    filters = _filters(request, runtime)
    try:
        rows = await every_page(
            lambda limit, offset: services.intake.meetings_due(filters, limit=limit, offset=offset)
        )
    except ServiceUnavailable as exc:
        return unavailable_page(request, exc)
    lang = language(request)
    return workbook(request, TITLE, HEADERS, [_row(m, lang) for m in rows])
