"""The intake service (Shangrao high-tech zone intake base, 成果承接基地)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from enclave_shared.app import PeriodicJob, Runtime, ServiceSpec, create_app
from enclave_shared.logs import configure_logging
from fastapi import FastAPI

from services.intake import api, demands, handlers, meetings_api, zone_api
from services.intake.config import IntakeSettings
from services.intake.meetings import check_meetings
from services.intake.models import Base

# The frame fixes job intervals in the spec, before settings are read; a missed meeting is
# a matter of days, so a quarter-hour sweep is plenty.
CHECK_MEETINGS_EVERY_S = 900.0


async def _check_meetings(runtime: Runtime[Any]) -> None:
    await check_meetings(runtime)


SPEC = ServiceSpec(
    name="intake",
    title="Intake base (成果承接基地)",
    routers=[api.router, meetings_api.router, zone_api.router, zone_api.public],
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    handlers=handlers.HANDLERS | demands.HANDLERS,
    jobs=[PeriodicJob("three-ones-missed-meetings", CHECK_MEETINGS_EVERY_S, _check_meetings)],
    settings_class=IntakeSettings,
)


def create() -> FastAPI:
    """The app uvicorn runs: `uvicorn services.intake.main:create --factory`."""
    settings = IntakeSettings(service=SPEC.name)
    configure_logging(SPEC.name, settings.log_level)
    return create_app(SPEC, settings)
