"""The intake service (Shangrao high-tech zone intake base, 成果承接基地): wiring only."""

from __future__ import annotations

from pathlib import Path

from enclave_shared.app import ServiceSpec, serve
from enclave_shared.auth import Site
from fastapi import FastAPI

from services.intake import consumers, jobs
from services.intake.api import ROUTERS
from services.intake.config import IntakeSettings
from services.intake.models import Base

SPEC = ServiceSpec(
    name="intake",
    title="Intake base (成果承接基地)",
    routers=ROUTERS,
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    handlers=consumers.HANDLERS,
    jobs=jobs.JOBS,
    settings_class=IntakeSettings,
    sites=frozenset({Site.SHANGRAO}),
)


def create() -> FastAPI:
    """The app uvicorn runs: `uvicorn services.intake.main:create --factory`."""
    return serve(SPEC)
