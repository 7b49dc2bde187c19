"""`make bench`: the platform's event path beside raw aiokafka, on the same broker and database.

(a) baseline: raw aiokafka, N messages produced (acks=all) and consumed in a group.
(b) platform: N state changes from 4 concurrent writers, each with its outbox event, relayed
    to Kafka, consumed and applied by a second service (inbox + handler commit), twice:
    committed BATCH to a transaction (the platform's capacity: `events_per_s`), and one to a
    transaction, as HTTP requests commit them (`per_request_events_per_s`).
Then the end-to-end latency (producing commit → consuming commit), p50/p99, at a steady
200 events/s, one per transaction, beside its baseline: raw aiokafka at the same rate, send
→ a group consumer's receipt (`baseline_p50_ms`, `baseline_p99_ms`). Then the HTTP arm
(tests/bench_http.py): list and create on incubation as `make run` starts it, under load at
16 connections, beside a bare FastAPI app answering the same bytes, in shuffled rounds; on
the embedded profile the idle CPU of the whole of `make run`, and on both the first event
after a minute idle. Last, the
console arm (tests/bench_console.py): each main page's render time with the demo's
half-year loaded, beside a bare FastAPI endpoint serving the same bytes. Runs the embedded
profile always, and the real one when KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL are set.
The event arm is followed by the raw database's limit (the same two inserts a transaction,
tests/bench_limits.py), the HTTP arm has the naive peer beside it, and the growth arm times
the list and the stats with ~100,000 projects. BENCH_ARMS (comma-separated: event, http,
idle, growth, console; default all) picks arms. Last line: one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import uvloop
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from enclave_shared.kafka import EmbeddedBroker, client_kwargs, ensure_topics, free_port
from enclave_shared.keys import public_key_of, read_or_create_private_key
from enclave_shared.settings import KafkaClientSettings, Profile, ServiceSettings
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from tests.bench_http import first_event_real, growth_arm, http_arm, idle_arm
from tests.bench_limits import raw_database_arm
from tests.platform.sample import consumer_spec, producer_spec, write_note
from tests.support import create_database, kafka_connection, run_service

BURST = int(os.environ.get("BENCH_EVENTS", "20000"))  # the capacity burst; a fifth per request
WRITERS = 4  # concurrent clients writing state changes, each in its own transactions
BATCH = 20  # state changes per transaction in the capacity burst
STEADY_RATE = 200
STEADY_SECONDS = float(os.environ.get("BENCH_STEADY_S", "5"))
ARMS = set(os.environ.get("BENCH_ARMS", "event,http,idle,growth,console").split(","))
RAW_ROUNDS = int(os.environ.get("BENCH_RAW_ROUNDS", "3"))

_applied_at: dict[str, float] = {}


async def _bench_apply(session: Any, payload: Any, event: Any) -> None:
    await consumer_spec.handlers[type(payload)](session, payload, event)
    session.sync_session.info.setdefault("bench_titles", []).append(payload.title)


async def _raw_clients(
    bootstrap: str, idempotence: bool, *, linger_ms: int, **consumer_options: Any
) -> tuple[AIOKafkaProducer, AIOKafkaConsumer, str]:
    """Raw aiokafka on a fresh topic of 3 partitions: a producer (acks=all) and a group
    consumer, both started; and the topic."""
    topic = f"bench.raw.{uuid.uuid4().hex[:8]}"
    kafka = kafka_connection(bootstrap)  # the suite's credentials on its SASL broker
    topics = ServiceSettings(kafka_bootstrap_servers=bootstrap, topic_partitions=3)
    if isinstance(kafka, KafkaClientSettings):
        topics = topics.model_copy(update=kafka.model_dump())
    await ensure_topics(topics, [topic])
    producer = AIOKafkaProducer(
        **client_kwargs(kafka), acks="all", enable_idempotence=idempotence, linger_ms=linger_ms
    )
    consumer = AIOKafkaConsumer(
        topic,
        **client_kwargs(kafka),
        group_id=topic,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        **consumer_options,
    )
    await producer.start()
    await consumer.start()
    return producer, consumer, topic


async def baseline(bootstrap: str, idempotence: bool) -> float:
    """Raw aiokafka: produce BURST messages, consume them in a group; events/s."""
    producer, consumer, topic = await _raw_clients(bootstrap, idempotence, linger_ms=2)
    try:
        body = b'{"specversion":"1.0","data":{"project_id":"p","title":"x"}}' * 4
        started = time.perf_counter()
        sends = [await producer.send(topic, body, key=f"k{i % 50}".encode()) for i in range(BURST)]
        await asyncio.gather(*sends)
        seen = 0
        while seen < BURST:
            batch = await consumer.getmany(timeout_ms=500)
            seen += sum(len(r) for r in batch.values())
            if batch:
                await consumer.commit()
        return BURST / (time.perf_counter() - started)
    finally:
        await consumer.stop()
        await producer.stop()


async def baseline_latency(settings: ServiceSettings) -> dict[str, float]:
    """The broker's own latency, the platform's steady arm's baseline: raw aiokafka sends
    one message (acks=all) at a steady STEADY_RATE/s, a group consumer in its own process
    with the platform consumer's session and fetch wait reads them; p50/p99 of send →
    receipt (perf_counter is system-wide on Linux)."""
    consumer = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.bench",
        "receive",
        settings.model_dump_json(),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert consumer.stdin is not None and consumer.stdout is not None
    try:
        topic = (await consumer.stdout.readline()).decode().strip()  # assigned: ready
        producer = AIOKafkaProducer(
            **client_kwargs(kafka_connection(settings.kafka_bootstrap_servers)),
            acks="all",
            enable_idempotence=bool(settings.kafka_idempotence),
            linger_ms=0,
        )
        await producer.start()
        try:
            for i in range(30):  # the partitions' leaders found, the connections warm
                await producer.send_and_wait(topic, b"warm", key=b"k%d" % i)
            await asyncio.sleep(0.5)
            count = int(STEADY_RATE * STEADY_SECONDS)
            started = time.perf_counter()
            for i in range(count):
                delay = started + i / STEADY_RATE - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                await producer.send(topic, repr(time.perf_counter()).encode(), key=b"k%d" % i)
            await producer.flush()
        finally:
            await producer.stop()
        consumer.stdin.write(f"{count}\n".encode())
        await consumer.stdin.drain()
        async with asyncio.timeout(60):
            latencies = sorted(json.loads(await consumer.stdout.readline()))
    finally:
        if consumer.returncode is None:
            consumer.terminate()
        await consumer.wait()
    return {
        "baseline_p50_ms": round(statistics.median(latencies), 2),
        "baseline_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
    }


async def receive(settings_json: str) -> None:
    """The baseline latency's consumer: joins a group on a fresh topic, prints the topic
    once assigned, reads the count from stdin, prints each message's send → receipt ms."""
    settings = ServiceSettings.model_validate_json(settings_json)
    producer, consumer, topic = await _raw_clients(
        settings.kafka_bootstrap_servers,
        bool(settings.kafka_idempotence),
        linger_ms=0,
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=(settings.kafka_session_timeout_ms or 10000) // 3,
        fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
    )
    await producer.stop()
    try:
        while not consumer.assignment():
            await consumer.getmany(timeout_ms=100)
        sys.stdout.write(f"{topic}\n")
        sys.stdout.flush()
        count = asyncio.ensure_future(asyncio.get_running_loop().run_in_executor(None, input))
        latencies: list[float] = []
        while not count.done() or len(latencies) < int(count.result()):
            for records in (await consumer.getmany(timeout_ms=100)).values():
                now = time.perf_counter()
                sent = [float(r.value) for r in records if r.value and r.value != b"warm"]
                latencies.extend((now - at) * 1000 for at in sent)
        sys.stdout.write(json.dumps(latencies) + "\n")
        sys.stdout.flush()
    finally:
        await consumer.stop()


