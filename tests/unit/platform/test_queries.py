"""`where_given`: a list's optional filters become `column == value` clauses, a filter not
given (None) none, an enum compared by its value; `found`: the row, or the 404 naming it
(enclave_shared.queries)."""

from __future__ import annotations

from enum import StrEnum

import pytest
from enclave_shared.errors import NotFound
from enclave_shared.queries import found, where_given
from sqlalchemy import String, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class _Base(DeclarativeBase):
    pass


class Row(_Base):
    __tablename__ = "rows"

    id: Mapped[str] = mapped_column(String(8), primary_key=True)
    colour: Mapped[str] = mapped_column(String(8))
    owner: Mapped[str | None] = mapped_column(String(8))


class Colour(StrEnum):
    RED = "red"


def _sql(*filters):
    query = select(Row.id).where(*where_given(*filters))
    compiled = query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
    return " ".join(str(compiled).split())


def test_only_the_filters_given_become_clauses():
    assert _sql((Row.colour, None), (Row.owner, None)) == "SELECT rows.id FROM rows"
    assert _sql((Row.colour, None), (Row.owner, "acme")) == (
        "SELECT rows.id FROM rows WHERE rows.owner = 'acme'"
    )


def test_an_enum_is_compared_by_its_value_and_every_clause_holds():
    clauses = where_given((Row.colour, Colour.RED), (Row.owner, "acme"))
    assert [c.right.value for c in clauses] == ["red", "acme"]
    assert type(clauses[0].right.value) is str
    assert _sql((Row.colour, Colour.RED), (Row.owner, "acme")) == (
        "SELECT rows.id FROM rows WHERE rows.colour = 'red' AND rows.owner = 'acme'"
    )


def test_found_gives_the_row_or_the_404_naming_it():
    row = Row(id="r1", colour="red")
    assert found(row, "row", "r1") is row
    with pytest.raises(NotFound, match=r"^row r9 not found$") as refused:
        found(None, "row", "r9", field="row_id")
    assert refused.value.field == "row_id"
