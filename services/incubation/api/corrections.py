"""Routes that correct a record (`PATCH`, the changed fields and a reason) or void one
entered by mistake (`DELETE`, with a reason in the query or the body). Nothing is deleted."""

from __future__ import annotations

from enclave_shared.corrections import VoidReason
from enclave_shared.deps import ClockDep, SessionDep
from fastapi import APIRouter

from services.incubation.deps import Operator, SettingsDep
from services.incubation.handlers import corrections
from services.incubation.schemas import (
    ActivityCorrection,
    ActivityPublic,
    AgreementCorrection,
    AgreementPublic,
    HqEnterpriseCorrection,
    HqEnterprisePublic,
    ProjectCorrection,
    ProjectPublic,
    TalentCorrection,
    TalentPublic,
    TrainingCorrection,
    TrainingPublic,
)

router = APIRouter(prefix="/api/v1", tags=["corrections"])


@router.patch("/projects/{project_id}")
async def correct_project(
    project_id: str,
    body: ProjectCorrection,
    session: SessionDep,
    settings: SettingsDep,
    _user: Operator,
) -> ProjectPublic:
    """Correct a project's title, description, team, chain, layout or registration date."""
    row = await corrections.correct_project(
        session, project_id=project_id, body=body, chains=settings.industry_chains
    )
    await session.commit()
    return ProjectPublic.model_validate(row)


@router.delete("/projects/{project_id}")
async def void_project(
    project_id: str, reason: VoidReason, session: SessionDep, clock: ClockDep, _user: Operator
) -> ProjectPublic:
    """Void a project entered by mistake (it stays, marked; its backlog item is free again)."""
    row = await corrections.void_project(session, project_id=project_id, reason=reason, now=clock())
    await session.commit()
    return ProjectPublic.model_validate(row)


@router.patch("/talents/{talent_id}")
async def correct_talent(
    talent_id: str, body: TalentCorrection, session: SessionDep, _user: Operator
) -> TalentPublic:
    """Correct a talent's level, field, ambassador, name or recruitment date."""
    row = await corrections.correct_talent(session, talent_id=talent_id, body=body)
    await session.commit()
    return TalentPublic.model_validate(row)


@router.delete("/talents/{talent_id}")
async def void_talent(
    talent_id: str, reason: VoidReason, session: SessionDep, clock: ClockDep, _user: Operator
) -> TalentPublic:
    """Void a talent entered by mistake."""
    row = await corrections.void_talent(session, talent_id=talent_id, reason=reason, now=clock())
    await session.commit()
    return TalentPublic.model_validate(row)


@router.patch("/agreements/{agreement_id}")
async def correct_agreement(
    agreement_id: str, body: AgreementCorrection, session: SessionDep, _user: Operator
) -> AgreementPublic:
    """Correct an agreement (partner, kind, GBA, date, the projects it led to, note)."""
    row = await corrections.correct_agreement(session, agreement_id=agreement_id, body=body)
    await session.commit()
    return AgreementPublic.model_validate(row)


@router.delete("/agreements/{agreement_id}")
async def void_agreement(
    agreement_id: str, reason: VoidReason, session: SessionDep, clock: ClockDep, _user: Operator
) -> AgreementPublic:
    """Void an agreement entered by mistake."""
    row = await corrections.void_agreement(
        session, agreement_id=agreement_id, reason=reason, now=clock()
    )
    await session.commit()
    return AgreementPublic.model_validate(row)


@router.patch("/activities/{activity_id}")
async def correct_activity(
    activity_id: str, body: ActivityCorrection, session: SessionDep, _user: Operator
) -> ActivityPublic:
    """Correct an activity's kind, title, date, attendance or place."""
    row = await corrections.correct_activity(session, activity_id=activity_id, body=body)
    await session.commit()
    return ActivityPublic.model_validate(row)


@router.delete("/activities/{activity_id}")
async def void_activity(
    activity_id: str, reason: VoidReason, session: SessionDep, clock: ClockDep, _user: Operator
) -> ActivityPublic:
    """Void an activity entered by mistake."""
    row = await corrections.void_activity(
        session, activity_id=activity_id, reason=reason, now=clock()
    )
    await session.commit()
    return ActivityPublic.model_validate(row)


@router.patch("/trainings/{record_id}")
async def correct_training(
    record_id: str, body: TrainingCorrection, session: SessionDep, _user: Operator
) -> TrainingPublic:
    """Correct a training record's track, count, date or note."""
    row = await corrections.correct_training(session, record_id=record_id, body=body)
    await session.commit()
    return TrainingPublic.model_validate(row)


@router.delete("/trainings/{record_id}")
async def void_training(
    record_id: str, reason: VoidReason, session: SessionDep, clock: ClockDep, _user: Operator
) -> TrainingPublic:
    """Void a training record entered by mistake."""
    row = await corrections.void_training(session, record_id=record_id, reason=reason, now=clock())
    await session.commit()
    return TrainingPublic.model_validate(row)


@router.patch("/hq-enterprises/{enterprise_id}")
async def correct_hq_enterprise(
    enterprise_id: str,
    body: HqEnterpriseCorrection,
    session: SessionDep,
    settings: SettingsDep,
    _user: Operator,
) -> HqEnterprisePublic:
    """Correct an HQ-economy enterprise's name, chain, date, agreement or note."""
    row = await corrections.correct_hq_enterprise(
        session, enterprise_id=enterprise_id, body=body, chains=settings.industry_chains
    )
    await session.commit()
    return HqEnterprisePublic.model_validate(row)


@router.delete("/hq-enterprises/{enterprise_id}")
async def void_hq_enterprise(
    enterprise_id: str, reason: VoidReason, session: SessionDep, clock: ClockDep, _user: Operator
) -> HqEnterprisePublic:
    """Void an HQ-economy enterprise entered by mistake."""
    row = await corrections.void_hq_enterprise(
        session, enterprise_id=enterprise_id, reason=reason, now=clock()
    )
    await session.commit()
    return HqEnterprisePublic.model_validate(row)
