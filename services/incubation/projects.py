"""Project rules: the four paths, the lifecycle, and taking backlog items on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from enclave_shared.catalog.incubation import (
    EnterpriseTag,
    IntakePath,
    LayoutCategory,
    ProjectMatured,
    ProjectRegistered,
    ProjectStage,
    ProjectStageChanged,
    ProjectTransferred,
    TransferCause,
)
from enclave_shared.deps import PageParams
from enclave_shared.errors import Conflict, Invalid, NotFound
from enclave_shared.events import CloudEvent
from enclave_shared.outbox import record
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.incubation.common import in_range, new_id, not_before, paged
from services.incubation.models import BacklogItem, Project
from services.incubation.schemas import BacklogKind, ProjectCreate, TakeOn

OPEN_STAGES = (ProjectStage.PROPOSED, ProjectStage.INCUBATING, ProjectStage.MATURED)
_ITEM_FIELD = {BacklogKind.DEMAND: "demand_id", BacklogKind.MENU_ITEM: "menu_item_id"}
_ITEM_NAME = {BacklogKind.DEMAND: "R&D demand", BacklogKind.MENU_ITEM: "menu item"}


async def get(session: AsyncSession, project_id: str, *, for_update: bool = False) -> Project:
    """A project by id (locked for the transaction when it is about to change)."""
    stmt = select(Project).where(Project.id == project_id)
    if for_update:
        stmt = stmt.with_for_update()
    project = await session.scalar(stmt)
    if project is None:
        raise NotFound(f"no project {project_id}", field="project_id")
    return project


async def get_all(
    session: AsyncSession,
    *,
    page: PageParams,
    path: IntakePath | None = None,
    stage: ProjectStage | None = None,
    industry_chain: str | None = None,
    layout_category: LayoutCategory | None = None,
    demand_id: str | None = None,
    menu_item_id: str | None = None,
    registered_from: date | None = None,
    registered_to: date | None = None,
) -> tuple[Sequence[Project], int]:
    """Projects matching the filters, newest registration first, and their total count."""
    stmt = select(Project).where(*in_range(Project.registered_on, registered_from, registered_to))
    for column, value in (
        (Project.path, path),
        (Project.stage, stage),
        (Project.industry_chain, industry_chain),
        (Project.layout_category, layout_category),
        (Project.demand_id, demand_id),
        (Project.menu_item_id, menu_item_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    stmt = stmt.order_by(Project.registered_on.desc(), Project.created_at.desc(), Project.id)
    return await paged(session, stmt, page)


async def register(
    session: AsyncSession, *, data: ProjectCreate, chains: Sequence[str], today: date
) -> Project:
    """Register a project on its path, linked to its demand or menu item if it has one."""
    _check_path_fields(data)
    item: BacklogItem | None = None
    if data.path is IntakePath.ORDER:
        item = await _backlog_item(session, BacklogKind.DEMAND, data.demand_id, "demand_id")
    elif data.path is IntakePath.MENU:
        item = await _backlog_item(
            session, BacklogKind.MENU_ITEM, data.menu_item_id, "menu_item_id"
        )
    project = Project(
        id=new_id(),
        path=data.path.value,
        stage=ProjectStage.PROPOSED.value,
        description=data.description,
        team_members=list(data.team_members),
        registered_on=data.registered_on or today,
        enterprise=data.enterprise,
        enterprise_tag=data.enterprise_tag.value if data.enterprise_tag else None,
        layout_category=data.layout_category.value if data.layout_category else None,
    )
    if item is not None:
        _fill_from_item(project, data, item)
    else:
        if data.title is None:
            raise Invalid("title is required", field="title")
        project.title = data.title
        project.industry_chain = data.industry_chain or ""
    project.industry_chain = _known_chain(project.industry_chain, chains)
    session.add(project)
    if item is not None:
        await _claim(session, item, project.id)
    record(
        session,
        ProjectRegistered(
            project_id=project.id,
            title=project.title,
            path=data.path,
            industry_chain=project.industry_chain,
            layout_category=_layout(project),
            enterprise=project.enterprise,
            demand_id=project.demand_id,
            menu_item_id=project.menu_item_id,
            registered_on=project.registered_on,
            enterprise_tag=_tag(project),
        ),
    )
    return project


async def take_on(
    session: AsyncSession,
    *,
    kind: BacklogKind,
    source_id: str,
    data: TakeOn,
    chains: Sequence[str],
    today: date,
) -> Project:
    """Take a demand or menu item on: the project on its path, everything defaulting from it."""
    await _backlog_item(session, kind, source_id, "id", missing=NotFound)
    body = ProjectCreate(
        path=IntakePath.ORDER if kind is BacklogKind.DEMAND else IntakePath.MENU,
        title=data.title,
        description=data.description or "",
        industry_chain=data.industry_chain,
        layout_category=data.layout_category,
        team_members=data.team_members,
        registered_on=data.registered_on,
        **{_ITEM_FIELD[kind]: source_id},
    )
    return await register(session, data=body, chains=chains, today=today)


async def start_incubation(session: AsyncSession, *, project_id: str, started_on: date) -> Project:
    """proposed → incubating."""
    project = await get(session, project_id, for_update=True)
    _require_stage(project, (ProjectStage.PROPOSED,), "start incubation")
    not_before(started_on, project.registered_on, field="started_on", what="registration on")
    project.incubation_started_on = started_on
    _move(session, project, ProjectStage.INCUBATING, started_on)
    return project


async def mature(session: AsyncSession, *, project_id: str, matured_on: date) -> Project:
    """incubating → matured, and the matured event intake opens its case from.

    A proposed project passes through incubating on the same day (both moves are recorded
    and emitted): the main-flow contract matures a project straight after registering it.
    """
    project = await get(session, project_id, for_update=True)
    _require_stage(project, (ProjectStage.PROPOSED, ProjectStage.INCUBATING), "mature")
    not_before(
        matured_on,
        project.incubation_started_on or project.registered_on,
        field="matured_on",
        what="incubation start on" if project.incubation_started_on else "registration on",
    )
    if project.stage == ProjectStage.PROPOSED:
        project.incubation_started_on = matured_on
        _move(session, project, ProjectStage.INCUBATING, matured_on)
    project.matured_on = matured_on
    _move(session, project, ProjectStage.MATURED, matured_on)
    record(
        session,
        ProjectMatured(
            project_id=project.id,
            title=project.title,
            path=IntakePath(project.path),
            industry_chain=project.industry_chain,
            layout_category=_layout(project),
            enterprise=project.enterprise,
            demand_id=project.demand_id,
            menu_item_id=project.menu_item_id,
            matured_on=matured_on,
            enterprise_tag=_tag(project),
        ),
    )
    return project


async def drop(session: AsyncSession, *, project_id: str, dropped_on: date, reason: str) -> Project:
    """Any open stage → dropped; its demand or menu item can then be taken on again."""
    project = await get(session, project_id, for_update=True)
    _require_stage(project, OPEN_STAGES, "be dropped")
    not_before(dropped_on, project.registered_on, field="dropped_on", what="registration on")
    project.dropped_on = dropped_on
    project.drop_reason = reason or None
    _move(session, project, ProjectStage.DROPPED, dropped_on, reason=reason or None)
    await session.execute(
        update(BacklogItem).where(BacklogItem.project_id == project.id).values(project_id=None)
    )
    return project


async def transfer(
    session: AsyncSession,
    *,
    project_id: str,
    case_id: str,
    transferred_on: date,
    cause: TransferCause,
    causation: CloudEvent,
) -> bool:
    """matured → transferred, as intake reports; False (nothing done) if it cannot apply."""
    project = await session.scalar(
        select(Project).where(Project.id == project_id).with_for_update()
    )
    if project is None or project.stage != ProjectStage.MATURED:
        return False
    project.transferred_on = transferred_on
    project.case_id = case_id
    _move(session, project, ProjectStage.TRANSFERRED, transferred_on, causation=causation)
    record(
        session,
        ProjectTransferred(
            project_id=project.id,
            path=IntakePath(project.path),
            case_id=case_id,
            transferred_on=transferred_on,
            cause=cause,
        ),
        causation=causation,
    )
    return True


def _check_path_fields(data: ProjectCreate) -> None:
    path = data.path
    if path is not IntakePath.ORDER and data.demand_id is not None:
        raise Invalid(f"demand_id is only for the order path, not {path}", field="demand_id")
    if path is not IntakePath.MENU and data.menu_item_id is not None:
        raise Invalid(f"menu_item_id is only for the menu path, not {path}", field="menu_item_id")
    if path is not IntakePath.DIRECTED and data.enterprise_tag is not None:
        raise Invalid(
            f"enterprise_tag is only for the directed path, not {path}", field="enterprise_tag"
        )
    if path is IntakePath.ORDER and not data.demand_id:
        raise Invalid(
            "an order project comes from a local enterprise's R&D demand: demand_id is required",
            field="demand_id",
        )
    if path is IntakePath.MENU and not data.menu_item_id:
        raise Invalid(
            "a menu project comes from a zone menu item: menu_item_id is required",
            field="menu_item_id",
        )
    if path is IntakePath.DIRECTED:
        if not data.enterprise:
            raise Invalid(
                "a directed project names its target GBA enterprise: enterprise is required",
                field="enterprise",
            )
        if data.enterprise_tag is None:
            raise Invalid(
                "a directed project tags its target (unicorn, gazelle, other): "
                "enterprise_tag is required",
                field="enterprise_tag",
            )
    if path is IntakePath.DELIVERY and data.layout_category is not None:
        raise Invalid(
            "a delivery project does not fit 三新两大: layout_category must be empty",
            field="layout_category",
        )


async def _backlog_item(
    session: AsyncSession,
    kind: BacklogKind,
    source_id: str | None,
    field: str,
    *,
    missing: type[Exception] = Invalid,
) -> BacklogItem:
    item = await session.scalar(
        select(BacklogItem).where(
            BacklogItem.kind == kind.value, BacklogItem.source_id == (source_id or "")
        )
    )
    if item is None:
        message = f"no {_ITEM_NAME[kind]} {source_id} has arrived from intake"
        raise missing(message, field=field)  # type: ignore[call-arg]
    return item


def _fill_from_item(project: Project, data: ProjectCreate, item: BacklogItem) -> None:
    kind = BacklogKind(item.kind)
    if kind is BacklogKind.DEMAND:
        if data.enterprise and data.enterprise != item.enterprise:
            raise Invalid(
                f"an order project's enterprise is the demand's ({item.enterprise})",
                field="enterprise",
            )
        project.enterprise = item.enterprise
        project.demand_id = item.source_id
    else:
        if data.layout_category and data.layout_category.value != item.layout_category:
            raise Invalid(
                f"a menu project keeps its item's layout category ({item.layout_category})",
                field="layout_category",
            )
        project.layout_category = item.layout_category
        project.menu_item_id = item.source_id
    project.title = data.title or item.title
    project.description = data.description or item.description
    project.industry_chain = data.industry_chain or item.industry_chain


async def _claim(session: AsyncSession, item: BacklogItem, project_id: str) -> None:
    # A conditional update, not read-then-write: two concurrent take-ons cannot both win.
    result = await session.execute(
        update(BacklogItem)
        .where(BacklogItem.id == item.id, BacklogItem.project_id.is_(None))
        .values(project_id=project_id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        await session.refresh(item)
        kind = BacklogKind(item.kind)
        raise Conflict(
            f"{_ITEM_NAME[kind]} {item.source_id} already has a live project "
            f"{item.project_id}: one {_ITEM_NAME[kind]}, at most one live project",
            field=_ITEM_FIELD[kind],
        )
    item.project_id = project_id


def _known_chain(chain: str, chains: Sequence[str]) -> str:
    if not chain:
        raise Invalid("industry_chain is required", field="industry_chain")
    if chain not in chains:
        raise Invalid(
            f"unknown industry_chain {chain!r}; configured: {', '.join(chains)}",
            field="industry_chain",
        )
    return chain


def _require_stage(project: Project, allowed: Sequence[ProjectStage], move: str) -> None:
    if project.stage not in allowed:
        names = " or ".join(s.value for s in allowed)
        raise Conflict(
            f"project {project.id} is {project.stage}: only a {names} project can {move}",
            field="stage",
        )


def _move(
    session: AsyncSession,
    project: Project,
    to: ProjectStage,
    on: date,
    *,
    reason: str | None = None,
    causation: CloudEvent | None = None,
) -> None:
    before = ProjectStage(project.stage)
    project.stage = to.value
    record(
        session,
        ProjectStageChanged(
            project_id=project.id,
            path=IntakePath(project.path),
            from_stage=before,
            to_stage=to,
            changed_on=on,
            reason=reason,
        ),
        causation=causation,
    )


def _layout(project: Project) -> LayoutCategory | None:
    return LayoutCategory(project.layout_category) if project.layout_category else None


def _tag(project: Project) -> EnterpriseTag | None:
    return EnterpriseTag(project.enterprise_tag) if project.enterprise_tag else None
