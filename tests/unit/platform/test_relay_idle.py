"""A quiet relay polls less and less often, and polls at its short interval again once woken
or once a pass sends something (issue 18: the idle cost of `make run`)."""

from __future__ import annotations

import asyncio
import time

from enclave_shared.relay import OutboxRelay
from enclave_shared.settings import Profile, ServiceSettings


class CountingRelay(OutboxRelay):
    """A relay whose passes are counted (with their times); `sending` passes send a row."""

    passes: list[float]
    sending = 0

    async def publish_pending(self) -> int:
        self.passes.append(time.monotonic())
        if self.sending:
            self.sending -= 1
            return 1
        return 0

    async def _drop_connection(self) -> None:
        return None


def _relay(idle_poll_s: float | None) -> CountingRelay:
    relay = CountingRelay(
        service="s",
        engine=None,  # type: ignore[arg-type]
        producer=None,  # type: ignore[arg-type]
        poll_s=0.01,
        idle_poll_s=idle_poll_s,
    )
    relay.passes = []
    return relay


async def test_a_quiet_relay_backs_off_up_to_its_idle_poll():
    relay = _relay(idle_poll_s=0.16)
    relay.start()
    await asyncio.sleep(0.6)
    await relay.stop(grace_s=1)
    # 10 ms doubling to 160 ms: ~7 passes in 0.6 s; polling every 10 ms would make ~60.
    assert 3 <= len(relay.passes) <= 10
    gaps = [b - a for a, b in zip(relay.passes, relay.passes[1:], strict=False)]
    assert max(gaps) < 0.16 + 0.1  # never longer than the idle poll (and scheduling)


async def test_without_an_idle_poll_the_relay_polls_at_poll_s():
    relay = _relay(idle_poll_s=None)
    relay.start()
    await asyncio.sleep(0.3)
    await relay.stop(grace_s=1)
    assert len(relay.passes) >= 15  # every 10 ms, as before


async def test_a_wake_up_or_a_sending_pass_brings_the_short_poll_back():
    relay = _relay(idle_poll_s=5.0)
    relay.start()
    await asyncio.sleep(0.5)  # backed off: its next poll is seconds away
    before = len(relay.passes)
    relay.sending = 1
    relay.wake()  # a commit: a pass now, it sends, the next poll comes after 10 ms again
    await asyncio.sleep(0.2)
    await relay.stop(grace_s=1)
    # Passes after 0, 10, 30, 70, 150 ms; at the idle pace there would be one.
    assert len(relay.passes) - before >= 4, "after the wake-up the relay polled at its idle pace"


def test_the_idle_poll_is_long_on_the_embedded_profile_and_poll_s_on_the_real_one(tmp_path):
    embedded = ServiceSettings(profile=Profile.EMBEDDED, data_dir=tmp_path)
    assert embedded.outbox_idle_poll_s is not None
    assert embedded.outbox_idle_poll_s > embedded.outbox_poll_s
    real = ServiceSettings(
        profile=Profile.REAL,
        database_url="postgresql+asyncpg://db/x",
        jwt_public_key_file=tmp_path / "k.pub",
    )
    assert real.outbox_idle_poll_s == real.outbox_poll_s
