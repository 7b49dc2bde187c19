"""Routes of what the zone publishes: R&D demands, the menu, the stats and the public wall."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from enclave_shared.deps import PageDep, SessionDep, set_total
from enclave_shared.errors import Invalid
from fastapi import APIRouter, Query, Response

from services.intake.deps import CaseReader, MenuReader, Officer, SettingsDep, StatsReader, TodayDep
from services.intake.handlers import reports, zone
from services.intake.schemas import (
    MenuItemCreate,
    MenuItemPublic,
    RdDemandCreate,
    RdDemandPublic,
    StatsPublic,
    WallPublic,
)

router = APIRouter(prefix="/api/v1", tags=["zone"])
public = APIRouter(prefix="/public", tags=["public"])


@router.post("/rd-demands", status_code=201)
async def submit_demand(
    body: RdDemandCreate, session: SessionDep, user: CaseReader
) -> RdDemandPublic:
    """A local enterprise's R&D need (order path): by a zone officer, or by the enterprise."""
    demand = await zone.submit_demand(
        session,
        user=user,
        enterprise=body.enterprise,
        industry_chain=body.industry_chain,
        title=body.title,
        description=body.description,
        submitted_on=body.submitted_on,
        enterprise_account=body.enterprise_account,
    )
    await session.commit()
    return RdDemandPublic.model_validate(demand)


@router.get("/rd-demands")
async def list_demands(
    session: SessionDep,
    user: CaseReader,
    page: PageDep,
    response: Response,
    industry_chain: Annotated[str | None, Query(max_length=100)] = None,
) -> list[RdDemandPublic]:
    """R&D demands, oldest first; an enterprise user gets only its own."""
    rows, total = await zone.get_all_demands(
        session, user=user, industry_chain=industry_chain, page=page
    )
    set_total(response, total)
    return [RdDemandPublic.model_validate(d) for d in rows]


@router.get("/rd-demands/{demand_id}")
async def get_demand(demand_id: str, session: SessionDep, user: CaseReader) -> RdDemandPublic:
    """One R&D demand."""
    return RdDemandPublic.model_validate(
        await zone.get_demand(session, demand_id=demand_id, user=user)
    )


@router.post("/menu-items", status_code=201)
async def publish_menu_item(
    body: MenuItemCreate, session: SessionDep, _user: Officer
) -> MenuItemPublic:
    """Put a project the zone wants incubated on the menu (menu path)."""
    item = await zone.publish_menu_item(
        session,
        title=body.title,
        industry_chain=body.industry_chain,
        layout_category=body.layout_category,
        description=body.description,
        published_on=body.published_on,
    )
    await session.commit()
    return MenuItemPublic.model_validate(item)


@router.get("/menu-items")
async def list_menu(
    session: SessionDep, _user: MenuReader, page: PageDep, response: Response
) -> list[MenuItemPublic]:
    """The menu, oldest first."""
    rows, total = await zone.get_menu(session, page=page)
    set_total(response, total)
    return [MenuItemPublic.model_validate(m) for m in rows]


@router.get("/menu-items/{menu_item_id}")
async def get_menu_item(
    menu_item_id: str, session: SessionDep, _user: MenuReader
) -> MenuItemPublic:
    """One menu item."""
    return MenuItemPublic.model_validate(
        await zone.get_menu_item(session, menu_item_id=menu_item_id)
    )


@router.get("/stats", response_model_by_alias=True)
async def get_stats(
    session: SessionDep,
    settings: SettingsDep,
    _user: StatsReader,
    today: TodayDep,
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: date | None = None,
) -> StatsPublic:
    """Figures by business date over [from, to] (default: everything up to today)."""
    end = to or today
    if from_ is not None and from_ > end:
        raise Invalid("`from` must not be after `to`", field="from")
    return await reports.stats(
        session,
        baseline_days_to_construction=settings.baseline_days_to_construction,
        start=from_,
        end=end,
    )


@public.get("/wall")
async def get_wall(session: SessionDep, settings: SettingsDep) -> WallPublic:
    """The public disclosure wall (上墙公示); no login needed."""
    return await reports.wall(
        session, entry_conditions=settings.entry_conditions, entry_process=settings.entry_process
    )
