"""The assessment's inputs: scheme versions and manual entries (facts from events: facts.py).

Each input is stored and sent as an event (SchemeVersioned, ManualIndicatorEntered) in one
transaction; the service also consumes its own topic, so a rebuild (a fresh database and
another consumer group) gets the inputs back from the event history along with the facts.

Handlers never commit; the route owns the transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal

from enclave_shared.catalog.assessment import (
    ManualIndicatorEntered,
    SchemeVersioned,
)
from enclave_shared.consumer import Handler
from enclave_shared.db import advisory_lock_key
from enclave_shared.errors import Conflict, Invalid, NotFound
from enclave_shared.events import CloudEvent, Payload
from enclave_shared.outbox import OutboxSession
from sqlalchemy import func, select, text

from services.assessment.models import ManualEntry, Publication, SchemeVersion
from services.assessment.registry import INDICATORS, MANUAL_KEYS
from services.assessment.schemas import (
    ManualEntryPublic,
    SchemePublic,
)
from services.assessment.scheme import Scheme, validate_scheme
from services.assessment.scoring import plain

API = "/api/v1"
log = logging.getLogger(__name__)
_YEAR_LOCK = advisory_lock_key("assessment.year")  # the advisory lock space of years


async def put_scheme(
    session: OutboxSession, *, year: int, scheme: Scheme, by: str | None, now: datetime
) -> SchemePublic:
    """Store the scheme as the year's next version; refused once the year is published."""
    await refuse_if_published(session, year, "its scheme")
    validate_scheme(scheme)
    latest = await session.scalar(
        select(func.max(SchemeVersion.version)).where(SchemeVersion.year == year)
    )
    payload = SchemeVersioned(
        year=year,
        version=(latest or 0) + 1,
        scheme=scheme.model_dump(mode="json"),
        created_by=by,
        created_at=now,
    )
    row = await _store_scheme(session, payload, scheme, session.record(payload))
    return _scheme_public(row, frozen=False)


async def get_scheme(
    session: OutboxSession, *, year: int, version: int | None = None
) -> SchemePublic:
    """The year's newest scheme version, or the version asked for."""
    row = await scheme_row(session, year, version)
    frozen = await session.get(Publication, year) is not None
    return _scheme_public(row, frozen=frozen)


async def list_scheme_versions(session: OutboxSession, *, year: int) -> list[SchemePublic]:
    """Every version of the year's scheme, oldest first."""
    rows = (
        await session.scalars(
            select(SchemeVersion).where(SchemeVersion.year == year).order_by(SchemeVersion.version)
        )
    ).all()
    frozen = await session.get(Publication, year) is not None
    return [_scheme_public(r, frozen=frozen) for r in rows]


async def enter_manual(
    session: OutboxSession,
    *,
    year: int,
    indicator: str,
    value: Decimal,
    evidence: str,
    by: str | None,
    now: datetime,
) -> ManualEntryPublic:
    """Record an assessor's value for a manual indicator; it replaces the previous one."""
    if indicator not in MANUAL_KEYS:
        hint = "it is counted from events" if indicator in INDICATORS else "no such indicator"
        raise Invalid(
            f"{indicator!r} is not a manual indicator ({hint}); manual indicators: "
            f"{', '.join(sorted(MANUAL_KEYS))}",
            field="indicator",
        )
    await refuse_if_published(session, year, "its manual entries")
    payload = ManualIndicatorEntered(
        year=year,
        indicator=indicator,
        value=value,
        evidence=evidence,
        entered_by=by,
        entered_at=now,
    )
    row = await _store_manual(session, payload, session.record(payload))
    return _manual_public(row)


async def list_manual(session: OutboxSession, *, year: int) -> list[ManualEntryPublic]:
    """Every manual entry of the year, oldest first (the newest per indicator is in force)."""
    rows = (
        await session.scalars(
            select(ManualEntry)
            .where(ManualEntry.year == year)
            .order_by(ManualEntry.entered_at, ManualEntry.id)
        )
    ).all()
    return [_manual_public(r) for r in rows]


