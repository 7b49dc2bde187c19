"""The incubation routes' dependencies: the typed runtime and settings, the roles and a
stage date's bound (the list pages and the `from`/`to` range are enclave_shared.deps's)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from enclave_shared.app import Runtime
from enclave_shared.auth import Principal, Role, require
from enclave_shared.deps import runtime_of
from fastapi import Depends, Query

from services.incubation.config import IncubationSettings

IncubationRuntime = Annotated[Runtime[IncubationSettings], Depends(runtime_of(IncubationSettings))]


async def get_settings(runtime: IncubationRuntime) -> IncubationSettings:
    """The service's settings: chains and 531 targets on top of the platform's."""
    return runtime.settings


SettingsDep = Annotated[IncubationSettings, Depends(get_settings)]


async def get_chains(settings: SettingsDep) -> list[str]:
    """The configured industry chains, which a record's chain must be one of."""
    return settings.industry_chains


ChainsDep = Annotated[list[str], Depends(get_chains)]

Operator = Annotated[Principal, Depends(require(Role.ENCLAVE_OPERATOR))]
# Zone officers read projects and the backlog too: the intake base receives them.
ProjectReader = Annotated[
    Principal, Depends(require(Role.ENCLAVE_OPERATOR, Role.ASSESSOR, Role.ZONE_OFFICER))
]
Reader = Annotated[Principal, Depends(require(Role.ENCLAVE_OPERATOR, Role.ASSESSOR))]

# A bound (inclusive) of the business date a project reached a stage (matured, transferred).
Reached = Annotated[
    date | None, Query(description="a business date bounding when the project reached a stage")
]
