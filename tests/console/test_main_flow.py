"""The platform's main flow done only by clicking, in Debian's Chromium, against the console
and the four services on real sockets and the suite's broker (issue 12):

an enclave operator creates a directed project in Shenzhen and matures it → a zone officer
finds its case red on the Shangrao board, signs it, starts construction (yellow) and
production (blue) → a hotline agent works the landing follow-up ticket the settlement
opened (accepted, routed, resolved) → an assessor opens the facts behind the scores.

Each person signs in through the sign-in form and out with the 退出 button; between the
steps events travel between the services, so a step waits (bounded) for what the next
person would see, reloading the page as that person would."""

from __future__ import annotations

import re
import time
from datetime import datetime

import httpx
import pytest
from enclave_shared.auth import Role, issue_token
from playwright.async_api import Locator, Page, expect

from services.assessment.main import EXAMPLE_SCHEME
from services.console.formatting import SITE_ZONE
from services.console.identity import Site
from tests.console import test_browser
from tests.console.browser import Stack
from tests.console.browser import settled as htmx_settled
from tests.console.support import PASSWORD, add_user

pytestmark = pytest.mark.browser
EVENTS_S = 30  # how long one step may wait for the events of the step before it

browser = test_browser.browser
stack = test_browser.stack
page = test_browser.page


async def _sign_in(page: Page, stack: Stack, username: str) -> None:
    await page.goto("/login")
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page).to_have_url(f"{stack.url}/")


async def _sign_out(page: Page, stack: Stack) -> None:
    await page.get_by_role("button", name="退出").click()
    await expect(page).to_have_url(f"{stack.url}/login")


async def _menu(page: Page, name: str) -> None:
    await (
        page.get_by_role("navigation", name="菜单")
        .get_by_role("link", name=name, exact=True)
        .click()
    )


