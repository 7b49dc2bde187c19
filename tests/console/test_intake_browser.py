"""Real-browser tests of the intake base's and the enterprise's pages: Debian's Chromium
against the console and the four services on real sockets."""

from __future__ import annotations

import io

import pytest
from enclave_shared.auth import Role
from openpyxl import load_workbook
from playwright.async_api import Page, expect

from tests.console.browser import Stack, sign_in_page
from tests.console.test_intake_pages import agent_ticket_seen_by, open_case, user
from tests.support import unique

pytestmark = pytest.mark.browser


async def _sign_in(page: Page, username: str) -> None:
    await sign_in_page(page, username)
    await page.wait_for_url("**/")


async def test_an_officer_moves_a_case_from_red_to_blue_on_its_ledger(
    page: Page, stack: Stack, kafka_bootstrap: str
):
    case = await open_case(stack, kafka_bootstrap, path="directed", enterprise="瞪羚科技")
    await _sign_in(page, await user(stack, Role.ZONE_OFFICER))
    await page.get_by_role("navigation", name="菜单").get_by_role("link", name="红黄蓝看板").click()
    await page.locator("#cases-red").get_by_role("link", name=case["title"]).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(case["title"])
    await expect(page.get_by_role("button", name="登记开工")).to_have_count(0)

    await page.get_by_label("签约日期").fill("2021-03-10")
    await page.get_by_role("button", name="登记签约").click()
    await page.get_by_label("开工日期").fill("2021-03-01")  # before the signing
    await page.get_by_role("button", name="登记开工").click()
    error = page.locator("#started_on-error")
    await expect(error).to_have_text("该日期早于上一阶段的日期。")
    await expect(page.get_by_label("开工日期")).to_have_value("2021-03-01")

    await page.get_by_label("开工日期").fill("2021-03-30")
    await page.get_by_role("button", name="登记开工").click()
    await expect(page.locator("h1 .badge")).to_have_text("黄")
    await page.get_by_label("投产日期").fill("2021-10-08")
    await page.get_by_role("button", name="登记投产").click()
    await expect(page.locator("h1 .badge")).to_have_text("蓝")
    await expect(page.locator("#move-form")).to_have_count(0)

    await page.get_by_label("进度日期").fill("2021-04-02")
    await page.get_by_label("工作内容").fill("设备进场")
    await page.get_by_role("button", name="添加工作进度").click()
    await expect(page.locator("#progress")).to_contain_text("设备进场")


async def test_the_board_filtered_by_chain_exports_exactly_its_cases(
    page: Page, stack: Stack, kafka_bootstrap: str
):
    chain_case = await open_case(stack, kafka_bootstrap, chain="culture_tourism", path="delivery")
    await open_case(stack, kafka_bootstrap, chain="digital_economy")
    await _sign_in(page, await user(stack, Role.ZONE_OFFICER))
    await page.goto("/intake/board")
    await page.get_by_label("产业链").select_option("culture_tourism")
    await page.get_by_role("button", name="筛选").click()
    await expect(page).to_have_url(f"{stack.url}/intake/board?path=&chain=culture_tourism")
    await expect(page.locator("#count-red")).to_have_text("1")
    async with page.expect_download() as info:
        await page.get_by_role("link", name="导出 Excel").click()
    download = await info.value
    book = load_workbook(io.BytesIO((await download.path()).read_bytes()))
    rows = list(book.active.iter_rows(values_only=True))
    assert [r[:4] for r in rows[1:]] == [("红", chain_case["title"], None, "配送式")]


async def test_an_enterprise_raises_a_ticket_and_sees_its_own_case(
    page: Page, stack: Stack, kafka_bootstrap: str
):
    account = unique("ent")
    case = await open_case(stack, kafka_bootstrap, enterprise=account, title="我的承接项目")
    await agent_ticket_seen_by(stack, account, case)  # the hotline knows the case as its own
    await _sign_in(page, await user(stack, Role.ENTERPRISE, enterprise_id=account))
    await page.get_by_role("navigation", name="菜单").get_by_role("link", name="我的项目").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("我的承接项目")
    await expect(page.get_by_role("button", name="登记签约")).to_have_count(0)

    await page.goto("/enterprise/tickets")
    await page.get_by_label("类别").select_option("utilities")
    await page.get_by_label("涉及的项目").select_option(label="我的承接项目")
    await page.get_by_label("问题描述").fill("   ")  # only spaces: the hotline refuses it
    await page.get_by_role("button", name="提交").click()
    await expect(page.locator("#description-error")).to_be_visible()
    await page.get_by_label("问题描述").fill("厂房用电尚未接通")
    await page.get_by_role("button", name="提交").click()
    await expect(page.locator("#my-tickets")).to_contain_text("厂房用电尚未接通")
    await expect(page.locator("#my-tickets")).to_contain_text("待受理")
