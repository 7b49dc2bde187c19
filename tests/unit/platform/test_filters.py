"""`where_given`: a list's optional filters become `column == value` clauses, a filter not
given (None) none, an enum compared by its value (enclave_shared.filters)."""

from __future__ import annotations

from enum import StrEnum

from enclave_shared.filters import where_given
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