async def scheme_row(session: OutboxSession, year: int, version: int | None) -> SchemeVersion:
    query = select(SchemeVersion).where(SchemeVersion.year == year)
    if version is None:
        query = query.order_by(SchemeVersion.version.desc()).limit(1)
    else:
        query = query.where(SchemeVersion.version == version)
    row = await session.scalar(query)
    if row is None:
        if version is None:
            raise NotFound(f"no scheme for {year}: PUT {API}/schemes/{year} first", field="year")
        raise NotFound(f"the scheme for {year} has no version {version}", field="version")
    return row


async def refuse_if_published(session: OutboxSession, year: int, what: str) -> None:
    """Take the year's lock, then refuse (409) if the year is published."""
    published = await locked_publication(session, year)
    if published is not None:
        raise Conflict(
            f"{year} was published on {published.published_on}: {what} is frozen", field="year"
        )


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


def _scheme_public(row: SchemeVersion, *, frozen: bool) -> SchemePublic:
    return SchemePublic(
        year=row.year,
        version=row.version,
        created_at=row.created_at,
        created_by=row.created_by,
        frozen=frozen,
        scheme=Scheme.model_validate_json(row.body),
    )


def _manual_public(row: ManualEntry) -> ManualEntryPublic:
    return ManualEntryPublic(
        id=row.id,
        year=row.year,
        indicator=row.indicator,
        value=plain(Decimal(row.value)),
        evidence=row.evidence,
        entered_by=row.entered_by,
        entered_at=row.entered_at,
        event_id=row.event_id,
    )


async def apply_scheme_versioned(
    session: OutboxSession, payload: SchemeVersioned, event: CloudEvent
) -> None:
    """Replay a scheme version from the topic; the instance that wrote it already has it."""
    if await _frozen_here(session, payload.year, event):
        return
    exists = await session.scalar(
        select(SchemeVersion.id).where(
            SchemeVersion.year == payload.year, SchemeVersion.version == payload.version
        )
    )
    if exists is not None:
        return
    scheme = Scheme.model_validate(payload.scheme)
    validate_scheme(scheme)  # a broken foreign scheme is dead-lettered, not stored
    await _store_scheme(session, payload, scheme, event)


async def apply_manual_entered(
    session: OutboxSession, payload: ManualIndicatorEntered, event: CloudEvent
) -> None:
    """Replay a manual entry from the topic; the instance that wrote it already has it."""
    if payload.indicator not in MANUAL_KEYS:
        raise ValueError(f"{payload.indicator!r} is not a manual indicator")
    if await _frozen_here(session, payload.year, event):
        return
    exists = await session.scalar(select(ManualEntry.id).where(ManualEntry.event_id == event.id))
    if exists is not None:
        return
    await _store_manual(session, payload, event)


async def _store_scheme(
    session: OutboxSession, payload: SchemeVersioned, scheme: Scheme, event: CloudEvent
) -> SchemeVersion:
    # The row of a scheme version, whether this instance wrote its event or replays it.
    row = SchemeVersion(
        year=payload.year,
        version=payload.version,
        body=scheme.model_dump_json(),
        created_at=payload.created_at,
        created_by=payload.created_by,
        event_id=event.id,
    )
    session.add(row)
    await session.flush()
    return row


async def _store_manual(
    session: OutboxSession, payload: ManualIndicatorEntered, event: CloudEvent
) -> ManualEntry:
    # The row of a manual entry, whether this instance wrote its event or replays it.
    row = ManualEntry(
        year=payload.year,
        indicator=payload.indicator,
        value=payload.value,
        evidence=payload.evidence,
        entered_by=payload.entered_by,
        entered_at=payload.entered_at,
        event_id=event.id,
    )
    session.add(row)
    await session.flush()
    return row


async def _frozen_here(session: OutboxSession, year: int, event: CloudEvent) -> bool:
    # Only a foreign writer (e.g. a rebuild instance someone wrote to) can send inputs for a
    # year this instance has published; the frozen year keeps what it was published with.
    if await locked_publication(session, year) is None:
        return False
    log.warning("ignored %s %s: %d is published here and frozen", event.type, event.id, year)
    return True


HANDLERS: dict[type[Payload], Handler] = {
    SchemeVersioned: apply_scheme_versioned,
    ManualIndicatorEntered: apply_manual_entered,
}
