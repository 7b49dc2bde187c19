"""The consumer: idempotent, ordered per key, dead-letters poison, survives restarts."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime

from enclave_shared.catalog.hotline import TicketResolved
from enclave_shared.catalog.incubation import IntakePath, ProjectMatured
from enclave_shared.db import InboxEvent
from enclave_shared.events import new_event
from sqlalchemy import func, select

from tests.platform.sample import applied_titles, consumer_spec
from tests.support import eventually, produce_raw, read_topic, run_service


def matured(project_id: str, title: str) -> bytes:
    payload = ProjectMatured(
        project_id=project_id,
        title=title,
        path=IntakePath.DELIVERY,
        industry_chain="black_talc",
        matured_on=date(2021, 3, 1),
    )
    return new_event(payload).to_bytes()


async def titles(svc) -> list[tuple[str, str]]:
    async with svc.runtime.sessions() as session:
        return await applied_titles(session)


async def test_same_event_three_times_applies_once(make_settings):
    settings = await make_settings("intake")
    source = f"{settings.topic_prefix}.incubation"
    async with run_service(consumer_spec, settings) as svc:
        event = matured("p1", "one")
        after = matured("p1", "two")
        await produce_raw(
            settings.kafka_bootstrap_servers,
            source,
            [(b"p1", event), (b"p1", event), (b"p1", event), (b"p1", after)],
        )
        await eventually(lambda: _has(svc, 2))
        assert await titles(svc) == [("p1", "one"), ("p1", "two")]


async def test_poison_messages_are_dead_lettered_and_the_next_event_processed(make_settings):
    settings = await make_settings("intake")
    source = f"{settings.topic_prefix}.incubation"
    envelope = json.loads(matured("p2", "x"))
    unknown_type = {**envelope, "id": "u1", "type": "enclave.nothing.happened.v1"}
    bad_payload = {**envelope, "id": "b1", "data": {**envelope["data"], "path": "teleport"}}
    poison = [
        (b"p2", b"not json at all"),
        (b"p2", b'{"hello": "world"}'),
        (b"p2", json.dumps(unknown_type).encode()),
        (b"p2", json.dumps(bad_payload).encode()),
        (b"p2", matured("p2", "bad title the handler refuses")),
    ]
    async with run_service(consumer_spec, settings) as svc:
        await produce_raw(
            settings.kafka_bootstrap_servers, source, [*poison, (b"p2", matured("p2", "good"))]
        )
        await eventually(lambda: _has(svc, 1))
        assert await titles(svc) == [("p2", "good")]
        dead = await read_topic(settings.kafka_bootstrap_servers, settings.dead_letter_topic, 5)
        assert [r.value for r in dead] == [value for _, value in poison]
        reasons = [dict(r.headers)["dlq.error"].decode() for r in dead]
        assert "not a CloudEvent" in reasons[0] and "Invalid JSON" in reasons[0]
        assert "not a CloudEvent" in reasons[1] and "id" in reasons[1]
        assert "unknown event type 'enclave.nothing.happened.v1'" in reasons[2]
        assert "fails its schema" in reasons[3] and "path" in reasons[3]
        assert "handler failed" in reasons[4] and "cannot apply" in reasons[4]
        for record in dead:
            headers = dict(record.headers)
            assert headers["dlq.original.topic"].decode() == source
            assert headers["dlq.consumer"] == b"intake"
            assert int(headers["dlq.original.offset"]) >= 0


async def test_restarted_consumer_resumes_from_committed_offsets(make_settings):
    settings = await make_settings("intake")
    source = f"{settings.topic_prefix}.incubation"
    bootstrap = settings.kafka_bootstrap_servers
    async with run_service(consumer_spec, settings) as svc:
        await produce_raw(
            bootstrap, source, [(f"k{i}".encode(), matured(f"k{i}", f"a{i}")) for i in range(10)]
        )
        await eventually(lambda: _has(svc, 10))
    # while it is down, more events arrive
    await produce_raw(
        bootstrap, source, [(f"k{i}".encode(), matured(f"k{i}", f"b{i}")) for i in range(10)]
    )
    async with run_service(consumer_spec, settings) as svc:
        await eventually(lambda: _has(svc, 20))
        applied = await titles(svc)
        assert sorted(t for _, t in applied) == sorted(
            [f"a{i}" for i in range(10)] + [f"b{i}" for i in range(10)]
        )
        for i in range(10):  # per key: a before b
            assert [t for k, t in applied if k == f"k{i}"] == [f"a{i}", f"b{i}"]


async def _has(svc, n: int) -> bool:
    return len(await titles(svc)) >= n


async def test_newer_producer_fields_are_ignored_and_long_ids_dead_lettered(make_settings):
    settings = await make_settings("intake")
    source = f"{settings.topic_prefix}.incubation"
    newer = json.loads(matured("p3", "from a newer producer"))
    newer["data"]["added_later"] = "an optional field this consumer does not know yet"
    too_long = {**json.loads(matured("p3", "x")), "id": "i" * 65}
    async with run_service(consumer_spec, settings) as svc:
        await produce_raw(
            settings.kafka_bootstrap_servers,
            source,
            [(b"p3", json.dumps(too_long).encode()), (b"p3", json.dumps(newer).encode())],
        )
        await eventually(lambda: _has(svc, 1))
        assert await titles(svc) == [("p3", "from a newer producer")]
        dead = await read_topic(settings.kafka_bootstrap_servers, settings.dead_letter_topic, 1)
        assert "id" in dict(dead[0].headers)["dlq.error"].decode()


async def test_forged_events_are_dead_lettered_and_ids_are_unique_per_source(make_settings):
    """An event type counts only from its producer's topic and source; an id another
    source also used does not make a real event look applied already."""
    settings = await make_settings("intake")
    source_topic = f"{settings.topic_prefix}.incubation"
    bootstrap = settings.kafka_bootstrap_servers
    real = json.loads(matured("p4", "real"))
    on_wrong_topic = {**real, "id": "w1", "data": {**real["data"], "title": "forged topic"}}
    wrong_source = {**real, "id": "w2", "source": "/enclave/hotline"}

    async def ignore(session, payload, event) -> None:
        return None

    # It reads the hotline's topic too, where a forger writes a project event.
    spec = dataclasses.replace(
        consumer_spec, handlers={**consumer_spec.handlers, TicketResolved: ignore}
    )
    async with run_service(spec, settings) as svc:
        await produce_raw(
            bootstrap,
            f"{settings.topic_prefix}.hotline",
            [(b"p4", json.dumps(on_wrong_topic).encode())],
        )
        await produce_raw(bootstrap, source_topic, [(b"p4", json.dumps(wrong_source).encode())])
        dead = await read_topic(bootstrap, settings.dead_letter_topic, 2)
        reasons = {
            dict(r.headers)["dlq.original.topic"]: dict(r.headers)["dlq.error"] for r in dead
        }
        expected = (
            f"wrong producer: enclave.project.matured.v1 comes from /enclave/incubation on "
            f"{source_topic}, not from"
        )
        assert reasons == {
            f"{settings.topic_prefix}.hotline".encode(): (
                f"{expected} /enclave/incubation on {settings.topic_prefix}.hotline"
            ).encode(),
            source_topic.encode(): f"{expected} /enclave/hotline on {source_topic}".encode(),
        }
        resolved = TicketResolved(
            ticket_id="t1",
            category="other",
            within_sla=True,
            resolved_at=datetime(2021, 3, 1, tzinfo=UTC),
            resolved_on=date(2021, 3, 1),
        )
        hotline_event = new_event(resolved).model_copy(update={"id": real["id"]})
        await produce_raw(
            bootstrap, f"{settings.topic_prefix}.hotline", [(b"t1", hotline_event.to_bytes())]
        )
        await eventually(lambda: _inbox_has(svc, 1))  # the hotline's event, under that id
        await produce_raw(bootstrap, source_topic, [(b"p4", json.dumps(real).encode())])
        await eventually(lambda: _has(svc, 1))
        assert await titles(svc) == [("p4", "real")]


async def _inbox_has(svc, n: int) -> bool:
    async with svc.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(InboxEvent)) or 0) >= n


async def test_an_event_too_large_to_dead_letter_whole_is_truncated_not_wedged(make_settings):
    settings = await make_settings("intake")
    source = f"{settings.topic_prefix}.incubation"
    # As large as a producer sends (1 MiB requests), so that the copy with its dead-letter
    # headers is over the limit.
    huge = b"x" * (1024 * 1024 - 150)
    async with run_service(consumer_spec, settings) as svc:
        await produce_raw(
            settings.kafka_bootstrap_servers,
            source,
            [(b"p5", huge), (b"p5", matured("p5", "after the huge one"))],
        )
        await eventually(lambda: _has(svc, 1))
        (dead,) = await read_topic(settings.kafka_bootstrap_servers, settings.dead_letter_topic, 1)
        headers = dict(dead.headers)
        assert headers["dlq.truncated"] == f"{len(huge)} bytes, kept {256 * 1024}".encode()
        assert dead.value == huge[: 256 * 1024]
        assert "not a CloudEvent" in headers["dlq.error"].decode()
