"""Routes for projects, the backlog and the stats: parse, authorise, call a rule, commit."""

from __future__ import annotations

from typing import Annotated

from enclave_shared.auth import CurrentUser, Principal, Role, require
from enclave_shared.catalog.incubation import IntakePath, LayoutCategory, ProjectStage
from enclave_shared.deps import ClockDep, PageDep, RuntimeDep, SessionDep, paged, set_total
from enclave_shared.errors import NotFound
from enclave_shared.outbox import OutboxSession
from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select

from services.incubation import lifecycle, projects, stats
from services.incubation.common import From, To, as_page, check_range, dated_page, today
from services.incubation.config import incubation_settings
from services.incubation.models import BacklogItem, Project
from services.incubation.schemas import (
    BacklogItemPublic,
    BacklogKind,
    Drop,
    IncubationStart,
    Maturity,
    ProjectCreate,
    ProjectPublic,
    TakeOn,
)

router = APIRouter(prefix="/api/v1", tags=["projects"])

Operator = Annotated[Principal, Depends(require(Role.ENCLAVE_OPERATOR))]
# Zone officers read projects too: the intake base receives them.
ProjectReader = Annotated[
    Principal, Depends(require(Role.ENCLAVE_OPERATOR, Role.ASSESSOR, Role.ZONE_OFFICER))
]


@router.post("/projects", status_code=201)
async def create_project(
    body: ProjectCreate, session: SessionDep, runtime: RuntimeDep, clock: ClockDep, _user: Operator
) -> ProjectPublic:
    """Register a project on one of the four paths (stage `proposed`)."""
    project = await projects.register(
        session,
        data=body,
        chains=incubation_settings(runtime.settings).industry_chains,
        today=today(clock),
    )
    await session.commit()
    return ProjectPublic.model_validate(project)


@router.get("/projects")
async def list_projects(
    session: SessionDep,
    page: PageDep,
    response: Response,
    _user: ProjectReader,
    path: IntakePath | None = None,
    stage: ProjectStage | None = None,
    industry_chain: str | None = None,
    layout_category: LayoutCategory | None = None,
    demand_id: str | None = None,
    menu_item_id: str | None = None,
    registered_from: From = None,
    registered_to: To = None,
) -> list[ProjectPublic]:
    """Projects, newest registration first; filters combine; `from`/`to` on registration."""
    found = await dated_page(
        session,
        Project,
        Project.registered_on,
        registered_from,
        registered_to,
        page=page,
        path=path,
        stage=stage,
        industry_chain=industry_chain,
        layout_category=layout_category,
        demand_id=demand_id,
        menu_item_id=menu_item_id,
    )
    return as_page(response, ProjectPublic, found)


@router.get("/projects/{project_id}")
async def get_project(project_id: str, session: SessionDep, _user: ProjectReader) -> ProjectPublic:
    """One project with its stage, path and dates."""
    return ProjectPublic.model_validate(await projects.get(session, project_id))


@router.post("/projects/{project_id}/incubation")
async def start_incubation(
    project_id: str,
    session: SessionDep,
    clock: ClockDep,
    _user: Operator,
    body: IncubationStart | None = None,
) -> ProjectPublic:
    """proposed → incubating."""
    started_on = (body.started_on if body else None) or today(clock)
    project = await lifecycle.start_incubation(
        session, project_id=project_id, started_on=started_on
    )
    await session.commit()
    return ProjectPublic.model_validate(project)


@router.post("/projects/{project_id}/maturity")
async def mature_project(
    project_id: str,
    session: SessionDep,
    clock: ClockDep,
    _user: Operator,
    body: Maturity | None = None,
) -> ProjectPublic:
    """incubating (or proposed) → matured; emits the matured event intake acts on."""
    matured_on = (body.matured_on if body else None) or today(clock)
    project = await lifecycle.mature(session, project_id=project_id, matured_on=matured_on)
    await session.commit()
    return ProjectPublic.model_validate(project)


@router.post("/projects/{project_id}/drop")
async def drop_project(
    project_id: str, session: SessionDep, clock: ClockDep, _user: Operator, body: Drop | None = None
) -> ProjectPublic:
    """Any open stage → dropped; frees its demand or menu item."""
    dropped_on = (body.dropped_on if body else None) or today(clock)
    project = await lifecycle.drop(
        session, project_id=project_id, dropped_on=dropped_on, reason=body.reason if body else ""
    )
    await session.commit()
    return ProjectPublic.model_validate(project)


# --- backlog ------------------------------------------------------------------------------


