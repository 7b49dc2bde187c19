"""`paged` and `paged_rows`: a page and the total of all its query's rows in one statement;
only a page past the end (no row to carry the total) is counted on its own
(enclave_shared.deps)."""

from __future__ import annotations

import pytest
from enclave_shared.deps import ListPage, PageParams, paged, paged_rows, prepared
from fastapi import Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import String, bindparam, event, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class _Base(DeclarativeBase):
    pass


class Item(_Base):
    __tablename__ = "items"

    id: Mapped[str] = mapped_column(String(8), primary_key=True)
    label: Mapped[str] = mapped_column("label_text", String(8), default="")


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
        session.add_all(Item(id=f"i{n:02d}", label=f"l{n}") for n in range(7))
        await session.commit()
        statements.clear()
        session.info["statements"] = statements
        yield session
    await engine.dispose()


def _statements(session) -> int:
    return len(session.info["statements"])


@pytest.mark.parametrize(
    ("limit", "offset", "ids", "total", "statements"),
    [
        (10, 0, 7, 7, 1),  # one short page
        (5, 5, 2, 7, 1),  # the last page, short
        (5, 0, 5, 7, 1),  # a full page: more follow
        (7, 0, 7, 7, 1),  # full to the row
        (5, 10, 0, 7, 2),  # past the end: no row carries the total, so it is counted
    ],
)
async def test_a_page_and_its_total(session, limit, offset, ids, total, statements):
    stmt = select(Item).order_by(Item.id)
    rows, found = await paged(session, stmt, PageParams(limit=limit, offset=offset))
    assert [r.id for r in rows] == [f"i{n:02d}" for n in range(7)][offset : offset + limit]
    assert all(isinstance(r, Item) for r in rows)
    assert len(rows) == ids
    assert found == total
    assert _statements(session) == statements


async def test_an_empty_list_is_zero_in_one_statement(session):
    rows, total = await paged(session, select(Item).where(Item.id == "none"), PageParams())
    assert (list(rows), total) == ([], 0)
    assert _statements(session) == 1


async def test_rows_are_the_columns_by_attribute_name(session):
    stmt = select(Item).where(Item.id > "i01").order_by(Item.id.desc())
    rows, total = await paged_rows(session, stmt, PageParams(limit=2, offset=1))
    assert rows == [{"id": "i05", "label": "l5"}, {"id": "i04", "label": "l4"}]
    assert total == 5
    assert _statements(session) == 1
    everything, count = await paged_rows(session, stmt, None)
    assert [r["id"] for r in everything] == ["i06", "i05", "i04", "i03", "i02"]
    assert count == 5


async def test_a_prepared_list_is_built_once_for_its_shape_and_binds_each_call(session):
    built: list[int] = []

    def build():
        built.append(1)
        return select(Item).where(Item.id >= bindparam("least")).order_by(Item.id)

    shape = ("test_paged", "least")
    for least, ids in (("i05", ["i05", "i06"]), ("i02", ["i02", "i03"])):
        rows, total = await prepared(shape, build).instances(
            session, {"least": least}, PageParams(limit=2)
        )
        assert [r.id for r in rows] == ids
        assert total == 7 - int(least[1:])
    rows_of, _ = await prepared(shape, build).rows(session, {"least": "i06"}, None)
    assert rows_of == [{"id": "i06", "label": "l6"}]
    assert built == [1]


async def test_shaped_validates_rows_and_instances_alike(session):
    class ItemPublic(BaseModel):
        model_config = ConfigDict(from_attributes=True)

        id: str
        label: str

    page = ListPage(PageParams(limit=3), Response())
    stmt = select(Item).order_by(Item.id)
    from_rows = page.shaped(ItemPublic, await paged_rows(session, stmt, page.params))
    from_instances = page.shaped(ItemPublic, await paged(session, stmt, page.params))
    assert from_rows == from_instances == [ItemPublic(id=f"i0{n}", label=f"l{n}") for n in range(3)]
    assert page.response.headers["X-Total-Count"] == "7"
