"""The district secretary's dispatch (书记项目调度): the enclave's month, read by the district."""

from __future__ import annotations

from typing import Any

from enclave_shared.deps import LeaderDep, MonthDep, SessionDep
from fastapi import APIRouter

from services.incubation.deps import SettingsDep
from services.incubation.handlers import dispatch

router = APIRouter(prefix="/api/v1", tags=["dispatch"])


@router.get("/dispatch")
async def get_dispatch(
    month: MonthDep, session: SessionDep, settings: SettingsDep, _user: LeaderDep
) -> dict[str, Any]:
    """The month's and the year-to-date figures (the stats' own, with what matured and
    transferred by path) and each month of the year so far."""
    return await dispatch.dispatch(
        session,
        month=month,
        training_targets=settings.training_targets(),
    )
