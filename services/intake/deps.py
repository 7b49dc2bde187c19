"""The intake service's route dependencies: its typed runtime, settings, today, and who may
do what."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from enclave_shared.app import Runtime
from enclave_shared.auth import Principal, Role, require
from enclave_shared.deps import get_today, runtime_of
from fastapi import Depends

from services.intake.config import IntakeSettings

IntakeRuntime = Annotated[Runtime[IntakeSettings], Depends(runtime_of(IntakeSettings))]
"""The running service, its settings typed as IntakeSettings."""


async def get_settings(runtime: IntakeRuntime) -> IntakeSettings:
    """The running service's settings."""
    return runtime.settings


SettingsDep = Annotated[IntakeSettings, Depends(get_settings)]

TodayDep = Annotated[date, Depends(get_today)]
"""Today's business date in the platform's time zone (`runtime.today()`)."""

Officer = Annotated[Principal, Depends(require(Role.ZONE_OFFICER))]
"""Zone officers (and admins) manage cases, meetings, demands and the menu."""

CaseReader = Annotated[Principal, Depends(require(Role.ZONE_OFFICER, Role.ENTERPRISE))]
"""Officers see every case; enterprise users only their own (the handlers filter)."""

CaseViewer = Annotated[
    Principal, Depends(require(Role.ZONE_OFFICER, Role.ENTERPRISE, Role.ENCLAVE_OPERATOR))
]
"""Who reads cases themselves (colour, dates, responsible body): officers, an enterprise its
own, and the enclave's operators, who follow what became of the projects they sent."""

MenuReader = Annotated[
    Principal, Depends(require(Role.ZONE_OFFICER, Role.ENCLAVE_OPERATOR, Role.ENTERPRISE))
]
"""The menu is read by the enclave too, and by local enterprises."""

StatsReader = Annotated[Principal, Depends(require(Role.ZONE_OFFICER, Role.ASSESSOR))]
"""The figures are for the zone and for the district's assessors."""

PlatformReader = Annotated[
    Principal, Depends(require(Role.ZONE_OFFICER, Role.ENCLAVE_OPERATOR, Role.ASSESSOR))
]
"""The base's platforms are read by the enclave and the assessors too."""
