"""R&D centres in Shenzhen (科技研发中心): the local enterprises of the seven chains that set up
an R&D centre in Shenzhen and the Shenzhen R&D institutions moving into the enclave, each of
a configured chain, perhaps hosted by one of the enclave's centres, linked to the projects
whose results it transfers; and the source's figure, the institutions whose results reached
Guangfeng (a linked project transferred)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Unpack

from enclave_shared.catalog.incubation import (
    ProjectStage,
    RdCentreCorrected,
    RdCentreKind,
    RdCentreRegistered,
    RdCentreVoided,
)
from enclave_shared.corrections import standing
from enclave_shared.outbox import OutboxSession
from sqlalchemy import Text, cast, select

from services.incubation.domain import check_chain
from services.incubation.handlers.corrections import correctable
from services.incubation.handlers.records import linked_projects
from services.incubation.handlers.rows import (
    Dated,
    add_with_event,
    dated_page,
    from_body,
)
from services.incubation.handlers.team import standing_centre
from services.incubation.models import Project, RdCentre
from services.incubation.schemas import RdCentreCreate, RdFigures


async def register(
    session: OutboxSession, *, data: RdCentreCreate, chains: Sequence[str], today: date
) -> RdCentre:
    """An R&D centre in Shenzhen is registered."""
    check_chain(data.industry_chain, chains)
    await standing_centre(session, data.centre_id)
    linked = await linked_projects(session, data.project_ids)
    row = from_body(RdCentre, data, today, dated="since", project_ids=linked)
    return add_with_event(session, row, RdCentreRegistered)


async def list_rd_centres(
    session: OutboxSession,
    *,
    kind: RdCentreKind | None = None,
    industry_chain: str | None = None,
    centre_id: str | None = None,
    project_id: str | None = None,
    **dated: Unpack[Dated],
) -> tuple[Sequence[RdCentre], int]:
    """R&D centres, latest first; `project_id` keeps those linked to the project."""
    linked = (
        [cast(RdCentre.project_ids, Text).contains(f'"{project_id}"', autoescape=True)]
        if project_id
        else []
    )
    return await dated_page(
        session,
        RdCentre,
        RdCentre.since,
        where=linked,
        kind=kind,
        industry_chain=industry_chain,
        centre_id=centre_id,
        **dated,
    )


async def figures(session: OutboxSession) -> RdFigures:
    """The standing R&D centres by kind, and the institutions whose results were transferred
    (one of their linked projects is transferred)."""
    rows = (await session.scalars(select(RdCentre).where(*standing(RdCentre)))).all()
    linked = {p for r in rows for p in r.project_ids}
    transferred = set(
        (
            await session.scalars(
                select(Project.id).where(
                    Project.id.in_(linked),
                    Project.stage == ProjectStage.TRANSFERRED,
                    *standing(Project),
                )
            )
        ).all()
    )
    institutions = [r for r in rows if r.kind == RdCentreKind.INSTITUTION]
    return RdFigures(
        local_enterprises=len(rows) - len(institutions),
        institutions=len(institutions),
        institutions_transferring=sum(
            1 for r in institutions if transferred.intersection(r.project_ids)
        ),
    )


async def _check(
    session: OutboxSession, row: RdCentre, after: dict[str, Any], chains: Sequence[str]
) -> None:
    if "industry_chain" in after:
        check_chain(row.industry_chain, chains)
    if "centre_id" in after:
        await standing_centre(session, row.centre_id)
    if "project_ids" in after:
        row.project_ids = await linked_projects(session, row.project_ids)


RD_CENTRE = correctable(RdCentre, "R&D centre", RdCentreCorrected, RdCentreVoided, check=_check)
"""An R&D centre: kind, name, chain (context: the chains), hosting centre, date, projects."""
