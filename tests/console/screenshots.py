"""`make screenshots`: PNGs of the console's main pages in docs/console/ (1280x800, zh-CN).

Starts the system as the browser tests do (an embedded broker, the four services and the
console on real sockets, SQLite in a temporary folder: nothing of `make run`'s data is
touched), loads the demo's half-year through the public APIs (tests/e2e: the same code as
`make demo`), makes one account per role, signs in as each in Debian's Chromium and writes
one PNG per page. Usage: `python -m tests.console.screenshots [--out DIR]`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import secrets
import struct
import sys
import tempfile
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from enclave_shared.auth import Role
from enclave_shared.kafka import EmbeddedBroker, free_port
from enclave_shared.keys import public_key_of, read_or_create_private_key
from playwright.async_api import Browser, Page, async_playwright, expect
from rich.console import Console

from services.console.identity import Site
from tests.console.browser import Stack, launch, run_stack
from tests.console.support import add_user
from tests.e2e.demo import DEMO_ENTERPRISE, DEMO_SITES, EXIT_OK, run_demo, token_auth
from tests.e2e.scenario import Services

OUT = Path(__file__).resolve().parents[2] / "docs" / "console"
VIEWPORT = {"width": 1280, "height": 800}
YEAR = 2021  # the demo's half-year is in 2021


BUDGET = 150 * 1024  # bytes per PNG, so that the README stays light
# Chromium's PNGs are quickly compressed; its pixels, read back through a canvas (on a blank
# page: the console's CSP would refuse the data: image), are written again with zlib at
# level 9 (lossless). Only a picture still over the budget loses its lowest bits.
PIXELS_JS = """async (b64) => {
  const img = new Image(); img.src = "data:image/png;base64," + b64; await img.decode();
  const c = document.createElement("canvas"); c.width = img.width; c.height = img.height;
  const g = c.getContext("2d"); g.drawImage(img, 0, 0);
  const p = g.getImageData(0, 0, c.width, c.height).data;
  const rgb = new Uint8Array(c.width * c.height * 3);
  for (let i = 0, j = 0; i < p.length; i += 4, j += 3) {
    rgb[j] = p[i]; rgb[j + 1] = p[i + 1]; rgb[j + 2] = p[i + 2];
  }
  let s = "";
  for (let i = 0; i < rgb.length; i += 32768) {
    s += String.fromCharCode.apply(null, rgb.subarray(i, i + 32768));
  }
  return [c.width, c.height, btoa(s)];
}"""


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(width: int, height: int, rgb: bytes, step: int = 1) -> bytes:
    """An 8-bit RGB PNG (filter none, zlib 9); `step` > 1 rounds each channel to it."""
    if step > 1:
        rgb = rgb.translate(bytes(min(255, round(v / step) * step) for v in range(256)))
    stride = width * 3
    rows = b"".join(b"\x00" + rgb[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


async def compact(blank: Page, shot: bytes) -> bytes:
    """The screenshot as a smaller PNG (lossless unless it stays over BUDGET)."""
    width, height, pixels = await blank.evaluate(PIXELS_JS, base64.b64encode(shot).decode())
    rgb = base64.b64decode(pixels)
    best = min(shot, _png(width, height, rgb), key=len)
    for step in (8, 16):
        if len(best) <= BUDGET:
            break
        best = _png(width, height, rgb, step)
    return best


@dataclass(frozen=True)
class Shot:
    """A page to photograph: file name (without .png), who is signed in, the path."""

    name: str
    role: Role | None
    path: str
    click: str | None = None  # a link (accessible name) to click before the picture


SHOTS = (
    Shot("login", None, "/login"),
    Shot("home-enclave-operator", Role.ENCLAVE_OPERATOR, "/"),
    Shot("projects", Role.ENCLAVE_OPERATOR, "/enclave/projects"),
    Shot("project", Role.ENCLAVE_OPERATOR, "/enclave/projects/{project}"),
    Shot("home-zone-officer", Role.ZONE_OFFICER, "/"),
    Shot("board", Role.ZONE_OFFICER, "/intake/board"),
    Shot("case", Role.ZONE_OFFICER, "/intake/cases/{case}"),
    Shot("tickets", Role.HOTLINE_AGENT, "/hotline/tickets"),
    Shot("ticket", Role.HOTLINE_AGENT, "/hotline/tickets/{ticket}"),
    Shot("assessment", Role.ASSESSOR, f"/assessment?year={YEAR}"),
    Shot("home-district-leader", Role.DISTRICT_LEADER, "/"),
    Shot("enterprise-case", Role.ENTERPRISE, "/enterprise/case"),
    Shot("admin-users", Role.ADMIN, "/admin/users"),
)


async def _records(stack: Stack, auth: Any) -> dict[str, str]:
    """Ids for the detail pages: a directed project, its case, a landing follow-up ticket."""
    urls = stack.service_urls
    async with httpx.AsyncClient(base_url=urls["incubation"]) as incubation:
        projects = (
            await incubation.get(
                "/api/v1/projects",
                params={"path": "directed"},
                headers=auth("enclave_operator"),
            )
        ).json()
    project = next(p for p in projects if p.get("enterprise") == DEMO_ENTERPRISE)
    async with httpx.AsyncClient(base_url=urls["intake"]) as intake:
        cases = (
            await intake.get(
                "/api/v1/cases",
                params={"project_id": project["id"]},
                headers=auth("zone_officer"),
            )
        ).json()
    async with httpx.AsyncClient(base_url=urls["hotline"]) as hotline:
        tickets = (
            await hotline.get(
                "/api/v1/tickets", params={"case_id": cases[0]["id"]}, headers=auth("hotline_agent")
            )
        ).json()
    return {"project": project["id"], "case": cases[0]["id"], "ticket": tickets[0]["id"]}


async def _accounts(stack: Stack) -> dict[Role, tuple[str, str]]:
    made = {}
    for role in Role:
        username, password = f"shots-{role.value}", secrets.token_urlsafe(12)
        site = DEMO_SITES.get(role)
        await add_user(
            stack.console.state.runtime,
            username,
            role,
            password=password,
            site=Site(site) if site else None,
            enterprise_id=DEMO_ENTERPRISE if role is Role.ENTERPRISE else None,
            display_name={Role.ENTERPRISE: "凌云机器人"}.get(role, "王丽"),
        )
        made[role] = (username, password)
    return made


async def _photograph(
    browser: Browser,
    stack: Stack,
    accounts: dict[Role, tuple[str, str]],
    records: dict[str, str],
    out: Path,
    say: Any,
) -> list[Path]:
    written = []
    states: dict[Role, Any] = {}
    blank = await browser.new_page()
    for shot in SHOTS:
        context = await browser.new_context(
            base_url=stack.url,
            locale="zh-CN",
            viewport=VIEWPORT,  # type: ignore[arg-type]
            storage_state=states.get(shot.role) if shot.role else None,
        )
        context.set_default_timeout(30_000)
        page = await context.new_page()
        try:
            if shot.role is not None and shot.role not in states:
                username, password = accounts[shot.role]
                await page.goto("/login")
                await page.get_by_label("用户名").fill(username)
                await page.get_by_label("密码").fill(password)
                await page.get_by_role("button", name="登录").click()
                await expect(page).to_have_url(f"{stack.url}/")
                states[shot.role] = await context.storage_state()
            await page.goto(shot.path.format(**records))
            await page.wait_for_load_state("networkidle")
            await page.wait_for_timeout(600)  # ECharts' entry animation
            target = out / f"{shot.name}.png"
            picture = await compact(blank, await page.screenshot())
            target.write_bytes(picture)
            written.append(target)
            say(f"{target.name}: {len(picture) // 1024} KB")
        finally:
            await context.close()
    await blank.close()
    return written


async def screenshots(out: Path, console: Console) -> int:
    started = time.monotonic()

    def say(message: str) -> None:
        console.print(f"[dim]{time.monotonic() - started:6.1f}s[/] {message}")

    with tempfile.TemporaryDirectory(prefix="enclave-shots-") as tmp:
        folder = Path(tmp)
        private, public = folder / "token.pem", folder / "token.pub"
        public.write_text(public_key_of(read_or_create_private_key(private)))
        broker = EmbeddedBroker(port=free_port(), log_path=folder / "broker.log")
        broker.start()
        try:
            async with run_stack(
                kafka_bootstrap=broker.bootstrap_servers,
                postgres_url=None,
                token_keys=(private, public),
                folder=folder,
            ) as stack:
                say(f"system up: console {stack.url}")
                auth = token_auth(private.read_text())
                async with contextlib.AsyncExitStack() as clients:
                    http = [
                        await clients.enter_async_context(
                            httpx.AsyncClient(base_url=stack.service_urls[name], timeout=30)
                        )
                        for name in ("incubation", "intake", "hotline", "assessment")
                    ]
                    status = await run_demo(Services(*http), auth, console, timeout=60)
                if status != EXIT_OK:
                    console.print("[bold red]the demo did not load; no screenshots[/]")
                    return status
                records = await _records(stack, auth)
                accounts = await _accounts(stack)
                async with async_playwright() as playwright:
                    browser = await launch(playwright)
                    try:
                        written = await _photograph(browser, stack, accounts, records, out, say)
                    finally:
                        await browser.close()
        finally:
            broker.stop()
    say(f"{len(written)} screenshots in {out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder (default {OUT})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    return asyncio.run(screenshots(args.out, Console()))


if __name__ == "__main__":
    sys.exit(main())
