"""Routes for talents, ambassadors, agreements, activities, 531 training and HQ economy."""

from __future__ import annotations

from typing import Annotated

from enclave_shared.auth import Principal, Role, require
from enclave_shared.catalog.incubation import TalentLevel, TrainingTrack
from enclave_shared.deps import ClockDep, PageDep, RuntimeDep, SessionDep, paged, set_total
from fastapi import APIRouter, Depends, Response
from sqlalchemy import select

from services.incubation import records
from services.incubation.common import From, To, as_page, dated_page, today
from services.incubation.config import incubation_settings
from services.incubation.models import (
    Activity,
    Agreement,
    Ambassador,
    HqEnterprise,
    Talent,
    TrainingRecord,
)
from services.incubation.schemas import (
    ActivityCreate,
    ActivityKind,
    ActivityPublic,
    AgreementCreate,
    AgreementKind,
    AgreementPublic,
    AmbassadorCreate,
    AmbassadorPublic,
    HqEnterpriseCreate,
    HqEnterprisePublic,
    TalentBatch,
    TalentCreate,
    TalentPublic,
    TrainingCreate,
    TrainingPublic,
)

router = APIRouter(prefix="/api/v1")

Operator = Annotated[Principal, Depends(require(Role.ENCLAVE_OPERATOR))]
Reader = Annotated[Principal, Depends(require(Role.ENCLAVE_OPERATOR, Role.ASSESSOR))]


# --- ambassadors and talents --------------------------------------------------------------


@router.post("/ambassadors", status_code=201, tags=["talents"])
async def appoint_ambassador(
    body: AmbassadorCreate, session: SessionDep, clock: ClockDep, _user: Operator
) -> AmbassadorPublic:
    """Appoint a talent ambassador (招才大使)."""
    row = await records.appoint_ambassador(session, data=body, today=today(clock))
    await session.commit()
    return AmbassadorPublic.model_validate(row)


@router.get("/ambassadors", tags=["talents"])
async def list_ambassadors(
    session: SessionDep, page: PageDep, response: Response, _user: Reader
) -> list[AmbassadorPublic]:
    """Talent ambassadors, with how many talents each brought."""
    stmt = select(Ambassador).order_by(Ambassador.appointed_on, Ambassador.id)
    rows, total = await paged(session, stmt, page)
    counts = await records.talents_recruited_by(session, [r.id for r in rows])
    set_total(response, total)
    return [
        AmbassadorPublic.model_validate(r).model_copy(
            update={"talents_recruited": counts.get(r.id, 0)}
        )
        for r in rows
    ]


@router.get("/ambassadors/{ambassador_id}", tags=["talents"])
async def get_ambassador(
    ambassador_id: str, session: SessionDep, _user: Reader
) -> AmbassadorPublic:
    """One ambassador."""
    row = await records.get(session, Ambassador, ambassador_id, "talent ambassador")
    counts = await records.talents_recruited_by(session, [row.id])
    return AmbassadorPublic.model_validate(row).model_copy(
        update={"talents_recruited": counts.get(row.id, 0)}
    )


@router.post("/talents", status_code=201, tags=["talents"])
async def recruit_talent(
    body: TalentCreate, session: SessionDep, clock: ClockDep, _user: Operator
) -> TalentPublic:
    """Record a recruited talent."""
    [row] = await records.recruit_talents(session, talents=[body], today=today(clock))
    await session.commit()
    return TalentPublic.model_validate(row)


@router.post("/talents/batch", status_code=201, tags=["talents"])
async def recruit_talents(
    body: TalentBatch, session: SessionDep, clock: ClockDep, _user: Operator
) -> list[TalentPublic]:
    """Record up to 500 talents at once, all or nothing."""
    rows = await records.recruit_talents(session, talents=body.talents, today=today(clock))
    await session.commit()
    return [TalentPublic.model_validate(r) for r in rows]


@router.get("/talents", tags=["talents"])
async def list_talents(
    session: SessionDep,
    page: PageDep,
    response: Response,
    _user: Reader,
    level: TalentLevel | None = None,
    ambassador_id: str | None = None,
    date_from: From = None,
    date_to: To = None,
) -> list[TalentPublic]:
    """Talents, newest first; `from`/`to` on the recruited date."""
    found = await dated_page(
        session,
        Talent,
        Talent.recruited_on,
        date_from,
        date_to,
        page=page,
        level=level,
        ambassador_id=ambassador_id,
    )
    return as_page(response, TalentPublic, found)


@router.get("/talents/{talent_id}", tags=["talents"])
async def get_talent(talent_id: str, session: SessionDep, _user: Reader) -> TalentPublic:
    """One talent."""
    return TalentPublic.model_validate(await records.get(session, Talent, talent_id, "talent"))


# --- agreements and activities ------------------------------------------------------------


@router.post("/agreements", status_code=201, tags=["agreements"])
async def sign_agreement(
    body: AgreementCreate, session: SessionDep, clock: ClockDep, _user: Operator
) -> AgreementPublic:
    """Record a cooperation agreement (合作意向)."""
    row = await records.sign_agreement(session, data=body, today=today(clock))
    await session.commit()
    return AgreementPublic.model_validate(row)


