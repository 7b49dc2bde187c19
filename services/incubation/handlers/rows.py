"""What every area's handlers share: fresh ids, a record by id, a record's event, dated pages."""

from __future__ import annotations

import operator
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from enum import Enum
from typing import Any, NotRequired, TypedDict, TypeVar

from enclave_shared.corrections import standing
from enclave_shared.deps import PageParams, PreparedList, prepared
from enclave_shared.errors import Invalid
from enclave_shared.events import Payload
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import found
from pydantic import BaseModel
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import InstrumentedAttribute

from services.incubation.domain import check_range
from services.incubation.models import Base, EnclaveRecord

B = TypeVar("B", bound=Base)
R = TypeVar("R", bound=EnclaveRecord)
E = TypeVar("E", bound=Payload)


def new_id() -> str:
    """A fresh record id."""
    return str(uuid.uuid4())


async def get(
    session: OutboxSession, model: type[B], record_id: str, what: str, *, for_update: bool = False
) -> B:
    """One record by id (locked for the transaction `for_update`), or 404 naming what was
    looked for."""
    if for_update:
        stmt = select(model).where(model.id == record_id).with_for_update()  # type: ignore[attr-defined]
        row = await session.scalar(stmt)
    else:
        row = await session.get(model, record_id)
    return found(row, what, record_id)


def from_body(model: type[B], data: BaseModel, today: date, *, dated: str, **given: Any) -> B:
    """A new record from its create body: a fresh id, the body's fields (an enum by its code,
    as the tables keep it), its business date `dated` as the body gives it or else today, and
    the fields `given` in place of the body's."""
    fields = {
        name: value.value if isinstance(value, Enum) else value
        for name, value in data.model_dump(exclude={dated, *given}).items()
    }
    return model(id=new_id(), **fields, **given, **{dated: getattr(data, dated) or today})


def event_of(event: type[E], row: EnclaveRecord, **given: Any) -> E:
    """The event of a record, read from its row: the subject field is the row's id, every
    other field the row's attribute of the same name unless `given`.

    One mapping from table to payload, so a column and its event field cannot drift apart;
    a payload field the row lacks and the caller did not give fails validation, loudly."""
    fields: dict[str, Any] = {}
    for name in event.model_fields:
        if name == event.subject_field:
            fields[name] = row.id
        elif name in given:
            fields[name] = given[name]
        elif hasattr(row, name):
            fields[name] = getattr(row, name)
    return event.model_validate(fields)


def add_with_event(session: OutboxSession, row: R, event: type[Payload], **given: Any) -> R:
    """Write a new record and its event (`event_of` the row) in the same transaction."""
    session.add(row)
    session.record(event_of(event, row, **given))
    return row


def in_range(column: Any, date_from: date | None, date_to: date | None) -> list[Any]:
    """WHERE clauses for a business-date column within [from, to]."""
    clauses = []
    if date_from is not None:
        clauses.append(column >= date_from)
    if date_to is not None:
        clauses.append(column <= date_to)
    return clauses


class Dated(TypedDict):
    """What every dated list takes beside its own filters, and hands on to `dated_page`: the
    range of the records' business date, the page, and whether void records are listed."""

    date_from: NotRequired[date | None]
    date_to: NotRequired[date | None]
    page: PageParams | None
    include_void: NotRequired[bool]


Range = tuple[InstrumentedAttribute[Any], date | None, date | None]
"""A date column and the range [from, to] a list asks it to be in (None: that end open)."""


async def dated_page(
    session: OutboxSession,
    model: type[R],
    date_column: InstrumentedAttribute[date],
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    page: PageParams | None,
    include_void: bool = False,
    where: Sequence[Any] = (),
    **equal: object,
) -> tuple[Sequence[R], int]:
    """A page of records dated within [from, to], meeting the `where` clauses and equal to
    the set filters, and their total; void records only with `include_void`."""
    dated = [(date_column, date_from, date_to)]
    found, values = dated_list(model, dated, include_void, equal, where)
    return await found.instances(session, values, page)


def dated_list(
    model: type[R],
    ranges: Sequence[Range],
    include_void: bool,
    equal: Mapping[str, object],
    where: Sequence[Any] = (),
) -> tuple[PreparedList[R], dict[str, object]]:
    """A dated list's statement and the values to bind: its records within the `ranges`
    (the first the records' own business date, their order: newest first), equal to the
    set filters, void ones only with `include_void`. Prepared once for its shape (the
    model, which ends of which ranges and which filters are given, `include_void`); with
    `where` clauses (their values in them) built for the call. `dated_page` reads it as
    ORM instances, a list route as rows (`PreparedList.rows`)."""
    check_range(*ranges[0][1:])
    values: dict[str, object] = {}
    ends: list[tuple[InstrumentedAttribute[Any], Callable[[Any, Any], Any], str]] = []
    for column, low, high in ranges:
        for end, day, compare in (("from", low, operator.ge), ("to", high, operator.le)):
            if day is not None:
                values[key := f"{column.key}_{end}"] = day
                ends.append((column, compare, key))
    given = [name for name, value in equal.items() if value is not None]
    values.update({name: _code(equal[name]) for name in given})
    date_column = ranges[0][0]

    def build() -> Select[R]:
        stmt = select(model).where(
            *standing(model, include_void),
            *(compare(column, bindparam(key)) for column, compare, key in ends),
            *(getattr(model, name) == bindparam(name) for name in given),
            *where,
        )
        # Newest business date first; of one day, the latest written first; id keeps pages
        # stable.
        return stmt.order_by(date_column.desc(), model.created_at.desc(), model.id)

    if where:
        return PreparedList(build()), values
    return prepared((model, date_column.key, include_void, *values), build), values


def _code(value: object) -> object:
    """A filter's value as the tables keep it: an enum by its code."""
    return value.value if isinstance(value, Enum) else value


async def standing_ids(
    session: OutboxSession, model: type[EnclaveRecord], ids: Sequence[str], *, field: str, what: str
) -> None:
    """422 naming `field` for an id that names no standing record."""
    wanted = set(ids)
    if not wanted:
        return
    found = set(
        (
            await session.scalars(
                select(model.id).where(model.id.in_(wanted), model.voided_at.is_(None))  # type: ignore[attr-defined]
            )
        ).all()
    )
    missing = sorted(wanted - found)
    if missing:
        raise Invalid(f"no {what} {', '.join(missing)}", field=field)
