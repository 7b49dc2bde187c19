"""The public wall (上墙公示) page: anyone, no sign-in, after the demo scenario ran on the
stack's services — the four parts with the demo's six settled enterprises placed and
coloured, an entry condition edited by a zone officer (clicking), the last reading served
with its time while intake does not answer, and the page printed on A4 landscape."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from enclave_shared.auth import Role
from enclave_shared.kafka import free_port
from playwright.async_api import Browser, Page, expect
from rich.console import Console

from services.console.pages import wall
from tests.console.browser import Stack, sign_in_page
from tests.console.test_intake_pages import service_auth, user
from tests.e2e import plan, scenario
from tests.e2e.demo import EXIT_OK, run_demo


@pytest.fixture(scope="module")
async def demo(stack: Stack) -> AsyncIterator[Stack]:
    """The demo scenario loaded once into the module's services, as `make demo` loads it."""
    clients = [
        httpx.AsyncClient(base_url=stack.service_urls[n], timeout=30)
        for n in ("incubation", "intake", "hotline", "assessment")
    ]
    try:
        svc = scenario.Services(*clients)

        def auth(role: str, sub: str | None = None) -> dict[str, str]:
            return service_auth(stack, Role(role), sub or f"demo-{role}")

        out = io.StringIO()
        code = await run_demo(svc, auth, Console(file=out, width=160), timeout=60)
        assert code == EXIT_OK, out.getvalue()
        yield stack
    finally:
        for c in clients:
            await c.aclose()


def _plot(html: str, plot_id: str) -> str:
    found = re.search(rf'<g class="plot[^"]*" id="plot-{plot_id}" data-colour="(\w*)"', html)
    assert found, plot_id
    return found.group(1)


async def test_the_wall_shows_its_four_parts_without_a_token(demo: Stack):
    async with httpx.AsyncClient(base_url=demo.url) as anyone:  # no cookie, no token
        resp = await anyone.get("/wall")
    assert resp.status_code == 200
    html = resp.text
    for part in (
        "入驻条件",
        "入驻流程",
        "入孵企业分布图",
        "入孵企业转化进度表",
        "承接基地平台载体",
    ):
        assert part in html, part
    assert "三新两大" in html  # the default wording, Chinese first
    # the six settled enterprises on their plots, each coloured (all in production: blue)
    assert [_plot(html, p) for p in plan.SETTLED_PLOTS] == ["blue"] * 6
    assert _plot(html, "C4") == ""  # an empty plot of the plan
    table = html.split('id="progress-table"', 1)[1].split("</table>", 1)[0]
    assert table.count("badge color-blue") == 9 and table.count(">蓝<") == 9
    landed = [p.case for p in plan.PROJECTS if p.case is not None]
    days = sorted((c.construction_on - c.signed_on).days for c in landed)
    assert sorted(int(d) for d in re.findall(r"<td>(\d+)</td></tr>", table)) == days
    # the three local enterprises of the order path are on no plot yet: listed apart
    unplaced = html.split('id="unplaced"', 1)[1].split("</ul>", 1)[0]
    assert unplaced.count("<li>") == 3
    counts = {
        kind: int(re.search(rf'id="platforms-{kind}"><span class="count">(\d+)<', html).group(1))
        for kind in (
            "academician_workstation",
            "innovation_service",
            "postdoctoral_base",
            "internet_plus_incubation",
        )
    }
    assert counts == {
        "academician_workstation": 1,
        "innovation_service": 18,
        "postdoctoral_base": 1,
        "internet_plus_incubation": 8,
    }
    assert "Officer Li" not in html  # no names of people on the wall
    assert 'http-equiv="refresh"' in html and 'id="reading-time"' in html


