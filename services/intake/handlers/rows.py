"""What every area's handlers share: a new record entered (and its event), a page of a
table's rows in their stable order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from enclave_shared.deps import PageParams, paged
from enclave_shared.events import CloudEvent, Payload
from enclave_shared.outbox import OutboxSession
from sqlalchemy import ColumnElement, select

from services.intake.models import Base, Entered

B = TypeVar("B", bound=Base)
E = TypeVar("E", bound=Entered)


async def page_of(
    session: OutboxSession,
    model: type[E],
    *where: ColumnElement[bool],
    by: Sequence[Any],
    page: PageParams | None,
) -> tuple[Sequence[E], int]:
    """A page of `model`'s rows meeting `where`, ordered `by` (its dates), then as entered
    (created_at, id: a page's boundary holds between two reads); and how many there are."""
    stmt = select(model).where(*where).order_by(*by, model.created_at, model.id)
    return await paged(session, stmt, page)


async def entered(
    session: OutboxSession,
    row: B,
    event: type[Payload] | None = None,
    *,
    causation: CloudEvent | None = None,
) -> B:
    """A new record added and flushed (its defaults, such as `created_at`, filled in); with
    `event`, that event read from the row is recorded too (`causation`: what caused it)."""
    session.add(row)
    await session.flush()
    if event is not None:
        session.record(event.model_validate(row, from_attributes=True), causation=causation)
    return row
