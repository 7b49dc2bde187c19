"""Assessment (标准化考核): the year's scheme and scores with the facts behind each number,
fund allocation, publication behind a confirmation, and exports of scores and facts.
The manual entries are in pages/assessment_manual.py."""

from __future__ import annotations

from typing import Annotated, Any

from enclave_shared.auth import Role
from enclave_shared.deps import RuntimeDep
from fastapi import Depends, Form, Query, Request, Response

from services.console import labels
from services.console.clients import ServiceRefused, ServiceUnavailable, gather
from services.console.clients.assessment import Assessment
from services.console.deps import ServicesDep, allow, page_for
from services.console.exports import Sheet, xlsx_response
from services.console.formatting import SITE_ZONE, amount, percent
from services.console.pages import page_router
from services.console.sessions import SignedIn
from services.console.web import error_page, gettext_for, language, redirect, render

router = page_router()

YearPage = Annotated[SignedIn, Depends(page_for("assessment.year"))]
Publisher = Annotated[SignedIn, Depends(allow(Role.ASSESSOR, Role.ADMIN))]
Year = Annotated[int | None, Query(ge=2000, le=2100)]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]
FACTS_PAGE = 20
WRITERS = frozenset({Role.ASSESSOR, Role.ADMIN})


def _(message: str) -> str:
    """Marks a message id for the catalog; it is translated where it is shown."""
    return message


SCORE_HEADERS = (
    _("Assessment dimension"),
    _("Weight (points)"),
    _("Assessment indicator"),
    _("Source of the value"),
    _("Scoring rule"),
    _("Target"),
    _("Full points"),
    _("Actual value"),
    _("Progress on target"),
    _("Points scored"),
)
FACT_HEADERS = (
    _("Assessment indicator"),
    _("Date of the fact"),
    _("Counted"),
    _("Event type"),
    _("Subject (record id)"),
)
FACT_HEADERS_ID = _("Event id")


def this_year(runtime: Any) -> int:
    """The business year now (China time)."""
    year: int = runtime.clock().astimezone(SITE_ZONE).year
    return year


def years_around(year: int, now: int) -> list[int]:
    """The years the selector offers: from 2020 (the enclave's start) to next year."""
    return sorted({*range(2020, now + 2), year})


def unavailable_page(request: Request, exc: ServiceUnavailable) -> Response:
    """The error page naming a service that did not answer (for exports and forms)."""
    t = gettext_for(request)
    name = labels.label(exc.service, "service", language(request))
    return error_page(
        request,
        503,
        t(_("%(service)s is not available right now; what it shows is missing from this page."))
        % {"service": name},
    )


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
    runtime: RuntimeDep,
    signed: YearPage,
    year: Year = None,
) -> Response:
    """The year's scheme and scores (each number opens its facts), funds, publication."""
    now = this_year(runtime)
    year = year or now
    gathered = await gather(
        {
            "result": services.assessment.assessment(year),
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
        "may_publish": signed.role in WRITERS and result is not None and result.status == "preview",
        "chart": _chart(result, language(request), gettext_for(request)) if result else None,
        "unavailable": gathered.unavailable,
    }
    return render(request, "assessment/year.html", context)


@router.get("/assessment/facts")
async def facts(
    request: Request,
    services: ServicesDep,
    runtime: RuntimeDep,
    _signed: YearPage,
    year: Year = None,
    indicator: str = "",
    offset: Offset = 0,
) -> Response:
    """The facts (events) behind a number: an htmx fragment of the year page, or a page."""
    year = year or this_year(runtime)
    gathered = await gather(
        {
            "facts": services.assessment.fact_page(
                year, indicator or None, limit=FACTS_PAGE, offset=offset
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
        "page_size": FACTS_PAGE,
        "unavailable": gathered.unavailable,
    }
    return render(request, "assessment/facts.html", context)


@router.get("/assessment/facts.xlsx")
async def export_facts(
    request: Request,
    services: ServicesDep,
    runtime: RuntimeDep,
    _signed: YearPage,
    year: Year = None,
    indicator: str = "",
) -> Response:
    """Every fact of the year (or of one indicator) as an .xlsx."""
    year = year or this_year(runtime)
    lang, t = language(request), gettext_for(request)
    try:
        rows = await services.assessment.all_facts(year, indicator or None)
    except ServiceUnavailable as exc:
        return unavailable_page(request, exc)
    headers = [*(t(h) for h in FACT_HEADERS), t(FACT_HEADERS_ID)]
    lines = [
        [
            labels.label(f.indicator, "indicator", lang),
            f.business_date.isoformat(),
            f.quantity,
            labels.label(f.event_type, "event_type", lang),
            f.subject,
            f.event_id,
        ]
        for f in rows
    ]
    return xlsx_response(f"考核事实-{year}.xlsx", [Sheet(t(_("Counted facts")), headers, lines)])


@router.get("/assessment/scores.xlsx")
async def export_scores(
    request: Request,
    services: ServicesDep,
    runtime: RuntimeDep,
    _signed: YearPage,
    year: Year = None,
) -> Response:
    """The year's scores per indicator, dimension totals and the fund as an .xlsx."""
    year = year or this_year(runtime)
    lang, t = language(request), gettext_for(request)
    try:
        result = await services.assessment.assessment(year)
    except ServiceUnavailable as exc:
        return unavailable_page(request, exc)
    except ServiceRefused as exc:
        return error_page(request, exc.status)
    lines: list[list[Any]] = []
    for code, dim in result.dimensions.items():
        name = labels.label(code, "dimension", lang)
        for key, ind in dim.indicators.items():
            lines.append(
                [
                    name,
                    amount(dim.weight),
                    labels.label(key, "indicator", lang),
                    labels.label(ind.evidence.source, "indicator_source", lang),
                    labels.label(ind.rule, "scoring_rule", lang),
                    amount(ind.target),
                    amount(ind.points),
                    amount(ind.actual),
                    percent(ind.progress),
                    amount(ind.score, 2),
                ]
            )
        lines.append(
            [
                name,
                amount(dim.weight),
                t(_("Dimension score")),
                "",
                "",
                "",
                "",
                "",
                percent(dim.progress),
                amount(dim.score, 2),
            ]
        )
    lines.append([t(_("Bonus items")), "", "", "", "", "", "", "", "", amount(result.bonus, 2)])
    lines.append(
        [
            t(_("Total score")),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            percent(result.progress),
            amount(result.total, 2),
        ]
    )
    fund = result.fund
    fund_lines = [
        [t(_("Base operating funds")), amount(fund.base)],
        [t(_("Reward pool")), amount(fund.reward_pool)],
        [t(_("Reward basis")), labels.label(fund.reward_basis, "reward_basis", lang)],
        [t(_("Share earned")), percent(fund.share)],
        [t(_("Reward funds")), amount(fund.reward)],
        [t(_("Funds in all")), amount(fund.total)],
    ]
    sheets = [
        Sheet(t(_("Assessment scores")), [t(h) for h in SCORE_HEADERS], lines),
        Sheet(t(_("Fund allocation")), [t(_("Fund item")), t(_("Amount (yuan)"))], fund_lines),
    ]
    return xlsx_response(f"考核得分-{year}.xlsx", sheets)


@router.get("/assessment/publication")
async def confirm_publication(
    request: Request,
    services: ServicesDep,
    runtime: RuntimeDep,
    _signed: Publisher,
    year: Year = None,
) -> Response:
    """The second step of publication: it names the year and what publishing freezes."""
    year = year or this_year(runtime)
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
