"""The assessment pages in a real browser (Debian's Chromium) against the console and the four
services on real sockets and the suite's broker: a ticket resolved in time at the hotline
becomes a fact the assessor opens from its number; publication after its confirmation; a
manual entry refused beside its field, then entered and exported."""

from __future__ import annotations

import io
import json
from datetime import datetime

import httpx
import openpyxl
import pytest
from enclave_shared.auth import Role, issue_token
from playwright.async_api import Page, expect

from services.assessment.main import EXAMPLE_SCHEME
from services.console.formatting import SITE_ZONE
from tests.console.browser import Stack
from tests.console.browser import sign_in_page as sign_in
from tests.console.support import add_user
from tests.support import eventually

pytestmark = pytest.mark.browser


def _api(stack: Stack, service: str, role: Role) -> httpx.AsyncClient:
    key = stack.console.state.runtime.settings.signing_key()
    token = issue_token(key, role, sub=f"{role.value}-api")
    return httpx.AsyncClient(
        base_url=stack.service_urls[service], headers={"Authorization": f"Bearer {token}"}
    )


async def _scheme(stack: Stack, year: int) -> None:
    async with _api(stack, "assessment", Role.ASSESSOR) as api:
        resp = await api.put(f"/api/v1/schemes/{year}", json=json.loads(EXAMPLE_SCHEME.read_text()))
        assert resp.status_code == 200, resp.text


async def test_a_resolved_ticket_is_a_fact_behind_its_number_then_the_year_is_published(
    page: Page, stack: Stack
):
    year = datetime.now(SITE_ZONE).year  # the hotline resolves now: the fact is this year's
    await _scheme(stack, year)
    async with _api(stack, "hotline", Role.HOTLINE_AGENT) as hotline:
        ticket = (
            await hotline.post("/api/v1/tickets", json={"category": "tax", "description": "退税"})
        ).json()
        await hotline.post(f"/api/v1/tickets/{ticket['id']}/routing", json={"department": "税务"})
        await hotline.post(f"/api/v1/tickets/{ticket['id']}/resolution", json={"summary": "已退"})
    async with _api(stack, "assessment", Role.ASSESSOR) as api:

        async def counted() -> bool:
            facts = await api.get(f"/api/v1/assessments/{year}/facts")
            return any(f["subject"] == ticket["id"] for f in facts.json())

        await eventually(counted, timeout=20)
    await add_user(stack.console.state.runtime, "assessor-pub", Role.ASSESSOR)
    await sign_in(page, "assessor-pub")
    await page.get_by_role("link", name="得分与资金").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(f"{year} 年度考核")
    row = page.locator("#ind-tickets_resolved_within_sla")
    await row.get_by_role("link", name="1", exact=True).click()  # htmx: the facts below
    facts = page.locator("#facts")
    await expect(facts.locator("tr.fact")).to_have_count(1)
    await expect(facts).to_contain_text(ticket["id"])
    await expect(facts).to_contain_text("热线工单办结")
    await page.get_by_role("link", name="公布本年度…").click()
    await expect(page.locator("main")).to_contain_text(f"公布将冻结 {year} 年度")
    await page.get_by_role("button", name=f"确认公布并冻结 {year} 年度").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("已公布")
    await expect(page.get_by_role("link", name="公布本年度…")).to_have_count(0)


