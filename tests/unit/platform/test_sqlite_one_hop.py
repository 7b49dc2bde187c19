"""SQLite statements cross to the connection's thread once each (db._OneHopCursor), where
SQLAlchemy's aiosqlite adapter made four hand-offs (cursor, execute, fetchall, close), and
behave as before: rows, RETURNING, rowcount, executemany, a streamed result, errors."""

from __future__ import annotations

from pathlib import Path

import aiosqlite
import pytest
from enclave_shared.db import create_engine
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError


async def test_a_statement_is_one_hand_off_and_answers_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'one.db'}")
    hand_offs: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(
        self: aiosqlite.Connection, fn: object, *args: object, **kw: object
    ) -> object:
        hand_offs.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kw)

    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
        monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
        async with engine.connect() as conn:
            hand_offs.clear()
            assert (await conn.execute(text("SELECT 1, 'a'"))).all() == [(1, "a")]
            assert len(hand_offs) == 2  # the BEGIN and the SELECT, one each

            returned = await conn.execute(
                text("INSERT INTO t (v) VALUES ('x'), ('y') RETURNING id")
            )
            assert returned.all() == [(1,), (2,)]
            plain = await conn.execute(text("INSERT INTO t (v) VALUES ('z')"))
            assert (plain.rowcount, plain.lastrowid) == (1, 3)
            many = await conn.execute(
                text("INSERT INTO t (v) VALUES (:v)"), [{"v": "p"}, {"v": "q"}]
            )
            assert many.rowcount == 2
            streamed = await conn.stream(text("SELECT v FROM t ORDER BY id"))
            assert [row.v async for row in streamed] == ["x", "y", "z", "p", "q"]
            with pytest.raises(IntegrityError):
                await conn.execute(text("INSERT INTO t (v) VALUES ('x')"))
            await conn.rollback()
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 0
    finally:
        await engine.dispose()
