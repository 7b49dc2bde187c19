"""Small helpers of the handlers' queries: a list's optional filters, one row or its 404."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from enclave_shared.errors import NotFound

R = TypeVar("R")

Filter = tuple[InstrumentedAttribute[Any], object]
"""A column and the value a list asks it to equal (None: not asked)."""


def where_given(*filters: Filter) -> list[ColumnElement[bool]]:
    """`column == value` for each filter whose value is given; an enum by its value."""
    return [
        column == (value.value if isinstance(value, Enum) else value)
        for column, value in filters
        if value is not None
    ]


def found(row: R | None, what: str, key: object, *, field: str = "id") -> R:
    """The row read, or the 404 that names it (`{what} {key} not found`, on `field`)."""
    if row is None:
        raise NotFound(f"{what} {key} not found", field=field)
    return row