async def _reload_until(page: Page, target: Locator, seconds: float = EVENTS_S) -> None:
    """Reload the page (as a user waiting for news would) until `target` is visible."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            await expect(target).to_be_visible(timeout=2_000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            await page.reload()


async def _scheme_for(stack: Stack, year: int) -> None:
    """The year's scheme (the console has no page to put one: an assessor's API call)."""
    key = stack.console.state.runtime.settings.signing_key()
    auth = {"Authorization": f"Bearer {issue_token(key, Role.ASSESSOR, sub='flow-setup')}"}
    body = EXAMPLE_SCHEME.read_text()
    async with httpx.AsyncClient(base_url=stack.service_urls["assessment"], headers=auth) as c:
        resp = await c.put(
            f"/api/v1/schemes/{year}", content=body, headers={"content-type": "application/json"}
        )
        assert resp.status_code == 200, resp.text


async def test_the_main_flow_by_clicking_from_shenzhen_to_the_assessment(page: Page, stack: Stack):
    runtime = stack.console.state.runtime
    today = datetime.now(SITE_ZONE).date()
    day, year = today.isoformat(), today.year
    await _scheme_for(stack, year)
    title, enterprise = "主流程无人机电池项目", "深圳主流程独角兽科技"
    for name, role, site in (
        ("flow-operator", Role.ENCLAVE_OPERATOR, Site.SHENZHEN),
        ("flow-officer", Role.ZONE_OFFICER, Site.SHANGRAO),
        ("flow-agent", Role.HOTLINE_AGENT, None),
        ("flow-assessor", Role.ASSESSOR, Site.DISTRICT),
    ):
        await add_user(runtime, name, role, site=site)  # type: ignore[arg-type]

    # Shenzhen: a directed project through the new-project form, then its stage buttons.
    await _sign_in(page, stack, "flow-operator")
    await _menu(page, "项目")
    await page.get_by_role("link", name="新建项目").click()
    await expect(page).to_have_url(re.compile("/enclave/projects/new$"))
    await htmx_settled(page)  # htmx has swapped the form in and wired its path select
    # The path's own fields arrive by htmx: wait for them, or what is typed before the swap
    # is replaced (the order path has an enterprise field too).
    async with page.expect_response(lambda r: "/enclave/projects/new/fields" in r.url):
        await page.get_by_label("承接路径").select_option(label="定向式")
    await htmx_settled(page)
    await expect(page.get_by_label("企业类型")).to_be_visible()
    await page.get_by_label("目标企业").fill(enterprise)
    await page.get_by_label("企业类型").select_option(label="独角兽")
    await page.get_by_label("项目名称").fill(title)
    await page.get_by_label("产业链").select_option(label="先进机械制造")
    await page.get_by_label("登记日期").fill(day)
    await page.get_by_role("button", name="登记项目").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(title)
    await expect(page.locator("#stage")).to_have_text("拟引进")
    await page.get_by_label("孵化开始日期").fill(day)
    await page.get_by_role("button", name="开始孵化").click()
    await expect(page.locator("#stage")).to_have_text("孵化中")
    await page.get_by_label("成熟日期").fill(day)
    await page.get_by_role("button", name="确认成熟").click()
    await expect(page.locator("#stage")).to_have_text(re.compile("已成熟|已转化"))
    # Intake opens the case from project.matured, and incubation marks the project
    # transferred; the operator reads the case's colour in Shangrao on the project page.
    case_region = page.get_by_role("region", name="在上饶承接情况")
    await _reload_until(page, case_region.get_by_text("红", exact=True))
    await _reload_until(page, page.locator("#stage").get_by_text("已转化"))
    await _sign_out(page, stack)

    # Shangrao: the case is red on the board; signed, built (yellow), producing (blue).
    await _sign_in(page, stack, "flow-officer")
    await _menu(page, "红黄蓝看板")
    red = page.get_by_role("region", name=re.compile("^红"))
    await _reload_until(page, red.get_by_role("link", name=title))
    await red.get_by_role("link", name=title).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    await expect(page.locator("h1 .badge")).to_have_text("红")
    case_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    await page.get_by_label("签约日期").fill(day)
    await page.get_by_role("button", name="登记签约").click()
    await expect(page.get_by_label("开工日期")).to_be_visible()
    await page.get_by_label("开工日期").fill(day)
    await page.get_by_role("button", name="登记开工").click()
    await expect(page.locator("h1 .badge")).to_have_text("黄")
    await page.get_by_label("投产日期").fill(day)
    await page.get_by_role("button", name="登记投产").click()
    await expect(page.locator("h1 .badge")).to_have_text("蓝")
    await _menu(page, "红黄蓝看板")
    blue = page.get_by_role("region", name=re.compile("^蓝"))
    await expect(blue.get_by_role("link", name=title)).to_be_visible()
    await _sign_out(page, stack)

    # Hotline: the settlement opened a landing follow-up ticket; accepted, routed, resolved.
    await _sign_in(page, stack, "flow-agent")
    await _menu(page, "工单队列")
    row = page.get_by_role("row").filter(has_text=enterprise)  # the queue shows no case id
    await _reload_until(page, row)
    await expect(row).to_contain_text("待受理")
    await row.get_by_role("link").first.click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("待受理")
    ticket_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    await expect(page.locator("main")).to_contain_text("落户跟踪")
    await expect(page.locator("main")).to_contain_text(case_id)
    moves = page.get_by_role("region", name=re.compile("办理"))
    await moves.get_by_role("button", name="受理", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("已受理")
    await moves.get_by_label("分流至部门").fill("高新区企业服务中心")
    await moves.get_by_role("button", name="分流", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("已分流")
    await moves.get_by_label("办理结果").fill("已协助办理工商注册与用电报装")
    await moves.get_by_role("button", name="办结").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("已办结")
    await _sign_out(page, stack)

    # Assessment: the settlement and the ticket resolved in time are facts behind the scores.
    await _sign_in(page, stack, "flow-assessor")
    await _menu(page, "得分与资金")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(f"{year} 年度考核")
    settled = page.get_by_role("row").filter(has=page.get_by_role("cell", name="落户企业"))
    await _reload_until(page, settled.get_by_role("link", name="1", exact=True))
    await settled.get_by_role("link", name="1", exact=True).click()  # htmx: the facts below
    facts = page.get_by_role("table").filter(has_text="事实日期")
    await expect(facts.get_by_role("row").filter(has_text=case_id)).to_contain_text("企业落户")
    await expect(facts).to_contain_text(day)
    in_time = page.get_by_role("row").filter(has=page.get_by_role("cell", name="热线按时办结工单"))
    await _reload_until(page, in_time.get_by_role("link", name="1", exact=True))
    await in_time.get_by_role("link", name="1", exact=True).click()
    facts = page.get_by_role("table").filter(has_text="事实日期")
    await expect(facts.get_by_role("row").filter(has_text=ticket_id)).to_contain_text(
        "热线工单办结"
    )
    await _sign_out(page, stack)
