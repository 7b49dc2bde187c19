"""SQLite reads have an engine of their own (db.create_read_engine): a GET's session reads
beside the writer's one connection, even while a write transaction holds it, and cannot
write; PostgreSQL, a database in memory, or no read connections configured: none."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from enclave_shared.db import create_engine, create_read_engine
from enclave_shared.deps import get_session
from enclave_shared.outbox import session_factory
from sqlalchemy import text
from sqlalchemy.exc import OperationalError


async def test_reads_run_beside_an_open_write_and_cannot_write(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'r.db'}"
    writer = create_engine(url)
    reader = create_read_engine(url)
    assert reader is not None
    try:
        async with writer.begin() as conn:
            await conn.execute(text("CREATE TABLE t (v TEXT)"))
            await conn.execute(text("INSERT INTO t VALUES ('committed')"))
        async with writer.begin() as holding:  # the writer's one connection, write-locked
            await holding.execute(text("INSERT INTO t VALUES ('uncommitted')"))
            async with reader.connect() as conn:
                rows = await asyncio.wait_for(conn.execute(text("SELECT v FROM t")), 2)
                assert rows.scalars().all() == ["committed"]
                with pytest.raises(OperationalError, match="readonly"):
                    await conn.execute(text("INSERT INTO t VALUES ('through the reader')"))
    finally:
        await writer.dispose()
        await reader.dispose()


def test_no_read_engine_where_one_pool_serves_or_none_is_wanted() -> None:
    assert create_read_engine("postgresql+asyncpg://u@127.0.0.1/db") is None
    assert create_read_engine("sqlite+aiosqlite:///:memory:") is None
    assert create_read_engine("sqlite+aiosqlite:///x.db", connections=0) is None


@pytest.mark.parametrize(("method", "engine"), [("GET", "reader"), ("POST", "writer")])
async def test_a_request_reads_through_the_reader_and_writes_through_the_writer(
    tmp_path: Path, method: str, engine: str
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 's.db'}"
    engines = {"writer": create_engine(url), "reader": create_read_engine(url)}
    runtime: Any = SimpleNamespace(
        sessions=session_factory(engines["writer"]),
        read_sessions=session_factory(engines["reader"]),  # type: ignore[arg-type]
    )
    try:
        sessions = get_session(SimpleNamespace(method=method), runtime)  # type: ignore[arg-type]
        session = await anext(sessions)
        assert session.bind is engines[engine]
        await sessions.aclose()
    finally:
        for each in engines.values():
            assert each is not None
            await each.dispose()
