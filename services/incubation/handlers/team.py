"""The enclave's teams (有团队): the advisory group (飞地发展顾问团: who each member is, their
organisation, since when) and the operating team (each member's role, since when, the
centre they work in)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Unpack

from enclave_shared.catalog.incubation import (
    TeamKind,
    TeamMemberAdded,
    TeamMemberCorrected,
    TeamMemberVoided,
)
from enclave_shared.errors import Invalid
from enclave_shared.outbox import OutboxSession

from services.incubation.handlers.corrections import correctable
from services.incubation.handlers.rows import (
    Dated,
    add_with_event,
    dated_page,
    from_body,
    standing_ids,
)
from services.incubation.models import Centre, TeamMember
from services.incubation.schemas import TeamMemberCreate


def check_organisation(team: str, organisation: str | None) -> None:
    """An advisory member is named with the organisation they come from."""
    if team == TeamKind.ADVISORY and not organisation:
        raise Invalid(
            "an advisory group member is named with their organisation: organisation is required",
            field="organisation",
        )


async def standing_centre(session: OutboxSession, centre_id: str | None) -> None:
    """422 naming centre_id when it names no standing centre."""
    if centre_id is not None:
        await standing_ids(session, Centre, [centre_id], field="centre_id", what="centre")


async def add_member(session: OutboxSession, *, data: TeamMemberCreate, today: date) -> TeamMember:
    """A member joins the advisory group or the operating team."""
    check_organisation(data.team, data.organisation)
    await standing_centre(session, data.centre_id)
    row = from_body(TeamMember, data, today, dated="since")
    return add_with_event(session, row, TeamMemberAdded)


async def list_members(
    session: OutboxSession,
    *,
    team: TeamKind | None = None,
    centre_id: str | None = None,
    **dated: Unpack[Dated],
) -> tuple[Sequence[TeamMember], int]:
    """Team members, latest joined first; `from`/`to` on the date they joined."""
    return await dated_page(
        session,
        TeamMember,
        TeamMember.since,
        team=team,
        centre_id=centre_id,
        **dated,
    )


async def _check(session: OutboxSession, row: TeamMember, after: dict[str, Any], _: Any) -> None:
    check_organisation(row.team, row.organisation)
    if "centre_id" in after:
        await standing_centre(session, row.centre_id)


TEAM_MEMBER = correctable(
    TeamMember, "team member", TeamMemberCorrected, TeamMemberVoided, check=_check
)
"""A team member: team, name, role, organisation (an advisory member keeps one), centre."""
