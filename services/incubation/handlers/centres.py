"""The enclave's places (有场所): the three centres (项目孵化中心、科技研发中心、人才培训中心),
one standing centre of each kind, and the projects each hosts (one centre at a time for a
project, from a date not before the project's registration). A centre that still hosts a
project, a team member or an R&D centre is not voided."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Any

from enclave_shared.catalog.incubation import (
    CentreCorrected,
    CentreKind,
    CentreOpened,
    CentreVoided,
    HostingCorrected,
    HostingVoided,
    ProjectHosted,
)
from enclave_shared.corrections import standing
from enclave_shared.deps import PageParams
from enclave_shared.errors import Conflict
from enclave_shared.outbox import OutboxSession
from sqlalchemy import select

from services.incubation.domain import not_before
from services.incubation.handlers.corrections import correctable, held_once
from services.incubation.handlers.rows import (
    add_with_event,
    dated_page,
    from_body,
    get,
    standing_ids,
)
from services.incubation.handlers.team import standing_centre
from services.incubation.models import (
    CENTRE_KIND,
    HOSTED_ONCE,
    Centre,
    Hosting,
    Project,
    RdCentre,
    TeamMember,
)
from services.incubation.schemas import CentreCreate, HostingCreate


def _one_of_its_kind(session: OutboxSession, row: Centre) -> AbstractAsyncContextManager[None]:
    """409 naming kind when another standing centre is of this kind (`held_once`)."""
    taken = f"the enclave has its {row.kind} centre already"
    return held_once(session, row, CENTRE_KIND, taken, field="kind")


async def open_centre(session: OutboxSession, *, data: CentreCreate, today: date) -> Centre:
    """One of the three centres opens as a place."""
    row = from_body(Centre, data, today, dated="opened_on")
    async with _one_of_its_kind(session, row):
        add_with_event(session, row, CentreOpened)
    return row


async def list_centres(
    session: OutboxSession,
    *,
    kind: CentreKind | None = None,
    page: PageParams | None,
    include_void: bool = False,
) -> tuple[Sequence[Centre], int]:
    """The centres, latest opened first."""
    return await dated_page(
        session,
        Centre,
        Centre.opened_on,
        page=page,
        include_void=include_void,
        kind=kind,
    )


async def _check_centre(session: OutboxSession, row: Centre, after: dict[str, Any], _: Any) -> None:
    if "kind" in after:
        async with _one_of_its_kind(session, row):
            pass


async def _still_hosting(session: OutboxSession, row: Centre) -> None:
    for model, what in (
        (Hosting, "project"),
        (TeamMember, "team member"),
        (RdCentre, "R&D centre"),
    ):
        hosted = await session.scalar(
            select(model.id).where(model.centre_id == row.id, *standing(model))
        )
        if hosted is not None:
            raise Conflict(
                f"centre {row.id} still hosts a {what} ({hosted}): move or void it first",
                field="id",
            )


CENTRE = correctable(
    Centre, "centre", CentreCorrected, CentreVoided, check=_check_centre, after_void=_still_hosting
)
"""A centre: kind (one standing of each), name, address, area, opening date."""


# --- the projects a centre hosts ----------------------------------------------------------


def _hosted_once(session: OutboxSession, row: Hosting) -> AbstractAsyncContextManager[None]:
    """409 naming project_id when another standing hosting hosts the project (`held_once`)."""
    taken, advice = f"project {row.project_id} is hosted already", ": correct or void that hosting"
    return held_once(session, row, HOSTED_ONCE, taken, field="project_id", advice=advice)


async def _not_before_registration(session: OutboxSession, row: Hosting) -> None:
    project = await get(session, Project, row.project_id, "project")
    not_before(row.since, project.registered_on, field="since", what="the project's registration")


async def host_project(session: OutboxSession, *, data: HostingCreate, today: date) -> Hosting:
    """A centre hosts a project from a date."""
    await standing_centre(session, data.centre_id)
    await standing_ids(session, Project, [data.project_id], field="project_id", what="project")
    row = from_body(Hosting, data, today, dated="since")
    async with _hosted_once(session, row):
        await _not_before_registration(session, row)
        add_with_event(session, row, ProjectHosted)
    return row


async def list_hostings(
    session: OutboxSession,
    *,
    centre_id: str | None = None,
    project_id: str | None = None,
    page: PageParams | None,
    include_void: bool = False,
) -> tuple[Sequence[Hosting], int]:
    """The projects hosted, latest first."""
    return await dated_page(
        session,
        Hosting,
        Hosting.since,
        page=page,
        include_void=include_void,
        centre_id=centre_id,
        project_id=project_id,
    )


async def _check_hosting(
    session: OutboxSession, row: Hosting, after: dict[str, Any], _: Any
) -> None:
    if "centre_id" in after:
        await standing_centre(session, row.centre_id)
    await _not_before_registration(session, row)


HOSTING = correctable(Hosting, "hosting", HostingCorrected, HostingVoided, check=_check_hosting)
"""A project's hosting: its centre and since when."""
