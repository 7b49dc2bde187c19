"""The district secretary's dispatch (书记项目调度): the enclave's month, read by the district."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from enclave_shared.auth import Principal, Role, require
from enclave_shared.deps import SessionDep
from fastapi import APIRouter, Depends, Query

from services.incubation.deps import SettingsDep
from services.incubation.handlers import dispatch

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
    month: Month, session: SessionDep, settings: SettingsDep, _user: Leader
) -> dict[str, Any]:
    """The month's and the year-to-date figures (the stats' own, with what matured and
    transferred by path) and each month of the year so far."""
    return await dispatch.dispatch(
        session,
        month=date.fromisoformat(f"{month}-01"),
        training_targets=settings.training_targets(),
    )
