"""Routes for the R&D centres in Shenzhen (科技研发中心) and their figures."""

from __future__ import annotations

from enclave_shared.catalog.incubation import RdCentreKind
from enclave_shared.corrections import correction_routes
from enclave_shared.deps import DatedListPageDep, SessionDep, TodayDep
from fastapi import APIRouter

from services.incubation.deps import ChainsDep, Operator, Reader
from services.incubation.handlers import rd
from services.incubation.schemas import (
    RdCentreCorrection,
    RdCentreCreate,
    RdCentrePublic,
    RdFigures,
)

router = APIRouter(prefix="/api/v1", tags=["R&D centres"])


@router.post("/rd-centres", status_code=201)
async def register_rd_centre(
    body: RdCentreCreate, session: SessionDep, chains: ChainsDep, today: TodayDep, _user: Operator
) -> RdCentrePublic:
    """Register a local enterprise's R&D centre in Shenzhen or a Shenzhen R&D institution."""
    row = await rd.register(session, data=body, chains=chains, today=today)
    await session.commit()
    return RdCentrePublic.model_validate(row)


@router.get("/rd-centres")
async def list_rd_centres(
    session: SessionDep,
    page: DatedListPageDep,
    _user: Reader,
    kind: RdCentreKind | None = None,
    industry_chain: str | None = None,
    centre_id: str | None = None,
    project_id: str | None = None,
) -> list[RdCentrePublic]:
    """R&D centres, latest first; `from`/`to` on `since`, `project_id` a linked project."""
    found = await rd.list_rd_centres(
        session,
        kind=kind,
        industry_chain=industry_chain,
        centre_id=centre_id,
        project_id=project_id,
        **page.query,
    )
    return page.shaped(RdCentrePublic, found)


@router.get("/rd-centres/figures")
async def rd_figures(session: SessionDep, _user: Reader) -> RdFigures:
    """How many R&D centres stand, and the institutions whose results reached Guangfeng."""
    return await rd.figures(session)


correction_routes(
    router,
    "/rd-centres/{rd_centre_id}",
    rd.RD_CENTRE,
    name="rd_centre",
    body=RdCentreCorrection,
    public=RdCentrePublic,
    user=Operator,
    context=ChainsDep,
    docs=(
        "Correct an R&D centre: kind, name, chain, hosting centre, date, the linked projects.",
        "Void an R&D centre entered by mistake.",
    ),
    reader=Reader,
    read_doc="One R&D centre.",
)
