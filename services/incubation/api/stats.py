"""Routes for the enclave's figures and its configured industry chains."""

from __future__ import annotations

from enclave_shared.auth import CurrentUser
from enclave_shared.deps import SessionDep
from fastapi import APIRouter

from services.incubation.deps import From, SettingsDep, To
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


@router.get("/industry-chains")
async def industry_chains(settings: SettingsDep, _user: CurrentUser) -> list[str]:
    """The configured industry chains (七大产业链) projects are filed under."""
    return list(settings.industry_chains)
