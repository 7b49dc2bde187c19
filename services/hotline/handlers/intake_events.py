"""Tickets from intake events, and the cases the hotline watches.

An enterprise settled → a landing-service follow-up ticket; a missed "three ones" meeting →
a supervision ticket; signings and construction starts are watched so that the sweep can
open a supervision ticket for a case still red too long after signing. Each ticket stands
for one business fact (its `fact_key`), so a fact that arrives twice, under one event id or
two, opens one ticket.
"""

from __future__ import annotations

from enclave_shared.catalog.intake import (
    ConstructionStarted,
    EnterpriseSettled,
    MeetingMissed,
    OutcomeTransferred,
)
from enclave_shared.events import CloudEvent
from enclave_shared.outbox import OutboxSession

from services.hotline.domain import SYSTEM, Kind, aware, business_start
from services.hotline.handlers.tickets import open_for_fact
from services.hotline.models import Note, WatchedCase


async def _watch(session: OutboxSession, *, case_id: str, project_id: str) -> WatchedCase:
    case = await session.get(WatchedCase, case_id)
    if case is None:
        case = WatchedCase(case_id=case_id, project_id=project_id)
        session.add(case)
    return case


async def watch_signing(
    session: OutboxSession, *, signing: EnterpriseSettled | OutcomeTransferred
) -> WatchedCase:
    """Watch a signed case turn yellow, from its earliest signing."""
    case = await _watch(session, case_id=signing.case_id, project_id=signing.project_id)
    case.enterprise = case.enterprise or signing.enterprise
    signed_on = signing.signed_on
    case.signed_on = signed_on if case.signed_on is None else min(case.signed_on, signed_on)
    return case


async def follow_landing(
    session: OutboxSession, *, settled: EnterpriseSettled, event: CloudEvent
) -> None:
    """An enterprise settled: follow its landing with a ticket, and watch the case turn yellow."""
    await watch_signing(session, signing=settled)
    who = settled.enterprise or f"the enterprise of project {settled.project_id}"
    await open_for_fact(
        session,
        fact_key=f"settled:{settled.case_id}",
        kind=Kind.LANDING_FOLLOWUP,
        description=(
            f"Landing service follow-up (落户服务): {who} signed on "
            f"{settled.signed_on.isoformat()} for case {settled.case_id}; "
            "contact it about registration, permits, utilities and land."
        ),
        case_id=settled.case_id,
        project_id=settled.project_id,
        enterprise_id=settled.enterprise,
        actor=event.type,
        at=business_start(settled.signed_on, event.time),
        recorded_at=aware(event.time),
        causation=event,
    )


async def construction_started(
    session: OutboxSession, *, started: ConstructionStarted, event: CloudEvent
) -> None:
    """The case is no longer red; note it on its supervision ticket, if it has one."""
    case = await _watch(session, case_id=started.case_id, project_id=started.project_id)
    if case.construction_started_on is not None:
        return
    case.construction_started_on = started.started_on
    if case.supervision_ticket_id is not None:
        session.add(
            Note(
                ticket_id=case.supervision_ticket_id,
                author_role=SYSTEM,
                author=event.type,
                text=f"construction started on {started.started_on.isoformat()}: case is yellow",
                at=aware(event.time),
            )
        )


async def supervise_missed_meeting(
    session: OutboxSession, *, missed: MeetingMissed, event: CloudEvent
) -> None:
    """A "three ones" meeting did not take place: a supervision ticket (督办)."""
    await open_for_fact(
        session,
        fact_key=f"meeting:{missed.case_id}:{missed.kind.value}:{missed.due_on}",
        kind=Kind.SUPERVISION,
        description=(
            f"Supervision (督办): the {missed.kind.value} of case {missed.case_id} "
            f"due on {missed.due_on.isoformat()} did not take place."
        ),
        case_id=missed.case_id,
        project_id=missed.project_id,
        enterprise_id=None,
        actor=event.type,
        at=aware(event.time),
        causation=event,
    )
