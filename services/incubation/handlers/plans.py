"""The enclave's plans (有计划): the items of its monthly work plans, which detail the
five-year development plan, and the closing of a month's plan with its results. A closed
month's items are frozen; a month closes only once none of its items is still planned."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from typing import Any

from enclave_shared.catalog.incubation import (
    PlanItemAdded,
    PlanItemCorrected,
    PlanItemStatus,
    PlanItemVoided,
    PlanMonthClosed,
    PlanMonthCorrected,
    PlanMonthVoided,
)
from enclave_shared.corrections import standing
from enclave_shared.deps import PageParams, paged
from enclave_shared.errors import Conflict, Invalid
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.incubation.handlers.corrections import _locked, correctable
from services.incubation.handlers.rows import add_with_event, new_id
from services.incubation.models import PlanItem, PlanMonth
from services.incubation.schemas import PlanItemCreate, PlanMonthCreate


def month_bounds(month: str) -> tuple[date, date]:
    """The first and last day of a YYYY-MM month."""
    year, number = int(month[:4]), int(month[5:7])
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def done_on_time(item: PlanItem) -> bool:
    """Done, and done by the end of its due month."""
    return (
        item.status == PlanItemStatus.DONE
        and item.done_on is not None
        and item.done_on <= month_bounds(item.due_month)[1]
    )


async def closing_of(session: OutboxSession, month: str) -> PlanMonth | None:
    """The month's standing closing, if it is closed."""
    return await session.scalar(
        select(PlanMonth).where(PlanMonth.month == month, *standing(PlanMonth))
    )


async def _open_month(session: OutboxSession, month: str) -> None:
    if await closing_of(session, month) is not None:
        raise Conflict(f"the work plan of {month} is closed", field="due_month")


async def add_item(session: OutboxSession, *, data: PlanItemCreate) -> PlanItem:
    """An item is put in a month's work plan (still planned)."""
    await _open_month(session, data.due_month)
    row = PlanItem(
        id=new_id(),
        title=data.title,
        owner=data.owner,
        due_month=data.due_month,
        status=PlanItemStatus.PLANNED.value,
        done_on=None,
        goal=data.goal,
        note=data.note,
    )
    return add_with_event(session, row, PlanItemAdded)


async def list_items(
    session: OutboxSession,
    *,
    due_month: str | None = None,
    month_from: str | None = None,
    month_to: str | None = None,
    status: PlanItemStatus | None = None,
    owner: str | None = None,
    page: PageParams | None,
    include_void: bool = False,
) -> tuple[Sequence[PlanItem], int]:
    """Plan items, latest month first; `month_from`/`month_to` bound the due month."""
    if month_from and month_to and month_from > month_to:
        raise Invalid(
            f"month_from ({month_from}) is after month_to ({month_to})", field="month_from"
        )
    stmt = select(PlanItem).where(*standing(PlanItem, include_void))
    if due_month is not None:
        stmt = stmt.where(PlanItem.due_month == due_month)
    if month_from is not None:
        stmt = stmt.where(PlanItem.due_month >= month_from)
    if month_to is not None:
        stmt = stmt.where(PlanItem.due_month <= month_to)
    if status is not None:
        stmt = stmt.where(PlanItem.status == status.value)
    if owner is not None:
        stmt = stmt.where(PlanItem.owner == owner)
    stmt = stmt.order_by(PlanItem.due_month.desc(), PlanItem.created_at.desc(), PlanItem.id)
    return await paged(session, stmt, page)


async def close_month(session: OutboxSession, *, data: PlanMonthCreate, today: date) -> PlanMonth:
    """A month's work plan is closed with its results: refused while an item is planned."""
    if await closing_of(session, data.month) is not None:
        raise Conflict(f"the work plan of {data.month} is already closed", field="month")
    closed_on = data.closed_on or today
    first, _last = month_bounds(data.month)
    if closed_on < first:
        raise Invalid(f"closed_on {closed_on} is before the month {data.month}", field="closed_on")
    items = (
        await session.scalars(
            select(PlanItem)
            .where(PlanItem.due_month == data.month, *standing(PlanItem))
            .order_by(PlanItem.created_at, PlanItem.id)
        )
    ).all()
    planned = [i.title for i in items if i.status == PlanItemStatus.PLANNED]
    if planned:
        raise Conflict(
            f"still planned in {data.month} (mark them done, late or dropped): "
            + "; ".join(planned),
            field="month",
        )
    row = PlanMonth(id=new_id(), month=data.month, closed_on=closed_on, results=data.results)
    on_time = [i.id for i in items if done_on_time(i)]

    def count(status: PlanItemStatus) -> int:
        return sum(1 for i in items if i.status == status)

    return add_with_event(
        session,
        row,
        PlanMonthClosed,
        items=len(items),
        done=count(PlanItemStatus.DONE),
        done_on_time=len(on_time),
        late=count(PlanItemStatus.LATE),
        dropped=count(PlanItemStatus.DROPPED),
        done_on_time_ids=on_time,
    )


async def list_months(
    session: OutboxSession,
    *,
    year: int | None = None,
    page: PageParams | None,
    include_void: bool = False,
) -> tuple[Sequence[PlanMonth], int]:
    """Closed months, latest first; `year` keeps one year's."""
    stmt = select(PlanMonth).where(*standing(PlanMonth, include_void))
    if year is not None:
        stmt = stmt.where(PlanMonth.month.like(f"{year:04d}-%"))
    stmt = stmt.order_by(PlanMonth.month.desc(), PlanMonth.created_at.desc(), PlanMonth.id)
    return await paged(session, stmt, page)


# --- corrections and voiding --------------------------------------------------------------


_locked_item = _locked(PlanItem, "plan item")


async def _load_item(session: OutboxSession, item_id: str) -> PlanItem:
    """The item, locked, or 404; 409 once its month is closed (its items are frozen)."""
    row = await _locked_item(session, item_id)
    await _open_month(session, row.due_month)
    return row


async def _check_item(
    session: OutboxSession, row: PlanItem, after: dict[str, Any], _context: Any
) -> None:
    if "due_month" in after:
        await _open_month(session, row.due_month)
    if row.status == PlanItemStatus.DONE and row.done_on is None:
        raise Invalid("a done item needs done_on, the date it was done", field="done_on")
    if row.status != PlanItemStatus.DONE and row.done_on is not None:
        raise Invalid(f"only a done item has done_on (this one is {row.status})", field="done_on")


PLAN_ITEM = correctable(
    PlanItem, "plan item", PlanItemCorrected, PlanItemVoided, load=_load_item, check=_check_item
)
"""A plan item: its status (done with done_on, late, dropped), title, owner, month, goal."""

PLAN_MONTH = correctable(PlanMonth, "closed month", PlanMonthCorrected, PlanMonthVoided)
"""A month's closing: its results; voided, the month is open again."""
