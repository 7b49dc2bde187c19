"""The "five returns" (五回) of each case, entered with its ledger: talents returned,
information, capital invested (万元), enterprises relocated and technology; summed per case
and for the district."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from enclave_shared.auth import Principal
from enclave_shared.catalog.intake import (
    CaseReturnCorrected,
    CaseReturnRecorded,
    CaseReturnVoided,
    ReturnKind,
)
from enclave_shared.corrections import Correctable, ensure_standing, standing
from enclave_shared.deps import PageParams, paged
from enclave_shared.errors import Invalid
from enclave_shared.outbox import OutboxSession
from enclave_shared.queries import found, where_given
from sqlalchemy import ColumnElement, func, select

from services.intake.domain import new_id
from services.intake.handlers.cases import get_case, own_only
from services.intake.handlers.rows import entered
from services.intake.models import CaseReturn, IntakeCase
from services.intake.schemas import ReturnsSummary

SUMMED: dict[ReturnKind, str] = {
    ReturnKind.TALENT: "talents",
    ReturnKind.INFORMATION: "information",
    ReturnKind.ENTERPRISE: "enterprises",
    ReturnKind.TECHNOLOGY: "technologies",
}
"""The counted returns and their figure in a summary; capital is summed in 万元."""


async def record_return(
    session: OutboxSession,
    *,
    case_id: str,
    kind: ReturnKind,
    count: int | None,
    amount: Decimal | None,
    description: str,
    happened_on: date,
) -> CaseReturn:
    """Enter one of a case's five returns with its ledger."""
    case = await get_case(session, case_id=case_id)
    ensure_standing(case, "case")
    entry = CaseReturn(
        id=new_id("ret"),
        case_id=case.id,
        kind=kind.value,
        count=count,
        amount=amount,
        description=description,
        happened_on=happened_on,
    )
    _check_entry(entry, case)
    return await entered(session, entry, CaseReturnRecorded)


def _check_entry(entry: CaseReturn, case: IntakeCase) -> None:
    # Capital is an amount in 万元; the other four are counted.
    if entry.kind == ReturnKind.CAPITAL.value:
        if entry.amount is None:
            raise Invalid("capital invested is entered as an amount (万元)", field="amount")
        if entry.count is not None:
            raise Invalid("capital invested has an amount, not a count", field="count")
    else:
        if entry.count is None:
            raise Invalid(f"a {entry.kind} return is entered as a count", field="count")
        if entry.amount is not None:
            raise Invalid("only capital invested has an amount", field="amount")
    if entry.happened_on < case.opened_on:
        raise Invalid(
            f"happened_on {entry.happened_on} is before the case opened ({case.opened_on})",
            field="happened_on",
        )


async def get_return(session: OutboxSession, *, return_id: str, user: Principal) -> CaseReturn:
    """A return the caller may see (an enterprise user: of its own case; others are 404)."""
    entry = await _load_return(session, return_id)
    await get_case(session, case_id=entry.case_id, user=user)
    return entry


def _filters(
    *,
    user: Principal | None,
    case_id: str | None,
    kind: ReturnKind | None,
    start: date | None,
    end: date | None,
) -> list[ColumnElement[bool]]:
    conditions = [
        *standing(IntakeCase),
        *own_only(user, IntakeCase.enterprise_account),
        *where_given((CaseReturn.case_id, case_id), (CaseReturn.kind, kind)),
    ]
    if start is not None:
        conditions.append(CaseReturn.happened_on >= start)
    if end is not None:
        conditions.append(CaseReturn.happened_on <= end)
    return conditions


async def get_all_returns(
    session: OutboxSession,
    *,
    user: Principal,
    case_id: str | None = None,
    kind: ReturnKind | None = None,
    start: date | None = None,
    end: date | None = None,
    include_void: bool = False,
    page: PageParams | None = None,
) -> tuple[Sequence[CaseReturn], int]:
    """Returns the caller may see, by date (an enterprise user: of its own cases only)."""
    stmt = (
        select(CaseReturn)
        .join(IntakeCase, IntakeCase.id == CaseReturn.case_id)
        .where(
            *standing(CaseReturn, include_void),
            *_filters(user=user, case_id=case_id, kind=kind, start=start, end=end),
        )
        .order_by(CaseReturn.happened_on, CaseReturn.created_at, CaseReturn.id)
    )
    return await paged(session, stmt, page)


async def sums_by_case(
    session: OutboxSession,
    *,
    case_ids: Iterable[str] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> dict[str, ReturnsSummary]:
    """The five returns summed per case (standing entries of standing cases)."""
    conditions = _filters(user=None, case_id=None, kind=None, start=start, end=end)
    if case_ids is not None:
        conditions.append(CaseReturn.case_id.in_(list(case_ids)))
    rows = await session.execute(
        select(
            CaseReturn.case_id,
            CaseReturn.kind,
            func.coalesce(func.sum(CaseReturn.count), 0),
            func.coalesce(func.sum(CaseReturn.amount), 0),
        )
        .join(IntakeCase, IntakeCase.id == CaseReturn.case_id)
        .where(*standing(CaseReturn), *conditions)
        .group_by(CaseReturn.case_id, CaseReturn.kind)
    )
    sums: dict[str, dict[str, Any]] = {}
    for case_id, kind, count, amount in rows:
        figures = sums.setdefault(case_id, {"cases": 1})
        if kind == ReturnKind.CAPITAL.value:
            figures["capital"] = Decimal(amount or 0)
        else:
            figures[SUMMED[ReturnKind(kind)]] = int(count or 0)
    return {case_id: ReturnsSummary(**figures) for case_id, figures in sums.items()}


async def district_sums(
    session: OutboxSession, *, start: date | None = None, end: date | None = None
) -> ReturnsSummary:
    """The five returns summed for the district over [start, end]."""
    total: dict[str, Any] = ReturnsSummary().model_dump()
    for summary in (await sums_by_case(session, start=start, end=end)).values():
        for name, value in summary.model_dump().items():
            total[name] += value
    return ReturnsSummary(**total)


async def _load_return(session: OutboxSession, return_id: str) -> CaseReturn:
    return found(
        await session.get(CaseReturn, return_id), "five-returns entry", return_id, field="return_id"
    )


async def _check_return(
    session: OutboxSession, entry: CaseReturn, after: dict[str, Any], _context: Any
) -> None:
    _check_entry(entry, await get_case(session, case_id=entry.case_id))


RETURN = Correctable(
    what="five-returns entry",
    corrected=CaseReturnCorrected,
    voided=CaseReturnVoided,
    load=_load_return,
    check=_check_return,
)
"""A five-returns entry: capital an amount, the others a count, not before the case opened."""
