"""The limits, the naive peer and the growth arm of `make bench` (issue 18).

- Raw database: the same two inserts a transaction as the platform's per-request path (a
  state row and its outbox row), with nothing else: sync sqlite3 on the embedded profile,
  raw asyncpg (4 connections) on the real one, each in a process of its own. The ceiling of
  `per_request_events_per_s`.
- The naive peer (`peer`): FastAPI + the SQLAlchemy ORM, a project table, a list (the total
  and 20 rows) and a create that commits and then hands the event to an aiokafka producer
  (no outbox, no inbox, no dedup, no auth, no audit): what the platform's guarantees and
  edge cost, beside its list and create in the HTTP arm's shuffled rounds.
- Growth: incubation with 102,400 projects (200 registered through the API, then doubled in
  SQL), the list (20 rows, two filters, the total over all of them) and `/stats`, timed one
  request at a time, first with the migration's list and stats indexes dropped (the
  baseline), then with them created again (`set_growth_indexes`).
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import sqlite3
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import httpx
from fastapi import FastAPI, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Date, String, func, inspect, select, text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

RAW_TRANSACTIONS = int(os.environ.get("BENCH_RAW_TX", "4000"))
GROWTH_DOUBLINGS = int(os.environ.get("BENCH_GROWTH_DOUBLINGS", "9"))  # 200 · 2⁹ = 102,400
GROWTH_N = int(os.environ.get("BENCH_GROWTH_N", "30"))
BODY = '{"specversion":"1.0","data":{"project_id":"p","title":"x"}}' * 4

# --- raw database ---------------------------------------------------------------------

_SCHEMA = (
    "CREATE TABLE notes (id VARCHAR(64) PRIMARY KEY, title TEXT NOT NULL)",
    "CREATE TABLE outbox (id {serial} PRIMARY KEY, event_id VARCHAR(64) UNIQUE NOT NULL, "
    "topic VARCHAR(200) NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL, "
    "published_at TIMESTAMP NULL)",
)


def raw_sqlite3(path: str, transactions: int) -> dict[str, float]:
    """Sync sqlite3 (WAL, synchronous=NORMAL as the services): transactions/s, CPU ms each."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    for statement in _SCHEMA:
        db.execute(statement.format(serial="INTEGER"))
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(transactions):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO notes (id, title) VALUES (?, ?)", (f"n{i}", f"note {i}"))
        db.execute(
            "INSERT INTO outbox (event_id, topic, key, body) VALUES (?, ?, ?, ?)",
            (uuid.uuid4().hex, "t", f"k{i % 50}", BODY),
        )
        db.execute("COMMIT")
    return _rate(transactions, started, cpu)


async def raw_asyncpg(url: str, transactions: int, connections: int = 4) -> dict[str, float]:
    """Raw asyncpg, `connections` writers: transactions/s, CPU ms each."""
    import asyncpg

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    setup = await asyncpg.connect(dsn)
    for statement in _SCHEMA:
        await setup.execute(statement.format(serial="BIGSERIAL"))
    await setup.close()
    pool = await asyncpg.create_pool(dsn, min_size=connections, max_size=connections)
    each = transactions // connections

    async def writer(w: int) -> None:
        async with pool.acquire() as db:
            for i in range(each):
                async with db.transaction():
                    await db.execute(
                        "INSERT INTO notes (id, title) VALUES ($1, $2)", f"n{w}-{i}", f"note {i}"
                    )
                    await db.execute(
                        "INSERT INTO outbox (event_id, topic, key, body) VALUES ($1, $2, $3, $4)",
                        uuid.uuid4().hex,
                        "t",
                        f"k{i % 50}",
                        BODY,
                    )

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(writer(w) for w in range(connections)))
    figures = _rate(each * connections, started, cpu)
    await pool.close()
    return figures


def _rate(transactions: int, started: float, cpu: float) -> dict[str, float]:
    return {
        "tx_per_s": transactions / (time.perf_counter() - started),
        "cpu_ms": (time.process_time() - cpu) * 1000 / transactions,
    }


async def raw_database_arm(
    profile: str, database_url: str | None, folder: Path, rounds: int
) -> dict[str, float]:
    """The raw driver's two inserts a transaction, `rounds` runs in processes of their own
    (a fresh database each), medians."""
    folder.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (before any load)
    runs = []
    for n in range(rounds):
        if database_url is None:
            target = str(folder / f"raw-{n}.db")
        else:
            from tests.support import create_database

            target = (await create_database(database_url, "bench_raw_"))[1]
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.bench_limits",
            "raw",
            target,
            str(RAW_TRANSACTIONS),
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"the raw database arm failed ({profile})")
        runs.append(json.loads(out.decode().splitlines()[-1]))
    return {
        "raw_db_tx_per_s": round(statistics.median(r["tx_per_s"] for r in runs), 1),
        "raw_db_cpu_ms_per_tx": round(statistics.median(r["cpu_ms"] for r in runs), 3),
    }


# --- the naive peer --------------------------------------------------------------------


class _PeerBase(DeclarativeBase):
    pass


class PeerProject(_PeerBase):
    """The peer's project: the columns the list shows."""

    __tablename__ = "peer_projects"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    path: Mapped[str] = mapped_column(String(32), index=True)
    stage: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    industry_chain: Mapped[str] = mapped_column(String(64))
    registered_on: Mapped[date] = mapped_column(Date)


