"""Assessment (标准化考核): the year's scheme and scores with the facts behind each number,
fund allocation and publication behind a confirmation. The exports of scores and facts
are in pages/assessment_exports.py, the manual entries in pages/assessment_manual.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from enclave_shared.auth import Role
from enclave_shared.deps import RuntimeDep
from fastapi import Depends, Form, Query, Request, Response

from services.console import labels
from services.console.clients import ServiceRefused, ServiceUnavailable, gather
from services.console.clients.assessment import Assessment
from services.console.deps import ServicesDep, allow, page_for
from services.console.formatting import SITE_ZONE
from services.console.pages import page_router
from services.console.pages.lists import N_ as _
from services.console.pages.lists import Offset, unavailable_page
from services.console.sessions import SignedIn
from services.console.web import gettext_for, language, redirect, render

router = page_router()

YearPage = Annotated[SignedIn, Depends(page_for("assessment.year"))]
Publisher = Annotated[SignedIn, Depends(allow(Role.ASSESSOR, Role.ADMIN))]
Year = Annotated[int | None, Query(ge=2000, le=2100)]
AsOf = Annotated[str, Query(pattern=r"^(|\d{4}-\d{2})$")]
"""A month (YYYY-MM) the score is shown as of (its end), or empty: the year as it stands."""
Day = Annotated[str, Query(pattern=r"^(|\d{4}-\d{2}-\d{2})$")]
FACTS_PAGE = 20
WRITERS = frozenset({Role.ASSESSOR, Role.ADMIN})


def this_year(runtime: Any) -> int:
    """The business year now (China time)."""
    year: int = runtime.clock().astimezone(SITE_ZONE).year
    return year


@dataclass(frozen=True)
class YearAsked:
    """The year a page is asked for (`?year=`), else this one; `now` is this business year."""

    year: int
    now: int


async def _year_asked(runtime: RuntimeDep, year: Year = None) -> YearAsked:
    now = this_year(runtime)
    return YearAsked(year or now, now)


AskedYear = Annotated[YearAsked, Depends(_year_asked)]


def years_around(year: int, now: int) -> list[int]:
    """The years the selector offers: from 2020 (the enclave's start) to next year."""
    return sorted({*range(2020, now + 2), year})


def _chart(result: Assessment, lang: str, t: Any) -> dict[str, Any]:
    names = [labels.label(code, "dimension", lang) for code in result.dimensions]
    return {
        "tooltip": {},
        "legend": {"data": [t(_("Points scored")), t(_("Weight (points)"))]},
        "xAxis": {"type": "category", "data": names},
        "yAxis": {"type": "value"},
        "series": [
            {
                "name": t(_("Points scored")),
                "type": "bar",
                "data": [float(d.score) for d in result.dimensions.values()],
            },
            {
                "name": t(_("Weight (points)")),
                "type": "bar",
                "data": [float(d.weight) for d in result.dimensions.values()],
            },
        ],
    }


@router.get("/assessment")
async def year_page(
    request: Request,
    services: ServicesDep,
    signed: YearPage,
    asked: AskedYear,
    as_of: AsOf = "",
) -> Response:
    """The year's scheme and scores (each number opens its facts), funds, publication; with
    `as_of` (a month of the year), the scores as of that month's end."""
    year, now = asked.year, asked.now
    gathered = await gather(
        {
            "result": services.assessment.assessment(year, as_of=as_of or None),
            "scheme": services.assessment.scheme(year),
        }
    )
    result: Assessment | None = gathered.values["result"]
    scheme = gathered.values["scheme"]
    steps = {}
    if scheme is not None:
        for dimension in scheme.scheme.dimensions.values():
            steps.update({i.key: i.steps for i in dimension.indicators})
    refused = gathered.refused.get("result")
    context = {
        "year": year,
        "years": years_around(year, now),
        "result": result,
        "scheme": scheme,
        "steps": steps,
        "no_scheme": isinstance(refused, ServiceRefused) and refused.status == 404,
        "as_of": as_of,
        "to": result.as_of.isoformat() if result and result.as_of else "",
        "may_publish": signed.role in WRITERS
        and result is not None
        and result.status == "preview"
        and not as_of,
        "chart": _chart(result, language(request), gettext_for(request)) if result else None,
        "unavailable": gathered.unavailable,
    }
    return render(request, "assessment/year.html", context)


@router.get("/assessment/facts")
async def facts(
    request: Request,
    services: ServicesDep,
    _signed: YearPage,
    asked: AskedYear,
    indicator: str = "",
    offset: Offset = 0,
    to: Day = "",
) -> Response:
    """The facts (events) behind a number (dated up to `to`, if given): an htmx fragment of
    the year page, or a page."""
    year = asked.year
    gathered = await gather(
        {
            "facts": services.assessment.fact_page(
                year, indicator or None, limit=FACTS_PAGE, offset=offset, to=to or None
            )
        }
    )
    rows, total = gathered.values["facts"] or ([], 0)
    context = {
        "year": year,
        "indicator": indicator,
        "facts": rows,
        "total": total,
        "offset": offset,
        "to": to,
        "page_size": FACTS_PAGE,
        "unavailable": gathered.unavailable,
    }
    return render(request, "assessment/facts.html", context)


@router.get("/assessment/publication")
async def confirm_publication(
    request: Request,
    services: ServicesDep,
    _signed: Publisher,
    asked: AskedYear,
) -> Response:
    """The second step of publication: it names the year and what publishing freezes."""
    year = asked.year
    gathered = await gather({"result": services.assessment.assessment(year)})
    context = {
        "year": year,
        "result": gathered.values["result"],
        "unavailable": gathered.unavailable,
    }
    return render(request, "assessment/publish.html", context)


@router.post("/assessment/publication")
async def publish(
    request: Request,
    services: ServicesDep,
    _signed: Publisher,
    year: Annotated[int, Form(ge=2000, le=2100)],
) -> Response:
    """Publish the year (after the confirmation); a refusal is shown on the confirmation."""
    try:
        await services.assessment.publish(year)
    except ServiceUnavailable as exc:
        return unavailable_page(request, exc)
    except ServiceRefused as exc:
        context = {"year": year, "result": None, "refused": exc.status}
        return render(request, "assessment/publish.html", context, status_code=exc.status)
    return redirect(request, f"/assessment?year={year}")
