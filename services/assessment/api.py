"""Routes of the assessment service: parse, authorise, call a handler, commit, answer."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Annotated

from enclave_shared.deps import ClockDep, ListPageDep, SessionDep
from fastapi import APIRouter, Path, Query

from services.assessment import handlers
from services.assessment.deps import AssessmentRuntime, Assessor
from services.assessment.domain.indicators import INDICATORS
from services.assessment.domain.scheme import Scheme
from services.assessment.schemas import (
    API,
    AssessmentPublic,
    FactPublic,
    IndicatorPublic,
    ManualEntryCreate,
    ManualEntryPublic,
    PublicationPublic,
    SchemePublic,
)

router = APIRouter(prefix=API, tags=["assessment"])
Year = Annotated[int, Path(ge=2000, le=2100, description="the assessment year")]
AsOf = Annotated[
    str | None,
    Query(
        pattern=r"^(20\d\d|2100)-(0[1-9]|1[0-2])$",
        description="YYYY-MM: the score as of that month's end (its facts dated up to then)",
    ),
]


def month_end(month: str | None) -> date | None:
    """The last day of a YYYY-MM month (already checked by the query's pattern)."""
    if month is None:
        return None
    first = date.fromisoformat(f"{month}-01")
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


@router.get("/indicators")
async def list_indicators(_user: Assessor) -> list[IndicatorPublic]:
    """The registry of indicator keys a scheme may use (event-derived and manual)."""
    return [IndicatorPublic.model_validate(i) for i in INDICATORS.values()]


@router.put("/schemes/{year}")
async def put_scheme(
    year: Year, body: Scheme, session: SessionDep, clock: ClockDep, user: Assessor
) -> SchemePublic:
    """Store the year's scheme as its next version; 409 once the year is published."""
    result = await handlers.put_scheme(session, year=year, scheme=body, by=user.sub, now=clock())
    await session.commit()
    return result


@router.get("/schemes/{year}")
async def get_scheme(
    year: Year,
    session: SessionDep,
    _user: Assessor,
    # Bounded to the column's 32-bit integer: a larger one is a 422, not a driver overflow.
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> SchemePublic:
    """The year's newest scheme (or `?version=n`)."""
    return await handlers.get_scheme(session, year=year, version=version)


@router.get("/schemes/{year}/versions")
async def list_scheme_versions(
    year: Year, session: SessionDep, _user: Assessor
) -> list[SchemePublic]:
    """Every version of the year's scheme, oldest first."""
    return await handlers.list_scheme_versions(session, year=year)


@router.put("/assessments/{year}/manual/{indicator}")
async def enter_manual(
    year: Year,
    indicator: str,
    body: ManualEntryCreate,
    session: SessionDep,
    clock: ClockDep,
    user: Assessor,
) -> ManualEntryPublic:
    """Enter a manual indicator's value with its evidence; 409 once the year is published."""
    result = await handlers.enter_manual(
        session,
        year=year,
        indicator=indicator,
        value=body.value,
        evidence=body.evidence,
        by=user.sub,
        now=clock(),
    )
    await session.commit()
    return result


@router.get("/assessments/{year}/manual")
async def list_manual(year: Year, session: SessionDep, _user: Assessor) -> list[ManualEntryPublic]:
    """Every manual entry of the year, oldest first; the newest per indicator is in force."""
    return await handlers.list_manual(session, year=year)


@router.get("/assessments/{year}")
async def get_assessment(
    year: Year, session: SessionDep, _user: Assessor, as_of: AsOf = None
) -> AssessmentPublic:
    """The year's scores and funds: the published result, or a live preview before that;
    `as_of=YYYY-MM` scores the facts dated up to that month's end."""
    return await handlers.get_assessment(session, year=year, as_of=month_end(as_of))


@router.get("/assessments/{year}/facts")
async def list_facts(
    year: Year,
    session: SessionDep,
    _user: Assessor,
    page: ListPageDep,
    indicator: str | None = None,
    to: Annotated[date | None, Query(description="dated on or before")] = None,
) -> list[FactPublic]:
    """The counted facts behind the year's event-derived indicators, with their event ids."""
    found = await handlers.list_facts(
        session, year=year, indicator=indicator, page=page.params, until=to
    )
    return page.shaped(FactPublic, found)


@router.post("/assessments/{year}/publication")
async def publish(
    year: Year, session: SessionDep, runtime: AssessmentRuntime, user: Assessor
) -> PublicationPublic:
    """Publish the year: freeze its scheme and scores, allocate funds, send the event."""
    result, event_id = await handlers.publish(
        session, year=year, by=user.sub, now=runtime.clock(), time_zone=runtime.settings.time_zone
    )
    await session.commit()
    return PublicationPublic(event_id=event_id, assessment=result)


ROUTERS = [router]
