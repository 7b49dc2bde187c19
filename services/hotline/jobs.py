"""The hotline's periodic work (`JOBS`): the SLA sweep every minute, and the watch on the
working-day calendar's reach (a gauge each minute, a warning once a day while it runs out)."""

from __future__ import annotations

import logging
from datetime import date

from enclave_shared.app import PeriodicJob, Runtime
from prometheus_client import Gauge

from services.hotline.config import HotlineSettings
from services.hotline.handlers.supervision import SweepResult, supervise

log = logging.getLogger(__name__)

SWEEP_EVERY_S = 60.0
CALENDAR_WATCH_EVERY_S = 60.0

CALENDAR_DAYS_LEFT = Gauge(
    "hotline_calendar_covered_until_days",
    "Days left until the last day the working-day calendar knows (negative once past it)",
    ["service"],
)
_warned_on: dict[str, date] = {}
"""The business date each running hotline (by its topic prefix) last warned on."""


async def sweep_once(runtime: Runtime[HotlineSettings]) -> SweepResult:
    """One supervision pass at the runtime's clock, in its own transaction; what it did."""
    async with runtime.sessions() as session:
        result = await supervise(session, settings=runtime.settings, now=runtime.clock())
        await session.commit()
    result.count_breaches()
    return result


async def sweep(runtime: Runtime[HotlineSettings]) -> None:
    """The periodic job: one supervision pass."""
    await sweep_once(runtime)


async def watch_calendar(runtime: Runtime[HotlineSettings]) -> None:
    """Set the gauge of the days the calendar has left and, once a business day while fewer
    than `calendar_warn_days` are left, log a warning (an error once it has run out)."""
    settings = runtime.settings
    today = runtime.today()
    coverage = settings.calendar_coverage()
    left = coverage.days_left(today)
    CALENDAR_DAYS_LEFT.labels(settings.service).set(left)
    if left < settings.calendar_warn_days and _warned_on.get(settings.topic_prefix) != today:
        _warned_on[settings.topic_prefix] = today
        next_year = coverage.until.year + 1
        if left < 0:
            log.error(
                "the working-day calendar ran out on %s (%s): every time limit is refused "
                "until %d is given in HOTLINE_CALENDAR_FILE",
                coverage.until,
                coverage.source,
                next_year,
            )
        else:
            log.warning(
                "the working-day calendar ends on %s (%s), %d days from now: give %d's "
                "holidays and make-up days in HOTLINE_CALENDAR_FILE before then, or time "
                "limits running into %d are refused",
                coverage.until,
                coverage.source,
                left,
                next_year,
                next_year,
            )


JOBS = [
    PeriodicJob("hotline-sla-sweep", SWEEP_EVERY_S, sweep),
    PeriodicJob("hotline-calendar-watch", CALENDAR_WATCH_EVERY_S, watch_calendar),
]
