"""一轴 in Debian's Chromium: an operator records a party organisation on a sage body (a
standalone one of two members refused beside 党员人数, a name twice beside the name, in
Chinese), filters them by how they were formed, adds a new village sage and changes their
tie on the sage's page (the history says so); the district leader reads, with no form."""

from __future__ import annotations

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


async def _org(page: Page, name: str, body: str, formation: str, members: str) -> None:
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("党组织").fill(name)
    await add.get_by_label("依托的新乡贤组织").fill(body)
    await add.get_by_label("组建方式").select_option(label=formation)
    await add.get_by_label("党员人数").fill(members)
    await add.get_by_label("组建日期").fill("2021-03-01")
    await add.get_by_role("button", name="登记党组织").click()


async def test_party_organisations_and_sages_are_recorded_by_clicking(
    page: Page, browser: Browser, stack: Stack
):
    menu = page.get_by_role("navigation", name="菜单")
    await menu.get_by_role("link", name="党建引领").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("新乡贤组织党组织")
    await _org(page, "新乡贤参事会党支部", "新乡贤参事会", "单独组建", "2")
    await expect(page.locator("#members-error")).to_have_text(
        "单独组建的党组织须有3名以上党员；不足3名的请区域联建或行业统建。"
    )
    await _org(page, "新乡贤参事会党支部", "新乡贤参事会", "单独组建", "5")
    await _org(page, "博士联谊会联合党支部", "博士联谊会", "区域联建", "2")
    await _org(page, "新乡贤参事会党支部", "新乡贤参事会", "行业统建", "1")
    await expect(page.locator("#name-error")).to_have_text("同名党组织已登记。")
    orgs = page.get_by_role("table", name="新乡贤组织党组织")
    filters = page.get_by_role("search")
    await filters.get_by_label("组建方式").select_option(label="区域联建")
    await filters.get_by_role("button", name="筛选").click()
    await settled(page)
    await expect(orgs).to_contain_text("博士联谊会联合党支部")
    await expect(orgs).not_to_contain_text("新乡贤参事会党支部")

    await menu.get_by_role("link", name="新乡贤").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("新乡贤")
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("姓名").fill("王老先生")
    await add.get_by_label("所在新乡贤组织").fill("新乡贤参事会")
    await add.get_by_label("与飞地的联系").select_option(label="顾问")
    await add.get_by_role("button", name="添加新乡贤").click()
    sages = page.get_by_role("table", name="新乡贤")
    await sages.get_by_role("link", name="王老先生").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("新乡贤 · 王老先生")
    await page.get_by_label("与飞地的联系").select_option(label="大使")
    await page.get_by_label("更正原因").fill("受聘为招才大使")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#fact-tie")).to_have_text("大使")
    history = page.get_by_role("table", name="变更记录")
    await expect(history.locator('tr[data-action="enclave.sage.corrected.v1"]')).to_contain_text(
        "顾问 → 大使"
    )

    async with signed_in(browser, stack, Role.DISTRICT_LEADER, Site.DISTRICT) as leader:
        await leader.goto("/enclave/sages")
        await expect(leader.get_by_role("table", name="新乡贤")).to_contain_text("王老先生")
        await expect(leader.get_by_role("button", name="添加新乡贤")).to_have_count(0)
        await leader.goto("/enclave/party-orgs")
        await expect(leader.get_by_role("table", name="新乡贤组织党组织")).to_contain_text(
            "新乡贤参事会党支部"
        )
        await expect(leader.get_by_role("button", name="登记党组织")).to_have_count(0)
