"""The request id travels into events as `correlationid`, on into the events they cause,
and into the JSON logs."""

from __future__ import annotations

import json
import logging
from datetime import date

from enclave_shared.catalog.incubation import IntakePath, ProjectTransferred
from enclave_shared.context import correlation_id
from enclave_shared.events import new_event
from enclave_shared.logs import JsonFormatter

from tests.platform.sample import matured, producer_spec
from tests.support import events_of, eventually, read_topic, run_service


async def test_request_id_becomes_the_events_correlationid(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        resp = await svc.client.post(
            "/notes",
            json={"project_id": "p1", "title": "traced"},
            headers={**svc.auth("admin"), "X-Request-ID": "req-42"},
        )
        assert resp.status_code == 201 and resp.headers["x-request-id"] == "req-42"
        records = await read_topic(settings.kafka_bootstrap_servers, settings.topic, 1)
        assert events_of(records)[0]["correlationid"] == "req-42"

        async def published_counted() -> bool:
            metrics = (await svc.client.get("/metrics")).text
            return 'type="enclave.project.matured.v1"' in metrics

        await eventually(published_counted)


def test_a_caused_event_carries_the_correlation_and_its_cause():
    cause = new_event(matured("p1", "t")).model_copy(update={"correlationid": "req-7"})
    caused = new_event(
        ProjectTransferred(
            project_id="p1", path=IntakePath.ORDER, case_id="c1", transferred_on=date(2021, 3, 2)
        ),
        causation=cause,
    )
    assert caused.correlationid == "req-7" and caused.causationid == cause.id


def test_json_logs_carry_the_correlation_id():
    token = correlation_id.set("req-9")
    try:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello %s", ("you",), None)
        line = json.loads(JsonFormatter("intake").format(record))
    finally:
        correlation_id.reset(token)
    assert line["message"] == "hello you" and line["service"] == "intake"
    assert line["correlationid"] == "req-9"
