"""What stands once (one centre of a kind, a project hosted by one centre, a declaration for
a programme, a party organisation's name, a sage in a body): the handler checks it and
answers a 409 naming the field; two writes at the same time can both pass that check, and
then the database's unique index over the standing rows (models.standing_once) refuses the
second, which `held` answers with the same 409."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from enclave_shared.errors import Conflict
from enclave_shared.outbox import OutboxSession
from sqlalchemy import Index
from sqlalchemy.exc import IntegrityError


def breaks(exc: IntegrityError, index: Index) -> bool:
    """Whether the database refused a write for `index`: PostgreSQL names the index,
    SQLite the index's columns."""
    message = str(exc.orig)
    columns = ", ".join(f"{index.table.name}.{column.name}" for column in index.columns)  # type: ignore[union-attr]
    return f'"{index.name}"' in message or message.endswith(f"UNIQUE constraint failed: {columns}")


@asynccontextmanager
async def held(session: OutboxSession, index: Index, conflict: Conflict) -> AsyncIterator[None]:
    """Run the check and the write inside, then write them to the database at once: a row
    of a concurrent request holding `index` is answered with `conflict`, the check's own."""
    try:
        yield
        await session.flush()
    except IntegrityError as exc:
        if not breaks(exc, index):
            raise
        raise conflict from None
