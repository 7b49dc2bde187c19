"""The hotline service (飞地热线): `uvicorn services.hotline.main:create --factory`."""

from __future__ import annotations

from pathlib import Path

from enclave_shared.app import ServiceSpec, serve
from fastapi import FastAPI

from services.hotline import api, consumers, jobs
from services.hotline.config import HotlineSettings
from services.hotline.models import Base

SPEC = ServiceSpec(
    name="hotline",
    title="Enclave hotline (飞地热线)",
    routers=api.ROUTERS,
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    handlers=consumers.HANDLERS,
    jobs=jobs.JOBS,
    settings_class=HotlineSettings,
)


def create() -> FastAPI:
    """The app, for uvicorn's --factory."""
    return serve(SPEC)
