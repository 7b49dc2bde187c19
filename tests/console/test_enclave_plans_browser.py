"""The work plans (有计划) in Debian's Chromium: an operator adds a month's items, is refused
the month's closing while one is still planned (named), marks them done or dropped on their
pages, closes the month with its results; the district leader reads it all, with no form."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator

import pytest
from enclave_shared.auth import Role
from playwright.async_api import Browser, Page, expect

from services.console.identity import Site
from tests.console.browser import Stack, settled, sign_in_page
from tests.console.support import add_user

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)

_names = itertools.count()


async def _signed_in(browser: Browser, stack: Stack, role: Role, site: Site) -> Page:
    context = await browser.new_context(base_url=stack.url, locale="zh-CN")
    context.set_default_timeout(20_000)
    username = f"plans-{role.value}-{next(_names)}"
    await add_user(stack.console.state.runtime, username, role, site=site)  # type: ignore[arg-type]
    page = await context.new_page()
    await sign_in_page(page, username)
    await expect(page).to_have_url(f"{stack.url}/")
    return page


@pytest.fixture
async def page(browser: Browser, stack: Stack) -> AsyncIterator[Page]:
    opened = await _signed_in(browser, stack, Role.ENCLAVE_OPERATOR, Site.SHENZHEN)
    try:
        yield opened
    finally:
        await opened.context.close()


async def _add(page: Page, title: str, month: str) -> None:
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("计划事项").fill(title)
    await add.get_by_label("责任人").fill("李娜")
    await add.get_by_label("计划月份").fill(month)
    await add.get_by_label("五年发展规划目标").fill("五年孵化一百个项目")
    await add.get_by_role("button", name="列入计划").click()
    await expect(page.get_by_role("table", name="工作计划")).to_contain_text(title)


async def _mark(page: Page, title: str, status: str, done_on: str = "") -> None:
    await page.get_by_role("table", name="工作计划").get_by_role("link", name=title).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"计划事项 · {title}")
    await page.get_by_label("状态").select_option(label=status)
    if done_on:
        await page.get_by_label("完成日期").fill(done_on)
    await page.get_by_label("更正原因").fill("月底盘点")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#fact-status")).to_have_text(status)
    history = page.get_by_role("table", name="变更记录")
    corrected = history.locator('tr[data-action="enclave.plan_item.corrected.v1"]')
    await expect(corrected).to_contain_text(f"状态：计划中 → {status}")
    await page.get_by_role("link", name="返回列表").click()
    await settled(page)


async def test_a_month_is_planned_refused_while_planned_then_closed_by_clicking(
    page: Page, browser: Browser, stack: Stack
):
    await page.get_by_role("navigation", name="菜单").get_by_role("link", name="工作计划").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("工作计划")
    await _add(page, "大湾区项目路演", "2021-05")
    await _add(page, "走访东莞企业", "2021-05")

    close = page.get_by_role("region", name="月度计划总结")
    await close.get_by_label("月份", exact=True).fill("2021-05")
    await close.get_by_label("完成情况").fill("路演一场")
    await close.get_by_role("button", name="总结本月计划").click()
    refusal = page.locator("#month-error")
    await expect(refusal).to_contain_text("本月仍有计划中的事项")
    await expect(refusal).to_contain_text("大湾区项目路演")
    await expect(refusal).to_contain_text("走访东莞企业")

    await _mark(page, "大湾区项目路演", "已完成", "2021-05-28")
    await _mark(page, "走访东莞企业", "已取消")
    listed = page.get_by_role("table", name="工作计划")
    await page.get_by_label("状态").select_option(label="已完成")
    await page.get_by_role("button", name="筛选").click()
    await expect(listed).to_contain_text("大湾区项目路演")
    await expect(listed).not_to_contain_text("走访东莞企业")

    close = page.get_by_role("region", name="月度计划总结")
    await close.get_by_label("月份", exact=True).fill("2021-05")
    await close.get_by_label("完成情况").fill("路演一场，走访取消")
    await close.get_by_label("总结日期").fill("2021-06-01")
    await close.get_by_role("button", name="总结本月计划").click()
    months = page.get_by_role("table", name="已总结的月度计划")
    await expect(months.get_by_role("row", name=re.compile("2021-05"))).to_contain_text(
        "路演一场，走访取消"
    )
    # Its items are frozen: a new item for the month is refused, in Chinese.
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("计划事项").fill("补充事项")
    await add.get_by_label("责任人").fill("李娜")
    await add.get_by_label("计划月份").fill("2021-05")
    await add.get_by_role("button", name="列入计划").click()
    await expect(page.locator("#due_month-error")).to_have_text(
        "该月计划已总结，其事项不能再更改。"
    )

    leader = await _signed_in(browser, stack, Role.DISTRICT_LEADER, Site.DISTRICT)
    try:
        await leader.goto("/enclave/plans")
        await expect(leader.get_by_role("table", name="工作计划")).to_contain_text("大湾区项目路演")
        await expect(leader.get_by_role("table", name="已总结的月度计划")).to_contain_text(
            "2021-05"
        )
        await expect(leader.get_by_role("button", name="列入计划")).to_have_count(0)
        await expect(leader.get_by_role("button", name="总结本月计划")).to_have_count(0)
    finally:
        await leader.context.close()
