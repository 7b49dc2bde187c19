"""Routes of the departments directory (部门名录), kept by the hotline agents."""

from __future__ import annotations

from enclave_shared.deps import ClockDep, ListPageDep, SessionDep
from fastapi import APIRouter

from services.hotline.deps import Agent, SettingsDep
from services.hotline.handlers import directory
from services.hotline.schemas import DepartmentCreate, DepartmentPublic, DepartmentUpdate

router = APIRouter(prefix="/api/v1", tags=["hotline"])


@router.post("/departments", status_code=201, response_model=DepartmentPublic)
async def add_department(
    body: DepartmentCreate, session: SessionDep, settings: SettingsDep, clock: ClockDep, _: Agent
) -> DepartmentPublic:
    """Add a department: code, name, contact, the categories it handles."""
    department = await directory.create(session, entry=body, settings=settings, now=clock())
    await session.commit()
    return DepartmentPublic.model_validate(department)


@router.get("/departments", response_model=list[DepartmentPublic])
async def list_departments(
    session: SessionDep,
    page: ListPageDep,
    _: Agent,
    category: str | None = None,
    active: bool | None = None,
) -> list[DepartmentPublic]:
    """The directory by name (`category`: those handling it; `active`: in service or not)."""
    found = await directory.get_all(session, page=page.params, category=category, active=active)
    return page.shaped(DepartmentPublic, found)


@router.get("/departments/{code}", response_model=DepartmentPublic)
async def get_department(code: str, session: SessionDep, _: Agent) -> DepartmentPublic:
    """One department."""
    return DepartmentPublic.model_validate(await directory.get(session, code=code))


@router.put("/departments/{code}", response_model=DepartmentPublic)
async def update_department(
    code: str,
    body: DepartmentUpdate,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    _: Agent,
) -> DepartmentPublic:
    """Change a department (`active: false` takes it out of routing; its tickets stay)."""
    department = await directory.update(
        session, code=code, change=body, settings=settings, now=clock()
    )
    await session.commit()
    return DepartmentPublic.model_validate(department)
