"""Tickets from intake events, and the cases the hotline watches.

An enterprise settled → a landing-service follow-up ticket; a missed "three ones" meeting →
a supervision ticket; signings and construction starts are watched so that the sweep can
open a supervision ticket for a case still red too long after signing. A case intake
suspends gets no red-case supervision until it resumes; one it withdraws or voids gets none
again, and the tickets the hotline opened for it that are still open are closed (a `stop`
move and its `ticket.closed` event); tickets people opened stay theirs. Each ticket stands
for one business fact (its `fact_key`), so a fact that arrives twice, under one event id or
two, opens one ticket. Which enterprise account owns a case (`CaseOwner`) comes from intake
too: that enterprise reads the tickets about its case and project (handlers/tickets.py).
"""

from __future__ import annotations

from enclave_shared.catalog.intake import (
    CaseAccountAssigned,
    CaseResumed,
    CaseSuspended,
    CaseVoided,
    CaseWithdrawn,
    ConstructionStarted,
    EnterpriseSettled,
    MeetingMissed,
    OutcomeTransferred,
)
from enclave_shared.corrections import standing
from enclave_shared.events import CloudEvent
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.hotline.domain import (
    MOVES,
    SYSTEM,
    Channel,
    Kind,
    SystemActor,
    aware,
    business_start,
)
from services.hotline.handlers.lifecycle import advance, record_closed
from services.hotline.handlers.tickets import open_for_fact
from services.hotline.models import CaseOwner, Note, Ticket, WatchedCase


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


async def suspend_case(session: OutboxSession, *, suspended: CaseSuspended) -> None:
    """No red-case supervision for the case while it is suspended."""
    case = await _watch(session, case_id=suspended.case_id, project_id=suspended.project_id)
    case.suspended_on = suspended.suspended_on


async def resume_case(session: OutboxSession, *, resumed: CaseResumed) -> None:
    """The case is watched again as before its suspension."""
    case = await _watch(session, case_id=resumed.case_id, project_id=resumed.project_id)
    case.suspended_on = None


async def stop_case(
    session: OutboxSession, *, stopped: CaseWithdrawn | CaseVoided, event: CloudEvent
) -> list[Ticket]:
    """The case is over (withdrawn) or never was (voided): no more supervision, and the
    tickets the hotline opened for it that are still open are closed, saying why."""
    now = aware(event.time)
    case: WatchedCase | None
    if isinstance(stopped, CaseWithdrawn):
        case = await _watch(session, case_id=stopped.case_id, project_id=stopped.project_id)
        why = f"case {stopped.case_id} withdrawn: {stopped.reason}"
    else:  # a voided case names no project: it is watched only if it was signed
        case = await session.get(WatchedCase, stopped.case_id)
        why = f"case {stopped.case_id} voided: {stopped.reason}"
    if case is not None:
        case.stopped_at = case.stopped_at or now
    still_open = await session.scalars(
        select(Ticket)
        .where(
            Ticket.case_id == stopped.case_id,
            Ticket.channel == Channel.EVENT.value,
            Ticket.status.in_([status.value for status in MOVES["stop"][0]]),
            *standing(Ticket),
        )
        .order_by(Ticket.seq)
        .with_for_update()
    )
    closed = list(still_open.all())
    for ticket in closed:
        advance(ticket, action="stop", user=SystemActor(event.type), at=None, now=now, detail=why)
        record_closed(session, ticket, when=now, reason=why)
    return closed


async def assign_owner(session: OutboxSession, *, assigned: CaseAccountAssigned) -> CaseOwner:
    """The case's enterprise account as intake last sent it (`null`: nobody's any more); the
    same event again changes nothing."""
    owner = await session.get(CaseOwner, assigned.case_id)
    if owner is None:
        owner = CaseOwner(case_id=assigned.case_id)
        session.add(owner)
    owner.project_id, owner.account = assigned.project_id, assigned.enterprise_account
    return owner
