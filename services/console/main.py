"""The console (控制台): the web application both sites work in. It owns identity (users,
sessions, the audit log) and no business data: every figure comes from the four services."""

from __future__ import annotations

from pathlib import Path

from enclave_shared.app import ServiceSpec, create_app, serve
from fastapi import FastAPI

from services.console.config import ConsoleSettings
from services.console.models import Base
from services.console.pages.routers import ROUTERS
from services.console.web import install

SPEC = ServiceSpec(
    name="console",
    title="Console (控制台)",
    routers=ROUTERS,
    metadata=Base.metadata,
    migrations=Path(__file__).parent / "migrations",
    settings_class=ConsoleSettings,
)


def build(settings: ConsoleSettings | None = None) -> FastAPI:
    """The console app: the platform frame plus its web frame (pages, cookies, error pages)."""
    return install(create_app(SPEC, settings))


def create() -> FastAPI:
    """The app uvicorn runs: `uvicorn services.console.main:create --factory`."""
    return install(serve(SPEC))
