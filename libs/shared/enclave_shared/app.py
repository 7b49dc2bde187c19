"""The service frame: one factory builds each service's FastAPI app around its domain."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from enclave_shared import tracing
from enclave_shared.asyncapi import asyncapi_document
from enclave_shared.auth import Site
from enclave_shared.consumer import EventConsumer, Handler
from enclave_shared.dates import business_date
from enclave_shared.db import create_engine, utcnow
from enclave_shared.events import Payload
from enclave_shared.http import RequestContext, add_error_mapping
from enclave_shared.idempotency import Idempotency
from enclave_shared.kafka import EventProducer, end_offset_total, ensure_topics
from enclave_shared.logs import configure_logging
from enclave_shared.metrics import READY
from enclave_shared.migrations import upgrade
from enclave_shared.outbox import Outbox, OutboxSession, session_factory
from enclave_shared.problems import document_problems
from enclave_shared.pruning import PRUNE_EVERY_S, prune
from enclave_shared.relay import OutboxRelay
from enclave_shared.settings import Profile, ServiceSettings, topic_for

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
S = TypeVar("S", bound=ServiceSettings)


@dataclass
class Runtime(Generic[S]):
    """What a running service holds: its settings (of the service's own class), database,
    Kafka clients, and its clock (which tests replace)."""

    settings: S
    engine: AsyncEngine
    sessions: async_sessionmaker[OutboxSession]
    producer: EventProducer
    relay: OutboxRelay
    consumer: EventConsumer | None
    clock: Clock = utcnow

    def today(self) -> date:
        """The business date now, in the platform's time zone."""
        return business_date(self.clock(), self.settings.time_zone)


@dataclass
class PeriodicJob:
    """Work a service does on a timer (SLA sweeps, overdue checks); it owns its transaction."""

    name: str
    every_s: float
    run: Callable[[Runtime[Any]], Awaitable[None]]


@dataclass
class ServiceSpec:
    """What a service adds to the frame: its routes, tables, migrations and event handlers."""

    name: str
    title: str
    routers: Sequence[APIRouter]
    metadata: MetaData
    migrations: Path
    handlers: Mapping[type[Payload], Handler] = field(default_factory=dict)
    jobs: Sequence[PeriodicJob] = ()
    settings_class: type[ServiceSettings] = ServiceSettings
    sites: frozenset[Site] = frozenset()  # whose staff write its records (auth.py); none: any


def serve(spec: ServiceSpec) -> FastAPI:
    """The app a service's `create()` gives uvicorn's --factory: its settings from the
    environment, its logs configured."""
    settings = spec.settings_class(service=spec.name)
    configure_logging(spec.name, settings.log_level)
    return create_app(spec, settings)


def create_app(spec: ServiceSpec, settings: ServiceSettings | None = None) -> FastAPI:
    """Build the service's app; start-up migrates, creates topics, starts relay and consumer."""
    settings = settings or spec.settings_class(service=spec.name)
    if not isinstance(settings, spec.settings_class):
        # The service's own settings class, always: its fields default (or come from the
        # environment) where the given settings are the platform's base class.
        settings = spec.settings_class(**settings.model_dump())

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await _start(spec, settings, traced)
        app.state.runtime = runtime
        app.state.jwt_public_key = settings.verifying_key()
        jobs = [
            asyncio.create_task(_every(job, runtime), name=job.name)
            for job in [*spec.jobs, *_platform_jobs(settings)]
        ]
        try:
            yield
        finally:
            for task in jobs:
                task.cancel()
            await asyncio.gather(*jobs, return_exceptions=True)
            await _stop(runtime)
            if traced is not None:
                traced.stop()

    app = FastAPI(title=spec.title, lifespan=lifespan)
    traced = tracing.for_app(app, settings)  # None unless OTEL_EXPORTER_OTLP_ENDPOINT is set
    app.state.sites = spec.sites
    from enclave_shared import audit  # its routes use deps, which use this module's Runtime

    for router in [*spec.routers, audit.router]:
        app.include_router(router)
    _add_platform_routes(app, spec, settings)
    add_error_mapping(app)
    document_problems(app)
    app.add_middleware(Idempotency)
    app.add_middleware(
        RequestContext, service=settings.service, max_body_bytes=settings.max_body_bytes
    )
    return app


def _platform_jobs(settings: ServiceSettings) -> list[PeriodicJob]:
    async def prune_old_rows(runtime: Runtime[Any]) -> None:
        await prune(runtime.engine, now=runtime.clock(), keep_days=settings.prune_after_days or 0)

    return [PeriodicJob("prune", PRUNE_EVERY_S, prune_old_rows)]


async def _start(
    spec: ServiceSpec, settings: ServiceSettings, traced: tracing.ServiceTracing | None
) -> Runtime[Any]:
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        settings.database_url, sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms
    )
    if traced is not None:
        traced.start(engine)
    await upgrade(engine, spec.migrations, spec.metadata)
    consumed = sorted({topic_for(settings.topic_prefix, m.producer) for m in spec.handlers})
    await ensure_topics(settings, sorted({settings.topic, settings.dead_letter_topic, *consumed}))
    producer = EventProducer(settings)
    await producer.start()
    relay = OutboxRelay(
        service=spec.name,
        engine=engine,
        producer=producer,
        poll_s=settings.outbox_poll_s,
        idle_poll_s=settings.outbox_idle_poll_s,
    )
    sessions = session_factory(engine, Outbox(settings.topic_prefix, wake=relay.wake))
    if settings.profile is Profile.EMBEDDED:
        # Only the embedded broker forgets (it keeps nothing on disk); on Apache Kafka the
        # comparison could not tell a real loss anyway.
        await relay.republish_if_broker_lost(
            lambda: end_offset_total(settings.kafka_bootstrap_servers, settings.topic)
        )
    relay.start()
    consumer = None
    if spec.handlers:
        consumer = EventConsumer(
            settings=settings, sessions=sessions, handlers=dict(spec.handlers), producer=producer
        )
        await consumer.start()
    return Runtime(settings, engine, sessions, producer, relay, consumer)


