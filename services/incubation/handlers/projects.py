"""Projects: registering one on its path, taking backlog items on, reading them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Unpack

from enclave_shared.catalog.incubation import (
    IntakePath,
    LayoutCategory,
    ProjectRegistered,
    ProjectStage,
)
from enclave_shared.errors import Invalid, NotFound
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import found
from sqlalchemy import select

from services.incubation import domain
from services.incubation.domain import BacklogKind
from services.incubation.handlers import backlog
from services.incubation.handlers.rows import (
    Dated,
    dated_list,
    event_of,
    new_id,
    standing_ids,
)
from services.incubation.models import BacklogItem, Project, Talent
from services.incubation.schemas import ProjectCreate, TakeOn

_ITEM_OF_PATH = {IntakePath.ORDER: BacklogKind.DEMAND, IntakePath.MENU: BacklogKind.MENU_ITEM}


async def get(session: OutboxSession, project_id: str, *, for_update: bool = False) -> Project:
    """A project by id (locked for the transaction when it is about to change)."""
    stmt = select(Project).where(Project.id == project_id)
    if for_update:
        stmt = stmt.with_for_update()
    return found(await session.scalar(stmt), "project", project_id, field="project_id")


async def list_projects(
    session: OutboxSession,
    *,
    path: IntakePath | None = None,
    stage: ProjectStage | None = None,
    industry_chain: str | None = None,
    layout_category: LayoutCategory | None = None,
    demand_id: str | None = None,
    menu_item_id: str | None = None,
    matured: tuple[date | None, date | None] = (None, None),
    transferred: tuple[date | None, date | None] = (None, None),
    **dated: Unpack[Dated],
) -> tuple[list[dict[str, Any]], int]:
    """Projects, newest registration first; the filters combine. `matured` and
    `transferred`: the range (from, to) of the date the project reached that stage. The
    rows as column values (`PreparedList.rows`): the list route shapes them."""
    domain.check_range(*matured, names=("matured_from", "matured_to"))
    domain.check_range(*transferred, names=("transferred_from", "transferred_to"))
    found, values = dated_list(
        Project,
        [
            (Project.registered_on, dated.get("date_from"), dated.get("date_to")),
            (Project.matured_on, *matured),
            (Project.transferred_on, *transferred),
        ],
        dated.get("include_void", False),
        {
            "path": path,
            "stage": stage,
            "industry_chain": industry_chain,
            "layout_category": layout_category,
            "demand_id": demand_id,
            "menu_item_id": menu_item_id,
        },
    )
    return await found.rows(session, values, dated["page"])


async def register(
    session: OutboxSession, *, data: ProjectCreate, chains: Sequence[str], today: date
) -> Project:
    """Register a project on its path, linked to its demand or menu item if it has one."""
    domain.check_path(
        data.path,
        demand_id=data.demand_id,
        menu_item_id=data.menu_item_id,
        enterprise=data.enterprise,
        enterprise_tag=data.enterprise_tag,
        layout_category=data.layout_category,
    )
    item: BacklogItem | None = None
    kind = _ITEM_OF_PATH.get(data.path)
    if kind is not None:
        source_id = data.demand_id if kind is BacklogKind.DEMAND else data.menu_item_id
        item = await backlog.arrived(session, kind, source_id, field=kind.field, missing=Invalid)
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
    item = await backlog.arrived(session, kind, source_id, field="id", missing=NotFound)
    # Not validated again: TakeOn's fields are already, and the item's id is intake's, whose
    # events bound no length (ProjectCreate's 200 characters would make it a 500).
    order = kind is BacklogKind.DEMAND
    body = ProjectCreate.model_construct(
        path=kind.path,
        title=data.title,
        description=data.description,
        industry_chain=data.industry_chain,
        layout_category=data.layout_category,
        team_members=data.team_members,
        team_talent_ids=data.team_talent_ids,
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
        team_talent_ids=list(dict.fromkeys(data.team_talent_ids)),
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
    project.industry_chain = domain.check_chain(project.industry_chain, chains)
    await standing_ids(
        session, Talent, project.team_talent_ids, field="team_talent_ids", what="talent"
    )
    session.add(project)
    if item is not None:
        await backlog.claim(session, item, project.id)
    session.record(event_of(ProjectRegistered, project))
    return project


def _fill_from_item(project: Project, data: ProjectCreate, item: BacklogItem) -> None:
    kind = BacklogKind(item.kind)
    domain.check_item_fields(
        kind,
        enterprise=data.enterprise,
        layout_category=data.layout_category,
        item_enterprise=item.enterprise,
        item_layout_category=item.layout_category,
    )
    if kind is BacklogKind.DEMAND:
        project.enterprise = item.enterprise
        project.demand_id = item.source_id
    else:
        project.layout_category = item.layout_category
        project.menu_item_id = item.source_id
    project.title = data.title or item.title
    project.description = data.description or item.description
    project.industry_chain = data.industry_chain or item.industry_chain
