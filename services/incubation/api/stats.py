"""Routes for the enclave's figures and its configured industry chains."""

from __future__ import annotations

from enclave_shared.auth import CurrentUser
from enclave_shared.deps import From, SessionDep, To, TodayDep
from fastapi import APIRouter

from services.incubation.deps import SettingsDep
from services.incubation.handlers import stats

router = APIRouter(prefix="/api/v1", tags=["stats"])


@router.get("/stats")
async def get_stats(
    session: SessionDep,
    settings: SettingsDep,
    _user: CurrentUser,
    date_from: From = None,
    date_to: To = None,
) -> dict[str, object]:
    """The enclave's figures, each record counted on its business date within [from, to]."""
    return await stats.figures(
        session,
        date_from=date_from,
        date_to=date_to,
        training_targets=settings.training_targets(),
    )


@router.get("/stats/year-over-year")
async def get_year_over_year(
    session: SessionDep,
    settings: SettingsDep,
    today: TodayDep,
    _user: CurrentUser,
    date_from: From = None,
    date_to: To = None,
) -> dict[str, object]:
    """The figures of [from, to] beside those of the same period a year earlier, with the
    ratio (null when last year's figure is 0); `to` defaults to today, `from` to 1 January
    of `to`'s year."""
    date_to = date_to or today
    return await stats.year_over_year(
        session,
        date_from=date_from or date_to.replace(month=1, day=1),
        date_to=date_to,
        training_targets=settings.training_targets(),
    )


@router.get("/industry-chains")
async def industry_chains(settings: SettingsDep, _user: CurrentUser) -> list[str]:
    """The configured industry chains (七大产业链) projects are filed under."""
    return list(settings.industry_chains)
