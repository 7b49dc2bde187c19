"""The hotline pages through HTTP, with the real hotline service behind the console on a
socket and its real database: the queue (filters, SLA clocks, pages, export), a ticket's
page and its moves, the phone-call form, the district leader's read-only view."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import openpyxl
import pytest
from enclave_shared.app import create_app
from enclave_shared.auth import Role, issue_token
from enclave_shared.kafka import free_port

from services.console.config import ConsoleSettings
from services.console.formatting import SITE_ZONE
from services.console.pages import hotline
from services.hotline.main import SPEC as HOTLINE
from tests.conftest import SettingsFactory
from tests.console.support import RunningConsole, add_user, csrf_of, run_console, serve, sign_in


@dataclass
class Desk:
    """The console with the hotline service behind it, and an agent's client of the service."""

    console: RunningConsole
    api: httpx.AsyncClient

    async def ticket(self, **body: Any) -> dict[str, Any]:
        """Open a ticket straight at the service (as an earlier call would have)."""
        resp = await self.api.post("/api/v1/tickets", json={"description": "发票额度不足", **body})
        assert resp.status_code == 201, resp.text
        data: dict[str, Any] = resp.json()
        return data


@pytest.fixture
async def desk(make_settings: SettingsFactory) -> AsyncIterator[Desk]:
    settings = await make_settings("hotline", settings_class=HOTLINE.settings_class)
    token = issue_token(settings.signing_key(), Role.HOTLINE_AGENT, sub="agent-api")
    async with contextlib.AsyncExitStack() as stack:
        url = await stack.enter_async_context(serve(create_app(HOTLINE, settings)))
        closed = {f"{n}_url": f"http://127.0.0.1:{free_port()}" for n in ("incubation", "intake")}
        console_settings = await make_settings(
            "console",
            settings_class=ConsoleSettings,
            hotline_url=url,
            assessment_url=f"http://127.0.0.1:{free_port()}",
            **closed,
        )
        console = await stack.enter_async_context(run_console(console_settings))
        api = await stack.enter_async_context(
            httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"})
        )
        await add_user(console.runtime, "agent", Role.HOTLINE_AGENT)
        await sign_in(console.client, "agent")
        yield Desk(console, api)


def _ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


def _rows(html: str) -> list[str]:
    return re.findall(
        r'<tr class="ticket[^"]*">\s*<td><a href="/hotline/tickets/(HL-[0-9A-F]+)"', html
    )


async def _three(desk: Desk) -> tuple[str, str, str]:
    late = (await desk.ticket(category="tax", opened_at=_ago(days=10)))["id"]
    fresh = (await desk.ticket(category="permits"))["id"]
    done = (await desk.ticket(category="tax", opened_at=_ago(hours=2)))["id"]
    await desk.api.post(f"/api/v1/tickets/{done}/routing", json={"department": "税务局"})
    await desk.api.post(f"/api/v1/tickets/{done}/resolution", json={"summary": "已调增额度"})
    return late, fresh, done


async def test_the_queue_filters_and_shows_each_sla_clock_overdue_in_red(desk: Desk):
    late, fresh, done = await _three(desk)
    client = desk.console.client
    page = await client.get("/hotline/tickets")
    assert page.status_code == 200 and _rows(page.text) == [late, fresh, done]
    assert page.text.count('class="ticket overdue"') == 1
    # the clocks count working time: 4 working hours to accept, whatever the day it is now
    assert re.search(r'sla-overdue">受理时限 · 已超时 [\d.]+ 个工作小时', page.text)
    assert 'sla-on_track">受理时限 · 剩余 4 个工作小时' in page.text and "按时办结" in page.text
    assert "税务" in page.text and "审批许可" in page.text  # categories by their labels
    by_category = await client.get("/hotline/tickets", params={"category": "permits"})
    assert _rows(by_category.text) == [fresh]
    by_state = await client.get("/hotline/tickets", params={"status": "resolved"})
    assert _rows(by_state.text) == [done]
    by_sla = await client.get("/hotline/tickets", params={"sla": "overdue"})
    assert _rows(by_sla.text) == [late]
    both = await client.get("/hotline/tickets", params={"sla": "met", "category": "tax"})
    assert _rows(both.text) == [done] and "共 1 条" in both.text


