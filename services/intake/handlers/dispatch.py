"""The district secretary's dispatch (书记项目调度): the base's figures for a month and the
year to date, the cases red too long, the "three ones" owed in the period, the district's
five returns, and the trend over the months of the year. The period figures are the stats'
own (reports.stats), the five returns the summary's (returns.district_sums)."""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from enclave_shared.catalog.intake import MeetingKind
from enclave_shared.corrections import standing
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.intake.domain import CaseStatus, Color, SlotStatus, color_of
from services.intake.handlers.cases import get_pauses
from services.intake.handlers.meetings import get_meetings, schedule_of
from services.intake.handlers.reports import stats
from services.intake.handlers.returns import district_sums
from services.intake.models import IntakeCase, Meeting
from services.intake.schemas import StatsPublic

RED_TOO_LONG_DAYS = 30
"""A case red for more than this many days is named in the dispatch."""


def month_end(first: date) -> date:
    """The last day of the month `first` is in."""
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _stats_part(figures: StatsPublic) -> dict[str, Any]:
    return figures.model_dump(mode="json", by_alias=True)


async def _returns_part(session: OutboxSession, start: date, end: date) -> dict[str, Any]:
    # the district's five returns entered with happened_on in [start, end], as the summary
    # (GET /five-returns/summary?from=&to=) sums them
    return (await district_sums(session, start=start, end=end)).model_dump(mode="json")


def red_cases(cases: Sequence[IntakeCase], *, as_of: date, over_days: int) -> list[dict[str, Any]]:
    """The cases red on `as_of` for more than `over_days` days, longest first. Red counts from
    the signing (the enterprise committed to build; the hotline's red-case supervision counts
    from it too), from the opening for a case not signed yet. Suspended and withdrawn cases
    are out, as on the board."""
    rows: list[dict[str, Any]] = []
    for case in cases:
        if case.opened_on > as_of or case.status == CaseStatus.SUSPENDED.value:
            continue
        if case.withdrawn_on is not None and case.withdrawn_on <= as_of:
            continue
        if color_of(case.construction_started_on, case.production_started_on, as_of) != Color.RED:
            continue
        since = case.signed_on if case.signed_on and case.signed_on <= as_of else case.opened_on
        days = (as_of - since).days
        if days > over_days:
            rows.append(
                {
                    "case_id": case.id,
                    "project_id": case.project_id,
                    "title": case.title,
                    "enterprise": case.enterprise,
                    "path": case.path,
                    "responsible_unit": case.responsible_unit,
                    "red_since": since.isoformat(),
                    "days_red": days,
                }
            )
    rows.sort(key=lambda r: (-int(r["days_red"]), str(r["case_id"])))
    return rows


def _meeting_counts(slots: Sequence[Any]) -> dict[str, Any]:
    counts = Counter((s.kind, s.status) for s in slots)
    by_kind = {
        kind.value: {
            "due": sum(n for (k, _), n in counts.items() if k == kind),
            "held": counts.get((kind, SlotStatus.HELD.value), 0),
            "missed": counts.get((kind, SlotStatus.OVERDUE.value), 0),
            "open": counts.get((kind, SlotStatus.OPEN.value), 0),
        }
        for kind in MeetingKind
    }
    keys = ("due", "held", "missed", "open")
    total = {key: sum(k[key] for k in by_kind.values()) for key in keys}
    return {**total, "by_kind": by_kind}


class _Schedules:
    """Every case's owed periods up to one day, read once for all the periods asked."""

    def __init__(
        self, cases: Sequence[IntakeCase], meetings: Sequence[Meeting], pauses: dict[str, Any]
    ) -> None:
        self._cases = cases
        self._meetings: dict[str, list[Meeting]] = {}
        for m in meetings:
            self._meetings.setdefault(m.case_id, []).append(m)
        self._pauses = pauses

    def slots_within(self, start: date, end: date, as_of: date) -> list[Any]:
        """The periods that fall due in [start, end], each held, missed or still open as of
        `as_of` (a period is missed once its last day is past without the meeting)."""
        until = min(end + timedelta(days=1), as_of)
        return [
            slot
            for case in self._cases
            for slot in schedule_of(
                case, self._meetings.get(case.id, []), until, self._pauses.get(case.id, [])
            )
            if start <= slot.due_on <= end
        ]

    def due_within(self, start: date, end: date, as_of: date) -> dict[str, Any]:
        """The counts of `slots_within`: due, held, missed, open, in all and by kind."""
        return _meeting_counts(self.slots_within(start, end, as_of))


async def _schedules(session: OutboxSession) -> tuple[Sequence[IntakeCase], _Schedules]:
    cases = (await session.scalars(select(IntakeCase).where(*standing(IntakeCase)))).all()
    meetings, _ = await get_meetings(session, case_ids=[c.id for c in cases])
    pauses = await get_pauses(session, case_ids=[c.id for c in cases])
    return cases, _Schedules(cases, meetings, pauses)


async def meetings_due(
    session: OutboxSession,
    *,
    start: date,
    end: date,
    today: date,
    kind: MeetingKind | None = None,
    status: SlotStatus | None = None,
) -> list[dict[str, Any]]:
    """The "three ones" periods the dispatch counts for [start, end] (due, held, missed as
    of today), each with its case's project title and enterprise, by due date."""
    cases, schedules = await _schedules(session)
    of_case = {c.id: c for c in cases}
    rows = []
    for slot in schedules.slots_within(start, end, today):
        if (kind is None or slot.kind == kind) and (status is None or slot.status == status):
            case = of_case[slot.case_id]
            rows.append(
                {**slot.model_dump(mode="json"), "title": case.title, "enterprise": case.enterprise}
            )
    rows.sort(key=lambda r: (r["due_on"], r["case_id"], r["kind"]))
    return rows


async def dispatch(
    session: OutboxSession,
    *,
    month: date,
    today: date,
    baseline_days_to_construction: float,
) -> dict[str, Any]:
    """The month's and the year-to-date figures, the red list and the monthly trend."""
    first, last, year_start = month, month_end(month), month.replace(month=1)
    as_of = min(last, today)
    cases, schedules = await _schedules(session)

    async def figures(start: date | None, end: date) -> StatsPublic:
        return await stats(
            session,
            baseline_days_to_construction=baseline_days_to_construction,
            start=start,
            end=end,
        )

    trend = []
    for n in range(1, month.month + 1):
        start = date(month.year, n, 1)
        end = month_end(start)
        board = await figures(None, end)
        opened = await figures(start, end)
        trend.append(
            {
                "month": start.isoformat()[:7],
                "cases_opened": opened.cases_opened,
                "settled": opened.settled,
                "cases_by_color": {c.value: n for c, n in board.cases_by_color.items()},
                "red_over_days": len(
                    red_cases(cases, as_of=min(end, today), over_days=RED_TOO_LONG_DAYS)
                ),
                "meetings": schedules.due_within(start, end, today),
            }
        )
    return {
        "month": first.isoformat()[:7],
        "as_of": as_of.isoformat(),
        "month_figures": {
            **_stats_part(await figures(first, last)),
            "meetings": schedules.due_within(first, last, today),
            "five_returns": await _returns_part(session, first, last),
        },
        "year_to_date": {
            **_stats_part(await figures(year_start, last)),
            "meetings": schedules.due_within(year_start, last, today),
            "five_returns": await _returns_part(session, year_start, last),
        },
        "red_over_days": RED_TOO_LONG_DAYS,
        "red_cases": red_cases(cases, as_of=as_of, over_days=RED_TOO_LONG_DAYS),
        "months": trend,
    }
