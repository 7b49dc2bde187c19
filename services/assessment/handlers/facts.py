"""Indicators from events: each consumed event becomes zero or more dated facts, once.

The inbox already drops a redelivered event id; the (indicator, subject) key also drops the
same business fact reported under a second event id (the first one counts).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from enclave_shared.deps import PageParams, paged
from enclave_shared.errors import EventRefused, Invalid
from enclave_shared.events import CloudEvent, Payload
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.assessment.domain.facts import MAX_SUBJECT, facts_of
from services.assessment.domain.indicators import INDICATORS, MANUAL_KEYS
from services.assessment.models import Fact

log = logging.getLogger(__name__)


async def count_facts(session: OutboxSession, *, payload: Payload, event: CloudEvent) -> None:
    """Store the event's facts, skipping any (indicator, subject) already counted."""
    subject = payload.subject()
    if len(subject) > MAX_SUBJECT:
        raise EventRefused(f"subject of {len(subject)} characters (at most {MAX_SUBJECT})")
    facts = facts_of(payload)
    if not facts:
        return
    # One query for all of the event's indicators, not one per indicator.
    rows = await session.execute(
        select(Fact.indicator, Fact.event_id).where(
            Fact.subject == subject, Fact.indicator.in_([f.indicator for f in facts])
        )
    )
    counted = {indicator: event_id for indicator, event_id in rows}
    for fact in facts:
        already = counted.get(fact.indicator)
        if already is not None:
            log.info(
                "%s of %s already counted by event %s; event %s not counted again",
                fact.indicator,
                subject,
                already,
                event.id,
            )
            continue
        session.add(
            Fact(
                indicator=fact.indicator,
                subject=subject,
                year=fact.business_date.year,
                business_date=fact.business_date,
                quantity=fact.quantity,
                event_id=event.id,
                event_type=event.type,
            )
        )
    await session.flush()


async def list_facts(
    session: OutboxSession, *, year: int, indicator: str | None, page: PageParams | None
) -> tuple[Sequence[Fact], int]:
    """The counted facts of a year (optionally of one indicator), with their total."""
    where = [Fact.year == year]
    if indicator is not None:
        if indicator not in INDICATORS or indicator in MANUAL_KEYS:
            raise Invalid(f"{indicator!r} is not an event-derived indicator", field="indicator")
        where.append(Fact.indicator == indicator)
    stmt = select(Fact).where(*where).order_by(Fact.business_date, Fact.id)
    return await paged(session, stmt, page)
