"""The district secretary's dispatch (书记项目调度): the base's month, read by the district, and
the "three ones" periods behind its figures."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from enclave_shared.auth import Principal, Role, require
from enclave_shared.catalog.intake import MeetingKind
from enclave_shared.deps import PageDep, SessionDep, set_total
from enclave_shared.errors import Invalid
from fastapi import APIRouter, Depends, Query, Response

from services.intake.deps import SettingsDep, TodayDep
from services.intake.domain import SlotStatus
from services.intake.handlers import dispatch
from services.intake.schemas import DueMeetingPublic

router = APIRouter(prefix="/api/v1", tags=["dispatch"])

Leader = Annotated[Principal, Depends(require(Role.DISTRICT_LEADER))]
"""The dispatch is the district leader's (and an admin's)."""

Month = Annotated[
    str,
    Query(
        pattern=r"^(20\d\d|2100)-(0[1-9]|1[0-2])$", description="the month, YYYY-MM (2000 to 2100)"
    ),
]


@router.get("/dispatch")
async def get_dispatch(
    month: Month, session: SessionDep, settings: SettingsDep, today: TodayDep, _user: Leader
) -> dict[str, Any]:
    """The month's and the year-to-date figures (the stats' own), the cases red for more
    than 30 days with their responsible body and days red, the "three ones" due, held and
    missed in the period, and each month of the year so far."""
    return await dispatch.dispatch(
        session,
        month=date.fromisoformat(f"{month}-01"),
        today=today,
        baseline_days_to_construction=settings.baseline_days_to_construction,
    )


Day = Annotated[date, Query(description="a business date (inclusive)")]


@router.get("/dispatch/meetings")
async def list_meetings_due(
    session: SessionDep,
    today: TodayDep,
    page: PageDep,
    response: Response,
    _user: Leader,
    from_: Annotated[date, Query(alias="from", description="first due date (inclusive)")],
    to: Day,
    kind: MeetingKind | None = None,
    status: SlotStatus | None = None,
) -> list[DueMeetingPublic]:
    """The "three ones" periods falling due in [from, to] that the dispatch counts: each
    held, open or missed (`overdue`) as of today, by due date; `kind`, `status` filter."""
    if from_ > to:
        raise Invalid(f"from ({from_}) is after to ({to})", field="from")
    rows = await dispatch.meetings_due(
        session, start=from_, end=to, today=today, kind=kind, status=status
    )
    set_total(response, len(rows))
    return [
        DueMeetingPublic.model_validate(r) for r in rows[page.offset : page.offset + page.limit]
    ]
