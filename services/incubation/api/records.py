"""Routes for agreements, activities, 531 training and HQ-economy enterprises."""

from __future__ import annotations

from enclave_shared.catalog.incubation import TrainingTrack
from enclave_shared.deps import DatedListPageDep, SessionDep, TodayDep
from fastapi import APIRouter

from services.incubation.deps import ChainsDep, Operator, Reader
from services.incubation.domain import ActivityKind, AgreementKind
from services.incubation.handlers import records
from services.incubation.handlers.rows import get
from services.incubation.models import Activity, Agreement, HqEnterprise, TrainingRecord
from services.incubation.schemas import (
    ActivityCreate,
    ActivityPublic,
    AgreementCreate,
    AgreementPublic,
    HqEnterpriseCreate,
    HqEnterprisePublic,
    TrainingCreate,
    TrainingPublic,
)

router = APIRouter(prefix="/api/v1")


# --- agreements and activities ------------------------------------------------------------


@router.post("/agreements", status_code=201, tags=["agreements"])
async def sign_agreement(
    body: AgreementCreate, session: SessionDep, today: TodayDep, _user: Operator
) -> AgreementPublic:
    """Record a cooperation agreement (合作意向)."""
    row = await records.sign_agreement(session, data=body, today=today)
    await session.commit()
    return AgreementPublic.model_validate(row)


@router.get("/agreements", tags=["agreements"])
async def list_agreements(
    session: SessionDep,
    page: DatedListPageDep,
    _user: Reader,
    kind: AgreementKind | None = None,
    in_gba: bool | None = None,
    project_id: str | None = None,
) -> list[AgreementPublic]:
    """Agreements, newest first; `from`/`to` on the signed date."""
    found = await records.list_agreements(
        session, kind=kind, in_gba=in_gba, project_id=project_id, **page.query
    )
    return page.shaped(AgreementPublic, found)


@router.get("/agreements/{agreement_id}", tags=["agreements"])
async def get_agreement(agreement_id: str, session: SessionDep, _user: Reader) -> AgreementPublic:
    """One agreement."""
    return AgreementPublic.model_validate(await get(session, Agreement, agreement_id, "agreement"))


@router.post("/activities", status_code=201, tags=["activities"])
async def hold_activity(
    body: ActivityCreate, session: SessionDep, today: TodayDep, _user: Operator
) -> ActivityPublic:
    """Record an activity that took place."""
    row = await records.hold_activity(session, data=body, today=today)
    await session.commit()
    return ActivityPublic.model_validate(row)


@router.get("/activities", tags=["activities"])
async def list_activities(
    session: SessionDep, page: DatedListPageDep, _user: Reader, kind: ActivityKind | None = None
) -> list[ActivityPublic]:
    """Activities, newest first; `from`/`to` on the date held."""
    return page.shaped(
        ActivityPublic, await records.list_activities(session, kind=kind, **page.query)
    )


@router.get("/activities/{activity_id}", tags=["activities"])
async def get_activity(activity_id: str, session: SessionDep, _user: Reader) -> ActivityPublic:
    """One activity."""
    return ActivityPublic.model_validate(await get(session, Activity, activity_id, "activity"))


# --- 531 training and HQ economy ----------------------------------------------------------


@router.post("/trainings", status_code=201, tags=["training"])
async def complete_training(
    body: TrainingCreate, session: SessionDep, today: TodayDep, _user: Operator
) -> TrainingPublic:
    """Record people who completed a 531 track."""
    row = await records.complete_training(session, data=body, today=today)
    await session.commit()
    return TrainingPublic.model_validate(row)


@router.get("/trainings", tags=["training"])
async def list_trainings(
    session: SessionDep, page: DatedListPageDep, _user: Reader, track: TrainingTrack | None = None
) -> list[TrainingPublic]:
    """Training completions, newest first; `from`/`to` on the completion date."""
    return page.shaped(
        TrainingPublic, await records.list_trainings(session, track=track, **page.query)
    )


@router.get("/trainings/{record_id}", tags=["training"])
async def get_training(record_id: str, session: SessionDep, _user: Reader) -> TrainingPublic:
    """One training completion record."""
    row = await get(session, TrainingRecord, record_id, "training record")
    return TrainingPublic.model_validate(row)


@router.post("/hq-enterprises", status_code=201, tags=["hq economy"])
async def register_hq_enterprise(
    body: HqEnterpriseCreate,
    session: SessionDep,
    chains: ChainsDep,
    today: TodayDep,
    _user: Operator,
) -> HqEnterprisePublic:
    """Register an enterprise that serves Guangfeng from Shenzhen (总部经济)."""
    row = await records.register_hq_enterprise(session, data=body, chains=chains, today=today)
    await session.commit()
    return HqEnterprisePublic.model_validate(row)


@router.get("/hq-enterprises", tags=["hq economy"])
async def list_hq_enterprises(
    session: SessionDep, page: DatedListPageDep, _user: Reader
) -> list[HqEnterprisePublic]:
    """HQ-economy enterprises, newest first; `from`/`to` on the registration date."""
    return page.shaped(HqEnterprisePublic, await records.list_hq_enterprises(session, **page.query))


@router.get("/hq-enterprises/{enterprise_id}", tags=["hq economy"])
async def get_hq_enterprise(
    enterprise_id: str, session: SessionDep, _user: Reader
) -> HqEnterprisePublic:
    """One HQ-economy enterprise."""
    row = await get(session, HqEnterprise, enterprise_id, "HQ-economy enterprise")
    return HqEnterprisePublic.model_validate(row)