async def _stop(runtime: Runtime[Any]) -> None:
    """Graceful order: stop consuming (finish the batch, commit), flush the outbox, close.

    Within the shutdown grace period whatever the broker does: a broker that is away makes
    commits and flushes wait, and what is not done by then stays for the next start (the
    outbox rows unpublished, the offsets re-read and deduped)."""
    deadline = time.monotonic() + float(runtime.settings.shutdown_grace_s)

    def left() -> float:
        return max(deadline - time.monotonic(), 1.0)

    if runtime.consumer is not None:
        await _bounded("consumer", runtime.consumer.stop(grace_s=left()), left() + 1)
    await runtime.relay.stop(grace_s=left())
    await _bounded("producer", runtime.producer.stop(), left())
    await runtime.engine.dispose()


async def _bounded(what: str, work: Awaitable[None], timeout_s: float) -> None:
    try:
        await asyncio.wait_for(work, timeout_s)
    except TimeoutError:
        log.warning("%s not stopped within the shutdown grace period; left behind", what)


async def _every(job: PeriodicJob, runtime: Runtime[Any]) -> None:
    while True:
        await asyncio.sleep(job.every_s)
        try:
            await job.run(runtime)
        except Exception:
            log.exception("periodic job %s failed; it runs again in %.0fs", job.name, job.every_s)


class Readiness(BaseModel):
    """`/readyz`: ready or not, and each check's state (`ok` or what is wrong)."""

    ready: bool
    checks: dict[str, str]


def _add_platform_routes(app: FastAPI, spec: ServiceSpec, settings: ServiceSettings) -> None:
    @app.get("/healthz", tags=["platform"])
    async def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok", "service": spec.name}

    @app.get(
        "/readyz",
        tags=["platform"],
        responses={503: {"model": Readiness, "description": "not ready"}},
    )
    async def readyz(request: Request, response: Response) -> Readiness:
        """Ready when the database and the broker answer, the outbox relay is not failing,
        and the consumer runs, owns partitions and made progress lately."""
        checks = await _readiness(request.app.state.runtime)
        ready = all(v == "ok" for v in checks.values())
        response.status_code = 200 if ready else 503
        return Readiness(ready=ready, checks=checks)

    @app.get(
        "/metrics",
        tags=["platform"],
        response_class=Response,
        responses={
            200: {"content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}}}
        },
    )
    async def metrics(request: Request) -> Response:
        """Prometheus metrics; `enclave_ready` is taken now, by the checks of `/readyz`."""
        for check, state in (await _readiness(request.app.state.runtime)).items():
            READY.labels(spec.name, check).set(1 if state == "ok" else 0)
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    consumes = list(spec.handlers)

    @app.get("/asyncapi.json", tags=["platform"])
    async def asyncapi() -> dict[str, Any]:
        """The AsyncAPI 3 document of the events this service sends and receives, with the
        topic sizes this service creates its topics with."""
        return asyncapi_document(
            spec.name,
            consumes,
            settings.topic_prefix,
            partitions=settings.topic_partitions,
            replicas=settings.kafka_replication_factor,
            min_insync_replicas=settings.kafka_min_insync_replicas,
        )


async def _readiness(runtime: Runtime[Any]) -> dict[str, str]:
    """Each readiness check's state: `ok`, or what is wrong."""
    checks = {
        "database": await _check(_ping_database(runtime.engine)),
        "broker": await _check(runtime.producer.reach_broker()),
        "outbox": runtime.relay.health(),
    }
    if runtime.consumer is not None:
        checks["consumer"] = runtime.consumer.health()
    return checks


async def _ping_database(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def _check(probe: Awaitable[Any]) -> str:
    try:
        await asyncio.wait_for(probe, 3)
        return "ok"
    except Exception as exc:
        return f"unavailable: {type(exc).__name__}"