async def platform_path(settings: dict[str, Any]) -> dict[str, float]:
    """Outbox → relay → Kafka → consumer → handler commit; burst rate and steady latency."""
    _applied_at.clear()
    prefix = f"bench{uuid.uuid4().hex[:8]}"
    producer_settings = ServiceSettings(
        **settings,
        service="incubation",
        topic_prefix=prefix,
        database_url=await _database(settings, "producer"),
    )
    consumer_settings = ServiceSettings(
        **settings,
        service="intake",
        topic_prefix=prefix,
        database_url=await _database(settings, "consumer"),
    )
    consumer = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.bench",
        "consume",
        consumer_settings.model_dump_json(),
        stdout=asyncio.subprocess.PIPE,
    )
    assert consumer.stdout is not None
    reader = asyncio.create_task(_read_applied(consumer.stdout))
    try:
        async with run_service(producer_spec, producer_settings) as producer:
            await _write(producer, "warm", 20)
            await _wait_applied("warm", 20)
            capacity = await _burst(producer, "batched", BURST, per_tx=BATCH)
            per_request = await _burst(producer, "single", BURST // 5, per_tx=1)
            steady = int(STEADY_RATE * STEADY_SECONDS)
            committed = await _write(producer, "steady", steady, rate=STEADY_RATE)
            await _wait_applied("steady", len(committed))
    finally:
        consumer.terminate()
        await consumer.wait()
        reader.cancel()
    latencies = sorted((_applied_at[t] - c) * 1000 for t, c in committed.items())
    return {
        "events_per_s": round(capacity, 1),
        "per_request_events_per_s": round(per_request, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2),
    }


async def _burst(producer: Any, tag: str, events: int, *, per_tx: int) -> float:
    """`events` state changes from WRITERS concurrent writers, `per_tx` to a transaction;
    events/s from the first write to the last event applied."""
    count = events // WRITERS // per_tx * per_tx
    started = time.perf_counter()
    await asyncio.gather(
        *(_write(producer, f"{tag}{w}", count, per_tx=per_tx) for w in range(WRITERS))
    )
    written = time.perf_counter() - started
    await _wait_applied(tag, count * WRITERS)
    elapsed = time.perf_counter() - started
    print(f"  {per_tx}/transaction: written in {written:.2f}s, applied in {elapsed:.2f}s")
    return count * WRITERS / elapsed


async def _read_applied(stream: asyncio.StreamReader) -> None:
    """Collect `applied <title> <perf_counter>` lines from the consumer process."""
    while line := await stream.readline():
        _, title, at = line.decode().split()
        _applied_at[title] = float(at)


async def consume(settings_json: str) -> None:
    """The consuming service in a process of its own, as in production; it reports the
    moment each event's transaction commits (perf_counter is system-wide on Linux)."""

    @sa_event.listens_for(Session, "after_commit")
    def _report(session: Session) -> None:
        now = time.perf_counter()
        for title in session.info.pop("bench_titles", ()):
            sys.stdout.write(f"applied {title} {now}\n")
        sys.stdout.flush()

    spec = consumer_spec.__class__(
        **{**consumer_spec.__dict__, "handlers": {k: _bench_apply for k in consumer_spec.handlers}}
    )
    settings = ServiceSettings.model_validate_json(settings_json)
    async with run_service(spec, settings):
        await asyncio.Event().wait()


async def _write(
    producer: Any, tag: str, count: int, *, per_tx: int = 1, rate: float | None = None
) -> dict[str, float]:
    """Write `count` state changes, `per_tx` to a transaction, at `rate` transactions/s or
    as fast as they go; return each one's commit time."""
    committed: dict[str, float] = {}
    sessions = producer.runtime.sessions
    started = time.perf_counter()
    for n, first in enumerate(range(0, count, per_tx)):
        if rate is not None:
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        numbers = range(first, min(first + per_tx, count))
        async with sessions() as session:
            for i in numbers:
                await write_note(session, project_id=f"k{i % 50}", title=f"{tag}-{i}")
            await session.commit()
        at = time.perf_counter()
        committed.update((f"{tag}-{i}", at) for i in numbers)
    return committed


async def _wait_applied(tag: str, count: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while sum(1 for t in _applied_at if t.startswith(tag)) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{tag}: not all {count} events applied")
        await asyncio.sleep(0.01)


async def _database(settings: dict[str, Any], name: str) -> str:
    if settings["profile"] is Profile.EMBEDDED:
        return f"sqlite+aiosqlite:///{settings['data_dir']}/{name}.db"
    return (await create_database(os.environ["DATABASE_URL"], f"bench_{name}_"))[1]


async def run_profile(profile: Profile, bootstrap: str, data_dir: Path) -> dict[str, Any]:
    private_key = data_dir / "token.pem"
    public_key = data_dir / "token.pub"
    public_key.write_text(public_key_of(read_or_create_private_key(private_key)))
    settings = {
        "profile": profile,
        "kafka_bootstrap_servers": bootstrap,
        "data_dir": data_dir,
        "jwt_private_key_file": private_key,
        "jwt_public_key_file": public_key,
        "outbox_poll_s": 1.0,
    }
    figures: dict[str, Any] = {}
    postgres = os.environ["DATABASE_URL"] if profile is Profile.REAL else None
    if "event" in ARMS:
        base = await baseline(bootstrap, idempotence=profile is Profile.REAL)
        print(f"[{profile}] baseline raw aiokafka: {base:,.0f} events/s", flush=True)
        result = await platform_path(settings)
        result |= await baseline_latency(ServiceSettings(**settings, service="bench"))
        print(
            f"[{profile}] platform path: {result['events_per_s']:,.0f} events/s "
            f"{BATCH} to a transaction (ratio {result['events_per_s'] / base:.3f}), "
            f"{result['per_request_events_per_s']:,.0f} events/s one to a transaction; "
            f"at {STEADY_RATE}/s p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms "
            f"(raw aiokafka p50 {result['baseline_p50_ms']} ms, "
            f"p99 {result['baseline_p99_ms']} ms)",
            flush=True,
        )
        figures |= {**result, "baseline_events_per_s": round(base, 1)}
        raw = await raw_database_arm(str(profile), postgres, data_dir / "raw", RAW_ROUNDS)
        raw["per_request_raw_db_ratio"] = round(
            result["per_request_events_per_s"] / raw["raw_db_tx_per_s"], 3
        )
        print(
            f"[{profile}] raw {'asyncpg' if postgres else 'sqlite3'}, the same two inserts a "
            f"transaction: {raw['raw_db_tx_per_s']:,.0f}/s, {raw['raw_db_cpu_ms_per_tx']} ms "
            f"CPU each (one a transaction / raw: {raw['per_request_raw_db_ratio']})",
            flush=True,
        )
        figures |= raw
    if "http" in ARMS:
        database_url = peer_url = None
        if postgres is not None:
            database_url = (await create_database(postgres, "bench_http_"))[1]
            peer_url = (await create_database(postgres, "bench_peer_"))[1]
        http = await http_arm(
            str(profile),
            kafka_bootstrap=bootstrap,
            database_url=database_url,
            peer_database_url=peer_url,
            folder=data_dir / f"http-{profile}",
        )
        for name in ("list", "create"):
            print(
                f"[{profile}] HTTP {name}: {http[f'http_{name}_rps']:,.0f} requests/s, "
                f"p50 {http[f'http_{name}_p50_ms']} ms, p99 {http[f'http_{name}_p99_ms']} ms, "
                f"{http[f'http_{name}_cpu_ms_per_request']} ms CPU a request; bare FastAPI "
                f"{http[f'http_bare_{name}_rps']:,.0f}/s (ratio {http[f'http_{name}_ratio']}); "
                f"naive peer {http[f'http_peer_{name}_rps']:,.0f}/s "
                f"(ratio {http[f'http_{name}_peer_ratio']})",
                flush=True,
            )
        figures |= http
    if "growth" in ARMS:
        database_url = None
        if postgres is not None:
            database_url = (await create_database(postgres, "bench_growth_"))[1]
        growth = await growth_arm(
            str(profile),
            kafka_bootstrap=bootstrap,
            database_url=database_url,
            folder=data_dir / f"growth-{profile}",
        )
        for name in ("list", "stats"):
            print(
                f"[{profile}] growth, {growth['growth_projects']:,} projects, {name}: p50 "
                f"{growth[f'growth_{name}_p50_ms']} ms, p95 {growth[f'growth_{name}_p95_ms']} "
                f"ms; without the migration's indexes p50 "
                f"{growth[f'growth_{name}_unindexed_p50_ms']} ms, p95 "
                f"{growth[f'growth_{name}_unindexed_p95_ms']} ms",
                flush=True,
            )
        figures |= growth
    if "idle" in ARMS:
        if postgres is None:
            idle = await idle_arm(data_dir / "idle")
            print(
                f"[{profile}] idle make run: {idle['idle_cpu_pct']}% of one core over "
                f"{idle['idle_processes']} processes; first event after a quiet spell "
                f"{idle['first_event_ms']} ms commit → applied",
                flush=True,
            )
        else:
            urls = {
                name: (await create_database(postgres, f"bench_quiet_{name}_"))[1]
                for name in ("incubation", "intake")
            }
            first = await first_event_real(
                kafka_bootstrap=bootstrap, database_urls=urls, folder=data_dir / "quiet-real"
            )
            idle = {"first_event_ms": round(first, 1)}
            print(f"[{profile}] first event after a quiet spell: {first:.1f} ms", flush=True)
        figures |= idle
    if "console" in ARMS:
        from tests.bench_console import console_arm  # the console's stack: only for this arm

        figures |= await console_arm(
            str(profile),
            kafka_bootstrap=bootstrap,
            postgres_url=postgres,
            folder=data_dir / f"console-{profile}",
        )
    return figures


async def main() -> None:
    import logging

    logging.basicConfig(level=logging.WARNING)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        broker = EmbeddedBroker(port=free_port())
        broker.start()
        try:
            results["embedded"] = await run_profile(
                Profile.EMBEDDED, broker.bootstrap_servers, Path(tmp)
            )
        finally:
            broker.stop()
        if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") and os.environ.get("DATABASE_URL"):
            results["real"] = await run_profile(
                Profile.REAL, os.environ["KAFKA_BOOTSTRAP_SERVERS"], Path(tmp)
            )
        else:
            print("[real] skipped: set KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL", file=sys.stderr)
    print(json.dumps(results))


if __name__ == "__main__":
    if sys.argv[1:2] == ["consume"]:
        uvloop.run(consume(sys.argv[2]))  # the services' loop too (uvicorn[standard])
    elif sys.argv[1:2] == ["receive"]:
        uvloop.run(receive(sys.argv[2]))
    else:
        uvloop.run(main())