@router.get("/backlog", tags=["backlog"])
async def list_backlog(
    session: SessionDep,
    page: PageDep,
    response: Response,
    _user: ProjectReader,
    kind: BacklogKind | None = None,
    taken: Annotated[bool | None, Query(description="has a live project")] = None,
) -> list[BacklogItemPublic]:
    """R&D demands and menu items from intake, oldest first."""
    stmt = select(BacklogItem)
    if kind is not None:
        stmt = stmt.where(BacklogItem.kind == kind.value)
    if taken is not None:
        column = BacklogItem.project_id
        stmt = stmt.where(column.is_not(None) if taken else column.is_(None))
    rows, total = await paged(session, stmt.order_by(BacklogItem.id), page)
    set_total(response, total)
    return [_backlog_public(r) for r in rows]


@router.get("/backlog/demands/{demand_id}", tags=["backlog"])
async def get_demand(
    demand_id: str, session: SessionDep, _user: ProjectReader
) -> BacklogItemPublic:
    """One R&D demand (order path)."""
    return _backlog_public(await _backlog(session, BacklogKind.DEMAND, demand_id))


@router.get("/backlog/menu-items/{menu_item_id}", tags=["backlog"])
async def get_menu_item(
    menu_item_id: str, session: SessionDep, _user: ProjectReader
) -> BacklogItemPublic:
    """One zone menu item (menu path)."""
    return _backlog_public(await _backlog(session, BacklogKind.MENU_ITEM, menu_item_id))


@router.post("/backlog/demands/{demand_id}/project", status_code=201, tags=["backlog"])
async def take_on_demand(
    demand_id: str,
    session: SessionDep,
    runtime: RuntimeDep,
    clock: ClockDep,
    _user: Operator,
    body: TakeOn | None = None,
) -> ProjectPublic:
    """Take an R&D demand on: an order project for its enterprise."""
    return await _take_on(BacklogKind.DEMAND, demand_id, session, runtime, clock, body)


@router.post("/backlog/menu-items/{menu_item_id}/project", status_code=201, tags=["backlog"])
async def take_on_menu_item(
    menu_item_id: str,
    session: SessionDep,
    runtime: RuntimeDep,
    clock: ClockDep,
    _user: Operator,
    body: TakeOn | None = None,
) -> ProjectPublic:
    """Take a menu item on: a menu project in its layout category."""
    return await _take_on(BacklogKind.MENU_ITEM, menu_item_id, session, runtime, clock, body)


# --- figures --------------------------------------------------------------------------------


@router.get("/stats", tags=["stats"])
async def get_stats(
    session: SessionDep,
    runtime: RuntimeDep,
    _user: CurrentUser,
    date_from: From = None,
    date_to: To = None,
) -> dict[str, object]:
    """The enclave's figures, each record counted on its business date within [from, to]."""
    check_range(date_from, date_to)
    targets = incubation_settings(runtime.settings).training_targets()
    return await stats.figures(
        session, date_from=date_from, date_to=date_to, training_targets=targets
    )


@router.get("/industry-chains", tags=["stats"])
async def industry_chains(runtime: RuntimeDep, _user: CurrentUser) -> list[str]:
    """The configured industry chains (七大产业链) projects are filed under."""
    return list(incubation_settings(runtime.settings).industry_chains)


async def _take_on(
    kind: BacklogKind,
    source_id: str,
    session: OutboxSession,
    runtime: RuntimeDep,
    clock: ClockDep,
    body: TakeOn | None,
) -> ProjectPublic:
    project = await projects.take_on(
        session,
        kind=kind,
        source_id=source_id,
        data=body or TakeOn(),
        chains=incubation_settings(runtime.settings).industry_chains,
        today=today(clock),
    )
    await session.commit()
    return ProjectPublic.model_validate(project)


async def _backlog(session: OutboxSession, kind: BacklogKind, source_id: str) -> BacklogItem:
    item = await session.scalar(
        select(BacklogItem).where(
            BacklogItem.kind == kind.value, BacklogItem.source_id == source_id
        )
    )
    if item is None:
        raise NotFound(f"no {kind.value} {source_id}", field="id")
    return item


def _backlog_public(item: BacklogItem) -> BacklogItemPublic:
    return BacklogItemPublic(
        kind=BacklogKind(item.kind),
        id=item.source_id,
        title=item.title,
        description=item.description,
        enterprise=item.enterprise,
        industry_chain=item.industry_chain,
        layout_category=item.layout_category,
        submitted_on=item.submitted_on,
        project_id=item.project_id,
    )
