"""The outbox: events commit with the state change, and only then are published."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest
from aiokafka.errors import OutOfOrderSequenceNumber
from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka
from cloudevents.core.formats.json import JSONFormat
from enclave_shared.db import OutboxEvent, create_engine
from enclave_shared.relay import OutboxRelay
from sqlalchemy import func, select

from tests.platform.sample import (
    applied_titles,
    consumer_spec,
    matured,
    producer_spec,
    write_note,
)
from tests.support import events_of, eventually, read_topic, run_service


async def test_state_change_and_event_commit_together(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        headers = svc.auth("enclave_operator")
        ok = await svc.client.post(
            "/notes", json={"project_id": "p1", "title": "kept"}, headers=headers
        )
        assert ok.status_code == 201, ok.text
        failed = await svc.client.post(
            "/notes",
            json={"project_id": "p2", "title": "lost", "fail_after_write": True},
            headers=headers,
        )
        assert failed.status_code == 422
        assert (await svc.client.get("/notes/count")).json() == {"count": 1}
        records = await read_topic(settings.kafka_bootstrap_servers, settings.topic, 1)
        assert [e["data"]["title"] for e in events_of(records)] == ["kept"]
        assert records[0].key == b"p1"
        assert json.loads(records[0].value)["id"] == ok.json()["event_id"]
        # nothing else arrives: the failed transaction published nothing
        more = await read_topic(settings.kafka_bootstrap_servers, settings.topic, 2, timeout=2)
        assert len(more) == 1


async def test_rolled_back_savepoints_and_transactions_write_no_events(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        await svc.runtime.relay.stop()  # read the outbox table itself, before publication
        sessions = svc.runtime.sessions
        async with sessions() as session:
            await write_note(session, project_id="p1", title="outer")
            with contextlib.suppress(RuntimeError):
                async with session.begin_nested():
                    await write_note(session, project_id="p1", title="refused")
                    raise RuntimeError("the handler refuses")
            async with session.begin_nested():
                await write_note(session, project_id="p1", title="released")
            await session.commit()
        async with sessions() as session:
            await write_note(session, project_id="p2", title="rolled back")
            await session.rollback()
            await write_note(session, project_id="p2", title="next transaction")
            await session.commit()
        async with sessions() as session:
            session.record(matured("p3", "closed, not committed"))  # before any SQL
            await session.close()
            await write_note(session, project_id="p3", title="the session reused")
            await session.commit()
        async with sessions() as session:
            query = select(OutboxEvent.body).order_by(OutboxEvent.id)
            bodies = (await session.scalars(query)).all()
    titles = [json.loads(body)["data"]["title"] for body in bodies]
    assert titles == ["outer", "released", "next transaction", "the session reused"]


async def test_relay_killed_between_send_and_mark_resends_and_is_applied_once(make_settings):
    settings = await make_settings("incubation")
    consumer_settings = await make_settings("intake")
    async with (
        run_service(producer_spec, settings) as svc,
        run_service(consumer_spec, consumer_settings) as consumer,
    ):
        runtime = svc.runtime
        await runtime.relay.stop()  # take the background relay out of the way
        async with runtime.sessions() as session:
            await write_note(session, project_id="p9", title="once")
            await session.commit()

        class Crash(Exception):
            pass

        crashing = _relay(runtime)

        async def die_before_marking(conn, ids):
            raise Crash("relay killed after sending, before marking sent")

        crashing._mark_published = die_before_marking  # type: ignore[method-assign]
        assert await crashing.publish_pending() == 1  # sent; marked by the next pass
        with pytest.raises(Crash):
            await crashing.publish_pending()
        # The next relay is a replica with connections of its own: on PostgreSQL it can
        # publish only if the crashed relay's connection let go of the leader lock.
        replica_engine = create_engine(settings.database_url)
        restarted = _relay(runtime, engine=replica_engine)
        try:
            assert await restarted.publish_pending() == 1  # still pending: sent again
            assert await restarted.publish_pending() == 0
        finally:
            await restarted.stop()
            await replica_engine.dispose()
        records = await read_topic(settings.kafka_bootstrap_servers, settings.topic, 2)
        ids = [e["id"] for e in events_of(records)]
        assert len(ids) == 2 and ids[0] == ids[1]  # arrived twice, same event id

        async def applied() -> list[tuple[str, str]]:
            async with consumer.runtime.sessions() as session:
                return await applied_titles(session)

        await eventually(applied)
        await asyncio.sleep(1)  # the second copy has arrived by now, too
        assert await applied() == [("p9", "once")]


async def test_a_failed_send_renews_the_producer_and_the_next_pass_publishes(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        runtime = svc.runtime
        await runtime.relay.stop()
        async with runtime.sessions() as session:
            await write_note(session, project_id="p5", title="after a failed send")
            await session.commit()
        failed = runtime.producer.client

        async def out_of_sequence(*args, **kwargs):
            # what aiokafka's idempotent producer can answer to every send after a
            # broker restart, until it is replaced
            raise OutOfOrderSequenceNumber()

        failed.send = out_of_sequence  # type: ignore[method-assign]
        relay = _relay(runtime)
        with pytest.raises(OutOfOrderSequenceNumber):
            await relay.publish_pending()
        # renewed at the start of the next pass, with no connection (no leader lock) held
        assert await relay.publish_pending() == 1
        assert runtime.producer.client is not failed
        await relay.stop()
        records = await read_topic(settings.kafka_bootstrap_servers, settings.topic, 1)
        assert [e["data"]["title"] for e in events_of(records)] == ["after a failed send"]


async def test_relay_wakes_on_commit_without_waiting_for_poll(make_settings):
    settings = await make_settings("incubation", outbox_poll_s=60)
    async with run_service(producer_spec, settings) as svc:
        resp = await svc.client.post(
            "/notes",
            json={"project_id": "p3", "title": "fast"},
            headers=svc.auth("enclave_operator"),
        )
        assert resp.status_code == 201
        records = await read_topic(settings.kafka_bootstrap_servers, settings.topic, 1, timeout=10)
        assert len(records) == 1
        await eventually(lambda: _backlog_zero(svc))


def _relay(runtime, engine=None) -> OutboxRelay:
    """A relay of the sample producer beside its running one; `engine`: a replica's own."""
    engine = engine or runtime.engine
    return OutboxRelay(
        service="incubation",
        engine=engine,
        producer=runtime.producer,
        poll_s=1,
    )


async def _backlog_zero(svc) -> bool:
    async with svc.runtime.sessions() as session:
        pending = await session.scalar(
            select(func.count()).where(OutboxEvent.published_at.is_(None))
        )
    return pending == 0


async def test_published_events_parse_with_the_cloudevents_sdks_kafka_binding(make_settings):
    """Structured mode as the binding has it: a content-type header on every message."""
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        resp = await svc.client.post(
            "/notes", json={"project_id": "p7", "title": "bound"}, headers=svc.auth("admin")
        )
        (record,) = await read_topic(settings.kafka_bootstrap_servers, settings.topic, 1)
    headers = dict(record.headers)
    assert headers["content-type"] == b"application/cloudevents+json; charset=UTF-8"
    event = from_kafka(
        KafkaMessage(headers=headers, key=record.key, value=record.value), JSONFormat()
    )
    assert event.get_id() == resp.json()["event_id"]
    assert event.get_type() == "enclave.project.matured.v1"
    assert event.get_source() == "/enclave/incubation" and event.get_subject() == "p7"
    assert event.get_data()["title"] == "bound"
