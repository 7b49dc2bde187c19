"""Indicators from events: each consumed event becomes zero or more dated facts, once.

The inbox already drops a redelivered event id; the (indicator, subject) key also drops the
same business fact reported under a second event id (the first one counts). A correction
counts the record's facts again from its latest version (the payload kept in `Source`); a
void, or a withdrawn case, removes them and keeps an `Exclusion` so that none comes back.
A rebuild replays the same events in the same order (one subject, one partition) and
arrives at the same facts.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import date

from enclave_shared import catalog
from enclave_shared.deps import PageParams, paged
from enclave_shared.errors import EventRefused, Invalid
from enclave_shared.events import CloudEvent, Corrected, Payload, Voided
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import where_given
from pydantic import ValidationError
from sqlalchemy import delete, select

from services.assessment.domain.facts import (
    MAX_SUBJECT,
    REVISED_BY,
    WITHDRAWALS,
    WITHDRAWN_INDICATORS,
    Counted,
    facts_of,
)
from services.assessment.domain.indicators import INDICATORS, MANUAL_KEYS
from services.assessment.models import Exclusion, Fact, Source

log = logging.getLogger(__name__)


async def count_facts(session: OutboxSession, *, payload: Payload, event: CloudEvent) -> None:
    """Store the event's facts, skipping any (indicator, subject) already counted; keep its
    payload, which corrections revise."""
    subject = _subject_of(payload)
    facts = facts_of(payload)
    if not facts:
        return
    known = await session.scalar(
        select(Source.id).where(Source.subject == subject, Source.event_type == event.type)
    )
    if known is not None:
        # Reported again under another event id: the first report, as corrected since,
        # is what counts.
        log.info(
            "%s of %s already counted; event %s not counted again", event.type, subject, event.id
        )
        return
    session.add(
        Source(
            subject=subject,
            event_type=event.type,
            payload=payload.model_dump_json(),
            event_id=event.id,
        )
    )
    await _add_facts(session, subject, facts, event.id, event.type)


async def revise(session: OutboxSession, *, payload: Payload, event: CloudEvent) -> None:
    """A record was corrected (its facts count in the new version) or voided (they count no
    more), or a case was withdrawn (its settlement counts no more)."""
    subject = _subject_of(payload)
    if isinstance(payload, Voided) or type(payload) in WITHDRAWALS:
        scope = "voided" if isinstance(payload, Voided) else "withdrawn"
        await _exclude(session, subject, scope, payload, event)
        return
    if not isinstance(payload, Corrected):
        raise EventRefused(f"{event.type} revises nothing here")
    types = [model.event_type for model in REVISED_BY[type(payload)]]
    sources = (
        await session.scalars(
            select(Source).where(Source.subject == subject, Source.event_type.in_(types))
        )
    ).all()
    if not sources:
        log.info("%s of %s: no counted fact of it here; nothing to revise", event.type, subject)
    for source in sources:
        model = catalog.BY_TYPE[source.event_type]
        held = json.loads(source.payload)
        changes = {
            name: value
            for name, value in payload.after.items()
            if name in model.model_fields and name != model.subject_field
        }
        revised = {**held, **changes}
        if revised == held:
            continue
        try:
            latest = model.model_validate(revised)
        except ValidationError as exc:
            raise EventRefused(f"{event.type} makes {source.event_type} invalid: {exc}") from exc
        source.payload = latest.model_dump_json()
        source.revised_by = event.id
        await session.execute(
            delete(Fact).where(Fact.subject == subject, Fact.event_type == source.event_type)
        )
        await _add_facts(session, subject, facts_of(latest), event.id, source.event_type)


async def _exclude(
    session: OutboxSession, subject: str, scope: str, payload: Payload, event: CloudEvent
) -> None:
    known = await session.scalar(
        select(Exclusion.id).where(Exclusion.subject == subject, Exclusion.scope == scope)
    )
    if known is None:
        session.add(
            Exclusion(
                subject=subject,
                scope=scope,
                reason=str(getattr(payload, "reason", "")),
                event_id=event.id,
                event_type=event.type,
            )
        )
    gone = delete(Fact).where(Fact.subject == subject)
    if scope == "withdrawn":
        gone = gone.where(Fact.indicator.in_(WITHDRAWN_INDICATORS))
    await session.execute(gone)
    await session.flush()


async def _add_facts(
    session: OutboxSession, subject: str, facts: list[Counted], event_id: str, event_type: str
) -> None:
    """The facts of one event, less those already counted and those excluded."""
    scopes = set(
        (await session.scalars(select(Exclusion.scope).where(Exclusion.subject == subject))).all()
    )
    if "voided" in scopes:
        log.info("%s of %s: voided, not counted", event_type, subject)
        return
    if "withdrawn" in scopes:
        facts = [f for f in facts if f.indicator not in WITHDRAWN_INDICATORS]
    if not facts:
        return
    # One query for all of the event's indicators, not one per indicator.
    rows = await session.execute(
        select(Fact.indicator, Fact.event_id).where(
            Fact.subject == subject, Fact.indicator.in_([f.indicator for f in facts])
        )
    )
    counted = {indicator: counted_by for indicator, counted_by in rows}
    for fact in facts:
        already = counted.get(fact.indicator)
        if already is not None:
            log.info(
                "%s of %s already counted by event %s; event %s not counted again",
                fact.indicator,
                subject,
                already,
                event_id,
            )
            continue
        session.add(
            Fact(
                indicator=fact.indicator,
                subject=subject,
                year=fact.business_date.year,
                business_date=fact.business_date,
                quantity=fact.quantity,
                event_id=event_id,
                event_type=event_type,
            )
        )
    await session.flush()


def _subject_of(payload: Payload) -> str:
    subject = payload.subject()
    if len(subject) > MAX_SUBJECT:
        raise EventRefused(f"subject of {len(subject)} characters (at most {MAX_SUBJECT})")
    return subject


async def list_facts(
    session: OutboxSession,
    *,
    year: int,
    indicator: str | None,
    page: PageParams | None,
    until: date | None = None,
) -> tuple[Sequence[Fact], int]:
    """The counted facts of a year (optionally of one indicator, and dated up to `until`),
    with their total."""
    if indicator is not None and (indicator not in INDICATORS or indicator in MANUAL_KEYS):
        raise Invalid(f"{indicator!r} is not an event-derived indicator", field="indicator")
    where = [Fact.year == year, *where_given((Fact.indicator, indicator))]
    if until is not None:
        where.append(Fact.business_date <= until)
    stmt = select(Fact).where(*where).order_by(Fact.business_date, Fact.id)
    return await paged(session, stmt, page)
