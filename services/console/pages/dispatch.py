"""The district secretary's dispatch (书记项目调度): a month and the year to date, every
number opening the records behind it, the trend over the year's months, and the same
dispatch as a Word 通报 and an .xlsx (services/console/dispatch*.py build them)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from enclave_shared.deps import RuntimeDep
from fastapi import Depends, Query, Request, Response

from services.console import dispatch, dispatch_sections
from services.console.deps import ServicesDep, page_for
from services.console.dispatch_documents import DOCX, docx_bytes, title, xlsx_bytes
from services.console.exports import XLSX
from services.console.formatting import SITE_ZONE
from services.console.pages import page_router
from services.console.sessions import SignedIn
from services.console.web import gettext_for, language, render

router = page_router()

DispatchPage = Annotated[SignedIn, Depends(page_for("dispatch"))]
MonthQuery = Annotated[str, Query(pattern=r"^((20\d\d|2100)-(0[1-9]|1[0-2]))?$")]


def _month(runtime: RuntimeDep, month: str) -> date:
    if month:
        return dispatch.parse_month(month)
    today = runtime.clock().astimezone(SITE_ZONE).date()
    return today.replace(day=1)


def _months_around(month: date, today: date) -> list[str]:
    """The months the picker offers: from January 2020 (the enclave's start) to this one."""
    last = max(month, today.replace(day=1))
    out = []
    year, n = 2020, 1
    while (year, n) <= (last.year, last.month):
        out.append(f"{year}-{n:02d}")
        year, n = (year + 1, 1) if n == 12 else (year, n + 1)
    return out[::-1]


async def _dispatch_asked(
    services: ServicesDep, runtime: RuntimeDep, _signed: DispatchPage, month: MonthQuery = ""
) -> dispatch.Dispatch:
    """The dispatch of the month asked for (default: this one), read for a district leader
    or an admin: what the page, the 通报 and the workbook show."""
    return await dispatch.build(services, _month(runtime, month))


AskedDispatch = Annotated[dispatch.Dispatch, Depends(_dispatch_asked)]


@router.get("/dispatch")
async def dispatch_page(request: Request, runtime: RuntimeDep, d: AskedDispatch) -> Response:
    """The dispatch of a month (default: this one) and the year to date."""
    lang, t = language(request), gettext_for(request)
    context = {
        "month": d.month_code,
        "months": _months_around(d.month, runtime.clock().astimezone(SITE_ZONE).date()),
        "title": title(d, t),
        "sections": dispatch_sections.sections(d, lang, t),
        "red_cases": dispatch.red_cases(d),
        "departments": dispatch.departments(d),
        "chart": dispatch.trend_chart(d, t),
        "as_of": d.intake["as_of"] if d.intake else None,
        "unavailable": d.unavailable,
    }
    return render(request, "dispatch/dispatch.html", context)


def _download(body: bytes, media_type: str, filename: str) -> Response:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(body, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("/dispatch/dispatch.docx")
async def dispatch_docx(request: Request, d: AskedDispatch) -> Response:
    """The month's dispatch as a Word document (通报) from the template."""
    body = docx_bytes(d, language(request), gettext_for(request))
    return _download(body, DOCX, f"书记项目调度-{d.month_code}.docx")


@router.get("/dispatch/dispatch.xlsx")
async def dispatch_xlsx(request: Request, d: AskedDispatch) -> Response:
    """The month's dispatch as an .xlsx workbook."""
    body = xlsx_bytes(d, language(request), gettext_for(request))
    return _download(body, XLSX, f"书记项目调度-{d.month_code}.xlsx")
