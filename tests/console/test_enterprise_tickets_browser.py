"""Real-browser test of the enterprise's tickets (Debian's Chromium against the console and
the four services on one broker): the ticket an agent opened about its case is listed with
what it is about and who opened it, beside the one it raises itself."""

from __future__ import annotations

import pytest
from enclave_shared.auth import Role
from playwright.async_api import Page, expect

from tests.console.browser import Stack, sign_in_page
from tests.console.test_intake_pages import agent_ticket_seen_by, open_case, user
from tests.support import unique

pytestmark = pytest.mark.browser


async def test_an_enterprise_sees_the_agents_ticket_about_its_case_and_raises_its_own(
    page: Page, stack: Stack, kafka_bootstrap: str
):
    account = unique("ent")
    case = await open_case(stack, kafka_bootstrap, enterprise=account, title="归属测试项目")
    by_agent = await agent_ticket_seen_by(stack, account, case)
    await sign_in_page(page, await user(stack, Role.ENTERPRISE, enterprise_id=account))
    await page.wait_for_url("**/")
    await page.goto("/enterprise/tickets")
    table = page.locator("#my-tickets")
    agents_row = table.get_by_role("row").filter(has_text=by_agent)
    await expect(agents_row).to_contain_text("归属测试项目")  # 涉及: its case, by title
    await expect(agents_row).to_contain_text("热线坐席登记")
    await expect(table.get_by_role("columnheader", name="登记方")).to_be_visible()

    await page.get_by_label("类别").select_option("utilities")
    await page.get_by_label("涉及的项目").select_option(label="归属测试项目")
    await page.get_by_label("问题描述").fill("厂房用电尚未接通")
    await page.get_by_role("button", name="提交").click()
    own_row = table.get_by_role("row").filter(has_text="厂房用电尚未接通")
    await expect(own_row).to_contain_text("本企业提交")
    await expect(own_row).to_contain_text("归属测试项目")
    await expect(table.get_by_role("row")).to_have_count(3)  # the header and both tickets
