"""OpenTelemetry tracing, on when `OTEL_EXPORTER_OTLP_ENDPOINT` is set; off and costless
otherwise (nothing of OpenTelemetry is imported, no span made, no header written).

When on, a service exports its spans over OTLP/HTTP (the exporter reads the standard
`OTEL_EXPORTER_OTLP_*` variables itself): FastAPI's server spans, SQLAlchemy's, httpx's and
aiokafka's client spans (the OpenTelemetry instrumentation packages), and a span per event
a consumer applies. The trace context travels with each event in the CloudEvents
distributed tracing extension (`traceparent`, `tracestate` in the envelope, and so in the
outbox row's body): from the request that recorded the event, through the outbox and the
relay's send, into the span of every consumer that applies it, whose own events carry it on.

Root spans are kept only where work starts (a request, an event received or sent): the
relay's and the consumer's own queries (polls, inbox checks) make no trace of their own.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter
    from sqlalchemy.ext.asyncio import AsyncEngine

    from enclave_shared.events import CloudEvent
    from enclave_shared.settings import ServiceSettings

EXCLUDED_URLS = "/healthz,/readyz,/metrics"
"""Probes and scrapes: no spans."""

_running: dict[str, ServiceTracing] = {}
"""The traced services running in this process (one, but in tests), by name."""
_globals: list[ServiceTracing] = []
"""Whose provider the process-wide instrumentations (httpx, aiokafka) report to."""
_NOTHING: contextlib.nullcontext[None] = contextlib.nullcontext()
_NO_CONTEXT: dict[str, str] = {}


def span_exporter() -> SpanExporter:
    """Where spans go: OTLP over HTTP, configured by the standard environment variables."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


class ServiceTracing:
    """One service's tracer provider (its `service.name`) and its instrumentations."""

    def __init__(self, service: str) -> None:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
        from opentelemetry.sdk.trace.sampling import ParentBased

        self.service = service
        self.provider: TracerProvider = TracerProvider(
            resource=Resource.create({"service.name": service}),
            sampler=ParentBased(root=_work_starts()),
        )
        self.provider.add_span_processor(BatchSpanProcessor(span_exporter()))
        self.tracer = self.provider.get_tracer("enclave_shared")

    def start(self, engine: AsyncEngine) -> None:
        """Trace the service's database and the process's HTTP and Kafka clients."""
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
        from opentelemetry.metrics import NoOpMeterProvider

        connections = NoOpMeterProvider().get_meter(__name__).create_up_down_counter("db")
        EngineTracer(  # type: ignore[no-untyped-call]
            self.provider.get_tracer("sqlalchemy"), engine.sync_engine, connections
        )
        _running[self.service] = self
        if not _globals:
            _instrument_clients(self)

    def stop(self) -> None:
        """Flush and close the provider; the clients' instrumentation goes with the last."""
        _running.pop(self.service, None)
        if self in _globals:
            _uninstrument_clients()
            if _running:
                _instrument_clients(next(iter(_running.values())))
        self.provider.shutdown()


def for_app(app: FastAPI, settings: ServiceSettings) -> ServiceTracing | None:
    """The service's tracing when an OTLP endpoint is set (its server spans from now on),
    else None."""
    if not settings.otel_exporter_otlp_endpoint:
        return None
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    traced = ServiceTracing(settings.service)
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=traced.provider,
        excluded_urls=EXCLUDED_URLS,
        exclude_spans=["receive", "send"],
    )
    return traced


def trace_context() -> dict[str, str]:
    """The CloudEvents distributed tracing extension of an event recorded now: the current
    span's `traceparent` (and `tracestate`); empty when nothing is traced."""
    if not _running:
        return _NO_CONTEXT
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    carrier: dict[str, str] = {}
    TraceContextTextMapPropagator().inject(carrier)
    return carrier


def consuming(
    service: str, event: CloudEvent, topic: str
) -> contextlib.AbstractContextManager[Any]:
    """The span of a consumer applying an event, a child of the span that recorded it."""
    traced = _running.get(service)
    if traced is None:
        return _NOTHING
    from opentelemetry.trace import SpanKind

    return traced.tracer.start_as_current_span(
        f"{event.type} process",
        context=_extracted(event.traceparent, event.tracestate),
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "kafka",
            "messaging.operation.name": "process",
            "messaging.destination.name": topic,
            "cloudevents.event_id": event.id,
            "cloudevents.event_source": event.source,
            "cloudevents.event_type": event.type,
            "cloudevents.event_subject": event.subject or "",
        },
    )


def sending(body: str) -> contextlib.AbstractContextManager[Any]:
    """Send an outbox row in the trace of the request that recorded it (the send span the
    aiokafka instrumentation makes, and the header it writes, join that trace)."""
    if not _globals:
        return _NOTHING
    return _attached(body)


@contextlib.contextmanager
def _attached(body: str) -> Iterator[None]:
    from opentelemetry import context

    envelope = json.loads(body)
    token = context.attach(_extracted(envelope.get("traceparent"), envelope.get("tracestate")))
    try:
        yield
    finally:
        context.detach(token)


def _extracted(traceparent: str | None, tracestate: str | None) -> Any:
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    carrier = {"traceparent": traceparent or ""}
    if tracestate:
        carrier["tracestate"] = tracestate
    return TraceContextTextMapPropagator().extract(carrier)


def _instrument_clients(traced: ServiceTracing) -> None:
    from opentelemetry.instrumentation.aiokafka import AIOKafkaInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    HTTPXClientInstrumentor().instrument(tracer_provider=traced.provider)
    AIOKafkaInstrumentor().instrument(tracer_provider=traced.provider)
    _globals[:] = [traced]


def _uninstrument_clients() -> None:
    from opentelemetry.instrumentation.aiokafka import AIOKafkaInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    HTTPXClientInstrumentor().uninstrument()
    AIOKafkaInstrumentor().uninstrument()
    _globals.clear()


def _work_starts() -> Any:
    """A sampler for root spans: kept only where work starts (a request served, a message
    sent or received); a query outside any of these (a relay poll) is dropped."""
    from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult
    from opentelemetry.trace import SpanKind

    class WorkStarts(Sampler):
        def should_sample(
            self,
            parent_context: Any,
            trace_id: int,
            name: str,
            kind: SpanKind | None = None,
            attributes: Any = None,
            links: Any = None,
            trace_state: Any = None,
        ) -> SamplingResult:
            starts = kind in (SpanKind.SERVER, SpanKind.CONSUMER, SpanKind.PRODUCER)
            return SamplingResult(Decision.RECORD_AND_SAMPLE if starts else Decision.DROP)

        def get_description(self) -> str:
            return "WorkStarts"

    return WorkStarts()
