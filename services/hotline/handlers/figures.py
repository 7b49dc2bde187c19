"""The hotline's figures (考核指标) for a period, overall and per department with a ranking.

Counted over the tickets opened in the period (business dates in the platform's time zone),
each ticket for the department it stands with now:
- 按时签收率 `on_time_sign_rate`: signed by the sign deadline / signed;
- 按时办结率 `on_time_resolve_rate`: resolved by the resolve deadline (extensions count) /
  resolved;
- 办结率 `resolve_rate`: resolved / tickets handled (not rejected);
- 回访率 `revisit_rate`: tickets whose requester was reached on a revisit / resolved;
- 满意率 `satisfaction_rate`: satisfied + basically satisfied (the last revisit) / reached;
- 发回重办率 `reopen_rate`: sent back at least once / resolved at least once;
- `median_working_hours_to_resolve`: opening to (last) resolution, in working hours.
"resolved" is a ticket resolved now (resolved or closed after it), not one sent back and
still in hand. A rate with nothing to count is null. Departments rank by 按时办结率, then
满意率, then 办结率 (higher first, null last), then name.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import date

from enclave_shared.corrections import standing
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.hotline.config import HotlineSettings
from services.hotline.domain import SATISFIED, Status
from services.hotline.handlers.tickets import ROWS_ONLY, opened_between
from services.hotline.models import Ticket
from services.hotline.schemas import DepartmentFigures, Figures, FiguresReport


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def figures_of(rows: Sequence[Ticket], settings: HotlineSettings) -> Figures:
    """The figures of a set of tickets."""
    handled = [t for t in rows if t.status != Status.REJECTED]
    signed = [t for t in handled if t.signed_at is not None]
    resolved = [t for t in handled if t.resolved_at is not None]
    ever_resolved = [t for t in handled if t.resolved_at is not None or t.reopen_count > 0]
    reached = [t for t in resolved if t.satisfaction is not None]
    satisfied = [t for t in reached if t.satisfaction in SATISFIED]
    hours = [
        settings.calendar.between(t.opened_at, t.resolved_at).total_seconds() / 3600
        for t in resolved
        if t.resolved_at is not None
    ]
    return Figures(
        tickets=len(rows),
        handled=len(handled),
        signed=len(signed),
        signed_in_time=sum(bool(t.signed_in_time) for t in signed),
        resolved=len(resolved),
        resolved_in_time=sum(bool(t.within_sla) for t in resolved),
        revisited=len(reached),
        satisfied=len(satisfied),
        reopened=sum(t.reopen_count > 0 for t in ever_resolved),
        on_time_sign_rate=_rate(sum(bool(t.signed_in_time) for t in signed), len(signed)),
        on_time_resolve_rate=_rate(sum(bool(t.within_sla) for t in resolved), len(resolved)),
        resolve_rate=_rate(len(resolved), len(handled)),
        revisit_rate=_rate(len(reached), len(resolved)),
        satisfaction_rate=_rate(len(satisfied), len(reached)),
        reopen_rate=_rate(sum(t.reopen_count > 0 for t in ever_resolved), len(ever_resolved)),
        median_working_hours_to_resolve=round(statistics.median(hours), 2) if hours else None,
    )


def _rank_key(row: DepartmentFigures) -> tuple[float, float, float, str]:
    f = row.figures
    return (
        -(f.on_time_resolve_rate if f.on_time_resolve_rate is not None else -1),
        -(f.satisfaction_rate if f.satisfaction_rate is not None else -1),
        -(f.resolve_rate if f.resolve_rate is not None else -1),
        row.department,
    )


async def figures(
    session: OutboxSession,
    *,
    settings: HotlineSettings,
    opened_from: date | None = None,
    opened_to: date | None = None,
) -> FiguresReport:
    """The figures of the tickets opened from `opened_from` to `opened_to` (business dates,
    both included; open ends), overall and per department, ranked."""
    conditions = [
        *standing(Ticket),
        *opened_between(settings.time_zone, opened_from, opened_to),
    ]
    query = select(Ticket).where(*conditions).options(*ROWS_ONLY).order_by(Ticket.seq)
    rows = (await session.scalars(query)).all()
    by_department: dict[str, list[Ticket]] = {}
    for ticket in rows:
        if ticket.department is not None:
            by_department.setdefault(ticket.department, []).append(ticket)
    departments = sorted(
        (
            DepartmentFigures(
                department=name,
                department_code=next((t.department_code for t in ts if t.department_code), None),
                rank=0,
                figures=figures_of(ts, settings),
            )
            for name, ts in by_department.items()
        ),
        key=_rank_key,
    )
    for n, row in enumerate(departments, start=1):
        row.rank = n
    return FiguresReport(
        opened_from=opened_from,
        opened_to=opened_to,
        overall=figures_of(rows, settings),
        departments=departments,
    )
