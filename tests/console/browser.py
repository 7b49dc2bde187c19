"""The whole stack on real sockets for the browser tests, and Debian's Chromium."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from enclave_shared.app import create_app
from enclave_shared.auth import Role
from enclave_shared.launcher import load_spec
from enclave_shared.settings import Profile, ServiceSettings
from fastapi import FastAPI
from playwright.async_api import Browser, Page, Playwright, expect

from services.console.config import ConsoleSettings
from services.console.identity import Site
from services.console.main import build
from tests.console.support import PASSWORD, FakeClock, add_user, serve
from tests.support import create_database, drop_databases, unique

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying hosts it cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVICES = ("incubation", "intake", "hotline", "assessment")


@dataclass
class Stack:
    """The console and the four services, served on sockets, sharing one topic prefix."""

    url: str
    console: FastAPI
    clock: FakeClock
    service_urls: dict[str, str]
    apps: dict[str, FastAPI] = field(default_factory=dict)  # the four services', by name


async def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless."""
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextlib.asynccontextmanager
async def run_stack(
    *,
    kafka_bootstrap: str,
    postgres_url: str | None,
    token_keys: tuple[Path, Path],
    folder: Path,
) -> AsyncIterator[Stack]:
    """Serve the four services and the console (as make_settings makes settings, with one
    topic prefix for all, so events flow between the services through the suite's broker)."""
    prefix = unique("t")
    created: list[str] = []

    async def settings_for(
        name: str, settings_class: type[ServiceSettings], **extra: object
    ) -> ServiceSettings:
        if postgres_url is None:
            url = f"sqlite+aiosqlite:///{folder / unique(name + '_')}.db"
        else:
            db, url = await create_database(postgres_url, f"t_{name}_")
            created.append(db)
        values: dict[str, object] = {
            "service": name,
            "profile": Profile.REAL if postgres_url else Profile.EMBEDDED,
            "data_dir": folder / "data",
            "database_url": url,
            "kafka_bootstrap_servers": kafka_bootstrap,
            "topic_prefix": prefix,
            "jwt_private_key_file": token_keys[0],
            "jwt_public_key_file": token_keys[1],
            "outbox_poll_s": 0.5,
            "retry_backoff_max_s": 0.5,
            **extra,
        }
        return settings_class(**values)  # type: ignore[arg-type]

    try:
        async with contextlib.AsyncExitStack() as stack:
            urls: dict[str, str] = {}
            apps: dict[str, FastAPI] = {}
            for name in SERVICES:
                spec = load_spec(name)
                apps[name] = create_app(spec, await settings_for(name, spec.settings_class))
                urls[name] = await stack.enter_async_context(serve(apps[name]))
            console_settings = await settings_for(
                "console", ConsoleSettings, **{f"{n}_url": u for n, u in urls.items()}
            )
            console = build(console_settings)  # type: ignore[arg-type]
            url = await stack.enter_async_context(serve(console))
            clock = FakeClock()
            console.state.runtime.clock = clock
            yield Stack(url=url, console=console, clock=clock, service_urls=urls, apps=apps)
    finally:
        if postgres_url is not None and created:
            await drop_databases(postgres_url, created)


async def sign_in_page(page: Page, username: str, password: str = PASSWORD) -> None:
    """Fill in and send the sign-in form as a user would."""
    await page.goto("/login")
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(password)
    await page.get_by_role("button", name="登录").click()


async def settled(page: Page) -> None:
    """Wait until htmx has no request in flight and has swapped and settled its content."""
    busy = page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    await expect(busy).to_have_count(0)


async def filter_by(page: Page, label: str, option: str) -> None:
    """Choose an option of a list's filter (its select labelled `label`) and filter."""
    filters = page.get_by_role("search")
    await filters.get_by_label(label).select_option(label=option)
    await filters.get_by_role("button", name="筛选").click()
    await settled(page)


@contextlib.asynccontextmanager
async def signed_in(browser: Browser, stack: Stack, role: Role, site: Site) -> AsyncIterator[Page]:
    """A page of a fresh browser context (zh-CN) signed in as a new user of the role and
    site; the context closes after."""
    context = await browser.new_context(base_url=stack.url, locale="zh-CN")
    context.set_default_timeout(20_000)
    try:
        username = unique(role.value)
        await add_user(stack.console.state.runtime, username, role, site=site)  # type: ignore[arg-type]
        page = await context.new_page()
        await sign_in_page(page, username)
        await expect(page).to_have_url(f"{stack.url}/")
        yield page
    finally:
        await context.close()
