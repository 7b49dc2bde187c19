"""Routes for talent ambassadors (招才大使) and talents."""

from __future__ import annotations

from collections.abc import Mapping

from enclave_shared.catalog.incubation import TalentLevel
from enclave_shared.deps import DatedListPageDep, ListPageDep, SessionDep, TodayDep, set_total
from fastapi import APIRouter

from services.incubation.deps import Operator, Reader
from services.incubation.handlers import talents
from services.incubation.handlers.rows import get
from services.incubation.models import Ambassador, Talent
from services.incubation.schemas import (
    AmbassadorCreate,
    AmbassadorPublic,
    TalentBatch,
    TalentCreate,
    TalentPublic,
)

router = APIRouter(prefix="/api/v1", tags=["talents"])


@router.post("/ambassadors", status_code=201)
async def appoint_ambassador(
    body: AmbassadorCreate, session: SessionDep, today: TodayDep, _user: Operator
) -> AmbassadorPublic:
    """Appoint a talent ambassador (招才大使)."""
    row = await talents.appoint_ambassador(session, data=body, today=today)
    await session.commit()
    return AmbassadorPublic.model_validate(row)


@router.get("/ambassadors")
async def list_ambassadors(
    session: SessionDep, page: ListPageDep, _user: Reader
) -> list[AmbassadorPublic]:
    """Talent ambassadors, with how many talents each brought."""
    rows, total = await talents.list_ambassadors(session, page=page.params)
    counts = await talents.talents_recruited_by(session, [r.id for r in rows])
    set_total(page.response, total)
    return [_ambassador_public(r, counts) for r in rows]


@router.get("/ambassadors/{ambassador_id}")
async def get_ambassador(
    ambassador_id: str, session: SessionDep, _user: Reader
) -> AmbassadorPublic:
    """One ambassador."""
    row = await get(session, Ambassador, ambassador_id, "talent ambassador")
    return _ambassador_public(row, await talents.talents_recruited_by(session, [row.id]))


@router.post("/talents", status_code=201)
async def recruit_talent(
    body: TalentCreate, session: SessionDep, today: TodayDep, _user: Operator
) -> TalentPublic:
    """Record a recruited talent."""
    [row] = await talents.recruit_talents(session, talents=[body], today=today)
    await session.commit()
    return TalentPublic.model_validate(row)


@router.post("/talents/batch", status_code=201)
async def recruit_talents(
    body: TalentBatch, session: SessionDep, today: TodayDep, _user: Operator
) -> list[TalentPublic]:
    """Record up to 500 talents at once, all or nothing."""
    rows = await talents.recruit_talents(session, talents=body.talents, today=today)
    await session.commit()
    return [TalentPublic.model_validate(r) for r in rows]


@router.get("/talents")
async def list_talents(
    session: SessionDep,
    page: DatedListPageDep,
    _user: Reader,
    level: TalentLevel | None = None,
    ambassador_id: str | None = None,
) -> list[TalentPublic]:
    """Talents, newest first; `from`/`to` on the recruited date."""
    found = await talents.list_talents(
        session, level=level, ambassador_id=ambassador_id, **page.query
    )
    return page.shaped(TalentPublic, found)


@router.get("/talents/{talent_id}")
async def get_talent(talent_id: str, session: SessionDep, _user: Reader) -> TalentPublic:
    """One talent."""
    return TalentPublic.model_validate(await get(session, Talent, talent_id, "talent"))


def _ambassador_public(row: Ambassador, counts: Mapping[str, int]) -> AmbassadorPublic:
    shaped = AmbassadorPublic.model_validate(row)
    return shaped.model_copy(update={"talents_recruited": counts.get(row.id, 0)})
