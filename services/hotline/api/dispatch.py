"""The district secretary's dispatch (书记项目调度): the hotline's month, read by the district."""

from __future__ import annotations

from typing import Any

from enclave_shared.deps import LeaderDep, MonthDep, SessionDep
from fastapi import APIRouter

from services.hotline.deps import SettingsDep
from services.hotline.handlers import dispatch

router = APIRouter(prefix="/api/v1", tags=["dispatch"])


@router.get("/dispatch")
async def get_dispatch(
    month: MonthDep, session: SessionDep, settings: SettingsDep, _user: LeaderDep
) -> dict[str, Any]:
    """Tickets opened in the month and the year to date: opened, resolved, within the limit
    and escalated, overall and by department (the figures' own), and each month so far."""
    return await dispatch.dispatch(session, settings=settings, month=month)
