"""Routes that correct a record (`PATCH`, the changed fields and a reason) or void one
entered by mistake (`DELETE`, with a reason in the query or the body). Nothing is deleted.
Every kind's pair of routes is made by `correction_routes` from its `Correctable`."""

from __future__ import annotations

from enclave_shared.corrections import correction_routes
from fastapi import APIRouter

from services.incubation.deps import ChainsDep, Operator
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

correction_routes(
    router,
    "/projects/{project_id}",
    corrections.PROJECT,
    name="project",
    body=ProjectCorrection,
    public=ProjectPublic,
    user=Operator,
    context=ChainsDep,
    docs=(
        "Correct a project's title, description, team, chain, layout or registration date.",
        "Void a project entered by mistake (it stays, marked; its backlog item is free again).",
    ),
)
correction_routes(
    router,
    "/talents/{talent_id}",
    corrections.TALENT,
    name="talent",
    body=TalentCorrection,
    public=TalentPublic,
    user=Operator,
    docs=(
        "Correct a talent's level, field, ambassador, name or recruitment date.",
        "Void a talent entered by mistake.",
    ),
)
correction_routes(
    router,
    "/agreements/{agreement_id}",
    corrections.AGREEMENT,
    name="agreement",
    body=AgreementCorrection,
    public=AgreementPublic,
    user=Operator,
    docs=(
        "Correct an agreement (partner, kind, GBA, date, the projects it led to, note).",
        "Void an agreement entered by mistake.",
    ),
)
correction_routes(
    router,
    "/activities/{activity_id}",
    corrections.ACTIVITY,
    name="activity",
    body=ActivityCorrection,
    public=ActivityPublic,
    user=Operator,
    docs=(
        "Correct an activity's kind, title, date, attendance or place.",
        "Void an activity entered by mistake.",
    ),
)
correction_routes(
    router,
    "/trainings/{record_id}",
    corrections.TRAINING,
    name="training",
    body=TrainingCorrection,
    public=TrainingPublic,
    user=Operator,
    docs=(
        "Correct a training record's track, count, date or note.",
        "Void a training record entered by mistake.",
    ),
)
correction_routes(
    router,
    "/hq-enterprises/{enterprise_id}",
    corrections.HQ_ENTERPRISE,
    name="hq_enterprise",
    body=HqEnterpriseCorrection,
    public=HqEnterprisePublic,
    user=Operator,
    context=ChainsDep,
    docs=(
        "Correct an HQ-economy enterprise's name, chain, date, agreement or note.",
        "Void an HQ-economy enterprise entered by mistake.",
    ),
)
