"""The district secretary's dispatch (书记项目调度): the enclave's figures for a month and
the year to date (the stats' own), what matured and transferred by path, and the trend
over the months of the year."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from enclave_shared.catalog.incubation import IntakePath, TrainingTrack
from enclave_shared.corrections import standing
from enclave_shared.outbox import OutboxSession
from sqlalchemy import func, select

from services.incubation.handlers.rows import in_range
from services.incubation.handlers.stats import figures
from services.incubation.models import Project


def month_end(first: date) -> date:
    """The last day of the month `first` is in."""
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


async def _by_path(session: OutboxSession, column: Any, start: date, end: date) -> dict[str, int]:
    counts = dict.fromkeys((p.value for p in IntakePath), 0)
    for path, n in await session.execute(
        select(Project.path, func.count())
        .where(column.is_not(None), *in_range(column, start, end), *standing(Project))
        .group_by(Project.path)
    ):
        counts[path] = int(n)
    return counts


async def _period(
    session: OutboxSession, start: date, end: date, targets: dict[TrainingTrack, int]
) -> dict[str, Any]:
    stats = await figures(session, date_from=start, date_to=end, training_targets=targets)
    stats["projects"]["matured_by_path"] = await _by_path(session, Project.matured_on, start, end)
    stats["projects"]["transferred_by_path"] = await _by_path(
        session, Project.transferred_on, start, end
    )
    return stats


async def dispatch(
    session: OutboxSession, *, month: date, training_targets: dict[TrainingTrack, int]
) -> dict[str, Any]:
    """The month's and the year-to-date figures and each month of the year so far."""
    trend = []
    for n in range(1, month.month + 1):
        start = date(month.year, n, 1)
        stats = await figures(
            session, date_from=start, date_to=month_end(start), training_targets=training_targets
        )
        trend.append(
            {
                "month": start.isoformat()[:7],
                "registered": stats["projects"]["registered"],
                "matured": stats["projects"]["matured"],
                "transferred": stats["projects"]["transferred"],
                "trained": sum(t["completed"] for t in stats["training"].values()),
            }
        )
    last = month_end(month)
    return {
        "month": month.isoformat()[:7],
        "month_figures": await _period(session, month, last, training_targets),
        "year_to_date": await _period(session, month.replace(month=1), last, training_targets),
        "months": trend,
    }
