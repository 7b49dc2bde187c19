"""Manual indicators: an assessor's value with its evidence, stored and sent as
ManualIndicatorEntered; the replay of that event stores the same row. The newest entry per
year and indicator is the one in force."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from enclave_shared.catalog.assessment import ManualIndicatorEntered
from enclave_shared.errors import EventRefused, Invalid
from enclave_shared.events import CloudEvent
from enclave_shared.outbox import OutboxSession
from sqlalchemy import Select, select

from services.assessment.domain.indicators import INDICATORS, MANUAL_KEYS
from services.assessment.handlers.years import refuse_if_published, replay_changes_nothing
from services.assessment.models import ManualEntry
from services.assessment.schemas import ManualEntryPublic


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
    row = await _store(session, payload, session.record(payload))
    return ManualEntryPublic.model_validate(row)


async def list_manual(session: OutboxSession, *, year: int) -> list[ManualEntryPublic]:
    """Every manual entry of the year, oldest first (the newest per indicator is in force)."""
    rows = await session.scalars(_of_year(year))
    return [ManualEntryPublic.model_validate(r) for r in rows]


async def entries_in_force(session: OutboxSession, *, year: int) -> dict[str, ManualEntry]:
    """The newest entry of each manual indicator entered for the year."""
    return {entry.indicator: entry for entry in await session.scalars(_of_year(year))}


async def replay_manual_entry(
    session: OutboxSession, *, payload: ManualIndicatorEntered, event: CloudEvent
) -> None:
    """Store a manual entry from the topic; the instance that wrote it already has it."""
    if payload.indicator not in MANUAL_KEYS:
        raise EventRefused(f"{payload.indicator!r} is not a manual indicator")
    stored = select(ManualEntry.id).where(ManualEntry.event_id == event.id)
    if await replay_changes_nothing(session, payload.year, event, stored):
        return
    await _store(session, payload, event)


def _of_year(year: int) -> Select[ManualEntry]:
    return (
        select(ManualEntry)
        .where(ManualEntry.year == year)
        .order_by(ManualEntry.entered_at, ManualEntry.id)
    )


async def _store(
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
