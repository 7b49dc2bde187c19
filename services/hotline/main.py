"""The hotline service (飞地热线): `uvicorn services.hotline.main:create --factory`."""

from __future__ import annotations

from pathlib import Path

from enclave_shared.app import PeriodicJob, ServiceSpec, create_app
from enclave_shared.logs import configure_logging
from fastapi import FastAPI

from services.hotline import api, moves_api, open311
from services.hotline.config import HotlineSettings
from services.hotline.intake_events import HANDLERS
from services.hotline.models import Base
from services.hotline.supervision import sweep

SWEEP_EVERY_S = 60.0

SPEC = ServiceSpec(
    name="hotline",
    title="Enclave hotline (飞地热线)",
    routers=[api.router, moves_api.router, open311.router],
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    handlers=HANDLERS,
    jobs=[PeriodicJob("hotline-sla-sweep", SWEEP_EVERY_S, sweep)],
    settings_class=HotlineSettings,
)


def create() -> FastAPI:
    """The app, for uvicorn's --factory."""
    settings = HotlineSettings(service=SPEC.name)
    configure_logging(SPEC.name, settings.log_level)
    return create_app(SPEC, settings)
