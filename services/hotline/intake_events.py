"""Tickets from intake events (the event half of handlers.py, split to keep modules short).

An enterprise settled → a landing-service follow-up ticket; a missed "three ones" meeting →
a supervision ticket; signing and construction starts are watched so that the sweep can
open a supervision ticket for a case still red too long after signing. Each ticket stands
for one business fact (its `fact_key`), so a fact that arrives twice, under one event id or
two, opens one ticket.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from enclave_shared.catalog.intake import (
    ConstructionStarted,
    EnterpriseSettled,
    MeetingMissed,
    OutcomeTransferred,
)
from enclave_shared.consumer import Handler
from enclave_shared.events import CloudEvent, Payload
from enclave_shared.outbox import OutboxSession

from services.hotline.handlers import SYSTEM, aware, open_for_fact
from services.hotline.models import Note, WatchedCase
from services.hotline.schemas import Kind


async def _watch(session: OutboxSession, *, case_id: str, project_id: str) -> WatchedCase:
    case = await session.get(WatchedCase, case_id)
    if case is None:
        case = WatchedCase(case_id=case_id, project_id=project_id)
        session.add(case)
    return case


async def _signed(session: OutboxSession, signing: EnterpriseSettled | OutcomeTransferred) -> None:
    case = await _watch(session, case_id=signing.case_id, project_id=signing.project_id)
    case.enterprise = case.enterprise or signing.enterprise
    signed_on = signing.signed_on
    case.signed_on = signed_on if case.signed_on is None else min(case.signed_on, signed_on)


def business_start(day: date, event: CloudEvent) -> datetime:
    """When a fact of `day` opens its ticket: the event's time, or the start of `day` (UTC)
    when the fact was recorded later (historic data), so the ticket carries the business date."""
    sent = aware(event.time)
    return sent if day >= sent.date() else datetime.combine(day, time(), tzinfo=UTC)


async def on_enterprise_settled(
    session: OutboxSession, payload: EnterpriseSettled, event: CloudEvent
) -> None:
    """An enterprise settled: follow its landing with a ticket, and watch the case turn yellow."""
    await _signed(session, payload)
    who = payload.enterprise or f"the enterprise of project {payload.project_id}"
    await open_for_fact(
        session,
        fact_key=f"settled:{payload.case_id}",
        kind=Kind.LANDING_FOLLOWUP,
        description=(
            f"Landing service follow-up (落户服务): {who} signed on "
            f"{payload.signed_on.isoformat()} for case {payload.case_id}; "
            "contact it about registration, permits, utilities and land."
        ),
        case_id=payload.case_id,
        project_id=payload.project_id,
        enterprise_id=payload.enterprise,
        actor=event.type,
        at=business_start(payload.signed_on, event),
        recorded_at=aware(event.time),
        causation=event,
    )


async def on_outcome_transferred(
    session: OutboxSession, payload: OutcomeTransferred, _event: CloudEvent
) -> None:
    """An order-path result was signed over: watch the case turn yellow."""
    await _signed(session, payload)


async def on_construction_started(
    session: OutboxSession, payload: ConstructionStarted, event: CloudEvent
) -> None:
    """The case is no longer red; note it on its supervision ticket, if it has one."""
    case = await _watch(session, case_id=payload.case_id, project_id=payload.project_id)
    if case.construction_started_on is not None:
        return
    case.construction_started_on = payload.started_on
    if case.supervision_ticket_id is not None:
        session.add(
            Note(
                ticket_id=case.supervision_ticket_id,
                author_role=SYSTEM,
                author=event.type,
                text=f"construction started on {payload.started_on.isoformat()}: case is yellow",
                at=aware(event.time),
            )
        )


async def on_meeting_missed(
    session: OutboxSession, payload: MeetingMissed, event: CloudEvent
) -> None:
    """A "three ones" meeting did not take place: a supervision ticket (督办)."""
    await open_for_fact(
        session,
        fact_key=f"meeting:{payload.case_id}:{payload.kind.value}:{payload.due_on}",
        kind=Kind.SUPERVISION,
        description=(
            f"Supervision (督办): the {payload.kind.value} of case {payload.case_id} "
            f"due on {payload.due_on.isoformat()} did not take place."
        ),
        case_id=payload.case_id,
        project_id=payload.project_id,
        enterprise_id=None,
        actor=event.type,
        at=aware(event.time),
        causation=event,
    )


HANDLERS: dict[type[Payload], Handler] = {
    EnterpriseSettled: on_enterprise_settled,
    OutcomeTransferred: on_outcome_transferred,
    ConstructionStarted: on_construction_started,
    MeetingMissed: on_meeting_missed,
}
