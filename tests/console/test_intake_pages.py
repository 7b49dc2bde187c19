"""The intake base's and the enterprise's pages through HTTP, with the four services running
on real sockets (cases opened by ProjectMatured events on the suite's broker)."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
from enclave_shared.auth import Role, issue_token
from enclave_shared.catalog.incubation import IntakePath, ProjectMatured
from enclave_shared.events import new_event
from openpyxl import load_workbook

from services.console import menu
from tests.console.browser import Stack
from tests.console.support import RunningConsole, add_user, csrf_of, sign_in
from tests.support import eventually, produce_raw, unique

_names = itertools.count()
INTAKE_ITEMS = (
    "intake.board",
    "intake.demands",
    "intake.menu",
    "intake.wall",
    "enterprise.case",
    "enterprise.tickets",
)


async def user(stack: Stack, role: Role, **extra: Any) -> str:
    """A new account of the role on the stack's console."""
    username = f"{role.value.replace('_', '-')}-{next(_names)}"
    await add_user(stack.console.state.runtime, username, role, **extra)
    return username


def service_auth(stack: Stack, role: Role, sub: str | None = None) -> dict[str, str]:
    """A token for calling a service directly, signed as the console signs."""
    key = stack.console.state.runtime.settings.signing_key()
    return {"Authorization": f"Bearer {issue_token(key, role, sub=sub)}"}


