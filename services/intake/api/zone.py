"""Routes of what the zone publishes: R&D demands, the menu, the stats and the public wall."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from enclave_shared.corrections import correction_routes
from enclave_shared.deps import SessionDep, StandingListPageDep
from enclave_shared.errors import Invalid
from fastapi import APIRouter, Query

from services.intake.deps import CaseReader, MenuReader, Officer, SettingsDep, StatsReader, TodayDep
from services.intake.handlers import reports, zone
from services.intake.schemas import (
    MenuItemCorrection,
    MenuItemCreate,
    MenuItemPublic,
    PartnerIn,
    RdDemandCorrection,
    RdDemandCreate,
    RdDemandPublic,
    StatsPublic,
)

router = APIRouter(prefix="/api/v1", tags=["zone"])


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
        partner=body.partner,
    )
    await session.commit()
    return RdDemandPublic.model_validate(demand)


@router.get("/rd-demands")
async def list_demands(
    session: SessionDep,
    user: CaseReader,
    page: StandingListPageDep,
    industry_chain: Annotated[str | None, Query(max_length=100)] = None,
) -> list[RdDemandPublic]:
    """R&D demands, oldest first; an enterprise user gets only its own."""
    found = await zone.get_all_demands(
        session, user=user, industry_chain=industry_chain, **page.query
    )
    return page.shaped(RdDemandPublic, found)


@router.get("/rd-demands/{demand_id}")
async def get_demand(demand_id: str, session: SessionDep, user: CaseReader) -> RdDemandPublic:
    """One R&D demand."""
    return RdDemandPublic.model_validate(
        await zone.get_demand(session, demand_id=demand_id, user=user)
    )


correction_routes(
    router,
    "/rd-demands/{demand_id}",
    zone.DEMAND,
    name="demand",
    body=RdDemandCorrection,
    public=RdDemandPublic,
    user=Officer,
    docs=("Correct an R&D demand (with a reason).", "Void an R&D demand entered by mistake."),
)


@router.put("/rd-demands/{demand_id}/partner")
async def name_partner(
    demand_id: str, body: PartnerIn, session: SessionDep, user: Officer
) -> RdDemandPublic:
    """Name the partner the demand is worked on with (university, institute or enterprise,
    in the GBA or not)."""
    demand = await zone.get_demand(session, demand_id=demand_id, user=user)
    await zone.name_partner(session, demand=demand, partner=body)
    await session.commit()
    return RdDemandPublic.model_validate(demand)


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
    session: SessionDep,
    _user: MenuReader,
    page: StandingListPageDep,
) -> list[MenuItemPublic]:
    """The menu, oldest first."""
    return page.shaped(MenuItemPublic, await zone.get_menu(session, **page.query))


correction_routes(
    router,
    "/menu-items/{menu_item_id}",
    zone.MENU_ITEM,
    name="menu_item",
    body=MenuItemCorrection,
    public=MenuItemPublic,
    user=Officer,
    docs=("Correct a menu item (with a reason).", "Void a menu item entered by mistake."),
    reader=MenuReader,
    read_doc="One menu item.",
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