class PeerProjectCreate(BaseModel):
    path: str
    title: str
    industry_chain: str
    registered_on: date


class PeerProjectPublic(PeerProjectCreate):
    model_config = ConfigDict(from_attributes=True)

    id: str
    stage: str


def peer() -> FastAPI:
    """`uvicorn tests.bench_limits:peer --factory`: the naive FastAPI + SQLAlchemy service,
    sending its event to Kafka right after its commit."""
    from aiokafka import AIOKafkaProducer
    from enclave_shared.kafka import client_kwargs

    from tests.support import kafka_connection

    url = os.environ["BENCH_PEER_DATABASE_URL"]
    topic = os.environ["BENCH_PEER_TOPIC"]
    engine = create_async_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    producer = AIOKafkaProducer(**client_kwargs(kafka_connection(os.environ["BENCH_PEER_KAFKA"])))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with engine.begin() as connection:
            if url.startswith("sqlite"):
                await connection.execute(text("PRAGMA journal_mode=WAL"))
            await connection.run_sync(_PeerBase.metadata.create_all)
        await producer.start()
        yield
        await producer.stop()
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)

    @app.get("/api/v1/projects")
    async def list_projects(
        response: Response, path: str, stage: str, limit: int = 20, offset: int = 0
    ) -> list[PeerProjectPublic]:
        async with sessions() as session:
            query = select(PeerProject).where(PeerProject.path == path, PeerProject.stage == stage)
            total = await session.scalar(select(func.count()).select_from(query.subquery()))
            rows = await session.scalars(
                query.order_by(PeerProject.id.desc()).limit(limit).offset(offset)
            )
            response.headers["X-Total-Count"] = str(total)
            return [PeerProjectPublic.model_validate(row) for row in rows]

    @app.post("/api/v1/projects", status_code=201)
    async def create_project(body: PeerProjectCreate) -> PeerProjectPublic:
        async with sessions() as session:
            row = PeerProject(id=str(uuid.uuid4()), stage="proposed", **body.model_dump())
            session.add(row)
            await session.commit()
        created = PeerProjectPublic.model_validate(row)
        event = {"type": "project.registered", "data": created.model_dump(mode="json")}
        await producer.send(topic, json.dumps(event).encode(), key=row.id.encode())
        return created

    return app


# --- growth ----------------------------------------------------------------------------


async def grow_projects(database_url: str, doublings: int) -> int:
    """Double incubation's projects `doublings` times in SQL (every column copied, a fresh
    id); the number of projects then."""
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            columns = await connection.run_sync(
                lambda sync: [c["name"] for c in inspect(sync).get_columns("inc_projects")]
            )
            rest = ", ".join(c for c in columns if c != "id")
            postgres = database_url.startswith("postgresql")
            # A fresh random id of the column's 36 characters.
            fresh = "gen_random_uuid()::text" if postgres else "lower(hex(randomblob(18)))"
            for _ in range(doublings):
                await connection.execute(
                    text(
                        f"INSERT INTO inc_projects (id, {rest}) "
                        f"SELECT {fresh}, {rest} FROM inc_projects"
                    )
                )
            if postgres:
                await connection.execute(text("ANALYZE inc_projects"))
            else:
                await connection.execute(text("ANALYZE"))
            return int(await connection.scalar(text("SELECT count(*) FROM inc_projects")) or 0)
    finally:
        await engine.dispose()


GROWTH_INDEXES = {
    "ix_inc_projects_list": "(path, stage, registered_on, created_at) WHERE voided_at IS NULL",
    "ix_inc_projects_matured_on": "(matured_on, voided_at)",
    "ix_inc_projects_transferred_on": "(transferred_on, voided_at)",
    "ix_inc_projects_outcome": "(outcome, voided_at, id)",
}
"""The indexes incubation's migration 735ce75885ca adds for the list and the stats: the
growth arm drops them for its baseline timings, then creates them again as the migration
does and times the same requests (the same run, the same rows)."""


async def set_growth_indexes(database_url: str, *, present: bool) -> None:
    """Drop (present=False) or create again incubation's list and stats indexes, then
    ANALYZE; on PostgreSQL VACUUM ANALYZE, as autovacuum does after a bulk insert (it sets
    the visibility map that index-only scans read)."""
    engine = create_async_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for name, columns in GROWTH_INDEXES.items():
                await connection.execute(
                    text(f"CREATE INDEX {name} ON inc_projects {columns}")
                    if present
                    else text(f"DROP INDEX {name}")
                )
            postgres = database_url.startswith("postgresql")
            await connection.execute(text("VACUUM ANALYZE inc_projects" if postgres else "ANALYZE"))
    finally:
        await engine.dispose()


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an ascending sequence."""
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


async def timed_gets(client: httpx.AsyncClient, path: str, n: int) -> list[float]:
    """`n` GETs one at a time after two untimed ones, each timed send → whole answer (ms)."""
    for _ in range(2):
        (await client.get(path)).raise_for_status()
    times = []
    for _ in range(n):
        started = time.perf_counter()
        answer = await client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
    return sorted(times)


def main() -> None:
    """`python -m tests.bench_limits raw TARGET N`: one raw database run; a JSON line."""
    if sys.argv[1] == "raw":
        target, transactions = sys.argv[2], int(sys.argv[3])
        if target.startswith("postgresql"):
            import uvloop

            figures = uvloop.run(raw_asyncpg(target, transactions))
        else:
            figures = raw_sqlite3(target, transactions)
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
