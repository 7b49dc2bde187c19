"""The assessment's exports: the year's scores with the fund allocation, and the counted
facts behind them (of the year, or of one indicator)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response

from services.console import labels
from services.console.clients import ServiceRefused, ServiceUnavailable
from services.console.deps import ServicesDep
from services.console.exports import Sheet, xlsx_response
from services.console.formatting import amount, percent
from services.console.pages import page_router
from services.console.pages.assessment import AskedYear, YearPage
from services.console.pages.lists import N_ as _
from services.console.pages.lists import unavailable_page, workbook
from services.console.web import error_page, gettext_for, language

router = page_router()

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


@router.get("/assessment/facts.xlsx")
async def export_facts(
    request: Request,
    services: ServicesDep,
    _signed: YearPage,
    asked: AskedYear,
    indicator: str = "",
) -> Response:
    """Every fact of the year (or of one indicator) as an .xlsx."""
    year = asked.year
    lang = language(request)
    try:
        rows = await services.assessment.all_facts(year, indicator or None)
    except ServiceUnavailable as exc:
        return unavailable_page(request, exc)
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
    headers = (*FACT_HEADERS, FACT_HEADERS_ID)
    return workbook(request, _("Counted facts"), headers, lines, filename=f"考核事实-{year}.xlsx")


@router.get("/assessment/scores.xlsx")
async def export_scores(
    request: Request,
    services: ServicesDep,
    _signed: YearPage,
    asked: AskedYear,
) -> Response:
    """The year's scores per indicator, dimension totals and the fund as an .xlsx."""
    year = asked.year
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
