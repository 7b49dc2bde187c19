"""The district secretary's dispatch (书记项目调度): one month and the year to date, read from
each service's own dispatch endpoint (aggregates computed where the data lives) and the
assessment's live scores. dispatch_sections.py lays it out once as sections of lines, which
the page, the .xlsx and the .docx (dispatch_documents.py) all show: the same numbers.

`build` is also what `enclave report dispatch` calls, with a token it signs."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from services.console.clients import ServiceClient, Services, gather
from services.console.clients.assessment import Assessment


def N_(message: str) -> str:
    """Mark an English message id for the catalog; it is translated when shown."""
    return message


@dataclass
class Dispatch:
    """What the services gave for one month: each service's dispatch (None when it did not
    answer) and the assessment of the month's year."""

    month: date
    incubation: dict[str, Any] | None
    intake: dict[str, Any] | None
    hotline: dict[str, Any] | None
    assessment: Assessment | None
    unavailable: list[str] = field(default_factory=list)

    @property
    def month_code(self) -> str:
        return self.month.isoformat()[:7]

    @property
    def last_day(self) -> date:
        return self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1])


MONTH = re.compile(r"(20\d\d|2100)-(0[1-9]|1[0-2])")
"""A month the dispatch is asked for: the services accept 2000 to 2100."""


def parse_month(text: str) -> date:
    """The first day of a `YYYY-MM` month; ValueError otherwise."""
    if not MONTH.fullmatch(text):
        raise ValueError(f"not a month of 2000 to 2100 (YYYY-MM): {text!r}")
    return date(int(text[:4]), int(text[5:]), 1)


async def _dispatch_of(client: ServiceClient, month: str) -> dict[str, Any]:
    body: dict[str, Any] = await client._get("/api/v1/dispatch", month=month)
    return body


async def build(services: Services, month: date) -> Dispatch:
    """Read the month's dispatch from the three services and the year's assessment as of the
    month's end, at once."""
    code = month.isoformat()[:7]
    gathered = await gather(
        {
            "incubation": _dispatch_of(services.incubation, code),
            "intake": _dispatch_of(services.intake, code),
            "hotline": _dispatch_of(services.hotline, code),
            "assessment": services.assessment.assessment(month.year, as_of=code),
        }
    )
    values = gathered.values
    return Dispatch(
        month=month,
        incubation=values["incubation"],
        intake=values["intake"],
        hotline=values["hotline"],
        assessment=values["assessment"],
        unavailable=[*gathered.unavailable, *gathered.refused],
    )


@dataclass
class RedCase:
    """A case red for more than 30 days, as the dispatch names it."""

    case_id: str
    title: str
    enterprise: str
    path: str
    responsible_unit: str
    red_since: str
    days_red: int
    link: str


def url(page: str, **query: Any) -> str:
    """A console page with a query (empty values left out)."""
    given = {k: v for k, v in query.items() if v not in (None, "")}
    return page + ("?" + urlencode(given) if given else "")


def hotline_queue(what: str, start: date, end: date, **query: Any) -> str:
    """The queue of the tickets behind a hotline figure: those opened in [start, end] (the
    dates the hotline's figures count by), narrowed as the figure counts them."""
    outcome = {"resolved": "resolved", "resolved_in_time": "resolved", "escalated": "escalated"}
    return url(
        "/hotline/tickets",
        **{"from": start.isoformat(), "to": end.isoformat()},
        outcome=outcome.get(what),
        sla="met" if what == "resolved_in_time" else None,
        **query,
    )


def departments(d: Dispatch) -> list[dict[str, Any]]:
    """The hotline's departments in the month (ranked), then those with tickets earlier in the
    year; each with its month's and year-to-date figures and the queue of its tickets."""
    if not d.hotline:
        return []
    ytd = {r["department"]: r for r in d.hotline["year_to_date"]["departments"]}
    empty = {"opened": 0, "resolved": 0, "resolved_in_time": 0, "escalated": 0}
    month = {r["department"]: r for r in d.hotline["month_figures"]["departments"]}
    names = [*month, *(name for name in ytd if name not in month)]
    return [
        {
            "department": name,
            "month": month.get(name, empty),
            "year": ytd.get(name, empty),
            "links": {
                period: {
                    what: hotline_queue(what, start, d.last_day, department=name) for what in empty
                }
                for period, start in (("month", d.month), ("year", d.month.replace(month=1)))
            },
        }
        for name in names
    ]


def red_cases(d: Dispatch) -> list[RedCase]:
    """The cases red for more than 30 days at the month's end, longest first."""
    if not d.intake:
        return []
    return [
        RedCase(
            case_id=r["case_id"],
            title=r["title"],
            enterprise=r["enterprise"] or "",
            path=r["path"],
            responsible_unit=r["responsible_unit"] or "",
            red_since=r["red_since"],
            days_red=r["days_red"],
            link=f"/intake/cases/{r['case_id']}",
        )
        for r in d.intake["red_cases"]
    ]


def trend_chart(d: Dispatch, t: Callable[[str], str]) -> dict[str, Any] | None:
    """ECharts option: each month of the year so far, projects, cases red, tickets."""
    if not (d.incubation or d.intake or d.hotline):
        return None
    months = [f"{n}月" for n in range(1, d.month.month + 1)]
    series = []

    def line(name: str, values: list[Any]) -> None:
        series.append({"name": name, "type": "line", "data": values})

    if d.incubation:
        line(
            t(N_("Projects registered (enclave)")),
            [m["registered"] for m in d.incubation["months"]],
        )
        line(t(N_("Projects transferred")), [m["transferred"] for m in d.incubation["months"]])
    if d.intake:
        line(
            t(N_("Cases red at the month's end")),
            [m["cases_by_color"]["red"] for m in d.intake["months"]],
        )
        line(t(N_('"Three ones" missed')), [m["meetings"]["missed"] for m in d.intake["months"]])
    if d.hotline:
        line(t(N_("Tickets opened")), [m["opened"] for m in d.hotline["months"]])
        line(t(N_("Tickets escalated")), [m["escalated"] for m in d.hotline["months"]])
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [s["name"] for s in series]},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": series,
    }
