"""An operator's database tools: migrate a service's database, back it up, restore it."""

from __future__ import annotations

import asyncio

from enclave_shared.db import create_engine
from enclave_shared.launcher import load_spec
from enclave_shared.migrations import upgrade
from enclave_shared.settings import ServiceSettings


def settings_for(service: str) -> ServiceSettings:
    """The service's settings from the environment, as the service itself reads them."""
    spec = load_spec(service)
    return spec.settings_class(service=service)


def migrate(service: str) -> None:
    """Bring the service's database to its newest migration (what its start-up also does)."""
    spec = load_spec(service)
    settings = settings_for(service)
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)

    async def run() -> None:
        engine = create_engine(
            settings.database_url, sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms
        )
        try:
            await upgrade(engine, spec.migrations, spec.metadata)
        finally:
            await engine.dispose()

    asyncio.run(run())
