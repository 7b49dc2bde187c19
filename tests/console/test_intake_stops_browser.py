"""Real-browser tests of a case that stops and of corrections on its page: suspend (grey on
the board, only resume and withdraw offered), resume, a milestone date corrected (and one
refused, naming both dates), a plot assigned, the case voided; demands and menu items
corrected and voided on their lists; a platform of the base added and voided on the wall's
settings page."""

from __future__ import annotations

import httpx
import pytest
from enclave_shared.auth import Role
from playwright.async_api import Page, expect

from tests.console.browser import Stack, sign_in_page
from tests.console.test_intake_pages import open_case, service_auth, user
from tests.support import unique

pytestmark = pytest.mark.browser


async def _sign_in(page: Page, username: str) -> None:
    await sign_in_page(page, username)
    await page.wait_for_url("**/")


async def test_an_officer_suspends_resumes_corrects_places_and_voids_a_case(
    page: Page, stack: Stack, kafka_bootstrap: str
):
    case = await open_case(stack, kafka_bootstrap, path="menu", enterprise="暂停科技")
    await _sign_in(page, await user(stack, Role.ZONE_OFFICER))
    await page.goto(f"/intake/cases/{case['id']}")
    await expect(page.get_by_role("button", name="恢复推进")).to_have_count(0)

    suspend = page.locator("#suspend-form")
    await suspend.get_by_label("暂停日期").fill("2021-03-05")
    await suspend.get_by_label("原因").fill("企业等待银行贷款")
    await suspend.get_by_role("button", name="暂停项目").click()
    await expect(page.locator("#case-status")).to_have_text("已暂停")
    await expect(page.locator("#case-colour")).to_have_text("灰（暂停）")
    await expect(page.locator("#case-stop-reason")).to_contain_text("企业等待银行贷款")
    await expect(page.get_by_role("button", name="暂停项目")).to_have_count(0)
    await expect(page.get_by_role("button", name="恢复推进")).to_have_count(1)
    await expect(page.get_by_role("button", name="退出（企业未落地）")).to_have_count(1)
    await expect(page.locator("#overdue-count")).to_contain_text("0")  # nothing owed
    suspended = page.locator('#audit-trail tr[data-action="enclave.case.suspended.v1"]')
    await expect(suspended).to_contain_text("企业等待银行贷款")  # the case's history

    await page.get_by_role("navigation", name="菜单").get_by_role("link", name="红黄蓝看板").click()
    await expect(
        page.locator("#cases-grey").get_by_role("link", name=case["title"])
    ).to_be_visible()
    await expect(page.locator("#cases-red").get_by_text(case["title"])).to_have_count(0)
    await page.locator("#cases-grey").get_by_role("link", name=case["title"]).click()

    resume = page.locator("#resume-form")
    await resume.get_by_label("恢复日期").fill("2021-03-20")
    await resume.get_by_role("button", name="恢复推进").click()
    await expect(page.locator("#case-status")).to_have_count(0)
    await expect(page.get_by_role("button", name="暂停项目")).to_have_count(1)

    await page.get_by_label("签约日期").fill("2021-04-01")
    await page.get_by_role("button", name="登记签约").click()
    await page.get_by_label("开工日期").fill("2021-04-21")
    await page.get_by_role("button", name="登记开工").click()
    await expect(page.locator("#case-colour")).to_have_text("黄")

    await page.get_by_text("更正项目信息").click()
    form = page.locator("#correct-form")
    await form.get_by_label("开工日期").fill("2021-03-25")  # before the signing
    await form.get_by_label("更正原因").fill("台账录入错误")
    await form.get_by_role("button", name="保存更正").click()
    error = page.locator("#construction_started_on-error")
    await expect(error).to_contain_text("2021-03-25")
    await expect(error).to_contain_text("signed_on (2021-04-01)")
    form = page.locator("#correct-form")
    await form.get_by_label("开工日期").fill("2021-04-11")
    await form.get_by_role("button", name="保存更正").click()
    await expect(page.get_by_text("10", exact=True)).to_be_visible()  # days to construction

    await page.get_by_label("所在地块").select_option("A2")
    await page.get_by_role("button", name="落位到分布图").click()
    await expect(page.locator("#case-plot")).to_have_text("A2")

    await page.get_by_text("作废此项目（误录）").click()
    await page.locator("#void-form").get_by_label("原因").fill("重复录入")
    await page.get_by_role("button", name="作废", exact=True).click()
    await expect(page.locator("#case-void")).to_contain_text("重复录入")
    await expect(page.locator("#correct-form")).to_have_count(0)  # a void case takes no form
    await page.goto("/intake/board")
    await expect(page.get_by_text(case["title"])).to_have_count(0)


