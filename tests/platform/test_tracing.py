"""OpenTelemetry tracing: one trace from intake's signing (HTTP) through the outbox, the
relay and the broker into the hotline's consumer and the ticket it opens; nothing at all
when no OTLP endpoint is set."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import TopicPartition
from aiokafka.errors import RequestTimedOutError
from aiokafka.producer.message_accumulator import MessageAccumulator
from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka
from cloudevents.core.formats.json import JSONFormat
from enclave_shared import tracing
from enclave_shared.auth import Role, issue_token
from enclave_shared.db import OutboxEvent
from enclave_shared.launcher import load_spec
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import select

from tests.intake.helpers import OFFICER, case_of, matured, send
from tests.platform.sample import consumer_spec
from tests.support import (
    RunningService,
    events_of,
    eventually,
    produce_raw,
    read_topic,
    run_service,
    serve_http,
)

ROOT = Path(__file__).resolve().parents[2]
SETTLED = "enclave.enterprise.settled.v1"
OPENED = "enclave.ticket.opened.v1"


class Exported:
    """The spans every traced service of the test exported (each to an in-memory exporter
    of its own instead of over OTLP: an exporter is closed with its provider)."""

    def __init__(self) -> None:
        self.exporters: list[InMemorySpanExporter] = []

    def new(self) -> InMemorySpanExporter:
        self.exporters.append(InMemorySpanExporter())
        return self.exporters[-1]

    def spans(self) -> list[ReadableSpan]:
        return [s for e in self.exporters for s in e.get_finished_spans()]


@pytest.fixture
def exported(monkeypatch: pytest.MonkeyPatch) -> Exported:
    found = Exported()
    monkeypatch.setattr(tracing, "span_exporter", found.new)
    return found


async def signed_case(intake: RunningService, project_id: str) -> dict[str, Any]:
    """A case opened by a matured project and signed through intake's API (settled)."""
    await send(intake, matured(project_id, "menu", enterprise=f"Co {project_id}"))
    case = await case_of(intake, project_id)
    signed = await intake.client.post(
        f"/api/v1/cases/{case['id']}/signing",
        json={"signed_on": "2021-05-10"},
        headers=intake.auth(OFFICER),
    )
    assert signed.status_code == 200, signed.text
    return case


def trace_of(traceparent: str) -> tuple[int, int]:
    """(trace id, parent span id) of a W3C traceparent."""
    _version, trace_id, span_id, _flags = traceparent.split("-")
    return int(trace_id, 16), int(span_id, 16)


def service_of(span: ReadableSpan) -> Any:
    return span.resource.attributes["service.name"]


