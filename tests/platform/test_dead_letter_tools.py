"""`enclave dlq list|replay`: see dead letters with their reasons, send fixed ones back."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from enclave_shared.dead_letters import read_dead_letters, replay
from enclave_shared.settings import topic_for

from tests.platform.sample import consumer_spec
from tests.platform.test_consumer import matured, titles
from tests.support import eventually, produce_raw, run_service


async def test_a_dead_letter_replayed_once_its_cause_is_fixed_is_applied(make_settings):
    settings = await make_settings("intake")
    source = topic_for(settings.topic_prefix, "incubation")
    refused = matured("p1", "bad until the handler is fixed")
    async with run_service(consumer_spec, settings) as svc:
        await produce_raw(
            settings.kafka_bootstrap_servers,
            source,
            [(b"p1", refused), (b"p1", b"not json"), (b"p1", matured("p1", "good"))],
        )
        await eventually(lambda: _count(svc, 1))

        async def both_dead() -> bool:
            return len(await read_dead_letters(settings)) == 2

        await eventually(both_dead)
        letters = await read_dead_letters(settings)
        by_reason = sorted(letters, key=lambda d: d.reason)
        assert "handler failed" in by_reason[0].reason and by_reason[0].event_type
        assert "not a CloudEvent" in by_reason[1].reason and by_reason[1].event_id is None
        event_id = by_reason[0].event_id
        assert event_id is not None

        dry = await replay(settings, ids=[event_id], dry_run=True)
        assert dry.replayed == [event_id] and dry.still_failing == []
        still = await replay(settings, ids=[event_id], wait_s=15)
        assert still.still_failing == [event_id], "the handler still refuses it"

        consumer = svc.runtime.consumer
        ((event_type, (model, handler)),) = consumer._handlers.items()

        async def fixed(session, payload, event):  # the cause is fixed
            await handler(session, payload.model_copy(update={"title": "fixed"}), event)

        consumer._handlers = {event_type: (model, fixed)}
        done = await replay(settings, ids=[event_id], wait_s=3)
        assert done.replayed == [event_id] and done.still_failing == []
        await eventually(lambda: _count(svc, 2))
        assert [t for _, t in await titles(svc)] == ["good", "fixed"]


async def _count(svc, n: int) -> bool:
    return len(await titles(svc)) >= n


async def test_the_cli_lists_a_services_dead_letters(make_settings):
    settings = await make_settings("intake")
    source = topic_for(settings.topic_prefix, "incubation")
    async with run_service(consumer_spec, settings):
        await produce_raw(settings.kafka_bootstrap_servers, source, [(b"k", b"not json")])

        async def dead() -> bool:
            return len(await read_dead_letters(settings)) == 1

        await eventually(dead)
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "ENCLAVE_TOPIC_PREFIX": settings.topic_prefix,
        # as the service runs (on Apache Kafka the CLI, like it, has the credentials)
        "ENCLAVE_PROFILE": str(settings.profile),
        "DATABASE_URL": settings.database_url,
        "ENCLAVE_JWT_PUBLIC_KEY_FILE": str(settings.jwt_public_key_file),
    }
    enclave = str(Path(sys.executable).parent / "enclave")
    out = await asyncio.to_thread(
        subprocess.run,
        [enclave, "dlq", "list", "intake"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "not a CloudEvent" in out.stdout
    assert f"1 dead letter(s) on {settings.dead_letter_topic}" in out.stdout
    refused = await asyncio.to_thread(
        subprocess.run, [enclave, "dlq", "replay", "intake"], env=env, capture_output=True
    )
    assert refused.returncode != 0 and b"--id ID" in refused.stderr
