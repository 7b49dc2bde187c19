"""Test helpers: run a service in-process against the real broker and database, read topics."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import asyncpg
import httpx
import uvicorn
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from enclave_shared import catalog
from enclave_shared.app import Runtime, ServiceSpec, create_app
from enclave_shared.auth import HOME, Role, SiteDefault, issue_token
from enclave_shared.events import Payload
from enclave_shared.kafka import Connection, client_kwargs
from enclave_shared.settings import KafkaClientSettings, ServiceSettings
from fastapi import FastAPI
from sqlalchemy.engine import URL, make_url

T = TypeVar("T")


@dataclass
class RunningService:
    """A service running in this process: its app, runtime and an HTTP client."""

    app: FastAPI
    client: httpx.AsyncClient

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    def auth(
        self,
        role: Role | str,
        sub: str | None = None,
        site: str | Literal[SiteDefault.HOME] | None = HOME,
    ) -> dict[str, str]:
        """Headers with a bearer token for the role, signed as the console signs them (at
        the role's site unless `site` is given; None: a token without one)."""
        token = issue_token(self.runtime.settings.signing_key(), Role(role), sub=sub, site=site)
        return {"Authorization": f"Bearer {token}"}


@contextlib.asynccontextmanager
async def run_service(
    spec: ServiceSpec, settings: ServiceSettings
) -> AsyncIterator[RunningService]:
    """Start the service's lifespan (migrations, topics, relay, consumer) and stop it after."""
    app = create_app(spec, settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield RunningService(app, client)


@contextlib.asynccontextmanager
async def serve_app(app: FastAPI, *, lifespan: Literal["on", "off"] = "on") -> AsyncIterator[str]:
    """Serve an app behind a real uvicorn on a free loopback port, its lifespan included
    (`"off"`: an app whose lifespan already runs); yields its base URL.

    The socket is bound here and handed to uvicorn: a port only looked up as free could be
    taken by another worker's process before uvicorn binds it. A server that fails to start
    raises RuntimeError, not uvicorn's SystemExit (which would end the worker's event loop
    runner and fail every test after it)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan)
    )

    async def serve() -> None:
        try:
            await server.serve(sockets=[sock])
        except SystemExit as exc:
            raise RuntimeError(f"the server did not start (uvicorn exit {exc.code})") from None

    task = asyncio.create_task(serve())
    try:
        while not server.started:
            if task.done():
                task.result()  # raises what stopped it
                raise RuntimeError("the server stopped before it started")
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        try:
            await task
        finally:
            sock.close()


@contextlib.asynccontextmanager
async def serve_http(spec: ServiceSpec, settings: ServiceSettings) -> AsyncIterator[str]:
    """Run the service behind a real uvicorn on a free loopback port, for clients that
    speak HTTP over a socket (a fuzzer, generated clients); yields its base URL."""
    async with serve_app(create_app(spec, settings)) as url:
        yield url


async def eventually(
    check: Callable[[], Awaitable[Any]], timeout: float = 30.0, interval: float = 0.1
) -> Any:
    """Poll an async check until it returns a truthy value; fail with its last value."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s; last value: {last!r}")


async def started_and_held(work: Awaitable[T]) -> asyncio.Task[T]:
    """Start `work` and check that it is still waiting half a second later: held by a lock
    the caller holds. (It may only ever be late, so the check cannot fail a correct lock.)"""
    task = asyncio.ensure_future(work)
    await asyncio.sleep(0.5)
    assert not task.done()
    return task


async def read_topic(
    bootstrap: str, topic: str, count: int, timeout: float = 30.0
) -> list[ConsumerRecord[bytes, bytes]]:
    """Read `count` records of a topic from the beginning (no consumer group)."""
    consumer = AIOKafkaConsumer(
        topic,
        **client_kwargs(kafka_connection(bootstrap)),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:
        deadline = time.monotonic() + timeout
        while len(records) < count and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for recs in batch.values():
                records.extend(recs)
    finally:
        await consumer.stop()
    return records


def events_of(records: list[ConsumerRecord[bytes, bytes]]) -> list[dict[str, Any]]:
    """The CloudEvents in the records, decoded."""
    return [json.loads(r.value) for r in records if r.value is not None]


async def catalog_events(
    svc: RunningService, producer: str, count: int, wait_s: float = 30.0
) -> list[dict[str, Any]]:
    """The first `count` events on the service's topic, each from `producer` and fitting
    its catalog schema."""
    settings = svc.runtime.settings
    records = await read_topic(settings.kafka_bootstrap_servers, settings.topic, count, wait_s)
    events = events_of(records)
    for event in events:
        model = catalog.BY_TYPE[event["type"]]
        assert model.producer == producer, event["type"]
        model.model_validate(event["data"])  # the payload fits its catalog schema
    return events


def of_type(events: list[dict[str, Any]], model: type[Payload]) -> list[dict[str, Any]]:
    """The data of the events of one catalog type."""
    return [e["data"] for e in events if e["type"] == model.event_type]


async def produce_raw(
    bootstrap: str, topic: str, messages: list[tuple[bytes | None, bytes | None]]
) -> None:
    """Write raw (key, value) messages to a topic, as a foreign or broken producer would."""
    producer = AIOKafkaProducer(**client_kwargs(kafka_connection(bootstrap)), acks="all")
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(topic, value=value, key=key)
    finally:
        await producer.stop()


async def each_refused(
    svc: RunningService, roles: tuple[str, ...], url: str, params: dict[str, str]
) -> None:
    """A GET of `url` as each of `roles` is refused: 403, as a problem document."""
    for role in roles:
        resp = await svc.client.get(url, params=params, headers=svc.auth(role))
        assert resp.status_code == 403, role
        assert resp.headers["content-type"].startswith("application/problem+json")


def kafka_connection(bootstrap: str) -> Connection:
    """How a test's client reaches a broker: the suite's broker with the suite's credentials
    (from the environment, see tests/conftest.py), a test's own broker without."""
    if bootstrap == os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        return KafkaClientSettings(kafka_bootstrap_servers=bootstrap)
    return bootstrap


def unique(prefix: str = "t") -> str:
    """A short unique name for topics, groups and databases."""
    return f"{prefix}{uuid.uuid4().hex[:10]}"


@contextlib.asynccontextmanager
async def database_outage(database_url: str) -> AsyncIterator[None]:
    """Make a service's database unavailable for the duration, for real.

    SQLite: another connection holds an exclusive lock, so every statement fails with
    "database is locked". PostgreSQL: the database refuses connections and its sessions
    are terminated.
    """
    url = make_url(database_url)
    if url.drivername.startswith("sqlite"):
        import sqlite3

        blocker = sqlite3.connect(url.database or "", isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        return
    admin = await asyncpg.connect(asyncpg_url(url.set(database="postgres")))
    db = url.database
    try:
        await admin.execute(f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", db
        )
        yield
    finally:
        await admin.execute(f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS true')
        await admin.close()


def asyncpg_url(url: URL) -> str:
    """The URL asyncpg itself understands (no SQLAlchemy driver suffix, password kept)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def create_database(server_url: str, prefix: str) -> tuple[str, str]:
    """A new, empty PostgreSQL database on the server: (its name, its SQLAlchemy URL)."""
    url = make_url(server_url)
    name = unique(prefix)
    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name, url.set(database=name).render_as_string(hide_password=False)


async def drop_databases(server_url: str, names: list[str]) -> None:
    """Drop databases made by create_database, connected sessions and all."""
    conn = await asyncpg.connect(asyncpg_url(make_url(server_url)))
    try:
        for name in names:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
