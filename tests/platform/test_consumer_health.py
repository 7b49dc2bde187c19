"""Readiness follows the consumer loop: a dead or stuck loop is not ready."""

from __future__ import annotations

import asyncio

from enclave_shared.settings import topic_for

from tests.platform.sample import consumer_spec
from tests.platform.test_consumer import matured, titles
from tests.support import eventually, produce_raw, run_service


async def _consumer_check(svc) -> tuple[int, str]:
    resp = await svc.client.get("/readyz")
    return resp.status_code, resp.json()["checks"]["consumer"]


async def test_a_stuck_handler_makes_the_service_not_ready_until_it_moves(make_settings):
    settings = await make_settings("intake", consumer_stall_s=1.0)
    async with run_service(consumer_spec, settings) as svc:
        consumer = svc.runtime.consumer
        await eventually(lambda: _ready(svc))
        entered, released = asyncio.Event(), asyncio.Event()
        ((event_type, (model, handler)),) = consumer._handlers.items()

        async def stuck(session, payload, event):
            entered.set()
            await released.wait()
            await handler(session, payload, event)

        consumer._handlers = {event_type: (model, stuck)}
        topic = topic_for(settings.topic_prefix, "incubation")
        await produce_raw(settings.kafka_bootstrap_servers, topic, [(b"p1", matured("p1", "t"))])

        async def stalled() -> bool:
            status, check = await _consumer_check(svc)
            return status == 503 and check.startswith("no progress for ")

        # The handler holds the event (a slow fetch on a loaded machine can look stalled too).
        await asyncio.wait_for(entered.wait(), 20)
        await eventually(stalled, timeout=20)
        released.set()
        await eventually(lambda: _ready(svc))
        assert [t for _, t in await titles(svc)] == ["t"]


async def test_a_dead_consumer_loop_makes_the_service_not_ready(make_settings):
    settings = await make_settings("intake")
    async with run_service(consumer_spec, settings) as svc:
        await eventually(lambda: _ready(svc))
        svc.runtime.consumer._task.cancel()
        await asyncio.sleep(0.1)
        assert await _consumer_check(svc) == (503, "consumer loop stopped (cancelled)")


async def _ready(svc) -> bool:
    return (await svc.client.get("/readyz")).status_code == 200
