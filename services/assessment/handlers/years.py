"""A year's lock and its freeze: every writer of a year's inputs goes through here."""

from __future__ import annotations

import logging
from typing import Any

from enclave_shared.db import advisory_lock_key
from enclave_shared.errors import Conflict
from enclave_shared.events import CloudEvent
from enclave_shared.outbox import OutboxSession
from sqlalchemy import Select, text

from services.assessment.models import Publication

log = logging.getLogger(__name__)
_YEAR_LOCK = advisory_lock_key("assessment.year")  # the advisory lock space of years


async def locked_publication(session: OutboxSession, year: int) -> Publication | None:
    """Hold the year's lock until the transaction ends; return the year's publication, if any.

    A year's writers (scheme versions, manual entries, publication, their replays) thus run
    one at a time, and none can add an input just after a publication has read the inputs.
    SQLite needs no lock of its own: every write transaction there begins IMMEDIATE, holding
    the database's one write lock from its first statement."""
    if (await session.connection()).dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:space, :year)"), {"space": _YEAR_LOCK, "year": year}
        )
    return await session.get(Publication, year)


async def refuse_if_published(session: OutboxSession, year: int, what: str) -> None:
    """Take the year's lock, then refuse (409) if the year is published."""
    published = await locked_publication(session, year)
    if published is not None:
        raise Conflict(
            f"{year} was published on {published.published_on}: {what} is frozen", field="year"
        )


async def frozen_here(session: OutboxSession, year: int, event: CloudEvent) -> bool:
    """Whether a replayed input falls in a year this instance has published (it is ignored)."""
    # Only a foreign writer (e.g. a rebuild instance someone wrote to) can send inputs for a
    # year this instance has published; the frozen year keeps what it was published with.
    if await locked_publication(session, year) is None:
        return False
    log.warning("ignored %s %s: %d is published here and frozen", event.type, event.id, year)
    return True


async def replay_changes_nothing(
    session: OutboxSession, year: int, event: CloudEvent, stored: Select[Any]
) -> bool:
    """Whether a replayed input of the service's own topic is skipped: its year is frozen
    here, or `stored` (the select of its row's id) finds the row already (the instance that
    wrote the event has it)."""
    return await frozen_here(session, year, event) or await session.scalar(stored) is not None


async def is_published(session: OutboxSession, year: int) -> bool:
    """Whether the year is published (for reads: no lock)."""
    return await session.get(Publication, year) is not None
