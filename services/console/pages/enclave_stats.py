"""The enclave's figures year over year (同比): each figure of a chosen period beside the same
period a year earlier and the ratio — the source's "over ten times the same period last
year". The period defaults to the year so far (the service's default)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Request, Response

from services.console import i18n, labels
from services.console.clients import FieldError, ServiceUnavailable
from services.console.clients.incubation import YearOverYear
from services.console.deps import ServicesDep, page_for
from services.console.pages import page_router
from services.console.pages.lists import N_
from services.console.sessions import SignedIn
from services.console.web import language, render

router = page_router()

StatsPage = Annotated[SignedIn, Depends(page_for("enclave.stats"))]

# How the page names each figure the service compares (its dotted code); the 531 tracks are
# named by their labels.
FIGURES = {
    "talents.total": N_("Talents recruited"),
    "talents.high_level": N_("High-level talents"),
    "talents.researcher": N_("Researchers"),
    "projects.registered": N_("Projects registered"),
    "projects.matured": N_("Projects matured"),
    "projects.transferred": N_("Projects transferred"),
    "agreements.total": N_("Cooperation agreements"),
    "agreements.gba": N_("Agreements with GBA partners"),
    "gba_enterprises.total": N_("GBA enterprises"),
    "hq_economy": N_("HQ-economy enterprises"),
    "activities.total": N_("Activities held"),
    "activities.attendance": N_("People attending the activities"),
}
BAD_DATE = N_("Give a date as YYYY-MM-DD.")
REVERSED = N_("The start of the period may not be after its end.")


@dataclass(frozen=True)
class Line:
    """A line of the table: the figure's name, this period's, last year's, the ratio."""

    figure: str
    name: str
    current: int
    previous: int
    ratio: float | None


def lines(report: YearOverYear, lang: str) -> list[Line]:
    """The report's figures, each named in the page's language."""
    gettext = i18n.translations(lang).gettext
    out = []
    for row in report.figures:
        if row.figure in FIGURES:
            name = gettext(FIGURES[row.figure])
        elif row.figure.startswith("training."):
            track = labels.label(row.figure.split(".")[1], "training_track", lang)
            name = gettext("531 training: %(track)s") % {"track": track}
        else:
            name = row.figure
        out.append(Line(row.figure, name, row.current, row.previous, row.ratio))
    return out


@router.get("/enclave/stats")
async def year_over_year(request: Request, services: ServicesDep, _signed: StatsPage) -> Response:
    """The figures of the period (`from`, `to`) beside the same period a year earlier."""
    query = {k: request.query_params.get(k, "").strip() for k in ("from", "to")}
    errors: dict[str, str] = {}
    dates: dict[str, date] = {}
    for key, value in query.items():
        try:
            if value:
                dates[key] = date.fromisoformat(value)
        except ValueError:
            errors[key] = BAD_DATE
    if "from" in dates and "to" in dates and dates["from"] > dates["to"]:
        errors["from"] = REVERSED
    report = None
    unavailable: list[str] = []
    if not errors:
        try:
            report = await services.incubation.year_over_year(
                date_from=dates.get("from"), date_to=dates.get("to")
            )
        except FieldError as exc:  # the service's own words, e.g. a year with none before it
            errors[exc.field if exc.field in query else "from"] = exc.message
        except ServiceUnavailable as exc:
            unavailable = [exc.service]
    context = {
        "report": report,
        "lines": lines(report, language(request)) if report else [],
        "query": query,
        "errors": errors,
        "unavailable": unavailable,
    }
    # 200 with the errors beside the fields, as the lists' filters: htmx swaps only a 2xx
    return render(request, "enclave/stats.html", context)
