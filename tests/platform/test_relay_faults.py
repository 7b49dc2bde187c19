"""The relay under faults: a forgetful broker told from a busy one, a broker out of reach, a
database that refuses the marking, and a shutdown while the broker is down."""

from __future__ import annotations

import asyncio
import time

from aiokafka.errors import KafkaConnectionError
from enclave_shared.db import OutboxEvent, create_engine
from enclave_shared.kafka import EmbeddedBroker, end_offset_total, free_port
from enclave_shared.relay import FAILING_AFTER, OutboxRelay
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from tests.platform.sample import producer_spec, write_note
from tests.support import eventually, read_topic, run_service


async def _pending(runtime) -> int:
    async with runtime.sessions() as session:
        query = select(func.count()).where(OutboxEvent.published_at.is_(None))
        return int(await session.scalar(query) or 0)


async def _note(runtime, title: str) -> None:
    async with runtime.sessions() as session:
        await write_note(session, project_id="p1", title=title)
        await session.commit()


def _replica(runtime, producer=None) -> OutboxRelay:
    return OutboxRelay(
        service="incubation",
        engine=runtime.engine,
        producer=producer or runtime.producer,
        poll_s=0.2,
    )


async def test_a_publication_between_the_two_reads_is_not_taken_for_a_lost_broker(
    make_settings,
):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        runtime = svc.runtime
        await _note(runtime, "published")
        await eventually(lambda: _zero(_pending(runtime)))
        await runtime.relay.stop()
        await _note(runtime, "pending")
        replica = _replica(runtime)

        async def end_offsets_after_a_replica_published() -> int:
            assert await replica.publish_pending() == 1  # between the two reads
            return await end_offset_total(settings, settings.topic)

        try:
            assert (
                await runtime.relay.republish_if_broker_lost(end_offsets_after_a_replica_published)
                == 0
            )
        finally:
            await replica.stop()
        assert await _pending(runtime) == 0, "a broker that kept everything is not re-sent to"

        async def forgot_everything() -> int:
            return 0

        assert await runtime.relay.republish_if_broker_lost(forgot_everything) == 2
        assert await _pending(runtime) == 2


async def _zero(count) -> bool:
    return await count == 0


async def test_a_relay_cut_off_from_kafka_lets_a_replica_publish(make_settings):
    """On PostgreSQL the leader lock passes on: the relay that cannot reach the broker
    renews its producer with no connection held. (SQLite has one writer and no lock.)"""
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        runtime = svc.runtime
        await runtime.relay.stop()
        cut_off = runtime.producer
        dead = settings.model_copy(update={"kafka_bootstrap_servers": f"127.0.0.1:{free_port()}"})
        cut_off._settings = dead  # renewing it waits for a broker that never answers

        async def refused(*_args, **_kwargs):
            raise KafkaConnectionError("cut off")

        cut_off.client.send = refused  # type: ignore[method-assign]
        stuck = _replica(runtime, cut_off)
        stuck.start()
        await _note(runtime, "sent by the replica")
        await eventually(lambda: _failed_once(stuck))
        healthy_producer = type(cut_off)(settings)
        await healthy_producer.start()
        healthy = _replica(runtime, healthy_producer)
        try:
            await eventually(healthy.publish_pending, timeout=20)
        finally:
            await healthy.stop()
            await healthy_producer.stop()
            await stuck.stop(grace_s=1)
        records = await read_topic(settings.kafka_bootstrap_servers, settings.topic, 1)
        assert b"sent by the replica" in records[0].value


async def _failed_once(relay: OutboxRelay) -> bool:
    return relay.failures >= 1


async def test_marking_that_keeps_failing_is_not_resent_and_shows_in_readyz(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        relay = svc.runtime.relay

        async def read_only_database(_conn, _ids):
            raise OperationalError("UPDATE outbox_events", {}, Exception("read-only database"))

        relay._mark_published = read_only_database  # type: ignore[method-assign]
        await _note(svc.runtime, "once")

        async def failing() -> bool:
            return relay.failures >= FAILING_AFTER + 1

        await eventually(failing, timeout=20)
        ready = await svc.client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["outbox"].startswith("failing: ")
        assert "read-only database" in ready.json()["checks"]["outbox"]
        metrics = (await svc.client.get("/metrics")).text
        assert 'enclave_outbox_relay_failures_total{service="incubation",step="mark"}' in metrics
        del relay._mark_published  # the database recovers
        await eventually(lambda: _zero(_pending(svc.runtime)), timeout=90)
        assert (await svc.client.get("/readyz")).status_code == 200
        records = await read_topic(settings.kafka_bootstrap_servers, settings.topic, 2, timeout=3)
        assert len(records) == 1, "sent once although its marking was retried"


async def test_shutdown_with_the_broker_down_ends_within_its_grace_and_keeps_the_rows(
    make_settings,
):
    broker = EmbeddedBroker(port=free_port())  # a broker of this test's own, to stop
    broker.start()
    settings = await make_settings(
        "incubation",
        kafka_bootstrap_servers=broker.bootstrap_servers,
        kafka_idempotence=False,
        shutdown_grace_s=3,
    )
    try:
        async with run_service(producer_spec, settings) as svc:
            runtime = svc.runtime
            broker.stop()
            await _note(runtime, "kept for the next start")
            await asyncio.sleep(0.5)  # the relay tries, and fails
            started = time.monotonic()
        took = time.monotonic() - started
        assert took < settings.shutdown_grace_s + 5, f"shutdown took {took:.1f}s"
        engine = create_engine(settings.database_url)
        try:
            async with engine.connect() as conn:
                query = select(func.count()).where(OutboxEvent.published_at.is_(None))
                assert await conn.scalar(query) == 1, "the row waits in the outbox"
        finally:
            await engine.dispose()
    finally:
        broker.stop()
