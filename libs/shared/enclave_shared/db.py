"""The database engine, and the platform's own tables (outbox, inbox)."""

from __future__ import annotations

import sqlite3
import types
import zlib
from datetime import UTC, datetime
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy import DateTime, Index, Integer, LargeBinary, String, Text, event
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

_T = TypeVar("_T")


def utcnow() -> datetime:
    """Aware UTC now; the only wall-clock read outside an injected clock."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


class PlatformBase(DeclarativeBase):
    """Tables every service database has, next to the service's own."""


class OutboxEvent(PlatformBase):
    """An event written in the same transaction as the state change that caused it."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_pending", "published_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class InboxEvent(PlatformBase):
    """An event a consumer has applied; its key makes every consumer idempotent. An event
    id is unique within its source (CloudEvents), so the key holds both."""

    __tablename__ = "inbox_events"

    consumer: Mapped[str] = mapped_column(String(200), primary_key=True)
    source: Mapped[str] = mapped_column(String(200), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(200))
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditEntry(PlatformBase):
    """Who changed what, when, by which request: one row per event a change recorded, in
    the change's own transaction (every state change records its event)."""

    __tablename__ = "audit_trail"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(64))  # the record's name: project, case, …
    entity_id: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(200))  # the event type
    event_id: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str | None] = mapped_column(String(200), nullable=True)  # the token's sub
    role: Mapped[str] = mapped_column(String(64))  # or "system": an event's consequence, a job
    request_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    data: Mapped[str] = mapped_column(Text)  # the event's payload, JSON


class IdempotentRequest(PlatformBase):
    """A POST made with an Idempotency-Key: written in the transaction of the state change
    it made, its answer kept beside it afterwards, so a retry returns that answer."""

    __tablename__ = "idempotent_requests"

    caller: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_type: Mapped[str | None] = mapped_column(String(200), nullable=True)
    headers: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON: kept headers
    body: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


def advisory_lock_key(name: str) -> int:
    """A PostgreSQL advisory lock key (a positive int4) named after what it guards."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def padded(values: list[_T]) -> list[_T]:
    """`values` padded to a power-of-two length by repeating the last one, for `IN (…)`: a
    list of every length is a statement of its own to the driver's statement cache (a
    PREPARE each on asyncpg); padded, lists of up to 512 make ten."""
    size = 1
    while size < len(values):
        size *= 2
    return values + values[-1:] * (size - len(values))


SQLITE_BEGIN = "sqlite_begin"
"""Execution option: `{SQLITE_BEGIN: "BEGIN"}` makes a read-only transaction take no write lock."""


class _OneHopCursor:
    """An aiosqlite cursor that crosses to the connection's thread once a statement.

    SQLAlchemy's aiosqlite adapter awaits a cursor's creation, its execute, its fetchall and
    its close: four hand-offs to the connection's thread and back a statement, each one a
    queue put, a wake-up of that thread and a wake-up of the event loop (docs/performance.md).
    Here the execute runs the statement, reads all its rows and closes the sqlite3 cursor in
    one call on the connection's thread; the rest answers from what it kept. The thread, the
    connection and the order of the statements are aiosqlite's own: a statement still waits
    for SQLite's locks (the busy timeout) off the event loop."""

    arraysize = 1

    def __init__(self, connection: _OneHopConnection) -> None:
        self._connection = connection
        self._rows: list[Any] = []
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    def _run(self, method: str, sql: str, parameters: Any) -> tuple[Any, ...]:
        cursor = self._connection._conn.cursor()  # on the connection's thread
        try:
            getattr(cursor, method)(sql, parameters)
            rows = cursor.fetchall() if cursor.description else []
            return rows, cursor.description, cursor.rowcount, cursor.lastrowid
        finally:
            cursor.close()

    async def _hop(self, method: str, sql: str, parameters: Any) -> _OneHopCursor:
        found = await self._connection._execute(self._run, method, sql, parameters)  # type: ignore[no-untyped-call]
        self._rows, self.description, self.rowcount, self.lastrowid = found
        return self

    async def execute(self, sql: str, parameters: Any = ()) -> _OneHopCursor:
        return await self._hop("execute", sql, parameters)

    async def executemany(self, sql: str, parameters: Any) -> _OneHopCursor:
        return await self._hop("executemany", sql, parameters)

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        size = self.arraysize if size is None else size
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def close(self) -> None:
        self._rows = []

    async def __aenter__(self) -> _OneHopCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()


class _OneHopConnection(aiosqlite.Connection):
    """aiosqlite's connection (its thread, its queue, commit and rollback one hand-off
    each) whose cursors hand a statement off once (`_OneHopCursor`)."""

    def cursor(self) -> _OneHopCursor:  # type: ignore[override]
        return _OneHopCursor(self)


def _one_hop_connect(database: str, **kwargs: Any) -> _OneHopConnection:
    """`aiosqlite.connect` giving a `_OneHopConnection`; its thread a daemon (as
    SQLAlchemy's dialect makes aiosqlite's)."""
    kwargs.pop("iter_chunk_size", None)
    connection = _OneHopConnection(lambda: sqlite3.connect(database, **kwargs), 64)
    connection._thread.daemon = True
    return connection


def _one_hop_dbapi() -> AsyncAdapt_aiosqlite_dbapi:
    """The aiosqlite module as SQLAlchemy's dialect sees it, connecting with one-hop
    cursors (`module=` of create_engine: the dialect, the URL and the pool unchanged)."""
    module = types.ModuleType("aiosqlite_one_hop")
    module.__dict__.update(vars(aiosqlite))
    module.connect = _one_hop_connect  # type: ignore[attr-defined]
    return AsyncAdapt_aiosqlite_dbapi(module, sqlite3)


def create_engine(url: str, *, sqlite_busy_timeout_ms: int = 5000) -> AsyncEngine:
    """An async engine; SQLite gets WAL, a busy timeout and real BEGIN/SAVEPOINT handling;
    PostgreSQL a pool without a pre-ping (see below)."""
    if url.startswith("sqlite"):
        # One connection: SQLite has one writer at a time anyway, and queueing for the pool
        # wakes the next transaction the moment one ends, where SQLite's busy handler would
        # sleep in steps of up to 100 ms.
        engine = create_async_engine(
            url,
            module=_one_hop_dbapi(),
            connect_args={"timeout": sqlite_busy_timeout_ms / 1000},
            pool_size=1,
            max_overflow=0,
        )
        _configure_sqlite(engine.sync_engine, sqlite_busy_timeout_ms)
        return engine
    # No pre-ping: on asyncpg it costs round trips on every checkout. A connection the
    # server dropped (a restart, a failover) fails its first statement with a disconnect
    # error instead: SQLAlchemy then invalidates the pool (every connection made before the
    # failure), the request answers 503 (retryable, http.py) and the consumer and relay
    # retry, so one request per outage pays for it, not every one.
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=False)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    # The sqlite3 driver's own transaction handling breaks SAVEPOINT; SQLAlchemy's documented
    # recipe: let the driver do nothing and emit BEGIN ourselves.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    # IMMEDIATE takes the write lock up front: a transaction that reads and then writes
    # cannot fail midway because another one wrote in between (SQLITE_BUSY_SNAPSHOT).
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get(SQLITE_BEGIN, "BEGIN IMMEDIATE"))
