"""Apache Kafka restarted mid-stream: nothing is lost, nothing applied twice."""

from __future__ import annotations

import asyncio
import os
import shlex

import pytest

from tests.platform.sample import applied_titles, consumer_spec, producer_spec
from tests.support import eventually, run_service


async def _restart_broker() -> None:
    process = await asyncio.create_subprocess_exec(
        *shlex.split(os.environ["KAFKA_RESTART_CMD"]),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert await process.wait() == 0


@pytest.mark.serial
@pytest.mark.real_only
async def test_broker_restart_mid_stream_loses_nothing(make_settings):
    producer_settings = await make_settings("incubation")
    consumer_settings = await make_settings("intake")
    async with (
        run_service(producer_spec, producer_settings) as producer,
        run_service(consumer_spec, consumer_settings) as consumer,
    ):
        headers = producer.auth("enclave_operator")

        async def write(start: int, stop: int) -> None:
            for i in range(start, stop):
                resp = await producer.client.post(
                    "/notes",
                    json={"project_id": f"k{i % 5}", "title": f"e{i:03d}"},
                    headers=headers,
                )
                assert resp.status_code == 201, resp.text
                await asyncio.sleep(0.01)

        writer = asyncio.create_task(write(0, 100))
        await asyncio.sleep(0.3)
        await _restart_broker()
        await writer
        await write(100, 150)

        async def all_applied() -> bool:
            async with consumer.runtime.sessions() as session:
                return len(await applied_titles(session)) >= 150

        await eventually(all_applied, timeout=90)
        await asyncio.sleep(1)
        async with consumer.runtime.sessions() as session:
            applied = await applied_titles(session)
    titles = [t for _, t in applied]
    assert sorted(titles) == [f"e{i:03d}" for i in range(150)]  # each exactly once
    for key in {k for k, _ in applied}:
        mine = [t for k, t in applied if k == key]
        assert mine == sorted(mine)
