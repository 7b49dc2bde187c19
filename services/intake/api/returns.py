"""Routes of the "five returns" (五回) of each case and their sum for the district."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from enclave_shared.catalog.intake import ReturnKind
from enclave_shared.corrections import correction_routes
from enclave_shared.deps import SessionDep, StandingListPageDep
from enclave_shared.errors import Invalid
from fastapi import APIRouter, Query

from services.intake.deps import CaseReader, Officer, StatsReader
from services.intake.handlers import returns
from services.intake.schemas import ReturnCorrection, ReturnCreate, ReturnPublic, ReturnsSummary

router = APIRouter(prefix="/api/v1", tags=["five returns"])

From = Annotated[date | None, Query(alias="from")]


def _period(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise Invalid("`from` must not be after `to`", field="from")


@router.post("/cases/{case_id}/returns", status_code=201)
async def record_return(
    case_id: str, body: ReturnCreate, session: SessionDep, _user: Officer
) -> ReturnPublic:
    """Enter one of the case's five returns with its ledger."""
    entry = await returns.record_return(
        session,
        case_id=case_id,
        kind=body.kind,
        count=body.count,
        amount=body.amount,
        description=body.description,
        happened_on=body.happened_on,
    )
    await session.commit()
    return ReturnPublic.model_validate(entry)


@router.get("/five-returns")
async def list_returns(
    session: SessionDep,
    user: CaseReader,
    page: StandingListPageDep,
    case_id: Annotated[str | None, Query(max_length=40)] = None,
    kind: ReturnKind | None = None,
    from_: From = None,
    to: date | None = None,
) -> list[ReturnPublic]:
    """Five-returns entries by date, filtered; an enterprise user gets its own cases' only."""
    _period(from_, to)
    found = await returns.get_all_returns(
        session, user=user, case_id=case_id, kind=kind, start=from_, end=to, **page.query
    )
    return page.shaped(ReturnPublic, found)


@router.get("/five-returns/summary")
async def district_summary(
    session: SessionDep, _user: StatsReader, from_: From = None, to: date | None = None
) -> ReturnsSummary:
    """The five returns summed for the district over [from, to] (default: all)."""
    _period(from_, to)
    return await returns.district_sums(session, start=from_, end=to)


@router.get("/five-returns/{return_id}")
async def get_return(return_id: str, session: SessionDep, user: CaseReader) -> ReturnPublic:
    """One five-returns entry."""
    return ReturnPublic.model_validate(
        await returns.get_return(session, return_id=return_id, user=user)
    )


correction_routes(
    router,
    "/five-returns/{return_id}",
    returns.RETURN,
    name="case_return",
    body=ReturnCorrection,
    public=ReturnPublic,
    user=Officer,
    docs=("Correct a five-returns entry (with a reason).", "Void an entry made by mistake."),
)
