"""The dispatch laid out once as sections of lines (a label, the month's and the year-to-date
value, the list page behind each), for the page, the .xlsx and the .docx alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from services.console import labels
from services.console.dispatch import N_, Dispatch, hotline_queue, url

PATHS = ("order", "menu", "directed", "delivery")
COLORS = ("red", "yellow", "blue")
TRACKS = ("managers", "entrepreneurs", "skilled_workers")
MEETING_KINDS = ("inspection", "coordination", "observation")
RETURNS = (
    ("talent", "talents"),
    ("information", "information"),
    ("capital", "capital"),
    ("enterprise", "enterprises"),
    ("technology", "technologies"),
)
"""The five returns: each kind and its figure in intake's summary."""
BOARD = "/intake/board"
SUPPORT = "/intake/support"
MEETINGS = "/dispatch/meetings"

Translate = Callable[[str], str]


@dataclass(frozen=True)
class Line:
    """One figure: its label, the month's and the year-to-date value, and the console page
    listing the records behind each."""

    key: str
    label: str
    month: Any
    year: Any
    month_link: str | None = None
    year_link: str | None = None


@dataclass
class Section:
    """A heading of the dispatch, its two columns and its figures."""

    key: str
    title: str
    lines: list[Line]
    columns: tuple[str, str] = ("", "")


def _same(key: str, label: str, month: Any, year: Any, link: str) -> Line:
    """A line whose two values open the same list."""
    return Line(key, label, month, year, link, link)


def _dated(
    d: Dispatch,
    page: str,
    key: str,
    label: str,
    month: Any,
    year: Any,
    *,
    names: tuple[str, str] = ("from", "to"),
    **q: Any,
) -> Line:
    """A line whose values open `page` filtered to the month's dates and to the year's so
    far (`names`: the list's two date parameters), with the other filters `q`."""
    first, then = names
    last, jan = d.last_day.isoformat(), f"{d.month.year}-01-01"
    return Line(
        key,
        label,
        month,
        year,
        url(page, **{first: d.month.isoformat(), then: last}, **q),
        url(page, **{first: jan, then: last}, **q),
    )


def _projects(d: Dispatch, lang: str, t: Translate, heads: tuple[str, str]) -> Section:
    assert d.incubation is not None
    m, y = d.incubation["month_figures"]["projects"], d.incubation["year_to_date"]["projects"]
    projects = "/enclave/projects"
    # registered: the list's registration dates; matured and transferred: the dates the
    # project reached that stage, as the stats count them
    lines = [
        _dated(
            d,
            projects,
            "projects.registered",
            t(N_("Projects registered (enclave)")),
            m["registered"],
            y["registered"],
        )
    ]
    for p in PATHS:
        path = "· " + labels.label(p, "path", lang)
        lines.append(
            _dated(
                d,
                projects,
                f"projects.registered.{p}",
                path,
                m["by_path"][p],
                y["by_path"][p],
                path=p,
            )
        )
    for what, title in (
        ("matured", N_("Projects matured")),
        ("transferred", N_("Projects transferred")),
    ):
        names = (f"{what}_from", f"{what}_to")
        lines.append(
            _dated(d, projects, f"projects.{what}", t(title), m[what], y[what], names=names)
        )
        for p in PATHS:
            lines.append(
                _dated(
                    d,
                    projects,
                    f"projects.{what}.{p}",
                    "· " + labels.label(p, "path", lang),
                    m[f"{what}_by_path"][p],
                    y[f"{what}_by_path"][p],
                    names=names,
                    path=p,
                )
            )
    return Section("projects", t(N_("Projects (Shenzhen enclave)")), lines, heads)


def _training(d: Dispatch, lang: str, t: Translate, heads: tuple[str, str]) -> Section:
    assert d.incubation is not None
    m, y = d.incubation["month_figures"]["training"], d.incubation["year_to_date"]["training"]
    last, jan = d.last_day.isoformat(), f"{d.month.year}-01-01"
    lines = [
        Line(
            f"training.{track}",
            labels.label(track, "training_track", lang),
            m[track]["completed"],
            f"{y[track]['completed']} / {y[track]['target']}",
            url("/enclave/training", track=track, **{"from": d.month.isoformat(), "to": last}),
            url("/enclave/training", track=track, **{"from": jan, "to": last}),
        )
        for track in TRACKS
    ]
    columns = (heads[0], t(N_("Year to date / target")))
    return Section("training", t(N_("531 training against its targets")), lines, columns)


def _cases(d: Dispatch, lang: str, t: Translate, heads: tuple[str, str]) -> Section:
    assert d.intake is not None
    m, y = d.intake["month_figures"], d.intake["year_to_date"]
    lines = [
        _same("cases.opened", t(N_("Cases opened")), m["cases_opened"], y["cases_opened"], BOARD)
    ]
    for c in COLORS:
        lines.append(
            _same(
                f"cases.{c}",
                "· " + labels.label(c, "color", lang),
                m["cases_by_color"][c],
                y["cases_by_color"][c],
                f"{BOARD}#h-{c}",
            )
        )
    reds = len(d.intake["red_cases"])
    label = t(N_("Red for more than 30 days (at the month's end)"))
    lines.append(_same("cases.red_too_long", label, reds, reds, "#red-cases"))
    return Section("cases", t(N_("Cases (Shangrao intake base)")), lines, heads)


