"""Periodic work of the intake service: the sweep that announces missed three-ones meetings."""

from __future__ import annotations

import logging

from enclave_shared.app import PeriodicJob, Runtime

from services.intake.config import IntakeSettings
from services.intake.handlers import meetings

log = logging.getLogger(__name__)

# The frame fixes job intervals in the spec, before settings are read; a missed meeting is
# a matter of days, so a quarter-hour sweep is plenty.
CHECK_MEETINGS_EVERY_S = 900.0


async def check_meetings(runtime: Runtime[IntakeSettings]) -> int:
    """Report missed meetings as of the business date today; return how many."""
    async with runtime.sessions() as session:
        sent = await meetings.report_missed(
            session,
            as_of=runtime.today(),
            lookback_days=runtime.settings.missed_meeting_lookback_days,
        )
        await session.commit()
    if sent:
        log.info("reported %d missed three-ones meeting(s)", sent)
    return sent


async def _sweep_missed_meetings(runtime: Runtime[IntakeSettings]) -> None:
    await check_meetings(runtime)


JOBS = [PeriodicJob("three-ones-missed-meetings", CHECK_MEETINGS_EVERY_S, _sweep_missed_meetings)]
