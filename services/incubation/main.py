"""The incubation service (Shenzhen enclave): uvicorn runs `services.incubation.main:create`."""

from __future__ import annotations

from pathlib import Path

from enclave_shared.app import ServiceSpec, serve
from enclave_shared.auth import Site
from fastapi import FastAPI

from services.incubation import consumers
from services.incubation.api import ROUTERS
from services.incubation.config import IncubationSettings
from services.incubation.models import Base

SPEC = ServiceSpec(
    name="incubation",
    title="Talent enclave — incubation (Shenzhen)",
    routers=ROUTERS,
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    handlers=consumers.HANDLERS,
    settings_class=IncubationSettings,
    sites=frozenset({Site.SHENZHEN}),
)


def create() -> FastAPI:
    """The app, for uvicorn's --factory."""
    return serve(SPEC)
