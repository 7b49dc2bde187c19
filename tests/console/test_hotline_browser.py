"""The hotline pages in a real browser (Debian's Chromium) against the console and the four
services on real sockets: a phone call taken and worked by clicking, a refused time beside
its field, the queue filtered by SLA state and exported, the banner while the working-day
calendar runs out."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

import httpx
import openpyxl
import pytest
from enclave_shared.auth import Role, Site, issue_token
from playwright.async_api import Browser, Page, expect

from services.console.formatting import SITE_ZONE
from tests.console.browser import Stack, signed_in
from tests.console.browser import sign_in_page as sign_in
from tests.console.support import add_user

pytestmark = pytest.mark.browser


async def _agent(stack: Stack, name: str) -> str:
    await add_user(stack.console.state.runtime, name, Role.HOTLINE_AGENT)
    return name


def _api(stack: Stack) -> httpx.AsyncClient:
    key = stack.console.state.runtime.settings.signing_key()
    token = issue_token(key, Role.HOTLINE_AGENT, sub="agent-api")
    return httpx.AsyncClient(
        base_url=stack.service_urls["hotline"], headers={"Authorization": f"Bearer {token}"}
    )


async def test_an_agent_takes_a_call_and_works_the_ticket_by_clicking(page: Page, stack: Stack):
    await sign_in(page, await _agent(stack, "agent-call"))
    await page.get_by_role("link", name="新建工单").click()
    form = page.locator('form[action="/hotline/tickets/new"]')
    await form.get_by_label("类别").select_option(label="用地")
    await form.get_by_label("问题描述").fill("厂房用地指标迟迟未批")
    await form.get_by_label("诉求类型").select_option(label="投诉")
    await form.get_by_label("渠道").select_option(label="来访")
    await form.get_by_label("来电人姓名").fill("王小明")
    await form.get_by_label("回访电话").fill("13812341234")
    tomorrow = (datetime.now(SITE_ZONE) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    await form.get_by_label("来电时间").fill(tomorrow)
    await form.get_by_role("button", name="登记工单").click()
    await expect(page.locator("#opened_at-error")).to_have_text("来电时间不能晚于现在。")
    await expect(page.get_by_label("问题描述")).to_have_value("厂房用地指标迟迟未批")
    await page.get_by_label("来电时间").fill("")
    await page.get_by_role("button", name="登记工单").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("待受理")
    await expect(page.locator("#callback-number")).to_have_text("13812341234")  # the agent
    await expect(page.locator("#time-left")).to_contain_text("受理时限 · 剩余 4 个工作小时")
    moves = page.locator(".ticket-moves")
    await expect(moves.get_by_role("button")).to_have_text(["受理", "分流", "不予受理"])
    await moves.get_by_role("button", name="受理", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("已受理")
    await expect(moves.get_by_role("button")).to_have_text(["分流", "不予受理"])
    await moves.get_by_label("分流至部门").fill("区自然资源局")
    await moves.get_by_role("button", name="分流", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("已分流")
    await moves.get_by_label("办理结果").fill("已协调，指标本周下达")
    await moves.get_by_role("button", name="办结").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("已办结")
    await expect(moves.get_by_role("button")).to_have_text(["记录回访", "关闭工单"])
    await expect(page.locator("#history")).to_contain_text("区自然资源局")
    await page.get_by_label("备注", exact=True).fill("企业确认已收到")
    await page.get_by_role("button", name="添加备注").click()
    await expect(page.locator("#notes")).to_contain_text("企业确认已收到")
    await page.get_by_role("link", name="返回工单队列").click()
    await expect(page.locator("#tickets")).to_contain_text("138****1234")  # lists mask it
    await expect(page.locator("#tickets")).not_to_contain_text("13812341234")


async def test_the_closed_loop_by_clicking(page: Page, stack: Stack):
    await sign_in(page, await _agent(stack, "agent-loop"))
    await page.get_by_role("link", name="部门名录").first.click()
    await page.get_by_label("部门代码").fill("tax-gf")
    await page.get_by_label("部门", exact=True).fill("广丰区税务局")
    await page.get_by_label("联系方式").fill("0793-2611111")
    await page.get_by_label("税务").check()
    await page.get_by_role("button", name="添加部门").click()
    await expect(page.locator("#departments")).to_contain_text("广丰区税务局")
    await page.get_by_role("link", name="新建工单").click()
    form = page.locator('form[action="/hotline/tickets/new"]')
    await form.get_by_label("类别").select_option(label="税务")
    await form.get_by_label("问题描述").fill("发票额度不足")
    await form.get_by_role("button", name="登记工单").click()
    moves = page.locator(".ticket-moves")
    await moves.get_by_label("分流至部门").fill("广丰区税务局")
    await moves.get_by_role("button", name="分流", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("已分流")
    await expect(page.locator("#time-left")).to_contain_text("签收时限")
    await expect(moves.get_by_role("button")).to_have_text(
        ["重新分流", "签收", "退单", "办结", "不予受理"]
    )
    await moves.get_by_label("退单理由").fill("非本单位职能")
    await moves.get_by_role("button", name="退单").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("已受理")
    await moves.get_by_label("分流至部门").fill("广丰区税务局")
    await moves.get_by_role("button", name="分流", exact=True).click()
    await moves.get_by_role("button", name="签收").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("已签收")
    await expect(page.locator("#time-left")).to_contain_text("办结时限 · 剩余")
    await moves.get_by_label("延期理由").fill("需调取历史票据")
    await moves.get_by_label("延长工作时间").fill("3")
    await moves.get_by_role("button", name="申请延期").click()
    await expect(page.locator("#pending-extension")).to_contain_text("3 个工作日")
    await expect(moves.get_by_role("button")).to_have_text(["提交审批", "办结"])
    await moves.get_by_label("同意延期").check()
    await moves.get_by_role("button", name="提交审批").click()
    await expect(page.locator("#extensions")).to_contain_text("已批准")
    await moves.get_by_label("办理结果").fill("已调增额度")
    await moves.get_by_role("button", name="办结").click()
    await moves.get_by_label("回访结果").select_option(label="不满意")
    await moves.get_by_label("回访记录").fill("额度仍不够")
    await moves.get_by_role("button", name="记录回访").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("已签收")  # sent back
    await expect(page.locator("main")).to_contain_text("发回重办")
    await moves.get_by_label("办理结果").fill("再次调增额度")
    await moves.get_by_role("button", name="办结").click()
    await moves.get_by_label("回访结果").select_option(label="满意")
    await moves.get_by_role("button", name="记录回访").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("已关闭")
    await expect(page.locator("#revisits")).to_contain_text("不满意")
    await expect(page.locator("#revisits")).to_contain_text("满意")
    await page.get_by_role("link", name="热线考核指标").first.click()
    await expect(page.locator("#figures-overall")).to_contain_text("满意率")
    # the department's row: signed late? no; resolved in time, revisited, satisfied, sent back
    row = page.locator("#figures-departments").get_by_role("row", name="广丰区税务局")
    await expect(row.get_by_role("cell")).to_have_text(
        ["1", "广丰区税务局", "1", "100.0%", "100.0%", "100.0%", "100.0%", "100.0%", "100.0%",
         re.compile(r"^[\d.]+$")]
    )  # fmt: skip


async def test_the_queue_filtered_by_sla_state_exports_exactly_those_tickets(
    page: Page, stack: Stack
):
    async with _api(stack) as api:
        late_at = (datetime.now(UTC) - timedelta(days=6)).isoformat()
        body = {"category": "utilities", "description": "厂区停水三天"}
        late = (await api.post("/api/v1/tickets", json={**body, "opened_at": late_at})).json()
        await api.post("/api/v1/tickets", json={**body, "description": "电力增容咨询"})
    await sign_in(page, await _agent(stack, "agent-queue"))
    await page.get_by_role("link", name="工单队列").click()
    await page.get_by_label("时限状态").select_option(label="已超时")
    await page.get_by_label("类别").select_option(label="水电气")
    await page.get_by_role("button", name="筛选").click()
    await expect(page).to_have_url(
        f"{stack.url}/hotline/tickets?status=&category=utilities&sla=overdue&outcome=&department=&from=&to="
    )
    rows = page.locator("#tickets tbody tr")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(late["id"])
    await expect(rows.first).to_have_class("ticket overdue")
    color = await rows.first.locator(".sla").evaluate("e => getComputedStyle(e).color")
    assert color == "rgb(198, 40, 40)"  # the palette's red (--red: #c62828)
    async with page.expect_download() as info:
        await page.get_by_role("link", name="导出 Excel").click()
    download = await info.value
    assert download.suggested_filename == "热线工单.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO((await download.path()).read_bytes())).active
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[-1]) for r in lines] == [(late["id"], "水电气", "已超时")]


async def test_an_agent_corrects_a_ticket_then_voids_it_by_clicking(page: Page, stack: Stack):
    async with _api(stack) as api:
        resp = await api.post(
            "/api/v1/tickets",
            json={"category": "tax", "description": "厂房用电报装", "request_type": "consult"},
        )
        tid = resp.json()["id"]
    await sign_in(page, await _agent(stack, "agent-correct"))
    await page.goto(f"/hotline/tickets/{tid}")
    form = page.locator(f'form[action="/hotline/tickets/{tid}/correct"]')
    await form.get_by_label("类别").select_option(label="水电气")
    await form.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#correction_reason-error")).to_have_text("请填写理由。")
    await form.get_by_label("诉求类型").select_option(label="求助")
    await form.get_by_label("更正原因").fill("来电内容记错")
    await form.get_by_role("button", name="保存更正").click()
    record = page.locator("dl.record")
    await expect(record).to_contain_text("水电气")
    await expect(record).to_contain_text("求助")
    trail = page.locator("#audit-trail")
    await expect(trail.locator("tr[data-action='enclave.ticket.corrected.v1']")).to_contain_text(
        "来电内容记错"
    )
    voiding = page.locator(f'form[action="/hotline/tickets/{tid}/void"]')
    await voiding.get_by_label("作废原因").fill("测试来电")
    await voiding.get_by_role("button", name="作废工单").click()
    await expect(page.locator("#confirm-error")).to_have_text("请勾选确认。")
    await page.get_by_label("作废原因").fill("测试来电")
    await page.get_by_label("我确认作废此工单").check()
    await page.get_by_role("button", name="作废工单").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("已作废")
    await expect(page.locator("#voided")).to_contain_text("测试来电")
    await expect(page.locator(".ticket-moves")).to_have_count(0)  # a void ticket takes none
    await expect(page.locator(f'form[action="/hotline/tickets/{tid}/correct"]')).to_have_count(0)
    await page.get_by_role("link", name="返回工单队列").click()
    await expect(page.locator("#tickets")).not_to_contain_text(tid)


async def test_the_queue_filtered_by_opening_dates_as_the_dispatch_links_it(
    page: Page, stack: Stack
):
    async with _api(stack) as api:
        ids = {}
        for day in ("2021-04-30", "2021-05-10", "2021-06-01"):
            resp = await api.post(
                "/api/v1/tickets",
                json={
                    "category": "tax",
                    "description": f"来电 {day}",
                    "opened_at": f"{day}T23:30:00+08:00",  # late: another UTC date
                },
            )
            assert resp.status_code == 201, resp.text
            ids[day] = resp.json()["id"]
    await sign_in(page, await _agent(stack, "agent-dates"))
    await page.goto("/hotline/tickets")
    await page.get_by_label("登记日期自").fill("2021-05-01")
    await page.get_by_label("登记日期至").fill("2021-05-31")
    await page.get_by_role("button", name="筛选").click()
    rows = page.locator("#tickets tbody tr")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(ids["2021-05-10"])
    # the dispatch's link: the month's tickets, by the same query
    await page.goto("/hotline/tickets?from=2021-05-01&to=2021-05-31")
    await expect(page.locator("#tickets tbody tr")).to_have_count(1)
    await page.goto("/hotline/tickets?from=2021-04-30&to=2021-04-30")
    await expect(page.locator("#tickets")).to_contain_text(ids["2021-04-30"])
    await expect(page.locator("#tickets")).not_to_contain_text(ids["2021-05-10"])


async def test_the_queue_narrows_to_the_resolved_tickets_by_clicking(page: Page, stack: Stack):
    """办理结果 = 已办结: the tickets the figures count as resolved (the dispatch links here)."""
    ids = []
    async with _api(stack) as api:
        for text in ("已办结的来电", "仍在办理的来电"):
            body = {
                "category": "utilities",
                "description": text,
                "opened_at": "2020-02-03T10:00:00+08:00",  # a day of this test's own
            }
            resp = await api.post("/api/v1/tickets", json=body)
            assert resp.status_code == 201, resp.text
            ids.append(resp.json()["id"])
        done = ids[0]
        for move, body in (
            ("routing", {"department": "power"}),
            ("resolution", {"summary": "修复"}),
        ):
            resp = await api.post(f"/api/v1/tickets/{done}/{move}", json=body)
            assert resp.status_code == 200, resp.text
    await sign_in(page, await _agent(stack, "agent-outcome"))
    await page.goto("/hotline/tickets")
    await page.get_by_label("登记日期自").fill("2020-02-03")
    await page.get_by_label("登记日期至").fill("2020-02-03")
    await page.get_by_label("办理结果").select_option(label="已办结（含办结后关闭）")
    await page.get_by_role("button", name="筛选").click()
    rows = page.locator("#tickets tbody tr")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(done)
    await page.get_by_label("办理结果").select_option(label="不限办理结果")
    await page.get_by_role("button", name="筛选").click()
    await expect(rows).to_have_count(2)


@contextmanager
def hotline_today(stack: Stack, day: date) -> Iterator[None]:
    """The hotline's clock at 09:00 (China time) on `day`, then back to its own."""
    runtime = stack.apps["hotline"].state.runtime
    own = runtime.clock
    runtime.clock = lambda: datetime.combine(day, time(9), SITE_ZONE)
    try:
        yield
    finally:
        runtime.clock = own


