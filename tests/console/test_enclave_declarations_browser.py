"""Talent programme declarations (帮助申报人才工程) in Debian's Chromium: an operator adds a
high-level talent and a researcher, is refused the researcher's declaration (in Chinese),
files the talent's for a province programme, filters the list by level, records the
outcome on its page (an outcome dated before the declaration refused beside 结果日期); the
district leader reads, with no form."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from enclave_shared.auth import Role
from playwright.async_api import Browser, Page, expect

from services.console.identity import Site
from tests.console.browser import Stack, settled, signed_in

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)


@pytest.fixture
async def page(browser: Browser, stack: Stack) -> AsyncIterator[Page]:
    async with signed_in(browser, stack, Role.ENCLAVE_OPERATOR, Site.SHENZHEN) as opened:
        yield opened


async def _talent(page: Page, name: str, level: str) -> str:
    """Add a talent on the talents page; its id, read from its page's address."""
    await page.goto("/enclave/talents")
    add = page.get_by_role("region", name="新增人才")
    await add.get_by_label("姓名").fill(name)
    await add.get_by_label("人才层次").select_option(label=level)
    await add.get_by_label("专业领域").fill("新材料")
    await add.get_by_label("引进日期").fill("2021-03-10")
    await add.get_by_role("button", name="添加人才").click()
    await page.get_by_role("table", name="人才").get_by_role("link", name=name).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"人才 · {name}")
    return page.url.rsplit("/", 1)[1]


async def _file(page: Page, talent_id: str, programme: str, level: str) -> None:
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("高层次人才编号").fill(talent_id)
    await add.get_by_label("申报的人才工程").fill(programme)
    await add.get_by_label("工程级别").select_option(label=level)
    await add.get_by_label("申报日期").fill("2021-04-01")
    await add.get_by_role("button", name="提交申报").click()


async def test_a_declaration_is_filed_filtered_and_its_outcome_recorded_by_clicking(
    page: Page, browser: Browser, stack: Stack
):
    zhang = await _talent(page, "张博士", "高层次人才")
    wu = await _talent(page, "吴研究员", "科研人员")

    menu = page.get_by_role("navigation", name="菜单")
    await menu.get_by_role("link", name="人才工程申报").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("人才工程申报")
    await _file(page, wu, "江西省双千计划", "省级")
    await expect(page.locator("#talent_id-error")).to_have_text(
        "请选择在册的高层次人才：只有高层次人才可以申报。"
    )
    await _file(page, zhang, "江西省双千计划", "省级")
    await _file(page, zhang, "广丰区高层次人才", "区级")
    listed = page.get_by_role("table", name="人才工程申报")
    row = listed.get_by_role("row", name=re.compile("江西省双千计划"))
    await expect(row).to_contain_text("张博士")
    await expect(row).to_contain_text("待评审")

    filters = page.get_by_role("search")
    await filters.get_by_label("工程级别").select_option(label="区级")
    await filters.get_by_role("button", name="筛选").click()
    await settled(page)
    await expect(listed).to_contain_text("广丰区高层次人才")
    await expect(listed).not_to_contain_text("江西省双千计划")

    await page.goto("/enclave/declarations")
    await listed.get_by_role("link", name="江西省双千计划").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "人才工程申报 · 张博士 · 江西省双千计划"
    )
    await page.get_by_label("评审结果").select_option(label="已入选")
    await page.get_by_label("结果日期").fill("2021-03-01")
    await page.get_by_label("更正原因").fill("省里公布结果")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#outcome_on-error")).to_contain_text("不得早于申报日期")
    await page.get_by_label("评审结果").select_option(label="已入选")
    await page.get_by_label("结果日期").fill("2021-06-20")
    await page.get_by_label("更正原因").fill("省里公布结果")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#fact-outcome")).to_have_text("已入选")
    history = page.get_by_role("table", name="变更记录")
    await expect(
        history.locator('tr[data-action="enclave.declaration.corrected.v1"]')
    ).to_contain_text("省里公布结果")

    async with signed_in(browser, stack, Role.DISTRICT_LEADER, Site.DISTRICT) as leader:
        await leader.goto("/enclave/declarations")
        await expect(leader.get_by_role("table", name="人才工程申报")).to_contain_text("已入选")
        await expect(leader.get_by_role("button", name="提交申报")).to_have_count(0)