async def open_case(
    stack: Stack,
    kafka_bootstrap: str,
    *,
    path: str = "menu",
    chain: str = "metal_new_materials",
    enterprise: str | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """Send a ProjectMatured event as incubation does; wait for intake to open the case."""
    project_id = unique("p")
    event = new_event(
        ProjectMatured(
            project_id=project_id,
            title=title or f"项目 {project_id}",
            path=IntakePath(path),
            industry_chain=chain,
            enterprise=enterprise,
            matured_on=date(2021, 3, 1),
        )
    )
    prefix = stack.console.state.runtime.settings.topic_prefix
    await produce_raw(
        kafka_bootstrap, f"{prefix}.incubation", [(project_id.encode(), event.to_bytes())]
    )
    headers = service_auth(stack, Role.ZONE_OFFICER)
    async with httpx.AsyncClient(base_url=stack.service_urls["intake"], headers=headers) as c:

        async def found() -> dict[str, Any] | None:
            rows = (await c.get("/api/v1/cases", params={"project_id": project_id})).json()
            return rows[0] if rows else None

        case: dict[str, Any] = await eventually(found)
        return case


async def agent_ticket_seen_by(stack: Stack, account: str, case: dict[str, Any]) -> str:
    """An agent opens a ticket about the case; wait until the hotline shows it to the case's
    account (intake's CaseAccountAssigned has reached it)."""
    url = stack.service_urls["hotline"]
    async with httpx.AsyncClient(base_url=url) as hotline:
        opened = await hotline.post(
            "/api/v1/tickets",
            json={"category": "land", "description": "用地手续咨询", "case_id": case["id"]},
            headers=service_auth(stack, Role.HOTLINE_AGENT, sub="agent-li"),
        )
        assert opened.status_code == 201, opened.text
        ticket_id: str = opened.json()["id"]

        async def seen() -> bool | None:
            listed = await hotline.get(
                "/api/v1/tickets", headers=service_auth(stack, Role.ENTERPRISE, sub=account)
            )
            return True if ticket_id in [t["id"] for t in listed.json()] else None

        await eventually(seen)
    return ticket_id


@pytest.fixture
async def client(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    # A browser waits longer than httpx's 5 s for a page on a loaded machine (CI: 3 workers)
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        yield http


async def signed_in(client: httpx.AsyncClient, stack: Stack, role: Role, **extra: Any) -> str:
    username = await user(stack, role, **extra)
    assert (await sign_in(client, username)).status_code == 303
    return username


def xlsx_rows(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Each sheet of a workbook as its rows (the header row first)."""
    book = load_workbook(io.BytesIO(content))
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book}


async def test_intake_and_enterprise_pages_answer_their_roles_with_the_services_down(
    console: RunningConsole,
):
    for role in (Role.ZONE_OFFICER, Role.DISTRICT_LEADER, Role.ENTERPRISE, Role.HOTLINE_AGENT):
        username = f"x.{role.value.replace('_', '.')}"
        enterprise = "ent-x" if role is Role.ENTERPRISE else None
        await add_user(console.runtime, username, role, enterprise_id=enterprise)
        console.client.cookies.clear()
        assert (await sign_in(console.client, username)).status_code == 303
        for key in INTAKE_ITEMS:
            item = menu.item(key)
            resp = await console.client.get(item.path)
            assert resp.status_code == (200 if role in item.roles else 403), (role, item.path)
            if resp.status_code == 200:
                assert "暂时无法访问" in resp.text and "Traceback" not in resp.text


async def test_the_board_counts_each_colour_filters_by_path_and_chain_and_exports_that(
    stack: Stack, kafka_bootstrap: str, client: httpx.AsyncClient
):
    chain = "black_talc"  # a chain only this test uses
    red = await open_case(stack, kafka_bootstrap, path="directed", chain=chain, enterprise="红企业")
    other = await open_case(stack, kafka_bootstrap, path="menu", chain=chain, enterprise="黄企业")
    await open_case(stack, kafka_bootstrap, path="directed", chain="advanced_machinery")
    intake = stack.service_urls["intake"]
    headers = service_auth(stack, Role.ZONE_OFFICER)
    async with httpx.AsyncClient(base_url=intake, headers=headers) as api:
        await api.post(f"/api/v1/cases/{other['id']}/signing", json={"signed_on": "2021-03-05"})
        moved = await api.post(
            f"/api/v1/cases/{other['id']}/construction", json={"started_on": "2021-03-20"}
        )
        assert moved.json()["color"] == "yellow"
    await signed_in(client, stack, Role.ZONE_OFFICER)

    board = await client.get("/intake/board", params={"chain": chain})
    assert board.status_code == 200
    assert re.search(r'id="count-red">1<', board.text)
    assert re.search(r'id="count-yellow">1<', board.text)
    assert re.search(r'id="count-blue">0<', board.text)
    assert red["title"] in board.text and other["title"] in board.text
    assert "黑滑石" in board.text and "定向式" in board.text and "导出 Excel" in board.text

    directed = await client.get("/intake/board", params={"chain": chain, "path": "directed"})
    assert red["title"] in directed.text and other["title"] not in directed.text

    export = await client.get("/intake/board/export", params={"chain": chain, "path": "directed"})
    assert export.status_code == 200 and export.headers["content-type"].startswith(
        "application/vnd.openxmlformats"
    )
    (rows,) = xlsx_rows(export.content).values()
    assert rows[0][:4] == ("颜色", "项目", "企业名称", "路径")
    assert [r[:4] for r in rows[1:]] == [("红", red["title"], "红企业", "定向式")]


async def test_the_case_page_is_the_ledger_and_offers_only_the_move_its_colour_allows(
    stack: Stack, kafka_bootstrap: str, client: httpx.AsyncClient
):
    case = await open_case(stack, kafka_bootstrap, path="directed", enterprise="新源科技")
    url = f"/intake/cases/{case['id']}"
    await signed_in(client, stack, Role.ZONE_OFFICER)
    page = await client.get(url)
    assert page.status_code == 200
    assert "一企一台账" in page.text and "新源科技" in page.text and "定向式" in page.text
    assert 'name="signed_on"' in page.text and 'name="started_on"' not in page.text
    assert "逾期未开" in page.text and "半月一督察" in page.text  # the three ones since 2021
    token = csrf_of(page.text)

    signed = await client.post(
        f"{url}/signing", data={"csrf_token": token, "signed_on": "2021-03-10"}
    )
    assert signed.status_code == 303
    page = await client.get(url)
    assert 'name="started_on"' in page.text and f'action="{url}/signing"' not in page.text
    assert "登记开工" in page.text

    early = await client.post(
        f"{url}/construction", data={"csrf_token": token, "started_on": "2021-03-01"}
    )
    assert early.status_code == 422  # the service refuses a start before the signing
    assert 'id="started_on-error"' in early.text and "该日期早于上一阶段的日期" in early.text
    assert 'value="2021-03-01"' in early.text  # what was typed is kept

    for stage, day in (("construction", "2021-03-25"), ("production", "2021-09-01")):
        moved = await client.post(f"{url}/{stage}", data={"csrf_token": token, "started_on": day})
        assert moved.status_code == 303, moved.text
    page = await client.get(url)
    assert "badge color-blue" in page.text and 'id="move-form"' not in page.text

    body = {
        "csrf_token": token,
        "unit": "高新区招商局",
        "person": "王力",
        "contact": "0793-1234567",
    }
    assert (await client.post(f"{url}/responsible", data=body)).status_code == 303
    entry = {
        "csrf_token": token,
        "happened_on": "2021-03-12",
        "stage": "construction",
        "text": "完成环评",
    }
    assert (await client.post(f"{url}/progress", data=entry)).status_code == 303
    missing = await client.post(f"{url}/progress", data={**entry, "text": "  "})
    assert missing.status_code == 422 and 'id="text-error"' in missing.text
    page = await client.get(url)
    assert "高新区招商局" in page.text and "完成环评" in page.text and "15" in page.text

    export = await client.get(f"{url}/export")
    sheets = xlsx_rows(export.content)
    # the officer reads the hotline's tickets about the case: the ledger holds them too
    assert list(sheets) == ["项目概况", "分阶段要求", "工作进度", "三个一", "热线工单"]
    facts = dict(r[:2] for r in sheets["项目概况"][1:])
    assert facts["责任单位"] == "高新区招商局" and facts["签约至开工天数"] == 15
    assert [r[0] for r in sheets["分阶段要求"][1:]] == ["签约", "开工建设", "投产"]
    assert sheets["工作进度"][1][1:3] == ("开工建设", "完成环评")
    assert sheets["三个一"][0] == ("活动", "周期开始", "截止日期", "开展情况")


async def test_the_district_leader_reads_the_ledger_without_forms(
    stack: Stack, kafka_bootstrap: str, client: httpx.AsyncClient
):
    case = await open_case(stack, kafka_bootstrap)
    await signed_in(client, stack, Role.DISTRICT_LEADER)
    page = await client.get(f"/intake/cases/{case['id']}")
    assert page.status_code == 200 and case["title"] in page.text
    assert '<form method="post" action="/intake' not in page.text
    token = csrf_of(page.text)  # the sign-out form's
    refused = await client.post(
        f"/intake/cases/{case['id']}/signing", data={"csrf_token": token, "signed_on": "2021-03-10"}
    )
    assert refused.status_code == 403
    assert (await client.get("/intake/cases/no-such-case")).status_code == 404


async def test_demands_and_menu_items_are_listed_filtered_created_and_exported(
    stack: Stack, client: httpx.AsyncClient
):
    await signed_in(client, stack, Role.ZONE_OFFICER)
    page = await client.get("/intake/demands")
    token = csrf_of(page.text)
    for chain, title in (("culture_tourism", "文旅需求甲"), ("digital_economy", "数字需求乙")):
        form = {
            "csrf_token": token,
            "enterprise": "广丰企业",
            "industry_chain": chain,
            "title": title,
            "submitted_on": "2021-04-01",
        }
        assert (await client.post("/intake/demands", data=form)).status_code == 303
    listed = await client.get("/intake/demands", params={"chain": "culture_tourism"})
    assert "文旅需求甲" in listed.text and "数字需求乙" not in listed.text
    export = await client.get("/intake/demands/export", params={"chain": "culture_tourism"})
    (rows,) = xlsx_rows(export.content).values()
    assert rows[0][:3] == ("企业名称", "产业链", "研发需求")
    assert [r[1:3] for r in rows[1:]] == [("文化旅游", "文旅需求甲")]

    menu_form = {
        "csrf_token": token,
        "title": "新材料中试项目",
        "industry_chain": "metal_new_materials",
        "layout_category": "no_such_layout",
        "published_on": "2021-05-01",
    }
    refused = await client.post("/intake/menu-items", data=menu_form)
    assert refused.status_code == 422  # the service names layout_category
    assert 'id="layout_category-error"' in refused.text and 'value="新材料中试项目"' in refused.text
    menu_form["layout_category"] = "new_materials"
    assert (await client.post("/intake/menu-items", data=menu_form)).status_code == 303
    listed = await client.get("/intake/menu-items", params={"layout": "new_materials"})
    assert "新材料中试项目" in listed.text
    none = await client.get("/intake/menu-items", params={"layout": "big_tourism"})
    assert "新材料中试项目" not in none.text
    export = await client.get("/intake/menu-items/export", params={"layout": "new_materials"})
    (rows,) = xlsx_rows(export.content).values()
    assert [r[:3] for r in rows[1:]] == [("新材料中试项目", "金属新材料", "新材料")]


async def test_an_enterprise_reads_its_own_case_and_raises_a_ticket(
    stack: Stack, kafka_bootstrap: str, client: httpx.AsyncClient
):
    account = unique("ent")
    mine = await open_case(stack, kafka_bootstrap, enterprise=account, title="自己的项目")
    await open_case(stack, kafka_bootstrap, enterprise=unique("ent"), title="别人的项目")
    await signed_in(client, stack, Role.ENTERPRISE, enterprise_id=account)
    page = await client.get("/enterprise/case")
    assert page.status_code == 200 and "自己的项目" in page.text and "别人的项目" not in page.text
    assert "一企一台账" in page.text and '<form method="post" action="/intake' not in page.text

    # the hotline knows the case as the enterprise's once intake's event reached it
    by_agent = await agent_ticket_seen_by(stack, account, mine)
    tickets = await client.get("/enterprise/tickets")
    token = csrf_of(tickets.text)
    blank = {
        "csrf_token": token,
        "category": "permits",
        "case_id": mine["id"],
        "description": "   ",
    }
    refused = await client.post("/enterprise/tickets", data=blank)
    assert refused.status_code == 422 and 'id="description-error"' in refused.text
    form = {**blank, "description": "环评审批进度慢"}
    assert (await client.post("/enterprise/tickets", data=form)).status_code == 303
    listed = await client.get("/enterprise/tickets", params={"status": "opened"})
    assert "环评审批进度慢" in listed.text and "待受理" in listed.text
    closed = await client.get("/enterprise/tickets", params={"status": "closed"})
    assert "环评审批进度慢" not in closed.text
    export = await client.get("/enterprise/tickets/export", params={"status": "opened"})
    (rows,) = xlsx_rows(export.content).values()
    assert sorted((r[0] == by_agent, r[1], r[2], r[6]) for r in rows[1:]) == [
        (False, "自己的项目", "本企业提交", "环评审批进度慢"),
        (True, "自己的项目", "热线坐席登记", "用地手续咨询"),
    ]
    ledger = await client.get("/enterprise/case")
    assert "环评审批进度慢" in ledger.text  # the ticket is about its case


def test_the_messages_the_intake_pages_keep_in_python_have_chinese():
    from services.console import i18n
    from services.console.pages import enterprise, intake, intake_case, intake_zone, lists

    zh = i18n.translations("zh-CN")
    ids = {
        *intake.CASE_HEADERS,
        *intake_zone.DEMAND_HEADERS,
        *intake_zone.MENU_HEADERS,
        *enterprise.TICKET_HEADERS,
        *enterprise.OPENED_BY.values(),
        *lists.MESSAGES,
        intake_case.HOTLINE_HIDDEN,
    }
    assert sorted(m for m in ids if zh.gettext(m) == m) == []