async def test_one_trace_from_intakes_signing_to_the_hotline_ticket_it_opens(
    make_settings, exported
):
    on = {"otel_exporter_otlp_endpoint": "http://127.0.0.1:4318"}
    intake_spec, hotline_spec = load_spec("intake"), load_spec("hotline")
    intake_settings = await make_settings("intake", settings_class=intake_spec.settings_class, **on)
    hotline_settings = await make_settings(
        "hotline", settings_class=hotline_spec.settings_class, **on
    )
    async with (
        run_service(intake_spec, intake_settings) as intake,
        run_service(hotline_spec, hotline_settings) as hotline,
    ):
        case = await signed_case(intake, "p-t")

        async def ticket() -> list[dict[str, Any]]:
            found = await hotline.client.get(
                "/api/v1/tickets",
                params={"case_id": case["id"]},
                headers=hotline.auth("hotline_agent", sub="agent-li"),
            )
            tickets: list[dict[str, Any]] = found.json()
            return [t for t in tickets if t["kind"] == "landing_followup"]

        [opened_ticket] = await eventually(ticket)
        async with intake.runtime.engine.connect() as conn:
            rows = (await conn.execute(select(OutboxEvent.event_type, OutboxEvent.body))).all()
        [settled_row] = [json.loads(body) for type_, body in rows if type_ == SETTLED]
        hotline_events = events_of(
            await read_topic(hotline_settings.kafka_bootstrap_servers, hotline_settings.topic, 1)
        )
        intake_records = await read_topic(  # every row the outbox holds was sent by now
            intake_settings.kafka_bootstrap_servers, intake_settings.topic, len(rows)
        )
    # both services stopped: their providers flushed every span
    spans = exported.spans()
    [signing] = [
        s
        for s in spans
        if s.kind is SpanKind.SERVER
        and (s.attributes or {}).get("http.route") == "/api/v1/cases/{case_id}/signing"
    ]
    assert service_of(signing) == "intake"
    trace_id = signing.context.trace_id
    # the outbox row keeps the request's context in the CloudEvents extension ...
    assert trace_of(settled_row["traceparent"]) == (trace_id, signing.context.span_id)
    # ... the message on the topic carries it, and the send joined the trace
    [settled_record] = [r for r in intake_records if json.loads(r.value)["type"] == SETTLED]
    as_sdk_reads_it = from_kafka(
        KafkaMessage(
            headers=dict(settled_record.headers),
            key=settled_record.key,
            value=settled_record.value,
        ),
        JSONFormat(),
    )
    assert as_sdk_reads_it.get_extension("traceparent") == settled_row["traceparent"]
    [sent] = [
        s
        for s in spans
        if s.kind is SpanKind.PRODUCER
        and s.context.trace_id == trace_id
        and (s.attributes or {}).get("messaging.destination.name") == intake_settings.topic
    ]
    assert sent.parent is not None and sent.parent.span_id == signing.context.span_id
    # the hotline's consumer applied it in a span of the same trace, child of the signing
    [process] = [s for s in spans if s.name == f"{SETTLED} process"]
    assert service_of(process) == "hotline" and process.kind is SpanKind.CONSUMER
    assert process.context.trace_id == trace_id
    assert process.parent is not None and process.parent.span_id == signing.context.span_id
    assert (process.attributes or {})["cloudevents.event_id"] == settled_row["id"]
    # the ticket's own event carries the trace on, from the consumer's span
    [ticket_opened] = [e for e in hotline_events if e["data"]["ticket_id"] == opened_ticket["id"]]
    assert ticket_opened["type"] == OPENED
    assert trace_of(ticket_opened["traceparent"]) == (trace_id, process.context.span_id)
    # SQL of both services inside the trace: the signing's and the ticket's
    sql = [s for s in spans if s.kind is SpanKind.CLIENT and s.context.trace_id == trace_id]
    by_parent = {(service_of(s), s.parent.span_id) for s in sql if s.parent is not None}
    assert ("intake", signing.context.span_id) in by_parent
    assert ("hotline", process.context.span_id) in by_parent
    # no trace of its own for a relay poll or an inbox check: every root is work starting
    roots = [s for s in spans if s.parent is None]
    assert roots and {s.kind for s in roots} <= {
        SpanKind.SERVER,
        SpanKind.CONSUMER,
        SpanKind.PRODUCER,
    }
    assert not tracing._running and not tracing._globals  # instrumentation undone


async def test_off_no_context_on_events_no_header_no_span(make_settings, exported):
    spec = load_spec("intake")
    settings = await make_settings("intake", settings_class=spec.settings_class)
    assert settings.otel_exporter_otlp_endpoint is None
    async with run_service(spec, settings) as intake:
        await signed_case(intake, "p-off")
        records = await read_topic(settings.kafka_bootstrap_servers, settings.topic, 2)
    for record in records:
        assert "traceparent" not in json.loads(record.value)
        assert [key for key, _ in record.headers] == ["content-type"]
    assert exported.spans() == [] and exported.exporters == []


