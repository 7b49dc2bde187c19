"""The relay stops when asked, whatever its loop is doing at that moment."""

from __future__ import annotations

import asyncio

import pytest
from enclave_shared.relay import OutboxRelay


class IdleRelay(OutboxRelay):
    """A relay with nothing to publish: its loop only waits for wake-ups and polls."""

    async def publish_pending(self) -> int:
        return 0

    async def _drop_connection(self) -> None:
        return None


@pytest.mark.parametrize("steps", range(8))
async def test_a_stop_that_meets_a_wake_up_still_stops(steps):
    """A wake-up lands and the stop comes `steps` loop iterations later: on Python 3.11,
    `asyncio.wait_for` returns the result of a wait that completed in the same iteration as
    its cancellation, swallowing the cancel, and a loop that relies on the cancel alone
    runs on: the service's shutdown then waits for it forever."""
    relay = IdleRelay(service="s", engine=None, producer=None, poll_s=30)  # type: ignore[arg-type]
    relay.start()
    await asyncio.sleep(0.01)  # the loop is waiting for a wake-up
    loop_task = relay._task
    assert loop_task is not None
    relay.wake()
    for _ in range(steps):
        await asyncio.sleep(0)
    stopping = asyncio.ensure_future(relay.stop(grace_s=1))
    await asyncio.wait([stopping], timeout=5)  # not asyncio.timeout: stop must not need one
    assert stopping.done() and loop_task.done(), "the relay's loop runs on after stop()"
    stopping.result()


async def test_a_stop_cancelled_by_its_caller_is_cancelled():
    """Cancelling the task that waits in stop() cancels it (not swallowed on the way)."""
    relay = IdleRelay(service="s", engine=None, producer=None, poll_s=30)  # type: ignore[arg-type]
    relay.start()
    await asyncio.sleep(0.01)
    stopping = asyncio.ensure_future(relay.stop(grace_s=1))
    await asyncio.sleep(0)
    stopping.cancel()
    await asyncio.wait([stopping], timeout=5)
    assert stopping.cancelled()
