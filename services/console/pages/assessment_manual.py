"""Assessment's manual entries (手工录入): the year's entries with their evidence, filtered,
paged and exported, and the form to enter one (closed once the year is published)."""

from __future__ import annotations

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
from services.console.clients.assessment import ManualEntry
from services.console.deps import ServicesDep, allow, form_value, page_for
from services.console.formatting import amount, as_datetime
from services.console.pages import page_router
from services.console.pages.assessment import AskedYear, this_year, years_around
from services.console.pages.lists import N_ as _
from services.console.pages.lists import Offset, unavailable_page, workbook
from services.console.sessions import SignedIn
from services.console.web import gettext_for, language, redirect, render

router = page_router()

ManualPage = Annotated[SignedIn, Depends(page_for("assessment.manual"))]
Assessor = Annotated[SignedIn, Depends(allow(Role.ASSESSOR, Role.ADMIN))]
PAGE_SIZE = 50
WRITERS = frozenset({Role.ASSESSOR, Role.ADMIN})
# The manual indicators (docs/assessment.md); the registry is asked first, this is its
# fall-back when the service does not answer.
MANUAL_KEYS = (
    "premises",
    "team",
    "annual_work_plan",
    "monthly_work_plans",
    "rules_published",
    "honours",
    "platforms_created",
)


FIELD_MESSAGES = {
    "value": _("A value is a number of at least 0 with up to 4 decimals."),
    "evidence": _("Say what proves the value (up to 4000 characters)."),
    "indicator": _("Choose one of the manual indicators."),
    "year": _("The year is published: its entries are frozen."),
}
HEADERS = (
    _("Assessment indicator"),
    _("Value entered"),
    _("Evidence note"),
    _("Entered by"),
    _("Entered at"),
    _("In force"),
)


def _in_force(entries: list[ManualEntry]) -> set[int]:
    """The entry that counts per indicator: the newest."""
    newest: dict[str, int] = {}
    for entry in entries:
        newest[entry.indicator] = entry.id
    return set(newest.values())


async def _page(
    request: Request,
    services: Services,
    signed: SignedIn,
    year: int,
    now: int,
    indicator: str = "",
    offset: int = 0,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    gathered = await gather(
        {
            "entries": services.assessment.manual_entries(year),
            "indicators": services.assessment.indicators(),
            "result": services.assessment.assessment(year),
        }
    )
    entries: list[ManualEntry] = gathered.values["entries"] or []
    in_force = _in_force(entries)
    shown = [e for e in entries if not indicator or e.indicator == indicator]
    registry = gathered.values["indicators"]
    keys = [i.key for i in registry if i.source == "manual"] if registry else list(MANUAL_KEYS)
    result = gathered.values["result"]
    context = {
        "year": year,
        "years": years_around(year, now),
        "indicator": indicator,
        "keys": keys,
        "entries": shown[offset : offset + PAGE_SIZE],
        "in_force": in_force,
        "total": len(shown),
        "offset": offset,
        "page_size": PAGE_SIZE,
        "published": result is not None and result.status == "published",
        "published_on": result.published_on if result is not None else None,
        "may_enter": signed.role in WRITERS,
        "unavailable": gathered.unavailable,
        **extra,
    }
    return render(request, "assessment/manual.html", context, status_code=status_code)


@router.get("/assessment/manual")
async def manual(
    request: Request,
    services: ServicesDep,
    signed: ManualPage,
    asked: AskedYear,
    indicator: str = "",
    offset: Offset = 0,
) -> Response:
    """The year's manual entries with their evidence (the newest per indicator in force)."""
    return await _page(request, services, signed, asked.year, asked.now, indicator, offset)


@router.post("/assessment/manual")
async def enter(
    request: Request, services: ServicesDep, runtime: RuntimeDep, signed: Assessor
) -> Response:
    """Enter a manual value with its evidence; a refused field shows beside it."""
    form = await request.form()
    values = {n: form_value(form, n) for n in ("year", "indicator", "value", "evidence")}
    now = this_year(runtime)
    year = int(values["year"]) if values["year"].isdigit() else now
    errors: dict[str, str] = {}
    try:
        await services.assessment.enter_manual(
            year, values["indicator"], value=values["value"], evidence=values["evidence"]
        )
        return redirect(request, f"/assessment/manual?year={year}")
    except FieldError as exc:
        errors[exc.field] = FIELD_MESSAGES.get(exc.field, exc.message)
    except ServiceUnavailable as exc:
        return unavailable_page(request, exc)
    except ServiceRefused as exc:
        errors["year" if exc.status == 409 else "indicator"] = FIELD_MESSAGES[
            "year" if exc.status == 409 else "indicator"
        ]
    return await _page(
        request, services, signed, year, now, status_code=422, errors=errors, values=values
    )


@router.get("/assessment/manual.xlsx")
async def export_manual(
    request: Request,
    services: ServicesDep,
    _signed: ManualPage,
    asked: AskedYear,
    indicator: str = "",
) -> Response:
    """The year's manual entries (as filtered) as an .xlsx."""
    year = asked.year
    lang, t = language(request), gettext_for(request)
    try:
        entries = await services.assessment.manual_entries(year)
    except ServiceUnavailable as exc:
        return unavailable_page(request, exc)
    in_force = _in_force(entries)
    lines = [
        [
            labels.label(e.indicator, "indicator", lang),
            amount(e.value),
            e.evidence,
            e.entered_by or "",
            as_datetime(e.entered_at),
            t(_("Yes")) if e.id in in_force else "",
        ]
        for e in entries
        if not indicator or e.indicator == indicator
    ]
    return workbook(request, _("Manual entries"), HEADERS, lines, filename=f"手工录入-{year}.xlsx")
