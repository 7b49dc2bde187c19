"""Corrections and voiding of the enclave's records: a correction changes the given fields
(the record's rules checked again on the result) and records `….corrected.v1` with before
and after; a void marks the record, which then leaves every list and figure, and records
`….voided.v1`. Nothing is deleted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any, TypeVar

from enclave_shared.catalog.incubation import (
    ActivityCorrected,
    ActivityVoided,
    AgreementCorrected,
    AgreementVoided,
    HqEnterpriseCorrected,
    HqEnterpriseVoided,
    IntakePath,
    ProjectCorrected,
    ProjectVoided,
    TalentCorrected,
    TalentVoided,
    TrainingCorrected,
    TrainingVoided,
)
from enclave_shared.corrections import Correction, correct, void
from enclave_shared.errors import Conflict, Invalid, NotFound
from enclave_shared.events import Corrected, Voided
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.incubation import domain
from services.incubation.handlers import backlog
from services.incubation.handlers.rows import standing_ids
from services.incubation.models import (
    Activity,
    Agreement,
    Ambassador,
    EnclaveRecord,
    HqEnterprise,
    Project,
    Talent,
    TrainingRecord,
)
from services.incubation.schemas import (
    ActivityCorrection,
    AgreementCorrection,
    HqEnterpriseCorrection,
    ProjectCorrection,
    TalentCorrection,
    TrainingCorrection,
)

R = TypeVar("R", bound=EnclaveRecord)


async def _locked(session: OutboxSession, model: type[R], record_id: str, what: str) -> R:
    row = await session.scalar(select(model).where(model.id == record_id).with_for_update())
    if row is None:
        raise NotFound(f"no {what} {record_id}", field="id")
    return row


def _record_correction(
    session: OutboxSession,
    row: EnclaveRecord,
    event: type[Corrected],
    body: Correction,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    session.record(
        event.model_validate(
            {event.subject_field: row.id, "reason": body.reason, "before": before, "after": after}
        )
    )


async def _void(
    session: OutboxSession,
    model: type[R],
    record_id: str,
    *,
    reason: str,
    now: datetime,
    what: str,
    event: type[Voided],
) -> R:
    row = await _locked(session, model, record_id, what)
    void(row, reason, now, what)  # type: ignore[arg-type]
    session.record(event.model_validate({event.subject_field: row.id, "reason": reason}))
    return row


# --- projects -----------------------------------------------------------------------------


def check_project_dates(project: Project) -> None:
    """A project's stage dates keep their order: 422 naming the two dates that do not."""
    steps = [
        ("registered_on", project.registered_on),
        ("incubation_started_on", project.incubation_started_on),
        ("matured_on", project.matured_on),
        ("transferred_on", project.transferred_on),
    ]
    reached = [(name, on) for name, on in steps if on is not None]
    for (first, on), (then, later) in pairwise(reached):
        if later < on:
            raise Invalid(f"{first} {on} would be after {then} {later}", field=first)
    if project.dropped_on is not None and project.dropped_on < project.registered_on:
        raise Invalid(
            f"registered_on {project.registered_on} would be after dropped_on {project.dropped_on}",
            field="registered_on",
        )


async def correct_project(
    session: OutboxSession, *, project_id: str, body: ProjectCorrection, chains: Sequence[str]
) -> Project:
    """Correct a project's title, description, team, chain, layout or registration date."""
    project = await _locked(session, Project, project_id, "project")
    before, after = correct(project, body, "project")
    path = IntakePath(project.path)
    if "industry_chain" in after:
        domain.check_chain(project.industry_chain, chains)
    if "layout_category" in after:
        if path is IntakePath.MENU:
            raise Invalid(
                "a menu project keeps its menu item's layout category", field="layout_category"
            )
        if path is IntakePath.DELIVERY and project.layout_category is not None:
            raise Invalid(
                "a delivery project does not fit 三新两大: layout_category must be empty",
                field="layout_category",
            )
    if "team_talent_ids" in after:
        await standing_ids(
            session, Talent, project.team_talent_ids, field="team_talent_ids", what="talent"
        )
    if "registered_on" in after:
        check_project_dates(project)
    _record_correction(session, project, ProjectCorrected, body, before, after)
    return project


async def void_project(
    session: OutboxSession, *, project_id: str, reason: str, now: datetime
) -> Project:
    """Void a project entered by mistake; its demand or menu item can be taken on again."""
    project = await _void(
        session, Project, project_id, reason=reason, now=now, what="project", event=ProjectVoided
    )
    await backlog.release(session, project.id)
    return project


# --- people and records -------------------------------------------------------------------


