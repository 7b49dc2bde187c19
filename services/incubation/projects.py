"""Project rules: the four paths, registering, and taking backlog items on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from enclave_shared.catalog.incubation import (
    EnterpriseTag,
    IntakePath,
    LayoutCategory,
    ProjectRegistered,
    ProjectStage,
)
from enclave_shared.errors import Conflict, Invalid, NotFound
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select, update

from services.incubation.common import check_chain, new_id
from services.incubation.models import BacklogItem, Project
from services.incubation.schemas import BacklogKind, ProjectCreate, TakeOn

_ITEM_FIELD = {BacklogKind.DEMAND: "demand_id", BacklogKind.MENU_ITEM: "menu_item_id"}
_ITEM_NAME = {BacklogKind.DEMAND: "R&D demand", BacklogKind.MENU_ITEM: "menu item"}


async def get(session: OutboxSession, project_id: str, *, for_update: bool = False) -> Project:
    """A project by id (locked for the transaction when it is about to change)."""
    stmt = select(Project).where(Project.id == project_id)
    if for_update:
        stmt = stmt.with_for_update()
    project = await session.scalar(stmt)
    if project is None:
        raise NotFound(f"no project {project_id}", field="project_id")
    return project


async def register(
    session: OutboxSession, *, data: ProjectCreate, chains: Sequence[str], today: date
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
    return await _create(session, data=data, item=item, chains=chains, today=today)


async def take_on(
    session: OutboxSession,
    *,
    kind: BacklogKind,
    source_id: str,
    data: TakeOn,
    chains: Sequence[str],
    today: date,
) -> Project:
    """Take a demand or menu item on: the project on its path, everything defaulting from it."""
    item = await _backlog_item(session, kind, source_id, "id", missing=NotFound)
    # Not validated again: TakeOn's fields are already, and the item's id is intake's, whose
    # events bound no length (ProjectCreate's 200 characters would make it a 500).
    order = kind is BacklogKind.DEMAND
    body = ProjectCreate.model_construct(
        path=IntakePath.ORDER if order else IntakePath.MENU,
        title=data.title,
        description=data.description,
        industry_chain=data.industry_chain,
        layout_category=data.layout_category,
        team_members=data.team_members,
        registered_on=data.registered_on,
        demand_id=source_id if order else None,
        menu_item_id=None if order else source_id,
    )
    return await _create(session, data=body, item=item, chains=chains, today=today)


async def _create(
    session: OutboxSession,
    *,
    data: ProjectCreate,
    item: BacklogItem | None,
    chains: Sequence[str],
    today: date,
) -> Project:
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
    session.record(
        ProjectRegistered(
            project_id=project.id,
            title=project.title,
            path=data.path,
            industry_chain=project.industry_chain,
            layout_category=layout_of(project),
            enterprise=project.enterprise,
            demand_id=project.demand_id,
            menu_item_id=project.menu_item_id,
            registered_on=project.registered_on,
            enterprise_tag=tag_of(project),
        ),
    )
    return project


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
    session: OutboxSession,
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


async def _claim(session: OutboxSession, item: BacklogItem, project_id: str) -> None:
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
    check_chain(chain, chains)
    return chain


def layout_of(project: Project) -> LayoutCategory | None:
    """The project's layout category (三新两大), if it has one."""
    return LayoutCategory(project.layout_category) if project.layout_category else None


def tag_of(project: Project) -> EnterpriseTag | None:
    """The directed project's target tag (unicorn, gazelle, other), if it has one."""
    return EnterpriseTag(project.enterprise_tag) if project.enterprise_tag else None
