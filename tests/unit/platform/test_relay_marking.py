"""The relay marks a pass's rows in the next pass's read transaction (issue 18, the event
path): one transaction a pass, and the next send does not wait for a marking of its own."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from enclave_shared.db import OutboxEvent, PlatformBase, create_engine
from enclave_shared.relay import OutboxRelay
from sqlalchemy import event as sa_event
from sqlalchemy import func, insert, select


class _Client:
    """A Kafka client that acknowledges every send at once and remembers the keys."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, topic: str, *, value: bytes, key: bytes, headers: Any) -> Any:
        self.sent.append(key.decode())
        done = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


class _Producer:
    def __init__(self) -> None:
        self.client = _Client()


async def _add(engine: Any, *keys: str) -> None:
    async with engine.begin() as conn:
        rows = [
            {"event_id": k, "event_type": "t", "topic": "t", "key": k, "body": "{}"} for k in keys
        ]
        await conn.execute(insert(OutboxEvent.__table__), rows)  # type: ignore[arg-type]


async def _unpublished(engine: Any) -> int:
    async with engine.connect() as conn:
        pending = select(func.count()).where(OutboxEvent.published_at.is_(None))
        return int(await conn.scalar(pending) or 0)


async def test_a_pass_marks_the_last_passs_rows_and_reads_the_next_in_one_transaction(
    tmp_path: Path,
):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/relay.db")
    async with engine.begin() as conn:
        await conn.run_sync(PlatformBase.metadata.create_all)
    producer = _Producer()
    relay = OutboxRelay(service="s", engine=engine, producer=producer, poll_s=1.0)  # type: ignore[arg-type]
    begins: list[object] = []
    sa_event.listen(engine.sync_engine, "begin", begins.append)
    try:
        await _add(engine, "a", "b")
        begins.clear()
        assert await relay.publish_pending() == 2
        assert len(begins) == 1, "the pass that sent waited for a marking transaction"
        assert await _unpublished(engine) == 2  # sent; marked by the next pass
        await _add(engine, "c")  # committed while a and b were on their way
        begins.clear()
        assert await relay.publish_pending() == 1
        assert len(begins) == 1  # a and b marked, c read: one transaction
        assert await _unpublished(engine) == 1
        assert await relay.publish_pending() == 0
        assert await _unpublished(engine) == 0
        assert producer.client.sent == ["a", "b", "c"]  # each once, in order
    finally:
        await engine.dispose()


async def test_the_loop_runs_the_marking_pass_at_once_after_a_pass_that_sent(tmp_path: Path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/relay.db")
    async with engine.begin() as conn:
        await conn.run_sync(PlatformBase.metadata.create_all)
    relay = OutboxRelay(service="s", engine=engine, producer=_Producer(), poll_s=30.0)  # type: ignore[arg-type]
    try:
        await _add(engine, "a")
        relay.start()
        relay.wake()
        for _ in range(200):
            if await _unpublished(engine) == 0:
                break
            await asyncio.sleep(0.01)
        assert await _unpublished(engine) == 0, "the marking waited for the 30 s poll"
    finally:
        await relay.stop(grace_s=1)
        await engine.dispose()
