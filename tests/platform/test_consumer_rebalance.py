"""Offsets and rebalances: a failed commit keeps what is still owned; an event another
member applied meanwhile is a duplicate, never a dead letter."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka import TopicPartition
from aiokafka.errors import CommitFailedError
from enclave_shared.db import InboxEvent, create_engine
from enclave_shared.events import parse_envelope
from enclave_shared.settings import topic_for
from sqlalchemy.ext.asyncio import async_sessionmaker

from tests.platform.sample import consumer_spec
from tests.platform.test_consumer import matured, titles
from tests.support import eventually, produce_raw, read_topic, run_service


async def test_a_failed_offset_commit_keeps_the_owned_offsets_for_the_next(make_settings):
    settings = await make_settings("intake")
    source = topic_for(settings.topic_prefix, "incubation")
    async with run_service(consumer_spec, settings) as svc:
        consumer = svc.runtime.consumer
        kafka = consumer._consumer
        real_commit = kafka.commit
        failures = []

        async def fails_once(offsets=None):
            if not failures:
                failures.append(dict(offsets))
                raise CommitFailedError("the group rebalanced")
            return await real_commit(offsets)

        kafka.commit = fails_once
        keys = [f"k{i}" for i in range(6)]
        await produce_raw(
            settings.kafka_bootstrap_servers,
            source,
            [(k.encode(), matured(k, f"t-{k}")) for k in keys],
        )
        await eventually(lambda: _count(svc, 6))
        await eventually(lambda: _some(failures))  # the first commit failed
        partitions = [TopicPartition(source, p) for p in kafka.partitions_for_topic(source)]
        ends = await kafka.end_offsets(partitions)

        async def all_committed() -> bool:
            committed = {tp: await kafka.committed(tp) for tp in partitions}
            return committed == ends

        await eventually(all_committed, timeout=20)


async def _some(items: list) -> bool:
    return bool(items)


async def _count(svc, n: int) -> bool:
    return len(await titles(svc)) >= n


async def test_an_event_another_member_applied_meanwhile_is_not_dead_lettered(
    make_settings, postgres_url
):
    if postgres_url is None:
        pytest.skip("two members writing at once: SQLite takes one writer at a time")
    settings = await make_settings("intake")
    source = topic_for(settings.topic_prefix, "incubation")
    async with run_service(consumer_spec, settings) as svc:
        consumer = svc.runtime.consumer
        ((event_type, (model, handler)),) = consumer._handlers.items()
        winner_engine = create_engine(settings.database_url)
        winner = async_sessionmaker(winner_engine)
        raw = matured("p1", "applied by the winner")
        envelope = parse_envelope(raw)

        async def loser_handler(session, payload, event):
            # The partition moved: the new owner applies and commits the same event
            # while this member still holds it.
            async with winner() as other, other.begin():
                other.add(
                    InboxEvent(
                        consumer=consumer.name,
                        source=event.source,
                        event_id=event.id,
                        event_type=event.type,
                    )
                )
            await handler(session, payload, event)

        consumer._handlers = {event_type: (model, loser_handler)}
        try:
            await produce_raw(settings.kafka_bootstrap_servers, source, [(b"p1", raw)])
            await asyncio.sleep(3)
        finally:
            await winner_engine.dispose()
        dead = await read_topic(
            settings.kafka_bootstrap_servers, settings.dead_letter_topic, 1, timeout=3
        )
        assert dead == [], f"dead-lettered: {[dict(r.headers) for r in dead]}"
        assert await titles(svc) == [], f"{envelope.id} was the winner's to apply"
