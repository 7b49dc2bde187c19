"""The consumer loop applies a fetch in one transaction over all its partitions, and commits
offsets beside the loop, one commit at a time (issue 18, the event path)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from aiokafka import ConsumerRecord, TopicPartition
from enclave_shared.consumer import EventConsumer
from enclave_shared.settings import Profile, ServiceSettings


def _record(tp: TopicPartition, offset: int) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(tp.topic, tp.partition, offset, 0, 0, b"k", b"v", None, 1, 1, [])


class _Kafka:
    """The aiokafka consumer's surface the loop uses; commits wait until released."""

    def __init__(self, tps: list[TopicPartition]) -> None:
        self.tps = tps
        self.release = asyncio.Event()
        self.commits: list[dict[TopicPartition, int]] = []
        self.in_flight = 0
        self.most_in_flight = 0

    def assignment(self) -> set[TopicPartition]:
        return set(self.tps)

    def highwater(self, tp: TopicPartition) -> int | None:
        return None

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await self.release.wait()
            self.commits.append(offsets)
        finally:
            self.in_flight -= 1


class _Loop(EventConsumer):
    """A consumer fed fetches from a list; `_process` only records what it was given."""

    fetches: list[dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]]]
    processed: list[list[tuple[int, int]]]

    async def _fetch_unless_stopping(self) -> Any:
        if not self.fetches:
            self._stopping.set()
            return {}
        return self.fetches.pop(0)

    async def _process(self, records: Any) -> None:
        self.processed.append([(r.partition, r.offset) for r in records])


def _loop(tmp_path: Path, tps: list[TopicPartition]) -> tuple[_Loop, _Kafka]:
    settings = ServiceSettings(profile=Profile.EMBEDDED, data_dir=tmp_path, service="s")
    loop = _Loop(settings=settings, sessions=None, handlers={}, producer=None)  # type: ignore[arg-type]
    kafka = _Kafka(tps)
    loop._consumer = kafka  # type: ignore[assignment]
    loop.processed = []
    return loop, kafka


async def test_a_fetch_over_several_partitions_is_one_transaction_in_partition_order(
    tmp_path: Path,
):
    a, b = TopicPartition("t", 0), TopicPartition("t", 1)
    loop, kafka = _loop(tmp_path, [a, b])
    kafka.release.set()
    loop.fetches = [{a: [_record(a, 0), _record(a, 1)], b: [_record(b, 0)]}]
    await loop._run()
    assert loop.processed == [[(0, 0), (0, 1), (1, 0)]]
    await loop.commit()
    assert kafka.commits[-1] == {a: 2, b: 1}


async def test_the_loop_goes_on_while_an_offset_commit_is_on_its_way(tmp_path: Path):
    a = TopicPartition("t", 0)
    loop, kafka = _loop(tmp_path, [a])
    loop._committed_at -= 10  # the commit interval has passed
    loop.fetches = [{a: [_record(a, n)]} for n in range(5)]
    run = asyncio.create_task(loop._run())
    await asyncio.wait_for(run, 2)  # a commit blocking the loop would hold the fetches
    assert len(loop.processed) == 5
    assert kafka.commits == [] and kafka.in_flight == 1  # still on its way
    last = asyncio.create_task(loop.commit())  # waits for the first: one at a time
    await asyncio.sleep(0.05)
    assert kafka.most_in_flight == 1
    kafka.release.set()
    await last
    assert kafka.commits[-1] == {a: 5}  # the later commit lands last
    assert all(c[a] <= 5 for c in kafka.commits)