async def test_a_manual_entry_refused_beside_its_field_then_entered_and_exported(
    page: Page, stack: Stack
):
    await _scheme(stack, 2021)
    await add_user(stack.console.state.runtime, "assessor-manual", Role.ASSESSOR)
    await sign_in(page, "assessor-manual")
    await page.get_by_role("link", name="手工录入").click()
    await page.get_by_label("考核年度").select_option("2021")
    await page.get_by_role("button", name="筛选").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("2021 年度手工录入")
    form = page.locator('form[method="post"][action="/assessment/manual"]')
    await form.get_by_label("手工录入指标").select_option(label="专职团队人数")
    await form.get_by_label("录入数值").fill("-3")
    await form.get_by_label("佐证说明").fill("2021 年 12 月花名册")
    await form.get_by_role("button", name="提交录入").click()
    await expect(page.locator("#value-error")).to_contain_text("数值须不小于 0")
    await expect(page.get_by_label("佐证说明")).to_have_value("2021 年 12 月花名册")
    await page.get_by_label("录入数值").fill("6")
    await page.get_by_role("button", name="提交录入").click()
    entries = page.locator("#entries tbody tr.entry")
    await expect(entries).to_have_count(1)
    await expect(entries.first).to_contain_text("2021 年 12 月花名册")
    async with page.expect_download() as info:
        await page.get_by_role("link", name="导出 Excel").click()
    download = await info.value
    sheet = openpyxl.load_workbook(io.BytesIO((await download.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("专职团队人数", "6", "2021 年 12 月花名册") and len(rows) == 2


async def test_the_satisfied_revisits_show_under_their_chinese_label(page: Page, stack: Stack):
    # last year's call, dated by the agent: this year is published by the first test
    year = datetime.now(SITE_ZONE).year - 1
    day = f"{year}-06-03T"
    scheme = json.loads(EXAMPLE_SCHEME.read_text())
    incubation = scheme["dimensions"]["incubation"]["indicators"]
    next(i for i in incubation if i["key"] == "hq_enterprises")["points"] = 4
    incubation.append({"key": "tickets_satisfied", "target": 4, "points": 2})
    async with _api(stack, "assessment", Role.ASSESSOR) as api:
        resp = await api.put(f"/api/v1/schemes/{year}", json=scheme)
        assert resp.status_code == 200, resp.text
    async with _api(stack, "hotline", Role.HOTLINE_AGENT) as hotline:
        ticket = (
            await hotline.post(
                "/api/v1/tickets",
                json={"category": "tax", "description": "发票", "opened_at": day + "10:00+08:00"},
            )
        ).json()
        tid = ticket["id"]
        for what, body in [
            ("routing", {"department": "税务", "at": day + "10:30+08:00"}),
            ("resolution", {"summary": "已增量", "at": day + "11:00+08:00"}),
        ]:
            moved = await hotline.post(f"/api/v1/tickets/{tid}/{what}", json=body)
            assert moved.status_code == 200, moved.text
        revisited = await hotline.post(
            f"/api/v1/tickets/{tid}/revisits",
            json={"result": "basically_satisfied", "at": day + "11:30+08:00"},
        )
        assert revisited.status_code == 200, revisited.text
    async with _api(stack, "assessment", Role.ASSESSOR) as api:

        async def counted() -> bool:
            facts = await api.get(f"/api/v1/assessments/{year}/facts?indicator=tickets_satisfied")
            return [f["subject"] for f in facts.json()] == [tid]

        await eventually(counted, timeout=20)
    await add_user(stack.console.state.runtime, "assessor-satisfied", Role.ASSESSOR)
    await sign_in(page, "assessor-satisfied")
    await page.get_by_role("link", name="得分与资金").click()
    await page.get_by_label("考核年度").select_option(str(year))
    await page.get_by_role("button", name="查看", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(f"{year} 年度考核")
    row = page.locator("#ind-tickets_satisfied")
    await expect(row).to_contain_text("热线回访满意工单")
    await expect(row).to_contain_text("系统事件")  # counted from the events
    await row.get_by_role("link", name="1", exact=True).click()  # htmx: the facts below
    facts = page.locator("#facts")
    await expect(facts.get_by_role("heading")).to_contain_text("热线回访满意工单")
    await expect(facts.locator("tr.fact")).to_have_count(1)
    await expect(facts.locator("tr.fact")).to_contain_text(tid)
    await expect(facts.locator("tr.fact")).to_contain_text("热线工单回访")


async def test_the_scores_as_of_a_month(page: Page, stack: Stack):
    async with _api(stack, "assessment", Role.ASSESSOR) as api:
        resp = await api.put("/api/v1/schemes/2022", json=json.loads(EXAMPLE_SCHEME.read_text()))
        assert resp.status_code == 200, resp.text
    async with _api(stack, "hotline", Role.HOTLINE_AGENT) as hotline:
        for day in ("2022-03-15", "2022-07-15"):  # resolved in March, and in July
            at = f"{day}T10:00:00+08:00"
            tid = (
                await hotline.post(
                    "/api/v1/tickets", json={"category": "tax", "description": "x", "opened_at": at}
                )
            ).json()["id"]
            await hotline.post(
                f"/api/v1/tickets/{tid}/routing", json={"department": "税务", "at": at}
            )
            resolved = await hotline.post(
                f"/api/v1/tickets/{tid}/resolution", json={"summary": "已办", "at": at}
            )
            assert resolved.status_code == 200, resolved.text
    async with _api(stack, "assessment", Role.ASSESSOR) as api:

        async def counted() -> bool:
            facts = await api.get(
                "/api/v1/assessments/2022/facts?indicator=tickets_resolved_within_sla"
            )
            return len(facts.json()) == 2

        await eventually(counted, timeout=20)
    await add_user(stack.console.state.runtime, "assessor-as-of", Role.ASSESSOR)
    await sign_in(page, "assessor-as-of")
    await page.goto("/assessment?year=2022")
    row = page.locator("#ind-tickets_resolved_within_sla")
    await expect(row.get_by_role("link", name="2", exact=True)).to_be_visible()
    await page.get_by_label("截至月份").fill("2022-05")
    await page.get_by_role("button", name="查看", exact=True).click()
    await expect(page.locator("#as-of")).to_contain_text("截至 2022-05-31")
    await row.get_by_role("link", name="1", exact=True).click()  # only March's
    facts = page.locator("#facts")
    await expect(facts.locator("tr.fact")).to_have_count(1)
    await expect(facts.locator("tr.fact")).to_contain_text("2022")
    await expect(page.get_by_role("link", name="公布本年度…")).to_have_count(0)


async def test_the_plan_items_done_on_time_count_under_self_construction(page: Page, stack: Stack):
    year = 2023  # a year no other test of the stack assesses
    async with _api(stack, "assessment", Role.ASSESSOR) as api:
        resp = await api.put(f"/api/v1/schemes/{year}", json=json.loads(EXAMPLE_SCHEME.read_text()))
        assert resp.status_code == 200, resp.text
    async with _api(stack, "incubation", Role.ENCLAVE_OPERATOR) as incubation:
        for title, done_on in (("路演", f"{year}-03-20"), ("培训室", f"{year}-04-02")):
            body = {"title": title, "owner": "李娜", "due_month": f"{year}-03"}
            made = await incubation.post("/api/v1/plan-items", json=body)
            assert made.status_code == 201, made.text
            change = {"status": "done", "done_on": done_on, "reason": "月度复盘"}
            done = await incubation.patch(f"/api/v1/plan-items/{made.json()['id']}", json=change)
            assert done.status_code == 200, done.text
        closing = {"month": f"{year}-03", "results": "完成路演", "closed_on": f"{year}-04-03"}
        closed = await incubation.post("/api/v1/plan-months", json=closing)
        assert closed.status_code == 201, closed.text
    async with _api(stack, "assessment", Role.ASSESSOR) as api:

        async def counted() -> bool:
            url = f"/api/v1/assessments/{year}/facts?indicator=plan_items_done_on_time"
            return [f["subject"] for f in (await api.get(url)).json()] == [closed.json()["id"]]

        await eventually(counted, timeout=20)
    await add_user(stack.console.state.runtime, "assessor-plans", Role.ASSESSOR)
    await sign_in(page, "assessor-plans")
    await page.get_by_role("link", name="得分与资金").click()
    await page.get_by_label("考核年度").select_option(str(year))
    await page.get_by_role("button", name="查看", exact=True).click()
    row = page.locator("#ind-plan_items_done_on_time")
    await expect(row).to_contain_text("按时完成计划事项")
    await expect(page.locator("#dim-self_construction")).to_contain_text("自身建设")
    await row.get_by_role("link", name="1", exact=True).click()  # one of the two in time
    facts = page.locator("#facts")
    await expect(facts.get_by_role("heading")).to_contain_text("按时完成计划事项")
    await expect(facts.locator("tr.fact")).to_have_count(1)
    await expect(facts.locator("tr.fact")).to_contain_text("月度计划结项")
    await expect(facts.locator("tr.fact")).to_contain_text(f"{year}-03-31")
