"""Routes for 一轴: the party organisations built on the new-village-sage bodies, and the
sages with their ties to the enclave."""

from __future__ import annotations

from typing import Annotated

from enclave_shared.catalog.incubation import PartyFormation, SageTie
from enclave_shared.corrections import correction_routes
from enclave_shared.deps import DatedListPageDep, SessionDep, TodayDep
from fastapi import APIRouter, Query

from services.incubation.deps import Operator, Reader
from services.incubation.handlers import party
from services.incubation.models import NAME
from services.incubation.schemas import (
    PartyOrgCorrection,
    PartyOrgCreate,
    PartyOrgPublic,
    SageCorrection,
    SageCreate,
    SagePublic,
)

router = APIRouter(prefix="/api/v1", tags=["party building"])

BodyQuery = Annotated[
    str | None, Query(max_length=NAME, description="the new-village-sage body, exactly")
]


@router.post("/party-orgs", status_code=201)
async def form_party_org(
    body: PartyOrgCreate, session: SessionDep, today: TodayDep, _user: Operator
) -> PartyOrgPublic:
    """Record a party organisation built on a new-village-sage body."""
    row = await party.form_org(session, data=body, today=today)
    await session.commit()
    return PartyOrgPublic.model_validate(row)


@router.get("/party-orgs")
async def list_party_orgs(
    session: SessionDep,
    page: DatedListPageDep,
    _user: Reader,
    formation: PartyFormation | None = None,
    body: BodyQuery = None,
) -> list[PartyOrgPublic]:
    """Party organisations, latest formed first; `from`/`to` on the date formed."""
    found = await party.list_orgs(session, formation=formation, body=body, **page.query)
    return page.shaped(PartyOrgPublic, found)


correction_routes(
    router,
    "/party-orgs/{party_org_id}",
    party.PARTY_ORG,
    name="party_org",
    body=PartyOrgCorrection,
    public=PartyOrgPublic,
    user=Operator,
    docs=(
        "Correct a party organisation (a standalone one keeps 3 members or more).",
        "Void a party organisation entered by mistake.",
    ),
    reader=Reader,
    read_doc="One party organisation.",
)


@router.post("/sages", status_code=201)
async def add_sage(
    body: SageCreate, session: SessionDep, today: TodayDep, _user: Operator
) -> SagePublic:
    """Record a new village sage and their tie to the enclave."""
    row = await party.add_sage(session, data=body, today=today)
    await session.commit()
    return SagePublic.model_validate(row)


@router.get("/sages")
async def list_sages(
    session: SessionDep,
    page: DatedListPageDep,
    _user: Reader,
    tie: SageTie | None = None,
    body: BodyQuery = None,
) -> list[SagePublic]:
    """Sages, latest joined first; `from`/`to` on the date they joined."""
    found = await party.list_sages(session, tie=tie, body=body, **page.query)
    return page.shaped(SagePublic, found)


correction_routes(
    router,
    "/sages/{sage_id}",
    party.SAGE,
    name="sage",
    body=SageCorrection,
    public=SagePublic,
    user=Operator,
    docs=("Correct a sage: name, body, tie, date.", "Void a sage entered by mistake."),
    reader=Reader,
    read_doc="One sage.",
)
