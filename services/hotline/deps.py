"""The hotline's route dependencies: its typed runtime and settings, and who may do what."""

from __future__ import annotations

from typing import Annotated

from enclave_shared.app import Runtime
from enclave_shared.auth import Principal, Role, require
from enclave_shared.deps import runtime_of
from fastapi import Depends

from services.hotline.config import HotlineSettings

HotlineRuntime = Annotated[Runtime[HotlineSettings], Depends(runtime_of(HotlineSettings))]


async def hotline_settings(runtime: HotlineRuntime) -> HotlineSettings:
    """The running service's settings (the frame builds them of the hotline's class)."""
    return runtime.settings


SettingsDep = Annotated[HotlineSettings, Depends(hotline_settings)]

Caller = Annotated[Principal, Depends(require(Role.ENTERPRISE, Role.HOTLINE_AGENT))]
"""Enterprises (their own tickets) and agents."""

Reader = Annotated[
    Principal, Depends(require(Role.ENTERPRISE, Role.HOTLINE_AGENT, Role.ZONE_OFFICER))
]
"""Who reads tickets: agents all, an enterprise its own, zone officers those about a case."""

Agent = Annotated[Principal, Depends(require(Role.HOTLINE_AGENT))]

Admin = Annotated[Principal, Depends(require())]
