"""The district secretary's dispatch (书记项目调度): one month and the year to date, read from
each service's own dispatch endpoint (aggregates computed where the data lives) and the
assessment's live scores; laid out once as sections of lines, which the page, the .xlsx and
the .docx (dispatch_documents.py) all show, so the three hold the same numbers.

`build` is also what `enclave report dispatch` calls, with a token it signs."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from services.console import labels
from services.console.clients import ServiceClient, Services, gather
from services.console.clients.assessment import Assessment

PATHS = ("order", "menu", "directed", "delivery")
COLORS = ("red", "yellow", "blue")
TRACKS = ("managers", "entrepreneurs", "skilled_workers")


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


def parse_month(text: str) -> date:
    """The first day of a `YYYY-MM` month; ValueError otherwise."""
    year, _, month = text.partition("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    return date(int(year), int(month), 1)


async def _dispatch_of(client: ServiceClient, month: str) -> dict[str, Any]:
    body: dict[str, Any] = await client._get("/api/v1/dispatch", month=month)
    return body


async def build(services: Services, month: date) -> Dispatch:
    """Read the month's dispatch from the three services and the year's assessment, at once."""
    code = month.isoformat()[:7]
    gathered = await gather(
        {
            "incubation": _dispatch_of(services.incubation, code),
            "intake": _dispatch_of(services.intake, code),
            "hotline": _dispatch_of(services.hotline, code),
            "assessment": services.assessment.assessment(month.year),
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


@dataclass(frozen=True)
class Line:
    """One figure: its label, the month's and the year-to-date value, and the console page
    listing the records behind each (None when no list page shows them)."""

    key: str
    label: str
    month: Any
    year: Any
    month_link: str | None = None
    year_link: str | None = None


@dataclass
class Section:
    """A heading of the dispatch and its figures."""

    key: str
    title: str
    lines: list[Line]
    columns: tuple[str, str] = ("", "")


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


def _url(page: str, **query: Any) -> str:
    given = {k: v for k, v in query.items() if v not in (None, "")}
    return page + ("?" + urlencode(given) if given else "")


def sections(d: Dispatch, lang: str, t: Callable[[str], str]) -> list[Section]:
    """The dispatch laid out: projects, cases, the three ones, the hotline, training, the
    assessment; each line with its month and year-to-date value."""
    first, last, jan = d.month.isoformat(), d.last_day.isoformat(), f"{d.month.year}-01-01"
    out: list[Section] = []
    heads = (t(N_("This month")), t(N_("Year to date")))

    if d.incubation:
        m, y = d.incubation["month_figures"]["projects"], d.incubation["year_to_date"]["projects"]

        def projects(**q: Any) -> tuple[str, str]:
            return (
                _url("/enclave/projects", **{"from": first, "to": last}, **q),
                _url("/enclave/projects", **{"from": jan, "to": last}, **q),
            )

        lines = [
            Line(
                "projects.registered",
                t(N_("Projects registered (enclave)")),
                m["registered"],
                y["registered"],
                *projects(),
            )
        ]
        for p in PATHS:
            lines.append(
                Line(
                    f"projects.registered.{p}",
                    "· " + labels.label(p, "path", lang),
                    m["by_path"][p],
                    y["by_path"][p],
                    *projects(path=p),
                )
            )
        for what, title in (
            ("matured", N_("Projects matured")),
            ("transferred", N_("Projects transferred")),
        ):
            link = _url("/enclave/projects", stage=what)
            lines.append(Line(f"projects.{what}", t(title), m[what], y[what], link, link))
            for p in PATHS:
                link = _url("/enclave/projects", stage=what, path=p)
                lines.append(
                    Line(
                        f"projects.{what}.{p}",
                        "· " + labels.label(p, "path", lang),
                        m[f"{what}_by_path"][p],
                        y[f"{what}_by_path"][p],
                        link,
                        link,
                    )
                )
        out.append(Section("projects", t(N_("Projects (Shenzhen enclave)")), lines, heads))

        tm, ty = d.incubation["month_figures"]["training"], d.incubation["year_to_date"]["training"]
        training = []
        for track in TRACKS:
            training.append(
                Line(
                    f"training.{track}",
                    labels.label(track, "training_track", lang),
                    tm[track]["completed"],
                    f"{ty[track]['completed']} / {ty[track]['target']}",
                    _url("/enclave/training", track=track, **{"from": first, "to": last}),
                    _url("/enclave/training", track=track, **{"from": jan, "to": last}),
                )
            )
        out.append(
            Section(
                "training",
                t(N_("531 training against its targets")),
                training,
                (heads[0], t(N_("Year to date / target"))),
            )
        )

    if d.intake:
        m, y = d.intake["month_figures"], d.intake["year_to_date"]
        board = "/intake/board"
        lines = [
            Line(
                "cases.opened",
                t(N_("Cases opened")),
                m["cases_opened"],
                y["cases_opened"],
                board,
                board,
            )
        ]
        for c in COLORS:
            link = _url(board) + f"#h-{c}"
            lines.append(
                Line(
                    f"cases.{c}",
                    "· " + labels.label(c, "color", lang),
                    m["cases_by_color"][c],
                    y["cases_by_color"][c],
                    link,
                    link,
                )
            )
        reds = len(d.intake["red_cases"])
        lines.append(
            Line(
                "cases.red_too_long",
                t(N_("Red for more than 30 days (at the month's end)")),
                reds,
                reds,
                "#red-cases",
                "#red-cases",
            )
        )
        out.append(Section("cases", t(N_("Cases (Shangrao intake base)")), lines, heads))

        meetings = []
        for what, title in (
            ("due", N_('"Three ones" due')),
            ("held", N_("held")),
            ("missed", N_("missed")),
        ):
            meetings.append(
                Line(
                    f"meetings.{what}",
                    t(title),
                    m["meetings"][what],
                    y["meetings"][what],
                    board,
                    board,
                )
            )
        for kind in ("inspection", "coordination", "observation"):
            mk, yk = m["meetings"]["by_kind"][kind], y["meetings"]["by_kind"][kind]
            meetings.append(
                Line(
                    f"meetings.{kind}",
                    "· " + labels.label(kind, "meeting_kind", lang),
                    f"{mk['held']} / {mk['due']}",
                    f"{yk['held']} / {yk['due']}",
                    board,
                    board,
                )
            )
        out.append(Section("meetings", t(N_('The "three ones" (held / due)')), meetings, heads))

    if d.hotline:
        m, y = d.hotline["month_figures"], d.hotline["year_to_date"]
        queue = "/hotline/tickets"
        lines = []
        for what, title, status in (
            ("opened", N_("Tickets opened"), None),
            ("resolved", N_("Tickets resolved"), "resolved"),
            ("resolved_in_time", N_("Resolved within the time limit"), "resolved"),
            ("escalated", N_("Tickets escalated"), None),
        ):
            link = _url(queue, status=status, sla="met" if what == "resolved_in_time" else None)
            lines.append(
                Line(
                    f"hotline.{what}", t(title), m["overall"][what], y["overall"][what], link, link
                )
            )
        out.append(Section("hotline", t(N_("Hotline")), lines, heads))

    if d.assessment:
        a, year = d.assessment, d.month.year
        lines = []
        for code, dim in a.dimensions.items():
            link = _url("/assessment", year=year) + f"#dim-{code}"
            lines.append(
                Line(
                    f"assessment.{code}",
                    labels.label(code, "dimension", lang),
                    _amount(dim.score),
                    f"{_amount(dim.weight)} ({_percent(dim.progress)})",
                    link,
                    link,
                )
            )
        link = _url("/assessment", year=year)
        lines.append(
            Line("assessment.bonus", t(N_("Bonus items")), _amount(a.bonus), "", link, link)
        )
        lines.append(
            Line(
                "assessment.total",
                t(N_("Total score")),
                _amount(a.total),
                _percent(a.progress),
                link,
                link,
            )
        )
        lines.append(
            Line(
                "assessment.fund",
                t(N_("Fund it would allocate (yuan)")),
                _amount(a.fund.total),
                "",
                link,
                link,
            )
        )
        out.append(
            Section(
                "assessment",
                t(N_("Assessment so far")),
                lines,
                (t(N_("Points scored")), t(N_("Weight (progress)"))),
            )
        )
    return out


def departments(d: Dispatch) -> list[dict[str, Any]]:
    """The hotline's departments in the month (ranked), each with its year-to-date figures."""
    if not d.hotline:
        return []
    ytd = {r["department"]: r for r in d.hotline["year_to_date"]["departments"]}
    empty = {"opened": 0, "resolved": 0, "resolved_in_time": 0, "escalated": 0}
    rows = []
    for r in d.hotline["month_figures"]["departments"]:
        rows.append({"month": r, "year": ytd.get(r["department"], empty)})
    seen = {r["month"]["department"] for r in rows}
    for name, r in ytd.items():
        if name not in seen:
            rows.append({"month": {"department": name, **empty}, "year": r})
    return rows


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


def _amount(value: Decimal | float) -> str:
    return f"{Decimal(value):,.2f}"


def _percent(value: Decimal | float) -> str:
    return f"{Decimal(value) * 100:.1f}%"
