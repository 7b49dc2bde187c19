"""The WHERE clauses of a list's optional filters: a filter not given selects every row."""

from __future__ import annotations

from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

Filter = tuple[InstrumentedAttribute[Any], object]
"""A column and the value a list asks it to equal (None: not asked)."""


def where_given(*filters: Filter) -> list[ColumnElement[bool]]:
    """`column == value` for each filter whose value is given; an enum by its value."""
    return [
        column == (value.value if isinstance(value, Enum) else value)
        for column, value in filters
        if value is not None
    ]
