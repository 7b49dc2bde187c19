"""Routes for the enclave's teams (有团队): the advisory group and the operating team."""

from __future__ import annotations

from enclave_shared.catalog.incubation import TeamKind
from enclave_shared.corrections import correction_routes
from enclave_shared.deps import DatedListPageDep, SessionDep, TodayDep
from fastapi import APIRouter

from services.incubation.deps import Operator, Reader
from services.incubation.handlers import team as members
from services.incubation.schemas import TeamMemberCorrection, TeamMemberCreate, TeamMemberPublic

router = APIRouter(prefix="/api/v1", tags=["team"])


@router.post("/team-members", status_code=201)
async def add_team_member(
    body: TeamMemberCreate, session: SessionDep, today: TodayDep, _user: Operator
) -> TeamMemberPublic:
    """Add a member to the advisory group (with their organisation) or the operating team."""
    row = await members.add_member(session, data=body, today=today)
    await session.commit()
    return TeamMemberPublic.model_validate(row)


@router.get("/team-members")
async def list_team_members(
    session: SessionDep,
    page: DatedListPageDep,
    _user: Reader,
    team: TeamKind | None = None,
    centre_id: str | None = None,
) -> list[TeamMemberPublic]:
    """Team members, latest joined first; `from`/`to` on the date they joined."""
    found = await members.list_members(session, team=team, centre_id=centre_id, **page.query)
    return page.shaped(TeamMemberPublic, found)


correction_routes(
    router,
    "/team-members/{member_id}",
    members.TEAM_MEMBER,
    name="team_member",
    body=TeamMemberCorrection,
    public=TeamMemberPublic,
    user=Operator,
    docs=("Correct a team member.", "Void a team member entered by mistake."),
    reader=Reader,
    read_doc="One team member.",
)
