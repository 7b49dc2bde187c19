"""Routes for the enclave's places (有场所): the three centres and the projects they host."""

from __future__ import annotations

from enclave_shared.catalog.incubation import CentreKind
from enclave_shared.corrections import correction_routes
from enclave_shared.deps import SessionDep, StandingListPageDep, TodayDep
from fastapi import APIRouter

from services.incubation.deps import Operator, Reader
from services.incubation.handlers import centres
from services.incubation.schemas import (
    CentreCorrection,
    CentreCreate,
    CentrePublic,
    HostingCorrection,
    HostingCreate,
    HostingPublic,
)

router = APIRouter(prefix="/api/v1", tags=["centres"])


@router.post("/centres", status_code=201)
async def open_centre(
    body: CentreCreate, session: SessionDep, today: TodayDep, _user: Operator
) -> CentrePublic:
    """Open one of the three centres (409 naming kind if one of its kind stands)."""
    row = await centres.open_centre(session, data=body, today=today)
    await session.commit()
    return CentrePublic.model_validate(row)


@router.get("/centres")
async def list_centres(
    session: SessionDep,
    page: StandingListPageDep,
    _user: Reader,
    kind: CentreKind | None = None,
) -> list[CentrePublic]:
    """The centres, latest opened first."""
    found = await centres.list_centres(session, kind=kind, **page.query)
    return page.shaped(CentrePublic, found)


correction_routes(
    router,
    "/centres/{centre_id}",
    centres.CENTRE,
    name="centre",
    body=CentreCorrection,
    public=CentrePublic,
    user=Operator,
    docs=(
        "Correct a centre's kind, name, address, area or opening date.",
        "Void a centre entered by mistake (409 while it hosts a project or a team member).",
    ),
    reader=Reader,
    read_doc="One centre.",
)


@router.post("/hostings", status_code=201)
async def host_project(
    body: HostingCreate, session: SessionDep, today: TodayDep, _user: Operator
) -> HostingPublic:
    """A centre hosts a project (409 naming project_id if another centre hosts it)."""
    row = await centres.host_project(session, data=body, today=today)
    await session.commit()
    return HostingPublic.model_validate(row)


@router.get("/hostings")
async def list_hostings(
    session: SessionDep,
    page: StandingListPageDep,
    _user: Reader,
    centre_id: str | None = None,
    project_id: str | None = None,
) -> list[HostingPublic]:
    """The projects the centres host, latest first."""
    found = await centres.list_hostings(
        session, centre_id=centre_id, project_id=project_id, **page.query
    )
    return page.shaped(HostingPublic, found)


correction_routes(
    router,
    "/hostings/{hosting_id}",
    centres.HOSTING,
    name="hosting",
    body=HostingCorrection,
    public=HostingPublic,
    user=Operator,
    docs=("Move a hosted project to another centre, or correct since when.", "Void a hosting."),
    reader=Reader,
    read_doc="One project's hosting.",
)
