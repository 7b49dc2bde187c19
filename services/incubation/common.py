"""Small pieces every incubation module uses: ids, business dates, paging."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta, timezone
from typing import Any, TypeVar

from enclave_shared.app import Clock
from enclave_shared.deps import PageParams
from enclave_shared.errors import Invalid
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

# Business dates are Chinese calendar days (both sites are in UTC+8, which has no DST).
BUSINESS_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


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


async def paged(
    session: AsyncSession, stmt: Select[T], page: PageParams
) -> tuple[Sequence[T], int]:
    """One page of a query's rows and the total count of all its rows."""
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = (await session.scalars(stmt.limit(page.limit).offset(page.offset))).all()
    return rows, int(total or 0)
