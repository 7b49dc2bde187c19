"""Routes of the public wall (上墙公示): its texts and the base's plan (versioned, worded by
zone officers), the base's platforms, and the wall itself, which needs no sign-in."""

from __future__ import annotations

from enclave_shared.corrections import VoidReason
from enclave_shared.deps import ClockDep, ListPageDep, SessionDep, StandingListPageDep
from fastapi import APIRouter

from services.intake.deps import Officer, PlatformReader
from services.intake.domain import BasePlan, PlatformKind, WallTextKind, signed_by
from services.intake.handlers import reports, wall
from services.intake.schemas import (
    PlanPublic,
    PlatformCorrection,
    PlatformCreate,
    PlatformPublic,
    WallPublic,
    WallTextIn,
    WallTextPublic,
)

router = APIRouter(prefix="/api/v1", tags=["wall"])
public = APIRouter(prefix="/public", tags=["public"])


@router.get("/wall/texts/{kind}")
async def get_text(kind: WallTextKind, session: SessionDep, _user: Officer) -> WallTextPublic:
    """A text of the wall in its latest version."""
    return await wall.get_text(session, kind=kind)


@router.put("/wall/texts/{kind}")
async def save_text(
    kind: WallTextKind, body: WallTextIn, session: SessionDep, user: Officer
) -> WallTextPublic:
    """Word a text of the wall anew: a new version (the earlier ones are kept)."""
    row = await wall.save_text(session, kind=kind, items=body.items, edited_by=signed_by(user))
    await session.commit()
    return WallTextPublic.model_validate(row)


@router.get("/wall/texts/{kind}/versions")
async def text_versions(
    kind: WallTextKind, session: SessionDep, _user: Officer, page: ListPageDep
) -> list[WallTextPublic]:
    """Every saved version of a text, latest first."""
    found = await wall.get_text_versions(session, kind=kind, page=page.params)
    return page.shaped(WallTextPublic, found)


@router.get("/wall/plan")
async def get_plan(session: SessionDep, _user: Officer) -> PlanPublic:
    """The base's plan in its latest version (the sample until the base loads its own)."""
    return await wall.get_plan(session)


@router.put("/wall/plan")
async def save_plan(body: BasePlan, session: SessionDep, user: Officer) -> PlanPublic:
    """Replace the base's plan (its plots as rectangles): a new version."""
    plan = await wall.save_plan(session, plan=body, edited_by=signed_by(user))
    await session.commit()
    return plan


@router.post("/platforms", status_code=201)
async def add_platform(body: PlatformCreate, session: SessionDep, _user: Officer) -> PlatformPublic:
    """Record a platform of the base (academician workstation, service platform…)."""
    row = await wall.add_platform(
        session, kind=body.kind, name=body.name, level=body.level, since=body.since
    )
    await session.commit()
    return PlatformPublic.model_validate(row)


@router.get("/platforms")
async def list_platforms(
    session: SessionDep,
    _user: PlatformReader,
    page: StandingListPageDep,
    kind: PlatformKind | None = None,
) -> list[PlatformPublic]:
    """The base's platforms by kind."""
    found = await wall.get_all_platforms(session, kind=kind, **page.query)
    return page.shaped(PlatformPublic, found)


@router.get("/platforms/{platform_id}")
async def get_platform(
    platform_id: str, session: SessionDep, _user: PlatformReader
) -> PlatformPublic:
    """One platform."""
    return PlatformPublic.model_validate(await wall.get_platform(session, platform_id=platform_id))


@router.patch("/platforms/{platform_id}")
async def correct_platform(
    platform_id: str, body: PlatformCorrection, session: SessionDep, _user: Officer
) -> PlatformPublic:
    """Correct a platform (with a reason)."""
    row = await wall.get_platform(session, platform_id=platform_id)
    wall.correct_platform(platform=row, body=body)
    await session.commit()
    return PlatformPublic.model_validate(row)


@router.delete("/platforms/{platform_id}")
async def void_platform(
    platform_id: str, reason: VoidReason, session: SessionDep, clock: ClockDep, _user: Officer
) -> PlatformPublic:
    """Void a platform entered by mistake."""
    row = await wall.get_platform(session, platform_id=platform_id)
    wall.void_platform(platform=row, reason=reason, now=clock())
    await session.commit()
    return PlatformPublic.model_validate(row)


@public.get("/wall")
async def get_wall(session: SessionDep) -> WallPublic:
    """The public disclosure wall (上墙公示); no sign-in needed, no person named."""
    return await reports.wall(
        session,
        entry_conditions=await wall.get_text(session, kind=WallTextKind.ENTRY_CONDITIONS),
        entry_process=await wall.get_text(session, kind=WallTextKind.ENTRY_PROCESS),
        plan=await wall.get_plan(session),
        platforms=await wall.platforms(session),
    )