def _meetings(d: Dispatch, lang: str, t: Translate, heads: tuple[str, str]) -> Section:
    assert d.intake is not None
    m, y = d.intake["month_figures"]["meetings"], d.intake["year_to_date"]["meetings"]

    def due(key: str, label: str, month: Any, year: Any, **q: Any) -> Line:
        # the periods falling due in the month, and in the year so far, as intake counts them
        return _dated(d, MEETINGS, key, label, month, year, **q)

    lines = [
        due(f"meetings.{what}", t(title), m[what], y[what], **q)
        for what, title, q in (
            ("due", N_('"Three ones" due'), {}),
            ("held", N_("held"), {"status": "held"}),
            ("missed", N_("missed"), {"status": "overdue"}),
        )
    ]
    for kind in MEETING_KINDS:
        mk, yk = m["by_kind"][kind], y["by_kind"][kind]
        lines.append(
            due(
                f"meetings.{kind}",
                "· " + labels.label(kind, "meeting_kind", lang),
                f"{mk['held']} / {mk['due']}",
                f"{yk['held']} / {yk['due']}",
                kind=kind,
            )
        )
    return Section("meetings", t(N_('The "three ones" (held / due)')), lines, heads)


def _returns(d: Dispatch, lang: str, t: Translate, heads: tuple[str, str]) -> Section:
    assert d.intake is not None
    m, y = d.intake["month_figures"]["five_returns"], d.intake["year_to_date"]["five_returns"]
    jan = d.month.replace(month=1)

    def entries(kind: str, start: date) -> str:
        # the support page's five returns of that kind dated in the period, summed the same
        dates = {"from": start.isoformat(), "to": d.last_day.isoformat()}
        return url(SUPPORT, return_kind=kind, **dates) + "#h-five-returns"

    lines = []
    for kind, figure in RETURNS:
        label = labels.label(kind, "return_kind", lang)
        month, year = m[figure], y[figure]
        if kind == "capital":
            label, month, year = t(N_("Capital invested (10k yuan)")), wan(month), wan(year)
        lines.append(
            Line(f"returns.{kind}", label, month, year, entries(kind, d.month), entries(kind, jan))
        )
    return Section("returns", t(N_("The five returns (district)")), lines, heads)


def _hotline(d: Dispatch, t: Translate, heads: tuple[str, str]) -> Section:
    assert d.hotline is not None
    m, y = d.hotline["month_figures"]["overall"], d.hotline["year_to_date"]["overall"]
    jan = d.month.replace(month=1)
    lines = [
        Line(
            f"hotline.{what}",
            t(title),
            m[what],
            y[what],
            hotline_queue(what, d.month, d.last_day),
            hotline_queue(what, jan, d.last_day),
        )
        for what, title in (
            ("opened", N_("Tickets opened")),
            ("resolved", N_("Tickets resolved")),
            ("resolved_in_time", N_("Resolved within the time limit")),
            ("escalated", N_("Tickets escalated")),
        )
    ]
    return Section("hotline", t(N_("Hotline")), lines, heads)


def _assessment(d: Dispatch, lang: str, t: Translate) -> Section:
    a = d.assessment
    assert a is not None
    year = url("/assessment", year=d.month.year, as_of=d.month.isoformat()[:7])
    lines = [
        _same(
            f"assessment.{code}",
            labels.label(code, "dimension", lang),
            amount(dim.score),
            f"{amount(dim.weight)} ({percent(dim.progress)})",
            f"{year}#dim-{code}",
        )
        for code, dim in a.dimensions.items()
    ]
    lines += [
        _same("assessment.bonus", t(N_("Bonus items")), amount(a.bonus), "", year),
        _same("assessment.total", t(N_("Total score")), amount(a.total), percent(a.progress), year),
        _same(
            "assessment.fund",
            t(N_("Fund it would allocate (yuan)")),
            amount(a.fund.total),
            "",
            year,
        ),
    ]
    columns = (t(N_("Points scored")), t(N_("Weight (progress)")))
    return Section("assessment", t(N_("Assessment so far")), lines, columns)


def sections(d: Dispatch, lang: str, t: Translate) -> list[Section]:
    """The dispatch laid out: projects, training, cases, the three ones, the five returns,
    the hotline, the assessment; a service that did not answer leaves its sections out."""
    heads = (t(N_("This month")), t(N_("Year to date")))
    out: list[Section] = []
    if d.incubation:
        out += [_projects(d, lang, t, heads), _training(d, lang, t, heads)]
    if d.intake:
        out += [_cases(d, lang, t, heads), _meetings(d, lang, t, heads)]
        out.append(_returns(d, lang, t, heads))
    if d.hotline:
        out.append(_hotline(d, t, heads))
    if d.assessment:
        out.append(_assessment(d, lang, t))
    return out


def amount(value: Decimal | float) -> str:
    """A score or a sum with two decimals and thousands separators."""
    return f"{Decimal(value):,.2f}"


def wan(value: float | str) -> str:
    """An exact amount of 万元 as the service sent it, with thousands separators: 1,200.5."""
    return f"{Decimal(str(value)).normalize():,f}"


def percent(value: Decimal | float) -> str:
    """A share as a percentage with one decimal."""
    return f"{Decimal(value) * 100:.1f}%"
