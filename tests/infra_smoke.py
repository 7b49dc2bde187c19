"""Standalone smoke check of the CI Kafka broker (not a pytest module).

    scripts/kafka.sh start
    python tests/infra_smoke.py                      # full round trip, prints OK

Restart check ("broker restarted mid-stream, nothing lost"):

    python tests/infra_smoke.py before-restart --name X   # produce 100, consume+commit 60
    scripts/kafka.sh restart
    python tests/infra_smoke.py after-restart --name X    # resume at committed offsets,
                                                          # get exactly the other 40
"""

from __future__ import annotations

import os
import sys

# `python tests/infra_smoke.py` puts tests/ first on sys.path, where the
# tests/platform/ package would shadow the stdlib "platform" module (imported
# by uuid, asyncio, ...). Drop that entry before importing anything else.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition  # noqa: E402
from aiokafka.admin import AIOKafkaAdminClient, NewTopic  # noqa: E402

BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
PARTITIONS = 3
TOTAL = 100


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


async def create_topic(topic: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP)
    t0 = time.monotonic()
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(name=topic, num_partitions=PARTITIONS, replication_factor=1)]
        )
        described = await admin.describe_topics([topic])
        nparts = len(described[0]["partitions"])
        assert nparts == PARTITIONS, described
    finally:
        await admin.close()
    log(f"created topic {topic} with {nparts} partitions in {time.monotonic() - t0:.2f}s")


async def produce(topic: str, start: int, count: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True)
    t0 = time.monotonic()
    await producer.start()
    try:
        futures = [
            await producer.send(topic, key=str(i).encode(), value=f"msg-{i}".encode())
            for i in range(start, start + count)
        ]
        metas = await asyncio.gather(*futures)
    finally:
        await producer.stop()
    per_part: dict[int, int] = {}
    for m in metas:
        per_part[m.partition] = per_part.get(m.partition, 0) + 1
    log(
        f"produced {count} (acks=all, idempotent) in {time.monotonic() - t0:.2f}s; "
        f"per partition {dict(sorted(per_part.items()))}"
    )


async def consume(topic: str, group: str, limit: int, expect_exactly: int | None) -> set[int]:
    """Consume up to `limit` messages and commit exactly the consumed offsets."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=BOOTSTRAP,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    t0 = time.monotonic()
    await consumer.start()
    try:
        seen: list[int] = []
        to_commit: dict[TopicPartition, int] = {}
        joined_at = None
        deadline = time.monotonic() + 60
        while len(seen) < limit and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500, max_records=limit - len(seen))
            if joined_at is None and consumer.assignment():
                joined_at = time.monotonic()
                parts = sorted(tp.partition for tp in consumer.assignment())
                log(f"group {group} joined, assignment {parts} after {joined_at - t0:.2f}s")
            for tp, records in batches.items():
                for r in records:
                    seen.append(int(r.value.decode().split("-")[1]))
                    to_commit[tp] = r.offset + 1
            if expect_exactly is not None and len(seen) >= expect_exactly:
                break
        if expect_exactly is not None and len(seen) == expect_exactly:
            # make sure nothing beyond the expected messages is delivered
            extra = await consumer.getmany(timeout_ms=1500)
            for records in extra.values():
                seen.extend(int(r.value.decode().split("-")[1]) for r in records)
        if to_commit:
            await consumer.commit(to_commit)
        committed = {tp.partition: await consumer.committed(tp) for tp in to_commit}
        elapsed = time.monotonic() - t0
        log(f"consumed {len(seen)} in {elapsed:.2f}s, committed {dict(sorted(committed.items()))}")
    finally:
        await consumer.stop()
    if len(seen) != len(set(seen)):
        raise SystemExit(f"FAIL: duplicates consumed: {sorted(seen)}")
    return set(seen)


async def end_offsets_total(topic: str) -> int:
    consumer = AIOKafkaConsumer(bootstrap_servers=BOOTSTRAP)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in range(PARTITIONS)]
        ends = await consumer.end_offsets(tps)
        return sum(ends.values())
    finally:
        await consumer.stop()


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "mode", nargs="?", default="all", choices=["all", "before-restart", "after-restart"]
    )
    ap.add_argument("--name", default=None, help="topic/group suffix shared by the restart phases")
    args = ap.parse_args()
    name = args.name or uuid.uuid4().hex[:8]
    topic, group = f"infra-smoke-{name}", f"infra-smoke-group-{name}"
    log(f"bootstrap={BOOTSTRAP} topic={topic} group={group} mode={args.mode}")

    if args.mode == "all":
        await create_topic(topic)
        await produce(topic, 0, TOTAL)
        got = await consume(topic, group, TOTAL, expect_exactly=TOTAL)
        if got != set(range(TOTAL)):
            raise SystemExit(f"FAIL: missing {sorted(set(range(TOTAL)) - got)}")
    elif args.mode == "before-restart":
        await create_topic(topic)
        await produce(topic, 0, TOTAL)
        got = await consume(topic, group, 60, expect_exactly=None)
        if len(got) != 60:
            raise SystemExit(f"FAIL: consumed {len(got)} instead of 60")
    else:
        total = await end_offsets_total(topic)
        if total != TOTAL:
            raise SystemExit(f"FAIL: topic holds {total} records after restart, expected {TOTAL}")
        log(f"topic still holds {total} records after restart")
        got = await consume(topic, group, TOTAL, expect_exactly=TOTAL - 60)
        if len(got) != TOTAL - 60:
            raise SystemExit(
                f"FAIL: resumed consumer got {len(got)} records, expected {TOTAL - 60} "
                "(committed offsets lost or messages duplicated/missing)"
            )
        # produce after the restart too (idempotent producer gets a new producer id)
        await produce(topic, TOTAL, 10)
        more = await consume(topic, group, 10, expect_exactly=10)
        if more != set(range(TOTAL, TOTAL + 10)):
            raise SystemExit(f"FAIL: post-restart produce/consume got {sorted(more)}")
    print("OK")


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(130)
