"""The fault suite: the whole system in subprocesses, business flows driven through the public
HTTP APIs, faults injected meanwhile, every effect compared with what was driven.

A flow: a project registered (delivery path), incubating, matured → intake opens its case →
the case is signed (enterprise.settled) → hotline opens the landing follow-up ticket →
assessment counts the facts. Nine events per flow on the topics (project: registered, three
stage changes, matured, transferred; case: opened, settled; ticket: opened).

Faults, one after another at random points of the drive (by progress): kill -9 of each
service (the launcher restarts it), a broker restart (KAFKA_RESTART_CMD), a database outage
(PostgreSQL: the service databases refuse connections and their sessions are terminated;
SQLite: each file held under an exclusive lock), consumer replicas 1 → 3 → 1 (two more
uvicorn processes of intake in its group), poison messages on the source topics, and on a
cluster (KAFKA_NODES > 1, scripts/kafka.sh) kill -9 of one broker, started again later.
With KAFKA_SASL_CREDENTIALS_DIR (scripts/kafka.sh's SASL broker) each service runs as its own
Kafka user with the ACLs derived from its handlers.

Figures per fault (flows are counted under the fault in progress when they started) and
overall; the last line printed is one JSON object. Exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import KafkaError
from enclave_shared.auth import Role, issue_token
from enclave_shared.kafka import (
    Connection,
    client_kwargs,
    end_offsets,
    free_port,
    grant_acls,
    platform_acls,
    topic_partitions,
)
from enclave_shared.keys import public_key_of, read_or_create_private_key
from enclave_shared.launcher import SERVICES, load_spec
from enclave_shared.settings import EMBEDDED_KEY_FILE, KafkaClientSettings
from sqlalchemy.engine import make_url

from tests.support import asyncpg_url, create_database, drop_databases

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
ENCLAVE = str(Path(sys.executable).parent / "enclave")
APIS = ("incubation", "intake", "hotline", "assessment")
SOURCE_TOPICS = ("incubation", "intake", "hotline")  # topics other services consume
EVENTS_PER_FLOW = 9
READ_TIMEOUT_S = 60.0  # a read of a page of hundreds of rows on a loaded machine
SASL_ENV = ("KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD", "KAFKA_SASL_PASSWORD_FILE")
YEAR = 2023
FIRST_DAY = date(YEAR, 1, 2)
DAYS = 200  # registration days spread over the year: a create is looked up by its day
FACTS = (
    "projects_matured",
    "projects_matured_delivery",
    "projects_transferred",
    "projects_transferred_delivery",
    "enterprises_settled",
)
EFFECTS_PER_FLOW = 3 + len(FACTS)  # case, project transferred, ticket, the facts
REPLICATED = "intake"  # the consuming service that gets two more replicas for a while
POISON_KINDS = ("non_json", "non_cloudevent", "unknown_type", "bad_payload", "wrong_producer")
POISON_REASONS = {
    "non_json": "not a CloudEvent",
    "non_cloudevent": "not a CloudEvent",
    "unknown_type": "unknown event type",
    "bad_payload": "fails its schema",
    "wrong_producer": "wrong producer",
}
TRANSIENT_HTTP = (httpx.TransportError,)  # timeouts, refused and cut connections


def log(message: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the system -----------------------------------------------------------------------------


@dataclass
class System:
    """The launcher subprocess and what it needs: ports, env, databases, topics, keys."""

    work: Path
    real: bool
    ports: dict[str, int]
    env: dict[str, str]
    service_env: dict[str, dict[str, str]]  # what only that service gets (DATABASE_URL)
    bootstrap: Connection  # the driver's own: the superuser's credentials with SASL
    prefix: str
    databases: dict[str, str]  # service → URL (SQLite file or PostgreSQL database)
    server_url: str | None = None
    log_path: Path = Path()
    process: subprocess.Popen[bytes] | None = None
    replicas: list[subprocess.Popen[bytes]] = field(default_factory=list)
    private_key: str = ""

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def topic(self, service: str) -> str:
        return f"{self.prefix}.{service}"

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def pid(self, name: str) -> int:
        """The pid the launcher printed last for a service (at its start or restart)."""
        lines = [ln for ln in self.log_text().splitlines() if ln.startswith(name + " ")]
        return int(re.findall(r"pid (\d+)", "\n".join(lines))[-1])

    def restarts(self, name: str) -> int:
        return self.log_text().count(f"{name} restarted (pid ")


async def make_system(work: Path) -> System:
    real = bool(os.environ.get("KAFKA_BOOTSTRAP_SERVERS") and os.environ.get("DATABASE_URL"))
    work.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (once)
    data = work / "var"
    names = list(SERVICES) if not real else list(APIS)  # the console needs no chaos of its own
    ports = {name: free_port() for name in names}
    prefix = f"chaos{uuid.uuid4().hex[:8]}"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "ENCLAVE_PROFILE", *SASL_ENV)
    }
    env.update({f"{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env.update(
        {
            "ENCLAVE_DATA_DIR": str(data),
            "ENCLAVE_TOPIC_PREFIX": prefix,
            "LOG_LEVEL": os.environ.get("CHAOS_LOG_LEVEL", "WARNING"),
            # this tree first (a copy of the repository runs its own code)
            "PYTHONPATH": os.pathsep.join(
                [
                    str(ROOT),
                    str(ROOT / "libs/shared"),
                    *filter(None, [os.environ.get("PYTHONPATH")]),
                ]
            ),
        }
    )
    service_env: dict[str, dict[str, str]] = {name: {} for name in names}
    if real:
        server = os.environ["DATABASE_URL"]
        bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
        data.mkdir(parents=True, exist_ok=True)
        private = data / "jwt-private.pem"
        public = data / "jwt-public.pem"
        public.write_text(public_key_of(read_or_create_private_key(private)))
        env.update(
            {
                "ENCLAVE_PROFILE": "real",
                # a cluster's topics: replicated as scripts/kafka.sh sets its brokers up
                "KAFKA_REPLICATION_FACTOR": os.environ.get(
                    "KAFKA_REPLICATION_FACTOR", "3" if cluster_nodes() > 1 else "1"
                ),
                "KAFKA_MIN_INSYNC_REPLICAS": os.environ.get(
                    "KAFKA_MIN_INSYNC_REPLICAS", "2" if cluster_nodes() > 1 else "1"
                ),
                "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
                "ENCLAVE_JWT_PRIVATE_KEY_FILE": str(private),
                "ENCLAVE_JWT_PUBLIC_KEY_FILE": str(public),
            }
        )
        databases = {}
        for name in names:
            _db, url = await create_database(server, f"chaos_{name}_")
            databases[name] = url
            service_env[name]["DATABASE_URL"] = url
        kafka: Connection = bootstrap
        credentials = os.environ.get("KAFKA_SASL_CREDENTIALS_DIR")
        if credentials:  # Apache Kafka with SASL: each service its own user and ACLs
            kafka = KafkaClientSettings(
                kafka_bootstrap_servers=bootstrap,
                kafka_sasl_username="admin",
                kafka_sasl_password_file=Path(credentials) / "admin.password",
            )
            await grant_acls(kafka, platform_acls(prefix))
            for name in names:
                service_env[name]["KAFKA_SASL_USERNAME"] = name
                service_env[name]["KAFKA_SASL_PASSWORD_FILE"] = str(
                    Path(credentials) / f"{name}.password"
                )
        system = System(work, real, ports, env, service_env, kafka, prefix, databases, server)
    else:
        bootstrap = f"127.0.0.1:{free_port()}"
        env["KAFKA_BOOTSTRAP_SERVERS"] = bootstrap
        databases = {name: f"sqlite+aiosqlite:///{data / (name + '.db')}" for name in names}
        system = System(work, real, ports, env, service_env, bootstrap, prefix, databases)
    system.log_path = work / "run.log"
    return system


async def start(system: System) -> None:
    if system.real:
        command = [sys.executable, "-m", "tests.chaos.supervisor"]
        env = {**system.env, "CHAOS_SERVICE_ENV": json.dumps(system.service_env)}
    else:
        command, env = [ENCLAVE, "run"], system.env
    system.process = subprocess.Popen(  # noqa: ASYNC220 (it runs in the background)
        command,
        env=env,
        cwd=ROOT,
        stdout=system.log_path.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while "ready — Ctrl-C" not in system.log_text():
        if system.process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the system did not start; see {system.log_path}")
        await asyncio.sleep(0.3)
    key_file = system.env.get("ENCLAVE_JWT_PRIVATE_KEY_FILE")
    path = Path(key_file) if key_file else Path(system.env["ENCLAVE_DATA_DIR"]) / EMBEDDED_KEY_FILE
    system.private_key = path.read_text()
    await wait_ready(system, timeout=120)


async def ready(system: System, client: httpx.AsyncClient) -> bool:
    for name in APIS:
        try:
            resp = await client.get(f"{system.url(name)}/readyz", timeout=3)
        except httpx.HTTPError:
            return False
        if resp.status_code != 200:
            return False
    return True


async def wait_ready(system: System, timeout: float) -> float:
    started = time.monotonic()
    async with httpx.AsyncClient() as client:
        while not await ready(system, client):
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"services not ready after {timeout:.0f}s")
            await asyncio.sleep(0.5)
    return time.monotonic() - started


async def stop(system: System) -> None:
    for replica in system.replicas:
        if replica.poll() is None:
            replica.send_signal(signal.SIGTERM)
    for replica in system.replicas:
        with contextlib.suppress(subprocess.TimeoutExpired):
            replica.wait(30)
    if system.process is not None and system.process.poll() is None:
        system.process.send_signal(signal.SIGINT)
        try:
            await asyncio.to_thread(system.process.wait, 90)
        except subprocess.TimeoutExpired:
            os.killpg(system.process.pid, signal.SIGKILL)
    if system.real and system.server_url:
        names = [make_url(u).database or "" for u in system.databases.values()]
        with contextlib.suppress(Exception):
            await drop_databases(system.server_url, names)


# --- the driver --------------------------------------------------------------------------------


class DriverError(RuntimeError):
    """A call the platform refused for good (not a fault's transient failure)."""


@dataclass
class Flow:
    index: int
    title: str
    day: date
    phase: str = "none"
    started_at: float = 0.0
    ended_at: float = 0.0
    project_id: str | None = None
    case_id: str | None = None
    ticket_id: str | None = None
    done_at: float | None = None
    error: str | None = None


@dataclass
class Driver:
    system: System
    client: httpx.AsyncClient
    run_id: str
    patience: float
    retries: Counter[str] = field(default_factory=Counter)
    lookups_found: int = 0
    completed: int = 0
    in_flight: int = 0
    last_done: float = 0.0

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._tokens[role]}"}

    def __post_init__(self) -> None:
        key = self.system.private_key
        self._tokens = {
            r: issue_token(key, Role(r), sub=f"chaos-{r}")
            for r in ("enclave_operator", "zone_officer", "hotline_agent", "assessor", "admin")
        }

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        role: str,
        *,
        body: Any = None,
        params: dict[str, Any] | None = None,
        ok: tuple[int, ...] = (200, 201),
        lookup: Callable[[], Awaitable[Any]] | None = None,
        key: str | None = None,
    ) -> Any:
        """A call retried through faults. When an attempt may have been applied (a timeout, a
        cut connection, a 5xx, a 409 on a move) `lookup` says whether it was: its answer is
        taken instead of sending again, so the driver never applies a write twice. `key` is
        sent as the Idempotency-Key, the same on every attempt."""
        url = f"{self.system.url(service)}{path}"
        headers = self.headers(role)
        if key:
            headers = {**headers, "Idempotency-Key": f"{self.run_id}-{key}"}
        backoff = 0.2
        deadline = time.monotonic() + self.patience
        while True:
            maybe_applied = False
            try:
                resp = await self.client.request(
                    method, url, headers=headers, json=body, params=params
                )
                if resp.status_code in ok:
                    return resp.json() if resp.content else None
                if resp.status_code < 500 and resp.status_code != 409:
                    raise DriverError(f"{method} {path} answered {resp.status_code}: {resp.text}")
                maybe_applied = True
                reason = str(resp.status_code)
            except httpx.ConnectError:
                reason = "refused"  # nothing was sent
            except TRANSIENT_HTTP as exc:
                maybe_applied = True
                reason = type(exc).__name__
            self.retries[f"{service} {reason}"] += 1
            if maybe_applied and lookup is not None:
                found = await self.read(lookup)
                if found is not None:
                    self.lookups_found += 1
                    return found
                if reason == "409":
                    raise DriverError(f"{method} {path} 409 and not applied")
            if time.monotonic() > deadline:
                raise DriverError(f"{method} {path} still failing ({reason}) after retries")
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 3.0)

    async def read(self, check: Callable[[], Awaitable[T]]) -> T:
        """A read retried through faults until it answers."""
        backoff = 0.2
        deadline = time.monotonic() + self.patience
        while True:
            try:
                return await check()
            except (httpx.HTTPError, ReadFailed):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 3.0)

    async def get(self, service: str, path: str, role: str, /, **params: Any) -> Any:
        resp = await self.client.get(
            f"{self.system.url(service)}{path}",
            headers=self.headers(role),
            params=params,
            timeout=READ_TIMEOUT_S,
        )
        if resp.status_code != 200:
            raise ReadFailed(f"GET {path} {resp.status_code}")
        return resp.json()

    async def wait_for(self, what: str, check: Callable[[], Awaitable[T | None]]) -> T:
        deadline = time.monotonic() + self.patience
        interval = 0.3
        while True:
            with contextlib.suppress(httpx.HTTPError, ReadFailed):
                value = await check()
                if value:
                    return value
            if time.monotonic() > deadline:
                raise DriverError(f"timed out waiting for {what}")
            await asyncio.sleep(interval)
            interval = min(interval * 1.5, 2.0)

    async def flow(self, flow: Flow) -> None:
        op, officer, agent = "enclave_operator", "zone_officer", "hotline_agent"
        day = flow.day.isoformat()

        async def registered() -> dict[str, Any] | None:
            rows = await self.get(
                "incubation",
                "/api/v1/projects",
                op,
                path="delivery",
                **{"from": day, "to": day},  # the day it was registered on
                limit=500,
            )
            return next((r for r in rows if r["title"] == flow.title), None)

        project = await self.call(
            "incubation",
            "POST",
            "/api/v1/projects",
            op,
            body={
                "path": "delivery",
                "title": flow.title,
                "industry_chain": "black_talc",
                "registered_on": day,
            },
            ok=(201,),
            lookup=registered,
            key=f"{flow.index}-register",
        )
        flow.project_id = pid = project["id"]

        def stage_at_least(stages: tuple[str, ...]) -> Callable[[], Awaitable[Any]]:
            async def check() -> Any:
                row = await self.get("incubation", f"/api/v1/projects/{pid}", op)
                return row if row["stage"] in stages else None

            return check

        await self.call(
            "incubation",
            "POST",
            f"/api/v1/projects/{pid}/incubation",
            op,
            body={"started_on": (flow.day + timedelta(days=1)).isoformat()},
            lookup=stage_at_least(("incubating", "matured", "transferred")),
            key=f"{flow.index}-incubation",
        )
        await self.call(
            "incubation",
            "POST",
            f"/api/v1/projects/{pid}/maturity",
            op,
            body={"matured_on": (flow.day + timedelta(days=30)).isoformat()},
            lookup=stage_at_least(("matured", "transferred")),
            key=f"{flow.index}-maturity",
        )

        async def opened() -> dict[str, Any] | None:
            rows = await self.get("intake", "/api/v1/cases", officer, project_id=pid)
            return rows[0] if rows else None

        case = await self.wait_for(f"the case of project {pid}", opened)
        flow.case_id = cid = case["id"]

        async def signed() -> Any:
            row = await self.get("intake", f"/api/v1/cases/{cid}", officer)
            return row if row["signed_on"] else None

        await self.call(
            "intake",
            "POST",
            f"/api/v1/cases/{cid}/signing",
            officer,
            body={
                "signed_on": (flow.day + timedelta(days=40)).isoformat(),
                "enterprise": f"Chaos Enterprise {self.run_id}-{flow.index}",
            },
            lookup=signed,
            key=f"{flow.index}-signing",
        )

        async def followup() -> dict[str, Any] | None:
            rows = await self.get(
                "hotline", "/api/v1/tickets", agent, kind="landing_followup", case_id=cid
            )
            return rows[0] if rows else None

        ticket = await self.wait_for(f"the follow-up ticket of case {cid}", followup)
        flow.ticket_id = ticket["id"]
        flow.done_at = self.last_done = time.monotonic()
        self.completed += 1


