"""Helpers of the console's tests: run it (in-process or on a socket), make users, sign in."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from enclave_shared.app import Runtime
from enclave_shared.auth import Role
from enclave_shared.db import utcnow
from fastapi import FastAPI

from services.console import identity
from services.console.identity import Site
from services.console.main import build
from tests.support import serve_app

serve = serve_app
"""Serve the console (or a service) on a real socket, its lifespan included."""

PASSWORD = "correct horse battery"  # test accounts only; never a default of the product


class FakeClock:
    """A clock the test moves: the console's `runtime.clock`."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class RunningConsole:
    """The console running in this test: its app and an HTTP client to it."""

    app: FastAPI
    client: httpx.AsyncClient
    clock: FakeClock

    @property
    def runtime(self) -> Runtime:  # type: ignore[type-arg]
        runtime: Runtime = self.app.state.runtime  # type: ignore[type-arg]
        return runtime


@contextlib.asynccontextmanager
async def run_console(
    settings: object, base_url: str = "http://console.test"
) -> AsyncIterator[RunningConsole]:
    """The console in-process (lifespan and all), with a controlled clock."""
    app = build(settings)  # type: ignore[arg-type]
    clock = FakeClock()
    async with app.router.lifespan_context(app):
        app.state.runtime.clock = clock
        transport = httpx.ASGITransport(app=app, client=("10.1.2.3", 5000))
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield RunningConsole(app, client, clock)


async def add_user(
    runtime: Runtime,  # type: ignore[type-arg]
    username: str,
    role: Role,
    *,
    password: str = PASSWORD,
    site: Site | None = None,
    enterprise_id: str | None = None,
    display_name: str | None = None,
) -> None:
    """Create an account directly, as `enclave user add` does."""
    async with runtime.sessions() as session:
        await identity.add_user(
            session,
            username=username,
            role=role,
            password=password,
            now=runtime.clock(),
            site=site,
            enterprise_id=enterprise_id,
            display_name=display_name,
        )
        await session.commit()


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    match = CSRF_INPUT.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


async def sign_in(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    """Open the sign-in page and submit it, as a browser does."""
    page = await client.get("/login")
    return await client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
    )
