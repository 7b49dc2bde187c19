"""The hotline's route dependencies: its settings, and who may do what."""

from __future__ import annotations

from typing import Annotated

from enclave_shared.auth import Principal, Role, require
from enclave_shared.deps import RuntimeDep
from fastapi import Depends

from services.hotline.config import HotlineSettings, settings_of


def hotline_settings(runtime: RuntimeDep) -> HotlineSettings:
    """The running service's settings, as the hotline's own class."""
    return settings_of(runtime)


SettingsDep = Annotated[HotlineSettings, Depends(hotline_settings)]

Caller = Annotated[Principal, Depends(require(Role.ENTERPRISE, Role.HOTLINE_AGENT))]
"""Enterprises (their own tickets) and agents."""

Agent = Annotated[Principal, Depends(require(Role.HOTLINE_AGENT))]

Admin = Annotated[Principal, Depends(require())]
