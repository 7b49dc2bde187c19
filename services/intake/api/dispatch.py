"""The district secretary's dispatch (书记项目调度): the base's month, read by the district, and
the "three ones" periods behind its figures."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from enclave_shared.catalog.intake import MeetingKind
from enclave_shared.deps import LeaderDep, ListPageDep, MonthDep, SessionDep
from enclave_shared.errors import Invalid
from fastapi import APIRouter, Query

from services.intake.deps import SettingsDep, TodayDep
from services.intake.domain import SlotStatus
from services.intake.handlers import dispatch
from services.intake.schemas import DueMeetingPublic

router = APIRouter(prefix="/api/v1", tags=["dispatch"])


@router.get("/dispatch")
async def get_dispatch(
    month: MonthDep, session: SessionDep, settings: SettingsDep, today: TodayDep, _user: LeaderDep
) -> dict[str, Any]:
    """The month's and the year-to-date figures (the stats' own), the cases red for more
    than 30 days with their responsible body and days red, the "three ones" due, held and
    missed in the period, and each month of the year so far."""
    return await dispatch.dispatch(
        session,
        month=month,
        today=today,
        baseline_days_to_construction=settings.baseline_days_to_construction,
    )


Day = Annotated[date, Query(description="a business date (inclusive)")]


@router.get("/dispatch/meetings")
async def list_meetings_due(
    session: SessionDep,
    today: TodayDep,
    page: ListPageDep,
    _user: LeaderDep,
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
    return page.shaped(DueMeetingPublic, page.window(rows))
