"""The district secretary's dispatch (书记项目调度): the hotline's tickets of a month and the
year to date (the figures' own: opened, resolved, within the limit, by department), the
escalated ones, and the trend over the months of the year."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from enclave_shared.corrections import standing
from enclave_shared.outbox import OutboxSession
from sqlalchemy import func, select

from services.hotline.config import HotlineSettings
from services.hotline.handlers.figures import figures
from services.hotline.handlers.tickets import escalated_ids, opened_between
from services.hotline.models import Ticket


def month_end(first: date) -> date:
    """The last day of the month `first` is in."""
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


async def escalated(
    session: OutboxSession, *, settings: HotlineSettings, start: date, end: date
) -> dict[str | None, int]:
    """Tickets opened in [start, end] (business dates) that were supervised (督办) at least
    once, a missed limit at level 1 or higher (a reminder, level 0, is not), by department."""
    rows = await session.execute(
        select(Ticket.department, func.count(Ticket.id))
        .where(
            *opened_between(settings.time_zone, start, end),
            Ticket.id.in_(escalated_ids()),
            *standing(Ticket),
        )
        .group_by(Ticket.department)
    )
    return {department: int(n) for department, n in rows}


async def _period(
    session: OutboxSession, settings: HotlineSettings, start: date, end: date
) -> dict[str, Any]:
    report = await figures(session, settings=settings, opened_from=start, opened_to=end)
    up = await escalated(session, settings=settings, start=start, end=end)

    def row(f: Any) -> dict[str, Any]:
        return {
            "opened": f.tickets,
            "resolved": f.resolved,
            "resolved_in_time": f.resolved_in_time,
            "on_time_resolve_rate": f.on_time_resolve_rate,
            "satisfaction_rate": f.satisfaction_rate,
        }

    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "overall": {**row(report.overall), "escalated": sum(up.values())},
        "departments": [
            {
                "department": d.department,
                "department_code": d.department_code,
                "rank": d.rank,
                **row(d.figures),
                "escalated": up.get(d.department, 0),
            }
            for d in report.departments
        ],
        "unassigned_escalated": up.get(None, 0),
    }


async def dispatch(
    session: OutboxSession, *, settings: HotlineSettings, month: date
) -> dict[str, Any]:
    """The month's and the year-to-date tickets and each month of the year so far."""
    trend = []
    for n in range(1, month.month + 1):
        start = date(month.year, n, 1)
        period = await _period(session, settings, start, month_end(start))
        trend.append({"month": start.isoformat()[:7], **period["overall"]})
    last = month_end(month)
    return {
        "month": month.isoformat()[:7],
        "month_figures": await _period(session, settings, month, last),
        "year_to_date": await _period(session, settings, month.replace(month=1), last),
        "months": trend,
    }