@contextlib.asynccontextmanager
async def _silent_server() -> AsyncIterator[str]:
    """A server that accepts connections and never answers (a service too slow)."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for w in held:
            w.close()
        server.close()


async def test_the_wall_serves_its_last_reading_when_intake_does_not_answer(
    demo: Stack, monkeypatch: pytest.MonkeyPatch
):
    settings = demo.console.state.console.settings
    async with httpx.AsyncClient(base_url=demo.url, timeout=10) as anyone:
        fresh = await anyone.get("/wall")
        assert fresh.status_code == 200 and "承接基地服务暂未响应" not in fresh.text
        read_at = re.search(r'<time datetime="([^"]+)"', fresh.text).group(1)

        monkeypatch.setattr(settings, "intake_url", f"http://127.0.0.1:{free_port()}")  # stopped
        stopped = await anyone.get("/wall")
        assert stopped.status_code == 200
        assert "承接基地服务暂未响应" in stopped.text
        assert f'<time datetime="{read_at}"' in stopped.text  # the reading's own time
        assert [_plot(stopped.text, p) for p in plan.SETTLED_PLOTS] == ["blue"] * 6

        async with _silent_server() as slow:
            monkeypatch.setattr(settings, "intake_url", slow)
            started = time.monotonic()
            waited = await anyone.get("/wall")
            elapsed = time.monotonic() - started
        assert waited.status_code == 200 and "承接基地服务暂未响应" in waited.text
        assert wall.READ_TIMEOUT_S <= elapsed < wall.READ_TIMEOUT_S + 1.5


async def test_the_wall_is_cacheable_beyond_one_process_and_revalidates(
    demo: Stack, monkeypatch: pytest.MonkeyPatch
):
    settings = demo.console.state.console.settings
    async with httpx.AsyncClient(base_url=demo.url, timeout=10) as anyone:
        first = await anyone.get("/wall")
        again = await anyone.get("/wall")
        assert first.status_code == again.status_code == 200
        assert first.headers["cache-control"] == wall.FRESH
        assert "stale-if-error" in first.headers["cache-control"]
        assert "set-cookie" not in first.headers  # a shared cache may keep it for anyone
        etag = first.headers["etag"]
        assert re.fullmatch(r'W/"[0-9a-f]{32}"', etag) and again.headers["etag"] == etag
        held = await anyone.get("/wall", headers={"If-None-Match": f'"other", {etag[2:]}'})
        assert held.status_code == 304 and held.content == b""
        assert held.headers["etag"] == etag and held.headers["cache-control"] == wall.FRESH
        changed = await anyone.get("/wall", headers={"If-None-Match": '"other"'})
        assert changed.status_code == 200 and "承接基地服务暂未响应" not in changed.text

        monkeypatch.setattr(settings, "intake_url", f"http://127.0.0.1:{free_port()}")  # stopped
        stale = await anyone.get("/wall")
        assert stale.status_code == 200 and stale.headers["cache-control"] == wall.STALE
        assert stale.headers["etag"] != etag  # it says the reading is old


async def test_an_officer_edits_an_entry_condition_and_the_wall_prints_on_a4_landscape(
    page: Page, demo: Stack, browser: Browser, tmp_path: Path
):
    await sign_in_page(page, await user(demo, Role.ZONE_OFFICER))
    await page.wait_for_url("**/")
    await page.get_by_role("navigation", name="菜单").get_by_role("link", name="上墙公示").click()
    box = page.locator("#form-entry_conditions").get_by_label("每行一条")
    text = await box.input_value()
    await box.fill(text + "\n入驻企业须承诺三年内不迁出广丰")
    await page.locator("#form-entry_conditions").get_by_role("button", name="保存为新版本").click()
    await expect(page.locator("#h-entry_conditions + p")).to_contain_text("版本 1")

    public = await browser.new_context(base_url=demo.url, locale="zh-CN")  # signed out
    try:
        wall_page = await public.new_page()
        await wall_page.goto("/wall")
        await expect(wall_page.locator("#conditions li").last).to_have_text(
            "入驻企业须承诺三年内不迁出广丰"
        )
        await wall_page.emulate_media(media="print")
        shot = tmp_path / "wall-print.png"
        await wall_page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        await expect(wall_page.locator(".wall-head .languages")).to_be_hidden()  # print only
        pdf = await wall_page.pdf(prefer_css_page_size=True, print_background=True)
        boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf))
        assert boxes and all(round(float(w)) == 842 and round(float(h)) == 595 for w, h in boxes)
    finally:
        await public.close()
