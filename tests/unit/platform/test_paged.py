"""`paged`: the total of a page that ends the rows is known without a count statement; a full
page, or one past the end, is counted (enclave_shared.deps.paged)."""

from __future__ import annotations

import pytest
from enclave_shared.deps import PageParams, paged
from sqlalchemy import String, event, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class _Base(DeclarativeBase):
    pass


class Item(_Base):
    __tablename__ = "items"

    id: Mapped[str] = mapped_column(String(8), primary_key=True)


@pytest.fixture
async def session(tmp_path):
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'paged.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(_Base.metadata.create_all)
    statements: list[str] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    async with AsyncSession(engine) as session:
        session.add_all(Item(id=f"i{n:02d}") for n in range(7))
        await session.commit()
        statements.clear()
        session.info["statements"] = statements
        yield session
    await engine.dispose()


def _counts(session) -> int:
    return sum("count(" in s.lower() for s in session.info["statements"])


@pytest.mark.parametrize(
    ("limit", "offset", "ids", "total", "counted"),
    [
        (10, 0, 7, 7, False),  # one short page: the rows are all there is
        (5, 5, 2, 7, False),  # the last page, short
        (5, 0, 5, 7, True),  # a full page: more may follow
        (7, 0, 7, 7, True),  # full to the row
        (5, 10, 0, 7, True),  # past the end: how many there are is not known
    ],
)
async def test_a_page_and_its_total(session, limit, offset, ids, total, counted):
    stmt = select(Item).order_by(Item.id)
    rows, found = await paged(session, stmt, PageParams(limit=limit, offset=offset))
    assert len(rows) == ids
    assert found == total
    assert (_counts(session) == 1) is counted


async def test_an_empty_list_is_zero_without_a_count(session):
    rows, total = await paged(session, select(Item).where(Item.id == "none"), PageParams())
    assert (list(rows), total) == ([], 0)
    assert _counts(session) == 0