class ReadFailed(RuntimeError):
    """A read answered with a status other than 200 (a service that is not there yet)."""


# --- faults ------------------------------------------------------------------------------------


@dataclass
class Fault:
    kind: str
    started: float = 0.0
    ended: float = 0.0
    recovered: float | None = None
    detail: str = ""
    skipped: str | None = None

    @property
    def recover_s(self) -> float | None:
        return None if self.recovered is None else round(self.recovered - self.started, 1)


@dataclass
class Poison:
    key: str
    kind: str
    topic: str
    expected: set[str]  # the consumers that must dead-letter it


def poison_plan(system: System, count: int, rng: random.Random) -> list[Poison]:
    """Which messages, where, and which consumer must dead-letter each (from the handlers)."""
    handled: dict[str, dict[str, Any]] = {}  # service → event type → model
    for name in APIS:
        spec = load_spec(name)
        handled[name] = {model.event_type: model for model in spec.handlers}
    subscribers = {
        topic: {n for n, ts in handled.items() if any(m.producer == topic for m in ts.values())}
        for topic in SOURCE_TOPICS
    }
    plans = []
    for k in range(count):
        topic = SOURCE_TOPICS[k % len(SOURCE_TOPICS)]
        kind = POISON_KINDS[(k // len(SOURCE_TOPICS)) % len(POISON_KINDS)]
        if kind in ("bad_payload", "wrong_producer"):
            types = sorted(
                {
                    t
                    for n in subscribers[topic]
                    for t, m in handled[n].items()
                    if m.producer == topic
                }
            )
            kind_type = types[k % len(types)]
            expected = {n for n in subscribers[topic] if kind_type in handled[n]}
            key = f"poison-{k}-{kind}-{kind_type}"
        else:
            expected = set(subscribers[topic])
            key = f"poison-{k}-{kind}"
        plans.append(Poison(key, kind, system.topic(topic), expected))
    rng.shuffle(plans)
    return plans


def poison_value(p: Poison) -> bytes:
    producer = p.topic.rsplit(".", 1)[1]
    envelope: dict[str, Any] = {
        "specversion": "1.0",
        "id": f"chaos-{uuid.uuid4().hex}",
        "source": f"/enclave/{producer}",
        "time": "2023-05-01T00:00:00Z",
        "subject": p.key,
        "datacontenttype": "application/json",
    }
    if p.kind == "non_json":
        return b"\xff{not json at all " + p.key.encode()
    if p.kind == "non_cloudevent":
        return json.dumps({"hello": "world", "key": p.key}).encode()
    if p.kind == "unknown_type":
        return json.dumps({**envelope, "type": "enclave.chaos.unknown.v1", "data": {}}).encode()
    event_type = p.key.rsplit("-", 1)[1]
    if p.kind == "bad_payload":
        return json.dumps({**envelope, "type": event_type, "data": {"bogus": True}}).encode()
    # wrong producer: a type of this topic's service, claiming another service as its source
    other = next(s for s in APIS if s != producer)
    return json.dumps(
        {**envelope, "type": event_type, "source": f"/enclave/{other}", "data": {}}
    ).encode()


async def produce(bootstrap: Connection, messages: list[Poison]) -> None:
    while True:
        producer = AIOKafkaProducer(**client_kwargs(bootstrap), acks="all")
        try:
            await producer.start()
            for p in messages:
                await producer.send_and_wait(p.topic, key=p.key.encode(), value=poison_value(p))
            return
        except KafkaError as exc:
            log(f"poison send failed ({exc!r}); again")
            await asyncio.sleep(1)
        finally:
            await producer.stop()


@contextlib.asynccontextmanager
async def database_outage(system: System) -> AsyncIterator[None]:
    """Every service database unavailable. PostgreSQL: connections refused and sessions
    terminated (other databases undisturbed). SQLite: each file under an exclusive lock."""
    if not system.real:
        blockers = []
        try:
            for url in system.databases.values():
                blocker = sqlite3.connect(make_url(url).database or "", timeout=60)
                blocker.isolation_level = None
                blocker.execute("BEGIN EXCLUSIVE")
                blockers.append(blocker)
            yield
        finally:
            for blocker in blockers:
                blocker.execute("ROLLBACK")
                blocker.close()
        return
    assert system.server_url
    admin = await asyncpg.connect(asyncpg_url(make_url(system.server_url)))
    names = [make_url(u).database for u in system.databases.values()]
    try:
        for db in names:
            await admin.execute(f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1)",
            names,
        )
        yield
    finally:
        for db in names:
            await admin.execute(f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS true')
        await admin.close()


def start_replica(system: System, name: str) -> subprocess.Popen[bytes]:
    port = free_port()
    env = {**system.env, **system.service_env[name], "ENCLAVE_SERVICE": name}
    replica = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            f"services.{name}.main:create",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=system.log_path.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    system.replicas.append(replica)
    return replica


@dataclass
class Chaos:
    system: System
    driver: Driver
    args: argparse.Namespace
    rng: random.Random
    faults: list[Fault] = field(default_factory=list)
    current: str = "none"
    poison: list[Poison] = field(default_factory=list)
    slots: int = 1
    done: int = 0
    finished: bool = False

    def allowed(self) -> float:
        """How far the drive may go: into the next fault's slot, not past it before that
        fault was injected and recovered (so every fault meets flows in flight)."""
        return (
            1.0
            if self.finished or self.done >= self.slots
            else (self.done + 1) / (self.slots + 0.5)
        )

    def schedule(self) -> list[str]:
        kinds = [f"kill -9 {name}" for name in APIS]
        kinds += ["broker restart", "database outage", "replicas 1→3→1", "poison"]
        if self.system.real and cluster_nodes() > 1:
            kinds.append("kill -9 broker")  # one node of the cluster, started again later
        self.rng.shuffle(kinds)
        return kinds

    async def run(self, progress: Callable[[], float]) -> None:
        try:
            await self._run(progress)
        finally:
            self.finished = True

    async def _run(self, progress: Callable[[], float]) -> None:
        kinds = self.schedule()
        slots = self.slots = len(kinds)
        for k, kind in enumerate(kinds):
            # a random moment in this fault's slot of the drive (by progress)
            at = (k + self.rng.uniform(0.1, 0.8)) / (slots + 0.5)
            while progress() < at:  # noqa: ASYNC110 (polls the drive's progress)
                await asyncio.sleep(0.2)
            fault = Fault(kind)
            self.faults.append(fault)
            fault.started = time.monotonic()
            self.current = kind
            log(f"fault: {kind}")
            try:
                await self.inject(fault)
            except Exception as exc:  # a fault that could not be injected is reported
                fault.skipped = f"injection failed: {exc!r}"
                log(fault.skipped)
            fault.ended = time.monotonic()
            await self.recovery(fault)
            self.current = "none"
            self.done += 1
            log(f"fault {kind}: recovered in {fault.recover_s}s {fault.detail}")

    async def inject(self, fault: Fault) -> None:
        system, args = self.system, self.args
        if fault.kind.startswith("kill -9 ") and fault.kind != "kill -9 broker":
            name = fault.kind.removeprefix("kill -9 ")
            before = system.restarts(name)
            pid = system.pid(name)
            os.kill(pid, signal.SIGKILL)
            fault.detail = f"(pid {pid})"
            deadline = time.monotonic() + 60
            while system.restarts(name) == before and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.2)
            if system.restarts(name) == before:
                raise RuntimeError(f"{name} was not restarted by the launcher")
            fault.detail += f" → pid {system.pid(name)}"
        elif fault.kind == "broker restart":
            command = os.environ.get("KAFKA_RESTART_CMD")
            if not system.real or not command:
                fault.skipped = "no KAFKA_RESTART_CMD (the embedded broker keeps nothing)"
                return
            done = await asyncio.to_thread(
                subprocess.run, command, shell=True, cwd=ROOT, capture_output=True, text=True
            )
            if done.returncode != 0:
                raise RuntimeError(f"{command}: {done.returncode} {done.stderr[-300:]}")
        elif fault.kind == "kill -9 broker":
            node = self.rng.randint(1, cluster_nodes())
            fault.detail = f"(node {node} of {cluster_nodes()}, {args.broker_down_s:.0f}s down)"
            await kafka_sh("kill", str(node))
            await asyncio.sleep(args.broker_down_s)
            await kafka_sh("start-node", str(node))
        elif fault.kind == "database outage":
            seconds = self.rng.uniform(args.outage_min, args.outage_max)
            fault.detail = f"({seconds:.0f}s)"
            async with database_outage(system):
                await asyncio.sleep(seconds)
        elif fault.kind == "replicas 1→3→1":
            extra = [start_replica(system, REPLICATED) for _ in range(2)]
            await asyncio.sleep(args.replica_s)
            for replica in extra:
                replica.send_signal(signal.SIGTERM)
            for replica in extra:
                await asyncio.to_thread(replica.wait, 60)
            fault.detail = f"({REPLICATED}, {args.replica_s:.0f}s with 3)"
        elif fault.kind == "poison":
            fault.detail = f"({len(self.poison)} messages)"
            await produce(system.bootstrap, self.poison)

    async def recovery(self, fault: Fault) -> None:
        """Recovered: every service ready again and a flow completed after the fault ended
        (or nothing was in flight to complete)."""
        deadline = time.monotonic() + self.args.patience
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if await ready(self.system, client):
                    idle = self.driver.completed >= self.args.flows or self.driver.in_flight == 0
                    if self.driver.last_done > fault.ended or idle:
                        fault.recovered = time.monotonic()
                        return
                await asyncio.sleep(0.25)


def cluster_nodes() -> int:
    """How many Apache Kafka nodes scripts/kafka.sh runs (KAFKA_NODES, as it reads it)."""
    return int(os.environ.get("KAFKA_NODES", "1"))


async def kafka_sh(*args: str) -> None:
    """scripts/kafka.sh with this run's environment (KAFKA_HOME, ports, KAFKA_NODES)."""
    done = await asyncio.to_thread(
        subprocess.run,
        [str(ROOT / "scripts/kafka.sh"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"kafka.sh {' '.join(args)}: {done.returncode} {done.stderr[-300:]}")


# --- reading back ------------------------------------------------------------------------------


async def read_all(bootstrap: Connection, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record of a topic, from the beginning to its end now (none if it is absent)."""
    try:
        partitions = await topic_partitions(bootstrap, topic)
    except Exception:
        return []
    if not partitions:
        return []
    consumer = AIOKafkaConsumer(**client_kwargs(bootstrap), enable_auto_commit=False, group_id=None)
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:
        consumer.assign(partitions)
        # not ListOffsets alone: the embedded broker reports the end of a partition as its
        # last batch's first offset + 1 (see enclave_shared.kafka.end_offsets)
        ends = await end_offsets(consumer, partitions)
        await consumer.seek_to_beginning(*partitions)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            positions = [await consumer.position(tp) for tp in partitions]
            if all(pos >= ends[tp] for pos, tp in zip(positions, partitions, strict=True)):
                break
            batch = await consumer.getmany(timeout_ms=500, max_records=10000)
            for tp, recs in batch.items():
                records.extend(r for r in recs if r.offset < ends[tp])
    finally:
        await consumer.stop()
    return records


async def list_all(
    driver: Driver, service: str, path: str, role: str, /, **params: Any
) -> list[Any]:
    rows: list[Any] = []
    offset = 0
    while True:
        page = await driver.read(
            lambda at=offset: driver.get(service, path, role, limit=500, offset=at, **params)
        )
        rows.extend(page)
        if len(page) < 500:
            return rows
        offset += 500


def dlq_headers(record: ConsumerRecord[bytes, bytes]) -> dict[str, str]:
    return {k: v.decode(errors="replace") for k, v in record.headers}


PROJECT_RANK = {
    ("enclave.project.registered.v1", None): 0,
    ("enclave.project.stage_changed.v1", "incubating"): 1,
    ("enclave.project.stage_changed.v1", "matured"): 2,
    ("enclave.project.matured.v1", None): 3,
    ("enclave.project.stage_changed.v1", "transferred"): 4,
    ("enclave.project.transferred.v1", None): 5,
}
CASE_RANK: dict[tuple[str, str | None], int] = {
    ("enclave.case.opened.v1", None): 0,
    ("enclave.enterprise.settled.v1", None): 1,
}
TICKET_RANK: dict[tuple[str, str | None], int] = {("enclave.ticket.opened.v1", None): 0}


def fact_of(event: dict[str, Any]) -> tuple[str, str | None]:
    data = event.get("data") or {}
    stage = data.get("to_stage") if event["type"].endswith("stage_changed.v1") else None
    return event["type"], stage


def check_sequences(
    records: list[ConsumerRecord[bytes, bytes]],
    ranks: dict[tuple[str, str | None], int],
    keys: set[str],
) -> dict[str, dict[str, int]]:
    """Per key of the flows: lost, duplicated (two event ids for one fact) and order
    violations (a fact's first copy after a later fact's first copy) on the topic."""
    seen: dict[str, dict[str, tuple[str, str | None]]] = defaultdict(dict)  # key → id → fact
    order: dict[str, list[tuple[str, str | None]]] = defaultdict(list)  # first copies
    for r in records:
        key = (r.key or b"").decode(errors="replace")
        if key not in keys:
            continue
        event = json.loads(r.value or b"{}")
        fact = fact_of(event)
        if fact not in ranks or event["id"] in seen[key]:
            continue
        seen[key][event["id"]] = fact
        order[key].append(fact)
    out: dict[str, dict[str, int]] = {}
    for key in keys:
        facts = Counter(order[key])
        lost = sum(1 for fact in ranks if facts[fact] == 0)
        duplicated = sum(n - 1 for n in facts.values() if n > 1)
        seq = [ranks[f] for f in order[key]]
        violations = sum(1 for a, b in itertools.pairwise(seq) if b < a)
        out[key] = {"lost": lost, "duplicated": duplicated, "order": violations}
    return out


# --- the run -----------------------------------------------------------------------------------


async def settle(
    driver: Driver, flows: list[Flow], expected_dlq: int, system: System, timeout: float
) -> float:
    """Wait until the counts the end compares stop moving (or reach what was driven)."""
    started = time.monotonic()
    matured = sum(1 for f in flows if f.project_id)
    want_facts = len(FACTS) * matured
    stable_since, last = time.monotonic(), None
    while time.monotonic() - started < timeout:
        with contextlib.suppress(httpx.HTTPError, ReadFailed):
            resp = await driver.client.get(
                f"{system.url('assessment')}/api/v1/assessments/{YEAR}/facts",
                headers=driver.headers("assessor"),
                params={"limit": 1},
            )
            facts = int(resp.headers.get("x-total-count", "0"))
            transferred = await driver.client.get(
                f"{system.url('incubation')}/api/v1/projects",
                headers=driver.headers("enclave_operator"),
                params={"limit": 1, "stage": "transferred"},
            )
            moved = int(transferred.headers.get("x-total-count", "0"))
            dlq = 0
            for name in APIS:
                dlq += len(await read_all(system.bootstrap, system.topic(name) + ".dlq"))
            now = (facts, moved, dlq)
            if facts >= want_facts and moved >= matured and dlq >= expected_dlq:
                return time.monotonic() - started
            if now != last:
                last, stable_since = now, time.monotonic()
            elif time.monotonic() - stable_since > 30:
                return time.monotonic() - started
        await asyncio.sleep(2)
    return time.monotonic() - started


async def chaos(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    work = Path(args.work or f"/tmp/chaos-{uuid.uuid4().hex[:8]}")
    system = await make_system(work)
    log(f"profile {'real' if system.real else 'embedded'}; data in {work}; prefix {system.prefix}")
    run_id = uuid.uuid4().hex[:6]
    flows = [
        Flow(i, f"Chaos {run_id} project {i}", FIRST_DAY + timedelta(days=i % DAYS))
        for i in range(args.flows)
    ]
    started = time.monotonic()
    try:
        await start(system)
        log(f"system ready in {time.monotonic() - started:.1f}s")
        timeout = httpx.Timeout(10.0, connect=3.0)
        limits = httpx.Limits(max_connections=args.concurrency * 2 + 10)
        async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
            driver = Driver(system, client, run_id, args.patience)
            chaos_ = Chaos(system, driver, args, rng)
            chaos_.poison = poison_plan(system, args.poison, rng)
            queue: asyncio.Queue[Flow] = asyncio.Queue()
            for f in flows:
                queue.put_nowait(f)
            released = 0
            drive_started = time.monotonic()

            async def worker() -> None:
                nonlocal released
                while True:
                    try:
                        f = queue.get_nowait()
                    except asyncio.QueueEmpty:
                        return
                    while f.index / len(flows) > chaos_.allowed():  # noqa: ASYNC110
                        await asyncio.sleep(0.2)
                    if args.span:  # paced: flows spread over the span
                        due = drive_started + args.span * f.index / len(flows)
                        await asyncio.sleep(max(0.0, due - time.monotonic()))
                    released += 1
                    f.started_at = time.monotonic()
                    driver.in_flight += 1
                    try:
                        await driver.flow(f)
                    except (DriverError, httpx.HTTPError, ReadFailed) as exc:
                        f.error = str(exc)
                        log(f"flow {f.index}: {exc}")
                    finally:
                        f.ended_at = time.monotonic()
                        driver.in_flight -= 1
                    if driver.completed % 100 == 0 and driver.completed:
                        log(f"{driver.completed}/{len(flows)} flows done")

            chaos_.slots = 8
            faults_task = asyncio.create_task(chaos_.run(lambda: released / len(flows)))
            workers = [asyncio.create_task(worker()) for _ in range(args.concurrency)]
            await asyncio.gather(*workers)
            drive_s = time.monotonic() - drive_started
            log(f"drive done in {drive_s:.0f}s; faults left: waiting")
            await faults_task
            expected_dlq = sum(len(p.expected) for p in chaos_.poison)
            settle_s = await settle(driver, flows, expected_dlq, system, args.patience)
            log(f"settled in {settle_s:.0f}s; reading everything back")
            report = await compare(system, driver, flows, chaos_)
            report["drive_s"] = round(drive_s, 1)
            report["settle_s"] = round(settle_s, 1)
    finally:
        await stop(system)
    report["total_s"] = round(time.monotonic() - started, 1)
    return report


async def compare(
    system: System, driver: Driver, flows: list[Flow], chaos_: Chaos
) -> dict[str, Any]:
    op = "enclave_operator"
    projects = await list_all(driver, "incubation", "/api/v1/projects", op, path="delivery")
    cases = await list_all(driver, "intake", "/api/v1/cases", "zone_officer", path="delivery")
    tickets = await list_all(
        driver, "hotline", "/api/v1/tickets", "hotline_agent", kind="landing_followup"
    )
    facts = await list_all(driver, "assessment", f"/api/v1/assessments/{YEAR}/facts", "assessor")
    titles = Counter(p["title"] for p in projects)
    stage = {p["id"]: p["stage"] for p in projects}
    cases_of = Counter(c["project_id"] for c in cases)
    case_by_project = {c["project_id"]: c for c in cases}
    tickets_of = Counter(t["case_id"] for t in tickets)
    facts_of = Counter((f["indicator"], f["subject"]) for f in facts)
    project_keys = {f.project_id for f in flows if f.project_id}
    case_keys = {c["id"] for p, c in case_by_project.items() if p in project_keys}
    ticket_keys = {t["id"] for t in tickets if t["case_id"] in case_keys}
    # the relays may still be publishing what the last commits recorded: read the topics
    # again until nothing is missing or nothing more arrives for 30 s
    last_missing, stable_since = -1, time.monotonic()
    while True:
        topics = {s: await read_all(system.bootstrap, system.topic(s)) for s in SOURCE_TOPICS}
        sequences = {
            **check_sequences(topics["incubation"], PROJECT_RANK, project_keys),
            **check_sequences(topics["intake"], CASE_RANK, case_keys),
            **check_sequences(topics["hotline"], TICKET_RANK, ticket_keys),
        }
        missing = sum(v["lost"] for v in sequences.values())
        if missing != last_missing:
            last_missing, stable_since = missing, time.monotonic()
        if missing == 0 or time.monotonic() - stable_since > 30:
            break
        log(f"{missing} events not on the topics yet; reading again")
        await asyncio.sleep(3)
    tickets_by_case = {t["case_id"]: t["id"] for t in tickets}

    for f in flows:  # a flow counts under the first fault its life overlapped
        for fault in chaos_.faults:
            until = fault.recovered or fault.ended
            if f.started_at <= until and f.ended_at >= fault.started and not fault.skipped:
                f.phase = fault.kind
                break
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for f in flows:
        row = rows[f.phase]
        row["flows"] += 1
        row["events driven"] += EVENTS_PER_FLOW
        row["effects expected"] += EFFECTS_PER_FLOW
        if f.error:
            row["driver errors"] += 1
        found = lost = order = 0
        duplicated = max(0, titles[f.title] - 1)  # the driver's own creates
        pid = f.project_id
        case = case_by_project.get(pid) if pid else None
        counts: list[tuple[int, int]] = []  # (found, expected 1) per effect
        if pid is not None:
            counts.append((cases_of[pid], 1))
            counts.append((int(stage.get(pid) == "transferred"), 1))
            for indicator in FACTS:
                subject = pid
                if indicator == "enterprises_settled":
                    subject = case["id"] if case else None
                counts.append((facts_of[(indicator, subject)] if subject else 0, 1))
            counts.append((tickets_of[case["id"]] if case else 0, 1))
        for n, _ in counts:
            found += min(n, 1)
            duplicated += max(0, n - 1)
        lost += EFFECTS_PER_FLOW - found
        # the events on the topics, per aggregate (a missing aggregate: all its events lost)
        keyed = [(pid, len(PROJECT_RANK)), (case["id"] if case else None, len(CASE_RANK))]
        keyed.append((tickets_by_case.get(case["id"]) if case else None, len(TICKET_RANK)))
        for key, events in keyed:
            if key is None:
                lost += events
                continue
            s = sequences[key]
            lost += s["lost"]
            duplicated += s["duplicated"]
            order += s["order"]
        row["effects found"] += found
        row["LOST"] += lost
        row["DUPLICATED"] += duplicated
        row["ORDER VIOLATIONS"] += order

    # dead letters
    poison_by_key = {p.key: p for p in chaos_.poison}
    flow_of_key: dict[str, Flow] = {}
    for f in flows:
        for key in (f.project_id, f.case_id, f.ticket_id):
            if key:
                flow_of_key[key] = f
    dead: Counter[tuple[str, str]] = Counter()
    wrong_reason: list[str] = []
    unexpected: list[dict[str, str]] = []
    for name in APIS:
        for r in await read_all(system.bootstrap, system.topic(name) + ".dlq"):
            h = dlq_headers(r)
            key = (r.key or b"").decode(errors="replace")
            poison = poison_by_key.get(key)
            if poison is None:
                phase = flow_of_key[key].phase if key in flow_of_key else "none"
                rows[phase]["dead-lettered unexpected"] += 1
                unexpected.append({"consumer": name, "key": key, "reason": h.get("dlq.error", "")})
                continue
            dead[(key, name)] += 1
            if POISON_REASONS[poison.kind] not in h.get("dlq.error", ""):
                wrong_reason.append(f"{key} at {name}: {h.get('dlq.error')}")
    expected_pairs = {(p.key, n) for p in chaos_.poison for n in p.expected}
    poison_row = rows["poison"]
    poison_row["poison sent"] = len(chaos_.poison)
    poison_row["dead-letters expected"] = len(expected_pairs)
    poison_row["poison dead-lettered"] = len(expected_pairs & set(dead))
    poison_row["poison NOT dead-lettered"] = len(expected_pairs - set(dead))
    poison_row["poison dead-lettered twice"] = sum(n - 1 for n in dead.values() if n > 1)
    poison_row["dead-lettered where not expected"] = len(set(dead) - expected_pairs)
    poison_row["wrong reason"] = len(wrong_reason)

    overall: Counter[str] = Counter()
    for row in rows.values():
        overall.update(row)
    kinds: dict[str, Any] = {}
    for fault in chaos_.faults:
        entry: dict[str, Any] = dict(rows.get(fault.kind, Counter()))
        entry["recover_s"] = fault.recover_s
        if fault.detail:
            entry["detail"] = fault.detail
        if fault.skipped:
            entry["skipped"] = fault.skipped
        kinds[fault.kind] = entry
    kinds["none"] = dict(rows.get("none", Counter()))
    misses = []
    for figure in (
        "LOST",
        "DUPLICATED",
        "ORDER VIOLATIONS",
        "dead-lettered unexpected",
        "poison NOT dead-lettered",
        "wrong reason",
        "driver errors",
        "dead-lettered where not expected",
    ):
        if overall[figure]:
            misses.append(f"{figure} {overall[figure]}")
    if any(f.recovered is None and not f.skipped for f in chaos_.faults):
        misses.append("a fault did not recover")
    return {
        "profile": "real" if system.real else "embedded",
        "flows": len(flows),
        "overall": dict(overall),
        "per_fault": kinds,
        "driver": {"retries": dict(driver.retries), "lookups_found_applied": driver.lookups_found},
        "unexpected_dead_letters": unexpected[:20],
        "wrong_reasons": wrong_reason[:20],
        "errors": [f"flow {f.index}: {f.error}" for f in flows if f.error][:20],
        "misses": misses,
        "ok": not misses,
    }


COLUMNS = (
    ("flows", "flows"),
    ("events driven", "events"),
    ("effects expected", "effects exp"),
    ("effects found", "found"),
    ("LOST", "LOST"),
    ("DUPLICATED", "DUP"),
    ("ORDER VIOLATIONS", "ORDER"),
    ("dead-lettered unexpected", "DLQ unexp"),
    ("driver errors", "drv err"),
)


def table(report: dict[str, Any]) -> str:
    head = f"{'fault':<26}" + "".join(f"{label:>12}" for _, label in COLUMNS) + f"{'recover s':>11}"
    lines = [head, "-" * len(head)]
    for kind, row in [*report["per_fault"].items(), ("OVERALL", report["overall"])]:
        rec = row.get("recover_s")
        recover = "skipped" if row.get("skipped") else ("—" if rec is None else f"{rec:.1f}")
        lines.append(
            f"{kind:<26}" + "".join(f"{row.get(k, 0):>12}" for k, _ in COLUMNS) + f"{recover:>11}"
        )
    o = report["overall"]
    lines.append(
        f"poison: {o.get('poison sent', 0)} sent, {o.get('dead-letters expected', 0)} dead letters "
        f"expected, {o.get('poison dead-lettered', 0)} found with their reason "
        f"(wrong reason {o.get('wrong reason', 0)}, "
        f"missing {o.get('poison NOT dead-lettered', 0)}, "
        f"twice {o.get('poison dead-lettered twice', 0)}, not expected "
        f"{o.get('dead-lettered where not expected', 0)}); good events dead-lettered: "
        f"{o.get('dead-lettered unexpected', 0)}"
    )
    return "\n".join(lines)


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="make chaos", description=__doc__.splitlines()[0])
    p.add_argument(
        "--events",
        type=int,
        default=int(os.environ.get("CHAOS_EVENTS", 10_000)),
        help=f"business events to drive ({EVENTS_PER_FLOW} per flow)",
    )
    p.add_argument("--poison", type=int, default=int(os.environ.get("CHAOS_POISON", 1000)))
    p.add_argument("--concurrency", type=int, default=12, help="flows driven at once")
    p.add_argument(
        "--span",
        type=float,
        default=0.0,
        help="spread the flows over this many seconds (0: as fast as they go)",
    )
    p.add_argument("--outage-min", type=float, default=20.0)
    p.add_argument("--outage-max", type=float, default=60.0)
    p.add_argument("--replica-s", type=float, default=20.0, help="how long 3 replicas run")
    p.add_argument(
        "--broker-down-s",
        type=float,
        default=30.0,
        help="how long the killed broker of a cluster (KAFKA_NODES > 1) stays down",
    )
    p.add_argument(
        "--patience",
        type=float,
        default=300.0,
        help="how long a call, a wait or a recovery may take before it counts as failed",
    )
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--work", default=None, help="the run's folder (default: a new one in /tmp)")
    args = p.parse_args(argv)
    args.flows = max(1, -(-args.events // EVENTS_PER_FLOW))
    if args.seed is None:
        args.seed = random.randrange(1 << 30)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    events = args.flows * EVENTS_PER_FLOW
    log(f"{args.flows} flows ({events} events), {args.poison} poison, seed {args.seed}")
    report = asyncio.run(chaos(args))
    print(table(report), flush=True)
    for name in ("misses", "unexpected_dead_letters", "wrong_reasons", "errors"):
        if report[name]:
            print(f"{name}: {report[name]}", flush=True)
    print(json.dumps(report, ensure_ascii=False), flush=True)
    return 0 if report["ok"] else 1
