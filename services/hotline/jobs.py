"""The hotline's periodic work: the SLA sweep every minute (`JOBS`)."""

from __future__ import annotations

from enclave_shared.app import PeriodicJob, Runtime

from services.hotline.config import HotlineSettings
from services.hotline.handlers.supervision import SweepResult, supervise

SWEEP_EVERY_S = 60.0


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


JOBS = [PeriodicJob("hotline-sla-sweep", SWEEP_EVERY_S, sweep)]
