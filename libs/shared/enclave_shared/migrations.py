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


def new_revision(versions: Path, metadata: MetaData, branch: str, message: str) -> None:
    """Autogenerate a revision for a service's branch by diffing its models with a scratch
    SQLite database migrated to the current heads."""
    import asyncio
    import tempfile

    from enclave_shared.db import create_engine

    versions.mkdir(parents=True, exist_ok=True)
    first = not any(versions.glob("*.py"))
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite+aiosqlite:///{scratch}/scratch.db")
        asyncio.run(upgrade(engine, versions, metadata))
        config = alembic_config(versions, metadata)
        _format_with_ruff(config)

        def run(connection: Connection) -> None:
            config.attributes["connection"] = connection
            if first:
                command.revision(
                    config,
                    message,
                    autogenerate=True,
                    head="base",
                    branch_label=branch,
                    version_path=str(versions),
                )
            else:
                command.revision(
                    config,
                    message,
                    autogenerate=True,
                    head=f"{branch}@head",
                    version_path=str(versions),
                )

        async def generate() -> None:
            async with engine.begin() as conn:
                await conn.run_sync(run)
            await engine.dispose()

        asyncio.run(generate())


def _format_with_ruff(config: Config) -> None:
    # The new revision leaves as `make lint` wants it: imports sorted, lines formatted.
    file = "REVISION_SCRIPT_FILENAME"
    hooks = {"ruff_fix": f"check --fix --quiet {file}", "ruff_format": f"format --quiet {file}"}
    config.set_section_option("post_write_hooks", "hooks", " ".join(hooks))
    for name, options in hooks.items():
        config.set_section_option("post_write_hooks", f"{name}.type", "module")
        config.set_section_option("post_write_hooks", f"{name}.module", "ruff")
        config.set_section_option("post_write_hooks", f"{name}.options", options)
