"""Real-browser tests of the support policies and five returns page (精细化保障与五回):
an officer publishes a policy, files and decides an application and enters a return; an
enterprise files for its own case and sees only its own applications."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from enclave_shared.auth import Role
from playwright.async_api import Page, expect

from tests.console.browser import Stack, sign_in_page
from tests.console.test_intake_pages import open_case, service_auth, user
from tests.support import unique

pytestmark = pytest.mark.browser


async def _settled(stack: Stack, kafka_bootstrap: str, enterprise: str) -> dict[str, Any]:
    case = await open_case(stack, kafka_bootstrap, enterprise=enterprise)
    headers = service_auth(stack, Role.ZONE_OFFICER)
    async with httpx.AsyncClient(base_url=stack.service_urls["intake"], headers=headers) as c:
        signed = await c.post(
            f"/api/v1/cases/{case['id']}/signing", json={"signed_on": "2021-04-01"}
        )
        assert signed.status_code == 200, signed.text
        settled: dict[str, Any] = signed.json()
        return settled


async def _policy(stack: Stack, title: str) -> dict[str, Any]:
    headers = service_auth(stack, Role.ZONE_OFFICER)
    async with httpx.AsyncClient(base_url=stack.service_urls["intake"], headers=headers) as c:
        body = {
            "kind": "equipment",
            "title": title,
            "gives": "设备购置补助",
            "published_on": "2021-01-01",
        }
        made = await c.post("/api/v1/support-policies", json=body)
        assert made.status_code == 201, made.text
        policy: dict[str, Any] = made.json()
        return policy


async def _open_the_page(page: Page, username: str) -> None:
    await sign_in_page(page, username)
    await page.wait_for_url("**/")
    menu = page.get_by_role("navigation", name="菜单")
    await menu.get_by_role("link", name="精细化保障与五回").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("精细化保障与五回成效")


async def test_an_officer_publishes_a_policy_decides_an_application_and_enters_a_return(
    page: Page, stack: Stack, kafka_bootstrap: str
):
    enterprise = unique("企业")
    case = await _settled(stack, kafka_bootstrap, enterprise)
    title = unique("贷款贴息")
    await _open_the_page(page, await user(stack, Role.ZONE_OFFICER))

    await page.get_by_text("新增保障政策").click()
    await page.get_by_label("政策类别").select_option("loan_interest")
    await page.locator("#title").fill(title)
    await page.get_by_label("支持内容").fill("贷款利息补贴50%")
    await page.get_by_label("支持上限（万元）").fill("100")
    await page.get_by_label("出台日期").fill("2021-01-05")
    await page.get_by_role("button", name="发布政策").click()
    await expect(page.locator("#support-policies")).to_contain_text(title)
    await expect(page.locator("#support-policies")).to_contain_text("贷款贴息")

    form = page.locator("#file-application")
    await form.get_by_label("落户企业").select_option(case["id"])
    await form.get_by_label("政策").select_option(label=title)
    await form.get_by_label("申请金额（万元）").fill("150")  # above the ceiling
    await form.get_by_label("申请日期").fill("2021-05-01")
    await page.get_by_role("button", name="提交申请").click()
    await expect(page.locator("#amount_asked-error")).to_contain_text("ceiling")
    await form.get_by_label("申请金额（万元）").fill("60")
    await page.get_by_role("button", name="提交申请").click()
    row = page.locator("#applications tr", has_text=enterprise)
    await expect(row).to_contain_text("待审批")

    await row.get_by_label("审批意见").select_option("granted")
    await row.get_by_label("批准金额（万元）").fill("50")
    await row.get_by_label("审批日期").fill("2021-06-01")
    await row.get_by_role("button", name="保存审批结果").click()
    row = page.locator("#applications tr", has_text=enterprise)
    await expect(row).to_contain_text("已批准")
    await expect(row).to_contain_text("50")

    before = await page.locator("#five-returns-summary td").nth(2).text_content()
    returns = page.locator("#record-return")
    await returns.get_by_label("项目").select_option(case["id"])
    await returns.get_by_label("五回类别").select_option("capital")
    await returns.get_by_label("资金回流（万元）").fill("1200")
    await returns.get_by_label("发生日期").fill("2021-07-01")
    await page.get_by_role("button", name="登记", exact=True).click()
    await expect(page.locator("#five-returns")).to_contain_text(case["title"])
    after = await page.locator("#five-returns-summary td").nth(2).text_content()
    assert float((after or "0").replace(",", "")) == float((before or "0").replace(",", "")) + 1200

    await page.goto("/wall")
    line = page.locator("#progress-table tbody tr", has_text=enterprise)
    await expect(line).to_contain_text("资金回流 1,200 万元")
    await expect(page.locator("#five-returns-total")).to_contain_text("全区五回成效合计")


async def test_an_enterprise_files_for_its_own_case_and_sees_only_its_own(
    page: Page, stack: Stack, kafka_bootstrap: str
):
    mine, theirs = unique("本企业"), unique("他企业")
    own = await _settled(stack, kafka_bootstrap, mine)
    other = await _settled(stack, kafka_bootstrap, theirs)
    policy = await _policy(stack, unique("设备补助"))
    headers = service_auth(stack, Role.ZONE_OFFICER)
    async with httpx.AsyncClient(base_url=stack.service_urls["intake"], headers=headers) as c:
        body = {
            "case_id": other["id"],
            "policy_id": policy["id"],
            "amount_asked": 9,
            "filed_on": "2021-05-02",
        }
        assert (await c.post("/api/v1/policy-applications", json=body)).status_code == 201
    await _open_the_page(page, await user(stack, Role.ENTERPRISE, enterprise_id=mine))
    await expect(page.get_by_text("新增保障政策")).to_have_count(0)
    await expect(page.locator("#record-return")).to_have_count(0)
    form = page.locator("#file-application")
    options = await form.get_by_label("落户企业").locator("option").all_text_contents()
    assert [o for o in options if o != "—"] == [f"{mine} · {own['title']}"]
    await form.get_by_label("落户企业").select_option(own["id"])
    await form.get_by_label("政策").select_option(label=policy["title"])
    await form.get_by_label("申请金额（万元）").fill("20")
    await form.get_by_label("申请日期").fill("2021-05-03")
    await page.get_by_role("button", name="提交申请").click()
    await expect(page.locator("#applications")).to_contain_text(mine)
    await expect(page.locator("#applications")).not_to_contain_text(theirs)
    await expect(page.locator("#applications tbody tr")).to_have_count(1)


async def test_the_ledger_shows_its_header_and_returns_and_corrects_the_header(
    page: Page, stack: Stack, kafka_bootstrap: str
):
    case = await _settled(stack, kafka_bootstrap, unique("企业"))
    headers = service_auth(stack, Role.ZONE_OFFICER)
    async with httpx.AsyncClient(base_url=stack.service_urls["intake"], headers=headers) as c:
        for body in (
            {"kind": "talent", "count": 3, "happened_on": "2021-05-01"},
            {"kind": "capital", "amount": "0.0005", "happened_on": "2021-05-02"},  # 5 yuan
        ):
            made = await c.post(f"/api/v1/cases/{case['id']}/returns", json=body)
            assert made.status_code == 201, made.text
    await sign_in_page(page, await user(stack, Role.ZONE_OFFICER))
    await page.wait_for_url("**/")
    await page.goto(f"/intake/cases/{case['id']}")
    await expect(page.locator("#case-returns")).to_contain_text("人才回归")
    await expect(page.locator("#case-returns")).to_contain_text("0.0005")
    await expect(page.locator("#case-investment")).to_have_text("—")
    await page.get_by_text("更正项目信息").click()
    form = page.locator("#correct-form")
    await form.get_by_label("投资额（万元）").fill("5000.1234")
    await form.get_by_label("计划用工（人）").fill("120")
    await form.get_by_label("更正原因").fill("签约材料")
    await form.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#case-investment")).to_have_text("5,000.1234")
    await expect(page.locator("#case-planned-jobs")).to_have_text("120")
    await expect(page.locator("#case-expected-output")).to_have_text("—")


async def test_an_officer_corrects_and_voids_policies_applications_and_returns(
    page: Page, stack: Stack, kafka_bootstrap: str
):
    enterprise = unique("企业")
    case = await _settled(stack, kafka_bootstrap, enterprise)
    policy = await _policy(stack, unique("设备补助"))
    headers = service_auth(stack, Role.ZONE_OFFICER)
    async with httpx.AsyncClient(base_url=stack.service_urls["intake"], headers=headers) as c:
        body = {"max_amount": 100, "reason": "上限"}
        assert (await c.patch(f"/api/v1/support-policies/{policy['id']}", json=body)).is_success
        body = {"case_id": case["id"], "policy_id": policy["id"], "amount_asked": 40}
        filed = await c.post("/api/v1/policy-applications", json={**body, "filed_on": "2021-05-02"})
        assert filed.status_code == 201, filed.text
        made = await c.post(
            f"/api/v1/cases/{case['id']}/returns",
            json={"kind": "talent", "count": 2, "happened_on": "2021-05-01"},
        )
        assert made.status_code == 201, made.text
        capital = await c.post(
            f"/api/v1/cases/{case['id']}/returns",
            json={"kind": "capital", "amount": "0.0005", "happened_on": "2021-05-03"},
        )
        assert capital.status_code == 201, capital.text
    application, entry = filed.json()["id"], made.json()["id"]
    await _open_the_page(page, await user(stack, Role.ZONE_OFFICER))

    policies = page.locator("#support-policies tr", has_text=policy["title"])
    await policies.get_by_text("更正", exact=True).click()
    form = page.locator(f"#correct-{policy['id']}")
    await expect(form.get_by_label("支持上限（万元）")).to_have_value("100")
    await form.get_by_label("支持上限（万元）").fill("80.5")
    await form.get_by_label("更正原因").fill("文件修订")
    await form.get_by_role("button", name="保存更正").click()
    policies = page.locator("#support-policies tr", has_text=policy["title"])
    await expect(policies).to_contain_text("80.50")

    row = page.locator(f"#application-{application}")
    await row.get_by_text("更正", exact=True).click()
    form = page.locator(f"#correct-{application}")
    await form.get_by_label("申请金额（万元）").fill("90")  # above the new ceiling
    await form.get_by_label("更正原因").fill("申请书")
    await form.get_by_role("button", name="保存更正").click()
    await expect(page.locator(f"#fix_amount_asked_{application}-error")).to_contain_text("ceiling")
    form = page.locator(f"#correct-{application}")
    await form.get_by_label("申请金额（万元）").fill("45.25")
    await form.get_by_role("button", name="保存更正").click()
    await expect(page.locator(f"#application-{application}")).to_contain_text("45.25")

    returns = page.locator("#five-returns tr", has_text=case["title"])
    await expect(returns.filter(has_text="资金回流")).to_contain_text("0.0005")  # to the yuan
    talent = returns.filter(has_text="人才回归")
    await talent.get_by_text("更正", exact=True).click()
    form = page.locator(f"#correct-{entry}")
    await form.get_by_label("数量").fill("3")
    await form.get_by_label("更正原因").fill("漏记一人")
    await form.get_by_role("button", name="保存更正").click()
    talent = page.locator("#five-returns tr", has_text=case["title"]).filter(has_text="人才回归")
    await expect(talent.locator("td").nth(2)).to_have_text("3")

    await talent.get_by_text("作废", exact=True).first.click()
    await talent.get_by_label("原因", exact=True).fill("重复录入")
    await talent.get_by_role("button", name="作废").click()
    await expect(
        page.locator("#five-returns tr", has_text=case["title"]).filter(has_text="人才回归")
    ).to_have_count(0)
    row = page.locator(f"#application-{application}")
    await row.get_by_text("作废", exact=True).first.click()
    await row.get_by_label("原因", exact=True).fill("企业撤回")
    await row.get_by_role("button", name="作废").click()
    await expect(page.locator(f"#application-{application}")).to_have_count(0)