async def test_the_queue_pages_by_the_services_total(desk: Desk, monkeypatch: pytest.MonkeyPatch):
    late, fresh, done = await _three(desk)
    monkeypatch.setattr(hotline, "PAGE_SIZE", 2)
    first = await desk.console.client.get("/hotline/tickets")
    assert _rows(first.text) == [late, fresh] and "共 3 条" in first.text
    assert 'href="/hotline/tickets?offset=2"' in first.text
    second = await desk.console.client.get("/hotline/tickets", params={"offset": 2})
    assert _rows(second.text) == [done] and "offset=0" in second.text


async def test_the_export_holds_exactly_the_filtered_tickets(desk: Desk):
    late, _fresh, done = await _three(desk)
    resp = await desk.console.client.get("/hotline/tickets.xlsx", params={"category": "tax"})
    assert resp.status_code == 200
    assert "filename*=UTF-8''%E7%83%AD%E7%BA%BF" in resp.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("工单编号", "工单状态", "类别", "工单类型") and rows[0][-1] == "时限状态"
    assert [r[0] for r in rows[1:]] == [late, done]
    assert rows[1][1] == "待受理" and rows[1][2] == "税务" and rows[1][-1] == "已超时"
    assert rows[2][1] == "已办结" and rows[2][-1] == "按时办结"
    overdue = await desk.console.client.get("/hotline/tickets.xlsx", params={"sla": "overdue"})
    sheet = openpyxl.load_workbook(io.BytesIO(overdue.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [late]


def _buttons(html: str) -> list[str]:
    moves = html[html.index('id="moves-title"') :] if 'id="moves-title"' in html else ""
    return re.findall(r'<button type="submit">([^<]+)</button>', moves.split("<section")[0])


async def test_a_ticket_offers_only_the_moves_its_state_allows(desk: Desk):
    ticket = (await desk.ticket(category="land"))["id"]
    client = desk.console.client
    url = f"/hotline/tickets/{ticket}"
    page = await client.get(url)
    assert page.status_code == 200 and "待受理" in page.text and "用地" in page.text
    assert _buttons(page.text) == ["受理", "分流", "不予受理"]
    token = csrf_of(page.text)
    accepted = await client.post(f"{url}/accept", data={"csrf_token": token, "at": ""})
    assert accepted.status_code == 303 and accepted.headers["location"] == url
    assert _buttons((await client.get(url)).text) == ["分流", "不予受理"]
    await client.post(f"{url}/route", data={"csrf_token": token, "department": "自然资源局"})
    routed = (await client.get(url)).text
    assert _buttons(routed) == ["重新分流", "签收", "退单", "办结", "不予受理"]
    assert "签收时限" in routed
    await client.post(f"{url}/sign", data={"csrf_token": token})
    assert _buttons((await client.get(url)).text) == ["申请延期", "办结"]
    asked = {"csrf_token": token, "reason": "需现场踏勘", "amount": "2", "unit": "days"}
    assert (await client.post(f"{url}/request_extension", data=asked)).status_code == 303
    pending = (await client.get(url)).text
    assert _buttons(pending) == ["提交审批", "办结"] and "申请延长: 2 个工作日" in pending
    decided = {"csrf_token": token, "approve": "yes", "note": "同意"}
    assert (await client.post(f"{url}/decide_extension", data=decided)).status_code == 303
    assert "已批准" in (await client.get(url)).text
    await client.post(f"{url}/resolve", data={"csrf_token": token, "summary": "已协调用地指标"})
    await client.post(f"{url}/note", data={"csrf_token": token, "text": "企业表示满意"})
    page = await client.get(url)
    assert _buttons(page.text) == ["记录回访", "关闭工单"]
    history = page.text[page.text.index('id="history"') :]
    assert [m for m in ("登记", "受理", "分流", "办结") if m in history] == [
        "登记",
        "受理",
        "分流",
        "办结",
    ]
    assert (
        "自然资源局" in page.text and "已协调用地指标" in page.text and "企业表示满意" in page.text
    )
    unexplained = await client.post(f"{url}/close", data={"csrf_token": token})
    assert unexplained.status_code == 422 and "请填写未经回访关闭的理由" in unexplained.text
    reason = {"csrf_token": token, "comment": "企业已迁出，无法回访"}
    closed = await client.post(f"{url}/close", data=reason)
    assert closed.status_code == 303
    page = await client.get(url)
    assert "已关闭" in page.text and _buttons(page.text) == []
    # a move the state no longer allows, sent anyway: refused by the service, said so here
    again = await client.post(f"{url}/resolve", data={"csrf_token": token, "summary": "x"})
    assert again.status_code == 422 and "工单状态已被他人更新" in again.text


async def test_a_refused_time_of_a_move_shows_beside_its_field(desk: Desk):
    ticket = (await desk.ticket(category="tax", opened_at=_ago(days=1)))["id"]
    client = desk.console.client
    url = f"/hotline/tickets/{ticket}"
    token = csrf_of((await client.get(url)).text)
    before_opening = (datetime.now() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    form = {"csrf_token": token, "department": "税务局", "at": before_opening}
    refused = await client.post(f"{url}/route", data=form)
    assert refused.status_code == 422
    assert 'id="route-at-error"' in refused.text and "不能早于工单的上一步办理时间" in refused.text
    assert 'value="税务局"' in refused.text and "待受理" in refused.text  # kept; not moved
    empty = await client.post(f"{url}/reject", data={"csrf_token": token, "reason": " "})
    assert empty.status_code == 422 and 'id="reject-reason-error"' in empty.text


async def test_a_phone_call_opens_a_ticket_and_a_future_time_is_refused_beside_it(desk: Desk):
    client = desk.console.client
    form_page = await client.get("/hotline/tickets/new")
    assert form_page.status_code == 200 and "人才政策" in form_page.text
    form = {
        "csrf_token": csrf_of(form_page.text),
        "category": "talent_policy",
        "description": "人才公寓申请进度",
        "enterprise_id": "ent-42",
        "request_type": "help",
        "channel": "walk_in",
        "caller_name": "王小明",
        "callback_number": "13812341234",
        "opened_at": (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    refused = await client.post("/hotline/tickets/new", data=form)
    assert refused.status_code == 422
    assert 'id="opened_at-error"' in refused.text and "来电时间不能晚于现在" in refused.text
    assert "人才公寓申请进度" in refused.text and 'value="ent-42"' in refused.text
    earlier = datetime.now(UTC) - timedelta(hours=1)
    local = earlier.astimezone(SITE_ZONE)
    opened = await client.post(
        "/hotline/tickets/new", data={**form, "opened_at": local.strftime("%Y-%m-%dT%H:%M")}
    )
    assert opened.status_code == 303
    ticket_id = opened.headers["location"].rsplit("/", 1)[-1]
    stored = (await desk.api.get(f"/api/v1/tickets/{ticket_id}")).json()
    assert stored["channel"] == "walk_in" and stored["enterprise_id"] == "ent-42"
    assert stored["request_type"] == "help" and stored["callback_number"] == "13812341234"
    assert stored["opened_at"][:16] == earlier.isoformat()[:16]  # China time typed, UTC kept


async def test_the_district_leader_reads_the_queue_and_tickets_with_no_forms(desk: Desk):
    late, _fresh, _done = await _three(desk)
    client = desk.console.client
    await add_user(desk.console.runtime, "leader", Role.DISTRICT_LEADER)
    client.cookies.clear()
    await sign_in(client, "leader")
    queue = await client.get("/hotline/tickets")
    assert queue.status_code == 200 and len(_rows(queue.text)) == 3
    page = await client.get(f"/hotline/tickets/{late}")
    assert page.status_code == 200 and late in page.text
    assert page.text.count('method="post"') == 1  # sign-out only
    token = csrf_of(page.text)
    refused = await client.post(f"/hotline/tickets/{late}/accept", data={"csrf_token": token})
    assert refused.status_code == 403
    assert (await client.get("/hotline/tickets/new")).status_code == 403


async def test_the_hotline_down_is_named_and_the_page_still_answers(console: RunningConsole):
    await add_user(console.runtime, "agent", Role.HOTLINE_AGENT)
    await sign_in(console.client, "agent")
    queue = await console.client.get("/hotline/tickets")
    assert queue.status_code == 200 and "飞地热线服务暂时无法访问" in queue.text
    assert "工单队列" in queue.text and "Traceback" not in queue.text
    form = await console.client.get("/hotline/tickets/new")
    assert form.status_code == 200 and "飞地热线服务暂时无法访问" in form.text
    ticket = await console.client.get("/hotline/tickets/HL-0000000000")
    assert ticket.status_code == 503 and "飞地热线服务暂时无法访问" in ticket.text


async def test_the_caller_is_masked_in_the_queue_and_for_the_leader_not_for_the_agent(desk: Desk):
    tid = (await desk.ticket(category="tax", caller_name="王小明", callback_number="13812341234"))[
        "id"
    ]
    client = desk.console.client
    queue = await client.get("/hotline/tickets")
    assert "138****1234" in queue.text and "13812341234" not in queue.text
    page = await client.get(f"/hotline/tickets/{tid}")
    assert 'id="callback-number">13812341234<' in page.text and "王小明" in page.text
    export = await client.get("/hotline/tickets.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    header, line = list(sheet.iter_rows(values_only=True))
    assert (
        line[header.index("回访电话")] == "138****1234" and line[header.index("来电人")] == "王**"
    )
    await add_user(desk.console.runtime, "leader", Role.DISTRICT_LEADER)
    client.cookies.clear()
    await sign_in(client, "leader")
    page = await client.get(f"/hotline/tickets/{tid}")
    assert 'id="callback-number">138****1234<' in page.text and "王小明" not in page.text


async def test_the_revisit_form_sends_back_then_closes(desk: Desk):
    tid = (await desk.ticket(category="tax"))["id"]
    await desk.api.post(f"/api/v1/tickets/{tid}/routing", json={"department": "税务局"})
    await desk.api.post(f"/api/v1/tickets/{tid}/resolution", json={"summary": "已调增额度"})
    client = desk.console.client
    url = f"/hotline/tickets/{tid}"
    token = csrf_of((await client.get(url)).text)
    back = {"csrf_token": token, "result": "dissatisfied", "note": "额度仍不够"}
    assert (await client.post(f"{url}/revisit", data=back)).status_code == 303
    page = (await client.get(url)).text
    assert "已签收" in page and "发回重办" in page and "不满意" in page
    assert _buttons(page) == ["申请延期", "办结"]
    await client.post(f"{url}/resolve", data={"csrf_token": token, "summary": "再次调增"})
    done = {"csrf_token": token, "result": "satisfied"}
    assert (await client.post(f"{url}/revisit", data=done)).status_code == 303
    page = (await client.get(url)).text
    assert "已关闭" in page and "revisit: satisfied" in page and _buttons(page) == []


async def test_the_departments_directory_page(desk: Desk):
    client = desk.console.client
    page = await client.get("/hotline/departments")
    assert page.status_code == 200 and "尚无部门" in page.text
    token = csrf_of(page.text)
    form = {"csrf_token": token, "code": "tax-gf", "name": "广丰区税务局", "contact": "0793-1"}
    added = await client.post("/hotline/departments", data={**form, "categories": ["tax"]})
    assert added.status_code == 303
    page = await client.get("/hotline/departments")
    assert "广丰区税务局" in page.text and "税务" in page.text and "停用" in page.text
    taken = await client.post("/hotline/departments", data={**form, "name": "另一个"})
    assert taken.status_code == 422 and 'id="code-error"' in taken.text
    assert 'value="另一个"' in taken.text
    ticket = (await desk.ticket(category="tax"))["id"]
    route_form = (await client.get(f"/hotline/tickets/{ticket}")).text
    assert '<option value="广丰区税务局">' in route_form  # the route form offers the directory
    off = await client.post("/hotline/departments/tax-gf/active", data={"csrf_token": token})
    assert off.status_code == 303
    assert "启用" in (await client.get("/hotline/departments")).text


async def test_the_figures_page(desk: Desk):
    _late, _fresh, done = await _three(desk)
    await desk.api.post(f"/api/v1/tickets/{done}/revisits", json={"result": "basically_satisfied"})
    page = await desk.console.client.get("/hotline/figures")
    assert page.status_code == 200
    overall = page.text[page.text.index('id="figures-overall"') :]
    assert "满意率</th><td>100.0%" in overall and "办结率</th><td>33.3%" in overall
    ranked = page.text[page.text.index('id="figures-departments"') :]
    assert "<td>1</td><td>税务局</td>" in ranked
    backwards = await desk.console.client.get(
        "/hotline/figures", params={"from": "2022-01-01", "to": "2021-01-01"}
    )
    assert backwards.status_code == 422 and "起始日期不能晚于截止日期" in backwards.text
