"""What every area's list handlers share: a page of a table's rows in their stable order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from enclave_shared.deps import PageParams, paged
from enclave_shared.outbox import OutboxSession
from sqlalchemy import ColumnElement, select

from services.intake.models import Entered

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
