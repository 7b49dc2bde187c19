"""R&D centres in Shenzhen (科技研发中心) in Debian's Chromium: an operator registers a Shenzhen
R&D institution (hosted by the enclave's R&D centre) and a local enterprise's R&D centre,
filters them by who set them up, reads the figures, finds the institution on its hosting
centre's page, links it on its own page to a project whose results it transfers (an unknown
project refused beside the field); the district leader reads, with no form."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from enclave_shared.auth import Role
from playwright.async_api import Browser, Page, expect

from services.console.identity import Site
from tests.console.browser import Stack, settled, signed_in
from tests.console.test_enclave_browser import _new_directed_project

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)


@pytest.fixture
async def page(browser: Browser, stack: Stack) -> AsyncIterator[Page]:
    async with signed_in(browser, stack, Role.ENCLAVE_OPERATOR, Site.SHENZHEN) as opened:
        yield opened


async def _register(page: Page, kind: str, name: str, chain: str, centre: str = "") -> None:
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("设立主体").select_option(label=kind)
    await add.get_by_label("研发中心").fill(name)
    await add.get_by_label("产业链").select_option(label=chain)
    await add.get_by_label("所在飞地中心编号（如有）").fill(centre)
    await add.get_by_label("设立日期").fill("2021-01-10")
    await add.get_by_role("button", name="登记研发中心").click()
    await expect(page.get_by_role("table", name="在深科技研发中心")).to_contain_text(name)


async def test_rd_centres_are_registered_filtered_and_linked_by_clicking(
    page: Page, browser: Browser, stack: Stack
):
    await _new_directed_project(page, "滑石粉体新工艺", "2021-03-01")
    project_id = page.url.rsplit("/", 1)[1]

    await page.goto("/enclave/centres")
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("中心类型").select_option(label="科技研发中心")
    await add.get_by_label("中心名称").fill("飞地科技研发中心")
    await add.get_by_label("地址").fill("深圳市南山区")
    await add.get_by_label("面积（平方米）").fill("500")
    await add.get_by_role("button", name="登记中心").click()
    await page.get_by_role("link", name="飞地科技研发中心").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("中心 · 飞地科技研发中心")
    centre_url = page.url

    menu = page.get_by_role("navigation", name="菜单")
    await menu.get_by_role("link", name="科技研发中心").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("在深科技研发中心")
    await _register(
        page, "入驻飞地的深圳研发机构", "深圳滑石研究院", "黑滑石", centre_url.rsplit("/", 1)[1]
    )
    await _register(page, "本地企业在深研发中心", "广丰机械深圳研发中心", "先进机械制造")
    figures = page.get_by_role("table", name="研发中心及其成果转化")
    await expect(figures.locator("tbody tr")).to_have_text("110")

    listed = page.get_by_role("table", name="在深科技研发中心")
    filters = page.get_by_role("search")
    await filters.get_by_label("设立主体").select_option(label="本地企业在深研发中心")
    await filters.get_by_role("button", name="筛选").click()
    await settled(page)
    await expect(listed).to_contain_text("广丰机械深圳研发中心")
    await expect(listed).not_to_contain_text("深圳滑石研究院")

    await page.goto("/enclave/rd-centres")
    await page.get_by_role("link", name="深圳滑石研究院").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("研发中心 · 深圳滑石研究院")
    await page.get_by_label("成果转化项目（编号）").fill("no-such-project")
    await page.get_by_label("更正原因").fill("关联成果转化项目")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#project_ids-error")).to_have_text(
        "没有这个编号的项目，或该项目已作废。"
    )
    await page.get_by_label("成果转化项目（编号）").fill(project_id)
    await page.get_by_label("更正原因").fill("关联成果转化项目")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#fact-project_ids")).to_have_text(project_id)

    await page.goto(centre_url)
    hosted = page.get_by_role("table", name="入驻本中心的研发中心")
    await expect(hosted).to_contain_text("深圳滑石研究院")
    await expect(hosted).to_contain_text("入驻飞地的深圳研发机构")
    await expect(hosted).not_to_contain_text("广丰机械深圳研发中心")

    async with signed_in(browser, stack, Role.DISTRICT_LEADER, Site.DISTRICT) as leader:
        await leader.goto("/enclave/rd-centres")
        await expect(leader.get_by_role("table", name="在深科技研发中心")).to_contain_text(
            "深圳滑石研究院"
        )
        await expect(leader.get_by_role("button", name="登记研发中心")).to_have_count(0)