async def test_an_officer_withdraws_a_case_and_it_leaves_the_colours(
    page: Page, stack: Stack, kafka_bootstrap: str
):
    case = await open_case(stack, kafka_bootstrap, path="menu", enterprise="退出科技")
    await _sign_in(page, await user(stack, Role.ZONE_OFFICER))
    await page.goto(f"/intake/cases/{case['id']}")
    withdraw = page.locator("#withdraw-form")
    await withdraw.get_by_label("退出日期").fill("2021-03-10")
    await withdraw.get_by_label("原因").fill("企业在外地落户")
    await withdraw.get_by_role("button", name="退出（企业未落地）").click()
    await expect(page.locator("#case-status")).to_have_text("已退出")
    for button in ("暂停项目", "恢复推进", "退出（企业未落地）", "登记签约"):
        await expect(page.get_by_role("button", name=button)).to_have_count(0)
    await page.goto("/intake/board")
    await expect(
        page.locator("#cases-withdrawn").get_by_role("link", name=case["title"])
    ).to_be_visible()
    await expect(page.locator("#cases-red").get_by_text(case["title"])).to_have_count(0)


async def test_an_officer_names_a_demands_partner_and_voids_a_menu_item(page: Page, stack: Stack):
    title, item = unique("需求"), unique("菜单")
    headers = service_auth(stack, Role.ZONE_OFFICER)
    async with httpx.AsyncClient(base_url=stack.service_urls["intake"], headers=headers) as api:
        made = await api.post(
            "/api/v1/rd-demands",
            json={
                "enterprise": "广丰阀门",
                "industry_chain": "advanced_machinery",
                "title": title,
                "submitted_on": "2021-02-01",
            },
        )
        demand = made.json()
        made = await api.post(
            "/api/v1/menu-items",
            json={
                "title": item,
                "industry_chain": "black_talc",
                "layout_category": "new_materials",
                "published_on": "2021-01-10",
            },
        )
        menu_item = made.json()
    await _sign_in(page, await user(stack, Role.ZONE_OFFICER))
    await page.get_by_role("navigation", name="菜单").get_by_role("link", name="研发需求").click()
    row = page.locator("#demands tr", has_text=title)
    await row.get_by_text("填写合作方").click()
    await row.get_by_label("合作方", exact=True).fill("深圳大学")
    await row.get_by_label("合作方类别").select_option("university")
    await row.get_by_label("大湾区内").check()
    await row.get_by_role("button", name="保存合作方").click()
    row = page.locator("#demands tr", has_text=title)
    await expect(row.locator(".partner")).to_have_text("深圳大学 · 高校 · 大湾区内")
    await row.get_by_text("作废").first.click()
    await row.get_by_label("原因").fill("误录")
    await row.get_by_role("button", name="作废").click()
    await expect(page.locator("#demands tr", has_text=title)).to_have_count(0)

    await page.get_by_role("navigation", name="菜单").get_by_role("link", name="菜单项目").click()
    row = page.locator("#menu-items tr", has_text=item)
    await row.get_by_text("更正").first.click()
    await row.get_by_label("发布日期").fill("2021-01-12")
    await row.get_by_label("更正原因").fill("日期有误")
    await row.get_by_role("button", name="保存更正").click()
    row = page.locator("#menu-items tr", has_text=item)
    await expect(row.locator("td").nth(3)).to_have_text("2021-01-12")
    async with httpx.AsyncClient(base_url=stack.service_urls["intake"], headers=headers) as api:
        stored = (await api.get(f"/api/v1/menu-items/{menu_item['id']}")).json()
        assert stored["published_on"] == "2021-01-12"
        assert (await api.get(f"/api/v1/rd-demands/{demand['id']}")).json()["voided_at"]


async def test_an_officer_adds_and_voids_a_platform_of_the_base(page: Page, stack: Stack):
    name = unique("院士工作站")
    await _sign_in(page, await user(stack, Role.ZONE_OFFICER))
    await page.get_by_role("navigation", name="菜单").get_by_role("link", name="上墙公示").click()
    form = page.locator("#platform-form")
    await form.get_by_label("平台类别").select_option("academician_workstation")
    await form.get_by_label("平台名称").fill(f"  {name}  ")
    await form.get_by_label("平台级别").select_option("provincial")  # not the talents' 人才层次
    await form.get_by_label("设立时间").fill("2020-09-01")
    await form.get_by_role("button", name="添加平台").click()
    row = page.locator("#platforms tr", has_text=name)
    shown = row.locator("td:nth-child(-n+4)")  # the name trimmed, the codes in Chinese
    await expect(shown).to_have_text([name, "院士工作站", "省级", "2020-09-01"])
    headers = service_auth(stack, Role.ZONE_OFFICER)
    async with httpx.AsyncClient(base_url=stack.service_urls["intake"], headers=headers) as api:
        stored = [p for p in (await api.get("/api/v1/platforms")).json() if p["name"] == name]
    assert [(p["kind"], p["level"], p["since"]) for p in stored] == [
        ("academician_workstation", "provincial", "2020-09-01")
    ]
    await page.goto("/wall")  # the public wall names the column as the form does
    await expect(page.locator("#platform-table th").nth(2)).to_have_text("平台级别")
    await expect(page.locator("#platform-table tr", has_text=name)).to_contain_text("省级")
    await page.goto("/intake/wall")
    row = page.locator("#platforms tr", has_text=name)
    await row.get_by_placeholder("原因").fill("误录")
    await row.get_by_role("button", name="作废").click()
    await expect(page.locator("#platforms tr", has_text=name)).to_have_count(0)