async def correct_talent(
    session: OutboxSession, *, talent_id: str, body: TalentCorrection
) -> Talent:
    """Correct a talent's name, level, field, ambassador or recruitment date."""
    talent = await _locked(session, Talent, talent_id, "talent")
    before, after = correct(talent, body, "talent")
    if after.get("ambassador_id") and await session.get(Ambassador, talent.ambassador_id) is None:
        raise Invalid(f"no talent ambassador {talent.ambassador_id}", field="ambassador_id")
    _record_correction(session, talent, TalentCorrected, body, before, after)
    return talent


async def void_talent(
    session: OutboxSession, *, talent_id: str, reason: str, now: datetime
) -> Talent:
    """Void a talent entered by mistake."""
    return await _void(
        session, Talent, talent_id, reason=reason, now=now, what="talent", event=TalentVoided
    )


async def correct_agreement(
    session: OutboxSession, *, agreement_id: str, body: AgreementCorrection
) -> Agreement:
    """Correct an agreement: partner, kind, GBA, date, the projects it led to, the note."""
    row = await _locked(session, Agreement, agreement_id, "agreement")
    before, after = correct(row, body, "agreement")
    linked = [*row.project_ids, *([row.project_id] if after.get("project_id") else [])]
    if "project_ids" in after or after.get("project_id"):
        await standing_ids(session, Project, linked, field="project_ids", what="project")
    _record_correction(session, row, AgreementCorrected, body, before, after)
    return row


async def void_agreement(
    session: OutboxSession, *, agreement_id: str, reason: str, now: datetime
) -> Agreement:
    """Void an agreement entered by mistake."""
    return await _void(
        session,
        Agreement,
        agreement_id,
        reason=reason,
        now=now,
        what="agreement",
        event=AgreementVoided,
    )


async def correct_activity(
    session: OutboxSession, *, activity_id: str, body: ActivityCorrection
) -> Activity:
    """Correct an activity's kind, title, date, attendance or place."""
    row = await _locked(session, Activity, activity_id, "activity")
    before, after = correct(row, body, "activity")
    _record_correction(session, row, ActivityCorrected, body, before, after)
    return row


async def void_activity(
    session: OutboxSession, *, activity_id: str, reason: str, now: datetime
) -> Activity:
    """Void an activity entered by mistake."""
    return await _void(
        session,
        Activity,
        activity_id,
        reason=reason,
        now=now,
        what="activity",
        event=ActivityVoided,
    )


async def correct_training(
    session: OutboxSession, *, record_id: str, body: TrainingCorrection
) -> TrainingRecord:
    """Correct a training record's track, count, date or note."""
    row = await _locked(session, TrainingRecord, record_id, "training record")
    before, after = correct(row, body, "training record")
    _record_correction(session, row, TrainingCorrected, body, before, after)
    return row


async def void_training(
    session: OutboxSession, *, record_id: str, reason: str, now: datetime
) -> TrainingRecord:
    """Void a training record entered by mistake."""
    return await _void(
        session,
        TrainingRecord,
        record_id,
        reason=reason,
        now=now,
        what="training record",
        event=TrainingVoided,
    )


async def correct_hq_enterprise(
    session: OutboxSession,
    *,
    enterprise_id: str,
    body: HqEnterpriseCorrection,
    chains: Sequence[str],
) -> HqEnterprise:
    """Correct an HQ-economy enterprise's name, chain, date, agreement or note."""
    row = await _locked(session, HqEnterprise, enterprise_id, "HQ-economy enterprise")
    before, after = correct(row, body, "HQ-economy enterprise")
    if after.get("industry_chain"):
        domain.check_chain(row.industry_chain, chains)
    if "name" in after:
        other = await session.scalar(
            select(HqEnterprise.id).where(HqEnterprise.name == row.name, HqEnterprise.id != row.id)
        )
        if other is not None:
            raise Conflict(
                f"HQ-economy enterprise {row.name!r} is already registered ({other})", field="name"
            )
    if after.get("agreement_id"):
        await standing_ids(
            session, Agreement, [str(row.agreement_id)], field="agreement_id", what="agreement"
        )
    _record_correction(session, row, HqEnterpriseCorrected, body, before, after)
    return row


async def void_hq_enterprise(
    session: OutboxSession, *, enterprise_id: str, reason: str, now: datetime
) -> HqEnterprise:
    """Void an HQ-economy enterprise entered by mistake."""
    return await _void(
        session,
        HqEnterprise,
        enterprise_id,
        reason=reason,
        now=now,
        what="HQ-economy enterprise",
        event=HqEnterpriseVoided,
    )
