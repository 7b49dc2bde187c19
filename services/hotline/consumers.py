"""The intake events the hotline consumes: `HANDLERS`, the event → handler map, and its
adapters (`on_x(session, payload, event)`), each calling a use case in handlers/."""

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
from enclave_shared.consumer import Handler
from enclave_shared.events import CloudEvent, Payload
from enclave_shared.outbox import OutboxSession

from services.hotline.handlers import intake_events


async def on_enterprise_settled(
    session: OutboxSession, payload: EnterpriseSettled, event: CloudEvent
) -> None:
    """A landing follow-up ticket for the case; the case is watched."""
    await intake_events.follow_landing(session, settled=payload, event=event)


async def on_outcome_transferred(
    session: OutboxSession, payload: OutcomeTransferred, _event: CloudEvent
) -> None:
    """An order-path result was signed over: the case is watched (no ticket)."""
    await intake_events.watch_signing(session, signing=payload)


async def on_construction_started(
    session: OutboxSession, payload: ConstructionStarted, event: CloudEvent
) -> None:
    """The watched case is no longer red."""
    await intake_events.construction_started(session, started=payload, event=event)


async def on_meeting_missed(
    session: OutboxSession, payload: MeetingMissed, event: CloudEvent
) -> None:
    """A supervision ticket for the missed meeting."""
    await intake_events.supervise_missed_meeting(session, missed=payload, event=event)


async def on_case_suspended(
    session: OutboxSession, payload: CaseSuspended, _event: CloudEvent
) -> None:
    """No red-case supervision while the case is suspended."""
    await intake_events.suspend_case(session, suspended=payload)


async def on_case_resumed(session: OutboxSession, payload: CaseResumed, _event: CloudEvent) -> None:
    """The case is supervised again."""
    await intake_events.resume_case(session, resumed=payload)


async def on_case_stopped(
    session: OutboxSession, payload: CaseWithdrawn | CaseVoided, event: CloudEvent
) -> None:
    """A withdrawn or voided case: no more supervision, the hotline's own tickets closed."""
    await intake_events.stop_case(session, stopped=payload, event=event)


async def on_case_account_assigned(
    session: OutboxSession, payload: CaseAccountAssigned, _event: CloudEvent
) -> None:
    """The case's enterprise account: it reads the tickets about its case and project."""
    await intake_events.assign_owner(session, assigned=payload)


HANDLERS: dict[type[Payload], Handler] = {
    EnterpriseSettled: on_enterprise_settled,
    OutcomeTransferred: on_outcome_transferred,
    ConstructionStarted: on_construction_started,
    MeetingMissed: on_meeting_missed,
    CaseSuspended: on_case_suspended,
    CaseResumed: on_case_resumed,
    CaseWithdrawn: on_case_stopped,
    CaseVoided: on_case_stopped,
    CaseAccountAssigned: on_case_account_assigned,
}