async def test_the_calendar_running_out_is_a_banner_on_every_hotline_page(
    page: Page, stack: Stack, browser: Browser
):
    until = stack.apps["hotline"].state.runtime.settings.calendar_coverage().until
    banner = page.locator("#calendar-warning")
    words = (
        f"工作日历只覆盖到{until.year}年{until.month}月{until.day}日，"
        f"请在此前导入{until.year + 1}年节假日安排（HOTLINE_CALENDAR_FILE）。"
    )
    await sign_in(page, await _agent(stack, "agent-calendar"))
    with hotline_today(stack, until - timedelta(days=100)):  # covered: no banner
        await page.goto("/hotline/tickets")
        await expect(page.get_by_role("heading", level=1)).to_have_text("工单队列")
        await expect(banner).to_have_count(0)
    with hotline_today(stack, until - timedelta(days=30)):  # fewer than 45 days left
        await page.reload()
        await expect(banner).to_have_text(words)
        await page.get_by_role("link", name="新建工单").click()
        await expect(banner).to_have_text(words)
        form = page.locator('form[action="/hotline/tickets/new"]')
        await form.get_by_label("问题描述").fill("年底的来电")
        await form.get_by_role("button", name="登记工单").click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text("待受理")
        await expect(banner).to_have_text(words)
        await page.get_by_role("link", name="返回工单队列").click()
        await page.get_by_role("link", name="部门名录").first.click()
        await expect(banner).to_have_text(words)
        await page.goto("/hotline/figures")
        await expect(banner).to_have_text(words)
        async with signed_in(browser, stack, Role.DISTRICT_LEADER, Site.DISTRICT) as leader:
            await leader.goto("/hotline/tickets")  # a reader, who imports nothing
            await expect(leader.get_by_role("heading", level=1)).to_have_text("工单队列")
            await expect(leader.locator("#calendar-warning")).to_have_count(0)
    with hotline_today(stack, until + timedelta(days=1)):  # run out
        await page.goto("/hotline/tickets")
        await expect(banner).to_contain_text(f"工作日历已于{until.year}年12月31日到期")