@router.get("/agreements", tags=["agreements"])
async def list_agreements(
    session: SessionDep,
    page: PageDep,
    response: Response,
    _user: Reader,
    kind: AgreementKind | None = None,
    in_gba: bool | None = None,
    project_id: str | None = None,
    date_from: From = None,
    date_to: To = None,
) -> list[AgreementPublic]:
    """Agreements, newest first; `from`/`to` on the signed date."""
    found = await dated_page(
        session,
        Agreement,
        Agreement.signed_on,
        date_from,
        date_to,
        page=page,
        kind=kind,
        in_gba=in_gba,
        project_id=project_id,
    )
    return as_page(response, AgreementPublic, found)


@router.get("/agreements/{agreement_id}", tags=["agreements"])
async def get_agreement(agreement_id: str, session: SessionDep, _user: Reader) -> AgreementPublic:
    """One agreement."""
    row = await records.get(session, Agreement, agreement_id, "agreement")
    return AgreementPublic.model_validate(row)


@router.post("/activities", status_code=201, tags=["activities"])
async def hold_activity(
    body: ActivityCreate, session: SessionDep, clock: ClockDep, _user: Operator
) -> ActivityPublic:
    """Record an activity that took place."""
    row = await records.hold_activity(session, data=body, today=today(clock))
    await session.commit()
    return ActivityPublic.model_validate(row)


@router.get("/activities", tags=["activities"])
async def list_activities(
    session: SessionDep,
    page: PageDep,
    response: Response,
    _user: Reader,
    kind: ActivityKind | None = None,
    date_from: From = None,
    date_to: To = None,
) -> list[ActivityPublic]:
    """Activities, newest first; `from`/`to` on the date held."""
    found = await dated_page(
        session, Activity, Activity.held_on, date_from, date_to, page=page, kind=kind
    )
    return as_page(response, ActivityPublic, found)


@router.get("/activities/{activity_id}", tags=["activities"])
async def get_activity(activity_id: str, session: SessionDep, _user: Reader) -> ActivityPublic:
    """One activity."""
    row = await records.get(session, Activity, activity_id, "activity")
    return ActivityPublic.model_validate(row)


# --- 531 training and HQ economy ----------------------------------------------------------


@router.post("/trainings", status_code=201, tags=["training"])
async def complete_training(
    body: TrainingCreate, session: SessionDep, clock: ClockDep, _user: Operator
) -> TrainingPublic:
    """Record people who completed a 531 track."""
    row = await records.complete_training(session, data=body, today=today(clock))
    await session.commit()
    return TrainingPublic.model_validate(row)


@router.get("/trainings", tags=["training"])
async def list_trainings(
    session: SessionDep,
    page: PageDep,
    response: Response,
    _user: Reader,
    track: TrainingTrack | None = None,
    date_from: From = None,
    date_to: To = None,
) -> list[TrainingPublic]:
    """Training completions, newest first; `from`/`to` on the completion date."""
    found = await dated_page(
        session,
        TrainingRecord,
        TrainingRecord.completed_on,
        date_from,
        date_to,
        page=page,
        track=track,
    )
    return as_page(response, TrainingPublic, found)


@router.get("/trainings/{record_id}", tags=["training"])
async def get_training(record_id: str, session: SessionDep, _user: Reader) -> TrainingPublic:
    """One training completion record."""
    row = await records.get(session, TrainingRecord, record_id, "training record")
    return TrainingPublic.model_validate(row)


@router.post("/hq-enterprises", status_code=201, tags=["hq economy"])
async def register_hq_enterprise(
    body: HqEnterpriseCreate,
    session: SessionDep,
    runtime: RuntimeDep,
    clock: ClockDep,
    _user: Operator,
) -> HqEnterprisePublic:
    """Register an enterprise that serves Guangfeng from Shenzhen (总部经济)."""
    row = await records.register_hq_enterprise(
        session,
        data=body,
        chains=incubation_settings(runtime.settings).industry_chains,
        today=today(clock),
    )
    await session.commit()
    return HqEnterprisePublic.model_validate(row)


@router.get("/hq-enterprises", tags=["hq economy"])
async def list_hq_enterprises(
    session: SessionDep,
    page: PageDep,
    response: Response,
    _user: Reader,
    date_from: From = None,
    date_to: To = None,
) -> list[HqEnterprisePublic]:
    """HQ-economy enterprises, newest first; `from`/`to` on the registration date."""
    found = await dated_page(
        session, HqEnterprise, HqEnterprise.registered_on, date_from, date_to, page=page
    )
    return as_page(response, HqEnterprisePublic, found)


@router.get("/hq-enterprises/{enterprise_id}", tags=["hq economy"])
async def get_hq_enterprise(
    enterprise_id: str, session: SessionDep, _user: Reader
) -> HqEnterprisePublic:
    """One HQ-economy enterprise."""
    row = await records.get(session, HqEnterprise, enterprise_id, "HQ-economy enterprise")
    return HqEnterprisePublic.model_validate(row)
