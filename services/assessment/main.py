"""The assessment service (标准化考核): yearly schemes, scores from events, funds."""

from __future__ import annotations

from pathlib import Path

from enclave_shared.app import ServiceSpec, serve
from enclave_shared.auth import Site
from fastapi import FastAPI

from services.assessment import consumers
from services.assessment.api import ROUTERS
from services.assessment.models import Base

EXAMPLE_SCHEME = Path(__file__).parent / "example_scheme.json"

SPEC = ServiceSpec(
    name="assessment",
    title="Talent enclave: standardised assessment (标准化考核)",
    routers=ROUTERS,
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    handlers=consumers.HANDLERS,
    sites=frozenset({Site.DISTRICT}),
)


def create() -> FastAPI:
    """The app, for `uvicorn services.assessment.main:create --factory`."""
    return serve(SPEC)
