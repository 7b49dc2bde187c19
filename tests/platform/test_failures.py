"""Failures sorted by what the database said: real errors from the suite's own database."""

from __future__ import annotations

import pytest
from enclave_shared.db import create_engine
from enclave_shared.failures import is_transient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError


async def _error_of(url: str, *statements: str, **engine_args) -> DBAPIError:
    engine = create_engine(url, **engine_args)
    try:
        async with engine.connect() as conn:
            with pytest.raises(DBAPIError) as caught:
                for statement in statements:
                    await conn.execute(text(statement))
        return caught.value
    finally:
        await engine.dispose()


def _raise(sqlstate: str) -> str:
    return f"DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '{sqlstate}'; END $$"


async def test_postgresql_errors_are_sorted_by_sqlstate(postgres_url, new_database):
    if postgres_url is None:
        pytest.skip("PostgreSQL's errors: the suite's real profile runs this")
    url = await new_database("failures")
    transient = {
        "deadlock": _raise("40P01"),
        "serialization failure": _raise("40001"),
        "lock not available": _raise("55P03"),
        "read-only after a failover": _raise("25006"),
        "disk full": _raise("53100"),
    }
    for name, statement in transient.items():
        assert is_transient(await _error_of(url, statement)), name
    timeout = await _error_of(url, "SET statement_timeout = 50", "SELECT pg_sleep(2)")
    assert getattr(timeout.orig, "sqlstate", None) == "57014"
    assert is_transient(timeout), "a statement timeout"
    for name, statement in {
        "undefined column": "SELECT no_such_column FROM pg_class",
        "undefined table": "SELECT 1 FROM no_such_table",
        "bad data": "SELECT 1 / 0",
    }.items():
        assert not is_transient(await _error_of(url, statement)), name


async def test_sqlite_errors_are_sorted_by_result_code(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'f.db'}"
    schema = await _error_of(url, "SELECT no_such_column FROM sqlite_master")
    assert "no such column" in str(schema) and not is_transient(schema)
    assert not is_transient(await _error_of(url, "SELECT 1 FROM no_such_table"))
    holder = create_engine(url)
    try:
        async with holder.connect() as conn:  # holds the write lock (BEGIN IMMEDIATE)
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
            locked = await _error_of(url, "INSERT INTO t VALUES (1)", sqlite_busy_timeout_ms=0)
        assert "locked" in str(locked) and is_transient(locked)
    finally:
        await holder.dispose()
