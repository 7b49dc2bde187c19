"""Transient failures are retried in place; replicas share partitions without double effects."""

from __future__ import annotations

import asyncio

from enclave_shared.metrics import EVENT_RETRIES, EVENTS_DEAD_LETTERED

from tests.platform.sample import applied_titles, consumer_spec
from tests.platform.test_consumer import matured
from tests.support import database_outage, eventually, produce_raw, read_topic, run_service


async def _applied(svc) -> list[tuple[str, str]]:
    async with svc.runtime.sessions() as session:
        return await applied_titles(session)


async def test_database_outage_is_retried_without_dead_letters_and_keeps_order(make_settings):
    settings = await make_settings("intake", sqlite_busy_timeout_ms=50)
    source = f"{settings.topic_prefix}.incubation"
    bootstrap = settings.kafka_bootstrap_servers
    retries_before = EVENT_RETRIES.labels("intake")._value.get()
    dead_before = EVENTS_DEAD_LETTERED.labels("intake")._value.get()
    async with run_service(consumer_spec, settings) as svc:
        await produce_raw(bootstrap, source, [(b"k0", matured("k0", "warm-up"))])
        await eventually(lambda: _count_at_least(svc, 1))
        async with database_outage(settings.database_url):
            await produce_raw(
                bootstrap,
                source,
                [(f"k{i % 3}".encode(), matured(f"k{i % 3}", f"e{i:02d}")) for i in range(12)],
            )
            await asyncio.sleep(2)  # the consumer keeps failing against the dead database
            assert EVENT_RETRIES.labels("intake")._value.get() > retries_before
        await eventually(lambda: _count_at_least(svc, 13), timeout=30)
        applied = await _applied(svc)
    assert len(applied) == 13
    for key in ("k0", "k1", "k2"):
        titles = [t for k, t in applied if k == key and t != "warm-up"]
        assert titles == sorted(titles), f"order broken for {key}: {titles}"
        assert len(titles) == 4
    assert EVENTS_DEAD_LETTERED.labels("intake")._value.get() == dead_before
    assert await read_topic(bootstrap, settings.dead_letter_topic, 1, timeout=1) == []


async def test_two_replicas_split_partitions_and_apply_each_event_once(make_settings):
    first = await make_settings("intake")
    second = first.model_copy()  # same database, same group: a second replica
    source = f"{first.topic_prefix}.incubation"
    bootstrap = first.kafka_bootstrap_servers
    async with run_service(consumer_spec, first) as a, run_service(consumer_spec, second) as b:
        await eventually(lambda: _both_assigned(a, b), timeout=40)
        parts_a = a.runtime.consumer._consumer.assignment()
        parts_b = b.runtime.consumer._consumer.assignment()
        assert parts_a and parts_b and not parts_a & parts_b
        await produce_raw(
            bootstrap, source, [(f"k{i}".encode(), matured(f"k{i}", f"e{i}")) for i in range(60)]
        )
        await eventually(lambda: _count_at_least(a, 60), timeout=40)
        await asyncio.sleep(1)
        applied = await _applied(a)
    assert sorted(t for _, t in applied) == sorted(f"e{i}" for i in range(60))


async def _both_assigned(a, b) -> bool:
    return a.runtime.consumer.assigned and b.runtime.consumer.assigned


async def _count_at_least(svc, n: int) -> bool:
    return len(await _applied(svc)) >= n
