"""Migrations: the platform's alembic branch plus one branch per service, applied at start-up."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, MetaData
from sqlalchemy.ext.asyncio import AsyncEngine

from enclave_shared.db import PlatformBase

_HERE = Path(__file__).parent / "alembic"


def alembic_config(versions: Path, metadata: MetaData) -> Config:
    """An alembic config over the platform's versions and the service's."""
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    config.set_main_option("version_locations", f"{_HERE / 'versions'} {versions}")
    config.set_main_option("path_separator", "space")
    config.attributes["target_metadata"] = [PlatformBase.metadata, metadata]
    return config


async def upgrade(engine: AsyncEngine, versions: Path, metadata: MetaData) -> None:
    """Bring the database to the newest revision of every branch."""
    config = alembic_config(versions, metadata)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")

    async with engine.begin() as conn:
        await conn.run_sync(run)
