"""Routes for the backlog intake fills, and for taking its items on as projects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

from enclave_shared.deps import SessionDep, StandingListPageDep, TodayDep
from enclave_shared.outbox import OutboxSession
from fastapi import APIRouter, Query

from services.incubation.deps import ChainsDep, Operator, ProjectReader
from services.incubation.domain import BacklogKind
from services.incubation.handlers import backlog, projects
from services.incubation.schemas import BacklogItemPublic, ProjectPublic, TakeOn

router = APIRouter(prefix="/api/v1/backlog", tags=["backlog"])


@router.get("")
async def list_backlog(
    session: SessionDep,
    page: StandingListPageDep,
    _user: ProjectReader,
    kind: BacklogKind | None = None,
    taken: Annotated[bool | None, Query(description="has a live project")] = None,
) -> list[BacklogItemPublic]:
    """R&D demands and menu items from intake, oldest first (those intake voided left out)."""
    found = await backlog.list_items(session, kind=kind, taken=taken, **page.query)
    return page.shaped(BacklogItemPublic, found)


@router.get("/demands/{demand_id}")
async def get_demand(
    demand_id: str, session: SessionDep, _user: ProjectReader
) -> BacklogItemPublic:
    """One R&D demand (order path)."""
    item = await backlog.get(session, kind=BacklogKind.DEMAND, source_id=demand_id)
    return BacklogItemPublic.model_validate(item)


@router.get("/menu-items/{menu_item_id}")
async def get_menu_item(
    menu_item_id: str, session: SessionDep, _user: ProjectReader
) -> BacklogItemPublic:
    """One zone menu item (menu path)."""
    item = await backlog.get(session, kind=BacklogKind.MENU_ITEM, source_id=menu_item_id)
    return BacklogItemPublic.model_validate(item)


@router.post("/demands/{demand_id}/project", status_code=201)
async def take_on_demand(
    demand_id: str,
    session: SessionDep,
    chains: ChainsDep,
    today: TodayDep,
    _user: Operator,
    body: TakeOn | None = None,
) -> ProjectPublic:
    """Take an R&D demand on: an order project for its enterprise."""
    return await _take_on(session, BacklogKind.DEMAND, demand_id, body, chains, today)


@router.post("/menu-items/{menu_item_id}/project", status_code=201)
async def take_on_menu_item(
    menu_item_id: str,
    session: SessionDep,
    chains: ChainsDep,
    today: TodayDep,
    _user: Operator,
    body: TakeOn | None = None,
) -> ProjectPublic:
    """Take a menu item on: a menu project in its layout category."""
    return await _take_on(session, BacklogKind.MENU_ITEM, menu_item_id, body, chains, today)


async def _take_on(
    session: OutboxSession,
    kind: BacklogKind,
    source_id: str,
    body: TakeOn | None,
    chains: Sequence[str],
    today: date,
) -> ProjectPublic:
    """Both take-on routes: the item's project, committed."""
    project = await projects.take_on(
        session,
        kind=kind,
        source_id=source_id,
        data=body or TakeOn(),
        chains=chains,
        today=today,
    )
    await session.commit()
    return ProjectPublic.model_validate(project)