def test_off_the_sdk_is_not_even_imported():
    script = (
        "import sys\n"
        "from enclave_shared.app import create_app\n"
        "from enclave_shared.events import new_event\n"
        "from enclave_shared.launcher import load_spec\n"
        "from enclave_shared.catalog.intake import EnterpriseSettled\n"
        "create_app(load_spec('intake'))\n"
        "settled = EnterpriseSettled(case_id='c', project_id='p', path='menu', signed_on="
        "'2021-05-10')\n"
        "event = new_event(settled)\n"
        "assert event.traceparent is None\n"
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry.sdk')"
        " or m.startswith('opentelemetry.instrumentation')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "ENCLAVE_DATA_DIR": "/nonexistent"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_on_spans_go_over_otlp_http_to_the_endpoint(monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.invalid:4318")
    exporter = tracing.span_exporter()
    assert type(exporter).__name__ == "OTLPSpanExporter"
    assert exporter._endpoint == "http://collector.invalid:4318/v1/traces"


async def test_a_call_over_httpx_continues_the_callers_trace_in_the_service(
    make_settings, exported
):
    """As the console calls a service: its httpx client span carries the trace in the
    request's traceparent header, and the service's server span is its child."""
    spec = load_spec("intake")
    settings = await make_settings(
        "intake", settings_class=spec.settings_class, otel_exporter_otlp_endpoint="http://x"
    )
    token = issue_token(settings.signing_key(), Role.ZONE_OFFICER, sub="officer")
    async with serve_http(spec, settings) as url, httpx.AsyncClient(base_url=url) as http:
        page = tracing._running["intake"].tracer  # stands in for the console's server span
        with page.start_as_current_span("GET /console/page", kind=SpanKind.SERVER) as caller:
            listed = await http.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
            assert listed.status_code == 200, listed.text
    spans = exported.spans()
    [client] = [s for s in spans if s.kind is SpanKind.CLIENT and s.name.startswith("GET")]
    assert client.parent is not None
    assert client.parent.span_id == caller.get_span_context().span_id
    [served] = [
        s
        for s in spans
        if s.kind is SpanKind.SERVER and (s.attributes or {}).get("http.route") == "/api/v1/cases"
    ]
    assert served.context.trace_id == client.context.trace_id
    assert served.parent is not None and served.parent.span_id == client.context.span_id


async def test_a_retried_dead_letter_carries_one_traceparent(
    make_settings, exported, monkeypatch: pytest.MonkeyPatch
):
    """Traced, a dead letter whose first send fails carries one traceparent: its send's (a
    fresh header list per attempt; not the received message's own beside it)."""
    settings = await make_settings("intake", otel_exporter_otlp_endpoint="http://127.0.0.1:4318")
    bootstrap, source = settings.kafka_bootstrap_servers, f"{settings.topic_prefix}.incubation"
    attempts: list[str] = []
    add_message = MessageAccumulator.add_message

    async def first_fails(accumulator: MessageAccumulator, tp: TopicPartition, *a: Any, **kw: Any):
        if tp.topic == settings.dead_letter_topic:  # past the traced send's header
            attempts.append(tp.topic)
            if len(attempts) == 1:
                raise RequestTimedOutError()
        return await add_message(accumulator, tp, *a, **kw)

    monkeypatch.setattr(MessageAccumulator, "add_message", first_fails)
    async with run_service(consumer_spec, settings):
        # sent while the service traces this process's clients: the message has a header
        await produce_raw(bootstrap, source, [(b"p", b"not json at all")])
        [received] = await read_topic(bootstrap, source, 1)
        [dead] = await read_topic(bootstrap, settings.dead_letter_topic, 1)
    assert len(attempts) == 2
    assert [k for k, _ in received.headers] == ["traceparent"]
    traceparents = [v.decode() for k, v in dead.headers if k == "traceparent"]
    assert len(traceparents) == 1, dead.headers
    sends = [
        s
        for s in exported.spans()
        if s.kind is SpanKind.PRODUCER
        and (s.attributes or {}).get("messaging.destination.name") == settings.dead_letter_topic
    ]
    assert len(sends) == 2  # one span per attempt; the header is the last one's
    assert trace_of(traceparents[0])[1] == sends[-1].context.span_id
    assert dict(dead.headers)["dlq.error"].decode().startswith("not a CloudEvent")
