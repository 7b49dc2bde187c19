"""The `enclave user …` commands' work: the console's database, opened from the settings
the console itself reads (ENCLAVE_DATA_DIR, DATABASE_URL, …), migrated first so that the
first account can be made before the console ever ran."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from enclave_shared.auth import Role
from enclave_shared.db import create_engine, utcnow
from enclave_shared.migrations import upgrade
from enclave_shared.outbox import OutboxSession, session_factory

from services.console import identity
from services.console.config import ConsoleSettings
from services.console.identity import Site
from services.console.models import User

T = TypeVar("T")
CLI_ACTOR = "cli"


def console_settings() -> ConsoleSettings:
    """The console's settings, whatever ENCLAVE_SERVICE the shell has."""
    return ConsoleSettings(service="console")


def in_console_database(work: Callable[[OutboxSession], Awaitable[T]]) -> T:
    """Run `work` in one transaction of the console's database and commit it."""
    from services.console.main import SPEC

    settings = console_settings()
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)

    async def run() -> T:
        engine = create_engine(
            settings.database_url, sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms
        )
        try:
            await upgrade(engine, SPEC.migrations, SPEC.metadata)
            async with session_factory(engine)() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(run())


def add(
    username: str,
    *,
    role: Role,
    password: str,
    site: Site | None,
    enterprise_id: str | None,
    display_name: str | None,
) -> User:
    """Create an account."""

    async def work(session: OutboxSession) -> User:
        return await identity.add_user(
            session,
            username=username,
            role=role,
            password=password,
            now=utcnow(),
            site=site,
            enterprise_id=enterprise_id,
            display_name=display_name,
            actor=CLI_ACTOR,
        )

    return in_console_database(work)


def list_all() -> list[User]:
    """Every account."""

    async def work(session: OutboxSession) -> list[User]:
        return list(await identity.list_users(session))

    return in_console_database(work)


def disable(username: str) -> User:
    """Disable an account (its sessions end at their next request)."""

    async def work(session: OutboxSession) -> User:
        return await identity.set_active(
            session, username=username, active=False, now=utcnow(), actor=CLI_ACTOR
        )

    return in_console_database(work)


def set_password(username: str, password: str) -> User:
    """Give an account a new password (and lift a lockout)."""

    async def work(session: OutboxSession) -> User:
        return await identity.set_password(
            session, username=username, password=password, now=utcnow(), actor=CLI_ACTOR
        )

    return in_console_database(work)
