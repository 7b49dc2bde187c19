"""Routes for projects and their lifecycle: parse, authorise, call a handler, commit."""

from __future__ import annotations

from enclave_shared.catalog.incubation import IntakePath, LayoutCategory, ProjectStage
from enclave_shared.deps import DatedListPageDep, SessionDep, TodayDep
from fastapi import APIRouter

from services.incubation.deps import ChainsDep, Operator, ProjectReader, Reached
from services.incubation.handlers import lifecycle, projects
from services.incubation.schemas import (
    Drop,
    IncubationStart,
    Maturity,
    ProjectCreate,
    ProjectPublic,
)

router = APIRouter(prefix="/api/v1", tags=["projects"])


@router.post("/projects", status_code=201)
async def create_project(
    body: ProjectCreate,
    session: SessionDep,
    chains: ChainsDep,
    today: TodayDep,
    _user: Operator,
) -> ProjectPublic:
    """Register a project on one of the four paths (stage `proposed`)."""
    project = await projects.register(session, data=body, chains=chains, today=today)
    await session.commit()
    return ProjectPublic.model_validate(project)


@router.get("/projects")
async def list_projects(
    session: SessionDep,
    page: DatedListPageDep,
    _user: ProjectReader,
    path: IntakePath | None = None,
    stage: ProjectStage | None = None,
    industry_chain: str | None = None,
    layout_category: LayoutCategory | None = None,
    demand_id: str | None = None,
    menu_item_id: str | None = None,
    matured_from: Reached = None,
    matured_to: Reached = None,
    transferred_from: Reached = None,
    transferred_to: Reached = None,
) -> list[ProjectPublic]:
    """Projects, newest registration first; filters combine; `from`/`to` on registration,
    `matured_from`/`matured_to` and `transferred_from`/`transferred_to` on the date the
    project matured or was transferred (the stats' matured and transferred of a period)."""
    found = await projects.list_projects(
        session,
        path=path,
        stage=stage,
        industry_chain=industry_chain,
        layout_category=layout_category,
        demand_id=demand_id,
        menu_item_id=menu_item_id,
        matured=(matured_from, matured_to),
        transferred=(transferred_from, transferred_to),
        **page.query,
    )
    return page.shaped(ProjectPublic, found)


@router.get("/projects/{project_id}")
async def get_project(project_id: str, session: SessionDep, _user: ProjectReader) -> ProjectPublic:
    """One project with its stage, path and dates."""
    return ProjectPublic.model_validate(await projects.get(session, project_id))


@router.post("/projects/{project_id}/incubation")
async def start_incubation(
    project_id: str,
    session: SessionDep,
    today: TodayDep,
    _user: Operator,
    body: IncubationStart | None = None,
) -> ProjectPublic:
    """proposed → incubating."""
    started_on = (body.started_on if body else None) or today
    project = await lifecycle.start_incubation(
        session, project_id=project_id, started_on=started_on
    )
    await session.commit()
    return ProjectPublic.model_validate(project)


@router.post("/projects/{project_id}/maturity")
async def mature_project(
    project_id: str,
    session: SessionDep,
    today: TodayDep,
    _user: Operator,
    body: Maturity | None = None,
) -> ProjectPublic:
    """incubating (or proposed) → matured; emits the matured event intake acts on."""
    matured_on = (body.matured_on if body else None) or today
    project = await lifecycle.mature(session, project_id=project_id, matured_on=matured_on)
    await session.commit()
    return ProjectPublic.model_validate(project)


@router.post("/projects/{project_id}/drop")
async def drop_project(
    project_id: str,
    session: SessionDep,
    today: TodayDep,
    _user: Operator,
    body: Drop | None = None,
) -> ProjectPublic:
    """Any open stage → dropped; frees its demand or menu item."""
    dropped_on = (body.dropped_on if body else None) or today
    project = await lifecycle.drop(
        session, project_id=project_id, dropped_on=dropped_on, reason=body.reason if body else ""
    )
    await session.commit()
    return ProjectPublic.model_validate(project)
