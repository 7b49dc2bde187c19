"""Indicators from events: each consumed event becomes zero or more dated facts.

`facts_of` is the whole mapping from the catalog to the indicator registry; `count_event`
stores its result. The inbox already drops a redelivered event id; the (indicator,
subject) key also drops the same business fact reported under a second event id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from enclave_shared.catalog.hotline import TicketResolved
from enclave_shared.catalog.incubation import (
    ActivityHeld,
    AgreementSigned,
    HqEnterpriseRegistered,
    ProjectMatured,
    ProjectTransferred,
    TalentLevel,
    TalentRecruited,
    TrainingCompleted,
)
from enclave_shared.catalog.intake import EnterpriseSettled, OutcomeTransferred
from enclave_shared.consumer import Handler
from enclave_shared.events import CloudEvent, Payload
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.assessment.models import Fact

log = logging.getLogger(__name__)
MAX_SUBJECT = 500


@dataclass(frozen=True)
class Counted:
    """One indicator's share of an event."""

    indicator: str
    quantity: int
    business_date: date


def facts_of(payload: Payload) -> list[Counted]:
    """What an event adds to which indicators, on which business date."""
    match payload:
        case TalentRecruited(level=level, recruited_on=day):
            own = "talents_high_level" if level is TalentLevel.HIGH_LEVEL else "talents_researchers"
            return [Counted(own, 1, day), Counted("talents_total", 1, day)]
        case AgreementSigned(in_gba=in_gba, signed_on=day):
            both = [Counted("agreements_total", 1, day)]
            return [Counted("agreements_gba", 1, day), *both] if in_gba else both
        case ProjectMatured(path=path, matured_on=day):
            return [
                Counted("projects_matured", 1, day),
                Counted(f"projects_matured_{path.value}", 1, day),
            ]
        case ProjectTransferred(path=path, transferred_on=day):
            return [
                Counted("projects_transferred", 1, day),
                Counted(f"projects_transferred_{path.value}", 1, day),
            ]
        case EnterpriseSettled(signed_on=day):
            return [Counted("enterprises_settled", 1, day)]
        case OutcomeTransferred(signed_on=day):
            return [Counted("outcomes_transferred", 1, day)]
        case HqEnterpriseRegistered(registered_on=day):
            return [Counted("hq_enterprises", 1, day)]
        case ActivityHeld(held_on=day):
            return [Counted("activities_held", 1, day)]
        case TrainingCompleted(track=track, count=count, completed_on=day):
            return [
                Counted("trainings_total", count, day),
                Counted(f"trainings_{track.value}", count, day),
            ]
        case TicketResolved(within_sla=True, resolved_on=day):
            return [Counted("tickets_resolved_within_sla", 1, day)]
    return []


async def count_event(session: OutboxSession, payload: Payload, event: CloudEvent) -> None:
    """Store the event's facts, skipping any (indicator, subject) already counted."""
    subject = payload.subject()
    if len(subject) > MAX_SUBJECT:
        # an index row has a size limit on PostgreSQL; refuse alike on both profiles
        raise ValueError(f"subject of {len(subject)} characters (at most {MAX_SUBJECT})")
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


COUNTED_EVENTS: list[type[Payload]] = [
    TalentRecruited,
    AgreementSigned,
    ProjectMatured,
    ProjectTransferred,
    EnterpriseSettled,
    OutcomeTransferred,
    HqEnterpriseRegistered,
    ActivityHeld,
    TrainingCompleted,
    TicketResolved,
]

HANDLERS: dict[type[Payload], Handler] = {model: count_event for model in COUNTED_EVENTS}
