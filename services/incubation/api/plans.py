"""Routes for the enclave's work plans (有计划): plan items, months closed with their
results, and their corrections and voids."""

from __future__ import annotations

from typing import Annotated

from enclave_shared.catalog.incubation import PlanItemStatus
from enclave_shared.corrections import correction_routes
from enclave_shared.deps import SessionDep, StandingListPageDep, TodayDep
from fastapi import APIRouter, Query

from services.incubation.deps import Operator, Reader
from services.incubation.handlers import plans
from services.incubation.schemas import (
    PlanItemCorrection,
    PlanItemCreate,
    PlanItemPublic,
    PlanMonthCorrection,
    PlanMonthCreate,
    PlanMonthPublic,
)

router = APIRouter(prefix="/api/v1", tags=["plans"])

MonthQuery = Annotated[
    str | None, Query(pattern=r"^[1-9]\d{3}-(0[1-9]|1[0-2])$", description="YYYY-MM")
]


@router.post("/plan-items", status_code=201)
async def add_plan_item(
    body: PlanItemCreate, session: SessionDep, _user: Operator
) -> PlanItemPublic:
    """Put an item in a month's work plan (refused once that month is closed)."""
    row = await plans.add_item(session, data=body)
    await session.commit()
    return PlanItemPublic.model_validate(row)


@router.get("/plan-items")
async def list_plan_items(
    session: SessionDep,
    page: StandingListPageDep,
    _user: Reader,
    due_month: MonthQuery = None,
    month_from: MonthQuery = None,
    month_to: MonthQuery = None,
    status: PlanItemStatus | None = None,
    owner: str | None = None,
) -> list[PlanItemPublic]:
    """Plan items, latest month first."""
    found = await plans.list_items(
        session,
        due_month=due_month,
        month_from=month_from,
        month_to=month_to,
        status=status,
        owner=owner,
        **page.query,
    )
    return page.shaped(PlanItemPublic, found)


correction_routes(
    router,
    "/plan-items/{item_id}",
    plans.PLAN_ITEM,
    name="plan_item",
    body=PlanItemCorrection,
    public=PlanItemPublic,
    user=Operator,
    docs=(
        "Correct a plan item: mark it done (with done_on), late or dropped, or fix its fields.",
        "Void a plan item entered by mistake.",
    ),
    reader=Reader,
    read_doc="One plan item.",
)


@router.post("/plan-months", status_code=201)
async def close_plan_month(
    body: PlanMonthCreate, session: SessionDep, today: TodayDep, _user: Operator
) -> PlanMonthPublic:
    """Close a month's work plan with its results (409 naming the items still planned)."""
    row = await plans.close_month(session, data=body, today=today)
    await session.commit()
    return PlanMonthPublic.model_validate(row)


@router.get("/plan-months")
async def list_plan_months(
    session: SessionDep,
    page: StandingListPageDep,
    _user: Reader,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[PlanMonthPublic]:
    """Closed months, latest first."""
    found = await plans.list_months(session, year=year, **page.query)
    return page.shaped(PlanMonthPublic, found)


correction_routes(
    router,
    "/plan-months/{closing_id}",
    plans.PLAN_MONTH,
    name="plan_month",
    body=PlanMonthCorrection,
    public=PlanMonthPublic,
    user=Operator,
    docs=(
        "Correct a closed month's results.",
        "Void a month's closing entered by mistake (the month is open again).",
    ),
    reader=Reader,
    read_doc="One closed month.",
)
