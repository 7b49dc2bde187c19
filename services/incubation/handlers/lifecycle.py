"""The project lifecycle: proposed → incubating → matured → transferred, or dropped."""

from __future__ import annotations

from datetime import date

from enclave_shared.catalog.incubation import (
    ProjectMatured,
    ProjectStage,
    ProjectStageChanged,
    ProjectTransferred,
    TransferCause,
)
from enclave_shared.corrections import ensure_standing
from enclave_shared.events import CloudEvent
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.incubation.domain import DROP, MATURE, START_INCUBATION, TRANSFER, not_before
from services.incubation.handlers import backlog, projects
from services.incubation.handlers.rows import event_of
from services.incubation.models import Project


async def start_incubation(session: OutboxSession, *, project_id: str, started_on: date) -> Project:
    """proposed → incubating."""
    project = await projects.get(session, project_id, for_update=True)
    ensure_standing(project, "project")
    START_INCUBATION.check(project.id, project.stage)
    not_before(started_on, project.registered_on, field="started_on", what="registration on")
    project.incubation_started_on = started_on
    _move(session, project, ProjectStage.INCUBATING, started_on)
    return project


async def mature(session: OutboxSession, *, project_id: str, matured_on: date) -> Project:
    """incubating → matured, and the matured event intake opens its case from.

    A proposed project passes through incubating on the same day (both moves are recorded
    and emitted): the main-flow contract matures a project straight after registering it.
    """
    project = await projects.get(session, project_id, for_update=True)
    ensure_standing(project, "project")
    MATURE.check(project.id, project.stage)
    not_before(
        matured_on,
        project.incubation_started_on or project.registered_on,
        field="matured_on",
        what="incubation start on" if project.incubation_started_on else "registration on",
    )
    if project.stage == ProjectStage.PROPOSED:
        project.incubation_started_on = matured_on
        _move(session, project, ProjectStage.INCUBATING, matured_on)
    project.matured_on = matured_on
    _move(session, project, ProjectStage.MATURED, matured_on)
    session.record(event_of(ProjectMatured, project))
    return project


async def drop(
    session: OutboxSession, *, project_id: str, dropped_on: date, reason: str
) -> Project:
    """Any open stage → dropped; its demand or menu item can then be taken on again."""
    project = await projects.get(session, project_id, for_update=True)
    ensure_standing(project, "project")
    DROP.check(project.id, project.stage)
    not_before(dropped_on, project.registered_on, field="dropped_on", what="registration on")
    project.dropped_on = dropped_on
    project.drop_reason = reason or None
    _move(session, project, ProjectStage.DROPPED, dropped_on, reason=reason or None)
    await backlog.release(session, project.id)
    return project


async def transfer(
    session: OutboxSession,
    *,
    project_id: str,
    case_id: str,
    transferred_on: date,
    cause: TransferCause,
    causation: CloudEvent,
) -> bool:
    """matured → transferred, as intake reports; False (nothing done) if it cannot apply."""
    project = await session.scalar(
        select(Project).where(Project.id == project_id).with_for_update()
    )
    if project is None or project.voided_at is not None:
        return False
    if project.stage == ProjectStage.TRANSFERRED and project.case_id == case_id:
        return _came_to(project, cause)
    if not TRANSFER.allows(project.stage):
        return False
    project.transferred_on = transferred_on
    project.case_id = case_id
    _came_to(project, cause)
    _move(session, project, ProjectStage.TRANSFERRED, transferred_on, causation=causation)
    session.record(event_of(ProjectTransferred, project, cause=cause), causation=causation)
    return True


def _came_to(project: Project, cause: TransferCause) -> bool:
    """Keep what the transfer came to (a settlement, a result handed over): the chain's
    figures count the GBA enterprise behind the project by it. True if it changed."""
    if cause is TransferCause.CASE_OPENED or project.outcome == cause.value:
        return False
    project.outcome = cause.value
    return True


async def case_stopped(session: OutboxSession, *, project_id: str, case_id: str) -> bool:
    """Intake withdrew the project's case: what the transfer came to counts no more (the
    project stays transferred: it did leave the enclave)."""
    project = await session.scalar(
        select(Project).where(Project.id == project_id).with_for_update()
    )
    if project is None or project.case_id != case_id or project.outcome is None:
        return False
    project.outcome = None
    return True


async def case_voided(session: OutboxSession, *, case_id: str) -> bool:
    """Intake voided a case (CaseVoided names no project): its project's outcome goes."""
    project = await session.scalar(
        select(Project).where(Project.case_id == case_id).with_for_update()
    )
    if project is None:
        return False
    return await case_stopped(session, project_id=project.id, case_id=case_id)


def _move(
    session: OutboxSession,
    project: Project,
    to: ProjectStage,
    on: date,
    *,
    reason: str | None = None,
    causation: CloudEvent | None = None,
) -> None:
    before = ProjectStage(project.stage)
    project.stage = to.value
    session.record(
        event_of(
            ProjectStageChanged,
            project,
            from_stage=before,
            to_stage=to,
            changed_on=on,
            reason=reason,
        ),
        causation=causation,
    )
