"""The intake service's route dependencies: its settings, today, and who may do what."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from enclave_shared.auth import Principal, Role, require
from enclave_shared.deps import ClockDep, RuntimeDep
from fastapi import Depends

from services.intake.config import IntakeSettings, intake_settings
from services.intake.meetings import business_today


def get_settings(runtime: RuntimeDep) -> IntakeSettings:
    """The running service's settings."""
    return intake_settings(runtime.settings)


SettingsDep = Annotated[IntakeSettings, Depends(get_settings)]


def get_today(settings: SettingsDep, clock: ClockDep) -> date:
    """Today at the intake base, from the service clock."""
    return business_today(settings, clock())


TodayDep = Annotated[date, Depends(get_today)]

Officer = Annotated[Principal, Depends(require(Role.ZONE_OFFICER))]
"""Zone officers (and admins) manage cases, meetings, demands and the menu."""

CaseReader = Annotated[Principal, Depends(require(Role.ZONE_OFFICER, Role.ENTERPRISE))]
"""Officers see every case; enterprise users only their own (the handlers filter)."""

MenuReader = Annotated[
    Principal, Depends(require(Role.ZONE_OFFICER, Role.ENCLAVE_OPERATOR, Role.ENTERPRISE))
]
"""The menu is read by the enclave too, and by local enterprises."""

StatsReader = Annotated[Principal, Depends(require(Role.ZONE_OFFICER, Role.ASSESSOR))]
"""The figures are for the zone and for the district's assessors."""
