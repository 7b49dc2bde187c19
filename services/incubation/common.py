"""Small pieces every incubation module uses: ids, business dates, listing by page."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta, timezone
from typing import Annotated, Any, TypeVar

from enclave_shared.app import Clock
from enclave_shared.deps import PageParams, paged, set_total
from enclave_shared.errors import Invalid
from enclave_shared.outbox import OutboxSession
from fastapi import Query, Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from services.incubation.models import EnclaveRecord

R = TypeVar("R", bound=EnclaveRecord)
P = TypeVar("P", bound=BaseModel)

# Business dates are Chinese calendar days (both sites are in UTC+8, which has no DST).
BUSINESS_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

# The `from`/`to` query parameters of every dated list and of the stats.
From = Annotated[date | None, Query(alias="from", description="first business date (inclusive)")]
To = Annotated[date | None, Query(alias="to", description="last business date (inclusive)")]


def new_id() -> str:
    """A fresh record id."""
    return str(uuid.uuid4())


def today(clock: Clock) -> date:
    """The business date now, from the service's (replaceable) clock."""
    return clock().astimezone(BUSINESS_TZ).date()


def check_range(date_from: date | None, date_to: date | None) -> None:
    """Refuse a date range that runs backwards."""
    if date_from and date_to and date_from > date_to:
        raise Invalid(f"from ({date_from}) is after to ({date_to})", field="from")


def check_chain(chain: str, chains: Sequence[str]) -> None:
    """Refuse an industry chain that is not one of the configured ones."""
    if chain not in chains:
        raise Invalid(
            f"unknown industry_chain {chain!r}; configured: {', '.join(chains)}",
            field="industry_chain",
        )


def not_before(value: date, earlier: date | None, *, field: str, what: str) -> None:
    """Refuse a business date earlier than the one it must follow."""
    if earlier is not None and value < earlier:
        raise Invalid(f"{field} {value} is before {what} {earlier}", field=field)


def in_range(column: Any, date_from: date | None, date_to: date | None) -> list[Any]:
    """WHERE clauses for a business-date column within [from, to]."""
    clauses = []
    if date_from is not None:
        clauses.append(column >= date_from)
    if date_to is not None:
        clauses.append(column <= date_to)
    return clauses


async def dated_page(
    session: OutboxSession,
    model: type[R],
    date_column: InstrumentedAttribute[date],
    date_from: date | None,
    date_to: date | None,
    *,
    page: PageParams,
    **equal: object,
) -> tuple[Sequence[R], int]:
    """A page of records dated within [from, to] and equal to the set filters, and their total."""
    check_range(date_from, date_to)
    stmt = select(model).where(*in_range(date_column, date_from, date_to))
    for name, value in equal.items():
        if value is not None:
            stmt = stmt.where(getattr(model, name) == value)
    # Newest business date first; of one day, the latest written first; id keeps pages stable.
    stmt = stmt.order_by(date_column.desc(), model.created_at.desc(), model.id)
    return await paged(session, stmt, page)


def as_page(response: Response, schema: type[P], found: tuple[Sequence[object], int]) -> list[P]:
    """A page of rows in their HTTP shape; the total of all rows goes in X-Total-Count."""
    rows, total = found
    set_total(response, total)
    return [schema.model_validate(r) for r in rows]
