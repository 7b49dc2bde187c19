"""The hotline's statistics: counts, SLA compliance and time to resolve, by opening period."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, datetime

from enclave_shared.corrections import standing
from enclave_shared.outbox import OutboxSession
from sqlalchemy import Select, select

from services.hotline.config import HotlineSettings
from services.hotline.domain import OPEN_STATUSES, Breach, Status
from services.hotline.handlers.tickets import ROWS_ONLY, opened_between
from services.hotline.models import Ticket
from services.hotline.schemas import SlaStats, TicketStats


async def stats(
    session: OutboxSession,
    *,
    settings: HotlineSettings,
    now: datetime,
    opened_from: date | None = None,
    opened_to: date | None = None,
) -> TicketStats:
    """Counts by status and category, SLA compliance and the median time to resolve, of the
    tickets opened from `opened_from` to `opened_to` (UTC dates, both included; open ends)."""
    opened = opened_between("UTC", opened_from, opened_to)
    rows = (await session.scalars(_tickets().where(*opened))).all()
    accepted = in_time_accept = overdue = 0
    hours_to_resolve: list[float] = []
    resolved_in_time = 0
    for row in rows:
        accept_due, resolve_due = (settings.due(row, b) for b in (Breach.ACCEPT, Breach.RESOLVE))
        if row.accepted_at is not None:
            accepted += 1
            in_time_accept += accept_due is None or row.accepted_at <= accept_due
        if row.resolved_at is not None:
            hours_to_resolve.append((row.resolved_at - row.opened_at).total_seconds() / 3600)
            resolved_in_time += bool(row.within_sla)
        elif row.status in OPEN_STATUSES and resolve_due is not None and now > resolve_due:
            overdue += 1
    resolved = len(hours_to_resolve)
    return TicketStats(
        total=len(rows),
        by_status={s.value: 0 for s in Status} | dict(Counter(r.status for r in rows)),
        by_category={c: 0 for c in settings.categories} | dict(Counter(r.category for r in rows)),
        sla=SlaStats(
            accepted=accepted,
            accepted_within_sla=in_time_accept,
            accept_compliance=_share(in_time_accept, accepted),
            resolved=resolved,
            resolved_within_sla=resolved_in_time,
            resolve_compliance=_share(resolved_in_time, resolved),
            open_overdue=overdue,
        ),
        median_hours_to_resolve=(
            round(statistics.median(hours_to_resolve), 2) if hours_to_resolve else None
        ),
    )


def _tickets() -> Select[Ticket]:
    """Tickets without their collections, void ones left out: the counts read only the rows."""
    return select(Ticket).where(*standing(Ticket)).options(*ROWS_ONLY)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
