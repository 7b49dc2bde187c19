"""The Shenzhen enclave's pages through HTTP, with the four services running behind the
console on real sockets (their own databases, the suite's broker)."""

from __future__ import annotations

import contextlib
import io
import itertools
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from enclave_shared.auth import Role, issue_token
from openpyxl import Workbook, load_workbook

from services.console.clients import base as clients_base
from tests.console.browser import Stack
from tests.console.support import RunningConsole, add_user, csrf_of, sign_in
from tests.support import eventually

_names = itertools.count()


@contextlib.asynccontextmanager
async def _client(stack: Stack, role: Role) -> AsyncIterator[httpx.AsyncClient]:
    """A browser-like client signed in to the console as a new user of the role."""
    username = f"enclave-{role.value.replace('_', '-')}-{next(_names)}"
    await add_user(stack.console.state.runtime, username, role)
    async with httpx.AsyncClient(base_url=stack.url, timeout=10) as client:
        assert (await sign_in(client, username)).status_code == 303
        yield client


@pytest.fixture
async def operator(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(stack, Role.ENCLAVE_OPERATOR) as client:
        yield client


async def _service(stack: Stack, name: str, role: Role) -> httpx.AsyncClient:
    """A client of one service with a token for the role (as the console signs them)."""
    key = stack.console.state.runtime.settings.signing_key()
    headers = {"Authorization": f"Bearer {issue_token(key, role)}"}
    return httpx.AsyncClient(base_url=stack.service_urls[name], headers=headers, timeout=10)


async def _post(client: httpx.AsyncClient, page: str, action: str, **form: str) -> httpx.Response:
    """Open a page and submit one of its forms as a browser does (with its CSRF token)."""
    opened = await client.get(page)
    return await client.post(action, data={"csrf_token": csrf_of(opened.text), **form})


async def _new_project(client: httpx.AsyncClient, **form: str) -> str:
    created = await _post(client, "/enclave/projects/new", "/enclave/projects/new", **form)
    assert created.status_code == 303, created.text
    return created.headers["location"].rsplit("/", 1)[1]


def _sheet_rows(content: bytes) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(content))
    return [[c.value for c in row] for row in book.worksheets[0].iter_rows()]


def _workbook(*rows: list[Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "人才层次", "专业领域", "引进日期", "招才大使"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_projects_are_filtered_paged_and_exported_exactly_as_filtered(
    stack: Stack, operator: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
):
    tag = f"滤{next(_names)}"
    for n, day in enumerate(("2021-02-01", "2021-03-01", "2021-04-01")):
        await _new_project(
            operator,
            path="directed",
            title=f"{tag}定向{n}",
            industry_chain="black_talc",
            enterprise=f"深圳独角兽{n}",
            enterprise_tag="unicorn",
            registered_on=day,
        )
    await _new_project(operator, path="delivery", title=f"{tag}配送", industry_chain="black_talc")
    query = {"path": "directed", "from": "2021-02-15", "to": "2021-12-31"}
    listing = await operator.get("/enclave/projects", params=query)
    assert listing.status_code == 200
    assert f"{tag}定向1" in listing.text and f"{tag}定向2" in listing.text
    assert f"{tag}定向0" not in listing.text and f"{tag}配送" not in listing.text
    assert "定向式" in listing.text and "黑滑石" in listing.text  # labels, not codes
    assert 'href="/enclave/projects/export.xlsx?path=directed&amp;from=2021-02-15' in listing.text
    # The export reads every page of the filtered list (one row a page here).
    monkeypatch.setattr(clients_base, "MAX_LIMIT", 1)
    exported = await operator.get("/enclave/projects/export.xlsx", params=query)
    assert exported.headers["content-type"].endswith("spreadsheetml.sheet")
    rows = _sheet_rows(exported.content)
    assert rows[0][:3] == ["名称", "路径", "阶段"]
    titles = sorted(r[0] for r in rows[1:])
    on_path = [t for t in titles if t.startswith(tag)]
    assert on_path == [f"{tag}定向1", f"{tag}定向2"]
    assert all(r[1] == "定向式" and r[2] == "拟引进" for r in rows[1:])
    refused = await operator.get("/enclave/projects", params={"from": "2021-13-01"})
    assert refused.status_code == 200 and 'id="f-from-error"' in refused.text


async def test_the_new_project_form_has_only_the_chosen_paths_fields(
    operator: httpx.AsyncClient,
):
    fields = {
        path: (await operator.get("/enclave/projects/new/fields", params={"path": path})).text
        for path in ("order", "menu", "directed", "delivery")
    }
    assert 'name="demand_id"' in fields["order"] and 'name="enterprise"' not in fields["order"]
    assert 'name="menu_item_id"' in fields["menu"] and 'name="demand_id"' not in fields["menu"]
    assert 'name="enterprise_tag"' in fields["directed"]
    assert 'name="menu_item_id"' not in fields["directed"]
    assert "name=" not in fields["delivery"]
    assert "<html" not in fields["directed"]  # the fragment htmx swaps in
    refused = await _post(
        operator,
        "/enclave/projects/new",
        "/enclave/projects/new",
        path="directed",
        title="无目标企业的项目",
        industry_chain="black_talc",
        enterprise_tag="gazelle",
    )
    assert refused.status_code == 422
    assert 'id="enterprise-error"' in refused.text and "请填写企业名称" in refused.text
    assert 'value="无目标企业的项目"' in refused.text  # what was typed is kept
    assert 'value="gazelle" selected' in refused.text


async def test_a_project_offers_only_the_moves_its_stage_allows(
    stack: Stack, operator: httpx.AsyncClient
):
    project_id = await _new_project(
        operator, path="delivery", title="无人机电池", industry_chain="advanced_machinery",
        registered_on="2021-03-10", team_members="张明，李华",
    )  # fmt: skip
    page = f"/enclave/projects/{project_id}"
    proposed = await operator.get(page)
    assert (
        "开始孵化" in proposed.text and "确认成熟" in proposed.text and "终止项目" in proposed.text
    )
    assert "张明、李华" in proposed.text and "2021-03-10" in proposed.text
    early = await _post(operator, page, f"{page}/maturity", matured_on="2021-03-01")
    assert early.status_code == 422
    assert 'id="matured_on-error"' in early.text and "不能早于" in early.text
    assert 'value="2021-03-01"' in early.text
    started = await _post(operator, page, f"{page}/incubation", started_on="2021-03-12")
    assert started.status_code == 303
    incubating = await operator.get(page)
    assert "开始孵化</button>" not in incubating.text and "确认成熟" in incubating.text
    assert re.search(r'aria-current="step">\s*<span class="stage-name">孵化中', incubating.text)
    await _post(operator, page, f"{page}/drop", dropped_on="2021-04-01", reason="团队解散")
    dropped = await operator.get(page)
    assert "阶段操作" not in dropped.text and "团队解散" in dropped.text
    async with _client(stack, Role.DISTRICT_LEADER) as leader:
        read = await leader.get(page)
        assert (
            read.status_code == 200
            and "无人机电池" in read.text
            and '<form method="post" action="/enclave' not in read.text
        )
        assert (await leader.get("/enclave/projects/new")).status_code == 403
        listing = await leader.get("/enclave/projects")
        assert listing.status_code == 200 and "新建项目" not in listing.text


async def test_a_matured_project_shows_its_case_colour_to_whom_intake_lets_read_it(
    stack: Stack, operator: httpx.AsyncClient
):
    project_id = await _new_project(
        operator, path="directed", title="瞪羚企业落户", industry_chain="metal_new_materials",
        enterprise="深圳瞪羚科技", enterprise_tag="gazelle", registered_on="2021-05-01",
    )  # fmt: skip
    page = f"/enclave/projects/{project_id}"
    assert (
        await _post(operator, page, f"{page}/maturity", matured_on="2021-06-01")
    ).status_code == 303

    async def transferred() -> bool:
        return "已转化" in (await operator.get(page)).text

    await eventually(transferred, timeout=30)

    # The operator follows what became of its project: intake lets it read the case.
    async def case_shown() -> bool:
        return 'class="badge color-red"' in (await operator.get(page)).text

    await eventually(case_shown, timeout=30)
    seen = await operator.get(page)
    assert "立案日期" in seen.text and "暂时无法访问" not in seen.text
    async with _client(stack, Role.ADMIN) as admin:
        case = await admin.get(page)
        assert 'class="badge color-red"' in case.text and "立案日期" in case.text


async def test_the_backlog_is_taken_on_once(stack: Stack, operator: httpx.AsyncClient):
    title = f"耐磨合金研发{next(_names)}"
    async with await _service(stack, "intake", Role.ZONE_OFFICER) as intake:
        submitted = await intake.post(
            "/api/v1/rd-demands",
            json={"enterprise": "广丰金属", "industry_chain": "metal_new_materials",
                  "title": title, "submitted_on": "2021-04-02"},
        )  # fmt: skip
        assert submitted.status_code == 201, submitted.text
        demand_id = submitted.json()["id"]

    async def arrived() -> bool:
        return title in (await operator.get("/enclave/backlog", params={"taken": "false"})).text

    await eventually(arrived, timeout=30)
    waiting = await operator.get("/enclave/backlog", params={"kind": "demand", "taken": "false"})
    assert "研发需求" in waiting.text and "广丰金属" in waiting.text
    action = f"/enclave/backlog/demand/{demand_id}/take-on"
    assert f'action="{action}"' in waiting.text
    taken = await _post(operator, "/enclave/backlog", action)
    assert taken.status_code == 303
    project = await operator.get(taken.headers["location"])
    assert title in project.text and "订单式" in project.text
    again = await _post(operator, "/enclave/backlog", action)
    assert again.status_code == 409 and "该事项已由其他项目承接" in again.text
    listed = await operator.get("/enclave/backlog", params={"taken": "true"})
    assert title in listed.text and f'action="{action}"' not in listed.text
    exported = await operator.get("/enclave/backlog/export.xlsx", params={"taken": "true"})
    assert title in [r[1] for r in _sheet_rows(exported.content)]


async def test_talents_import_all_or_nothing_with_each_rows_errors(
    stack: Stack, operator: httpx.AsyncClient
):
    await _post(operator, "/enclave/ambassadors", "/enclave/ambassadors", name="陈大使")
    mark = f"导{next(_names)}"
    bad = _workbook(
        [f"{mark}甲", "高层次人才", "新材料", "2021-03-10", "陈大使"],
        ["", "院士", "电子", "3月10日", "无此人"],
    )
    page = await operator.get("/enclave/talents")
    token = csrf_of(page.text)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    refused = await operator.post(
        "/enclave/talents/import",
        data={"csrf_token": token},
        files={"file": ("人才.xlsx", bad, xlsx)},
    )
    assert refused.status_code == 422
    errors = re.findall(r"<tr><td>(\d+)</td><td>(\S+?)</td>", refused.text)
    assert errors == [("3", "姓名"), ("3", "人才层次"), ("3", "引进日期"), ("3", "招才大使")]
    assert f"{mark}甲" not in (await operator.get("/enclave/talents")).text  # nothing imported
    not_xlsx = await operator.post(
        "/enclave/talents/import",
        data={"csrf_token": token},
        files={"file": ("x.xlsx", b"not a workbook", xlsx)},
    )
    assert not_xlsx.status_code == 422 and "这不是 .xlsx 工作簿" in not_xlsx.text
    good = _workbook(
        [f"{mark}甲", "高层次人才", "新材料", "2021-03-10", "陈大使"],
        [f"{mark}乙", "科研人员", "电子信息", None, None],
    )
    done = await operator.post(
        "/enclave/talents/import",
        data={"csrf_token": token},
        files={"file": ("人才.xlsx", good, xlsx)},
    )
    assert done.status_code == 200 and "已导入 2 名人才" in done.text
    high = await operator.get("/enclave/talents", params={"level": "high_level"})
    assert f"{mark}甲" in high.text and f"{mark}乙" not in high.text and "陈大使" in high.text
    exported = await operator.get("/enclave/talents/export.xlsx", params={"level": "researcher"})
    names = [r[0] for r in _sheet_rows(exported.content)]
    assert f"{mark}乙" in names and f"{mark}甲" not in names
    ambassadors = await operator.get("/enclave/ambassadors")
    assert re.search(r"陈大使</td><td>—</td><td>[\d-]+</td><td>1</td>", ambassadors.text)
    template = await operator.get("/enclave/talents/import-template.xlsx")
    assert _sheet_rows(template.content)[0] == [
        "姓名",
        "人才层次",
        "专业领域",
        "引进日期",
        "招才大使",
    ]


async def test_records_pages_add_filter_and_export(stack: Stack, operator: httpx.AsyncClient):
    mark = f"记{next(_names)}"
    added = await _post(
        operator, "/enclave/agreements", "/enclave/agreements",
        partner=f"{mark}深圳大学", kind="university", in_gba="true", signed_on="2021-03-01",
    )  # fmt: skip
    assert added.status_code == 303
    await _post(
        operator, "/enclave/agreements", "/enclave/agreements",
        partner=f"{mark}北京院所", kind="institute", in_gba="false", signed_on="2021-03-02",
    )  # fmt: skip
    gba = await operator.get("/enclave/agreements", params={"in_gba": "true", "kind": "university"})
    assert (
        f"{mark}深圳大学" in gba.text and f"{mark}北京院所" not in gba.text and "高校" in gba.text
    )
    exported = await operator.get("/enclave/agreements/export.xlsx", params={"in_gba": "false"})
    partners = [r[0] for r in _sheet_rows(exported.content)]
    assert f"{mark}北京院所" in partners and f"{mark}深圳大学" not in partners
    bad_count = await _post(
        operator, "/enclave/activities", "/enclave/activities",
        title=f"{mark}迎才", kind="talent_welcome", attendance="-3",
    )  # fmt: skip
    assert bad_count.status_code == 422 and 'id="attendance-error"' in bad_count.text
    assert f'value="{mark}迎才"' in bad_count.text
    await _post(
        operator, "/enclave/training", "/enclave/training",
        track="managers", count="20", completed_on="2021-06-30",
    )  # fmt: skip
    training = await operator.get("/enclave/training", params={"track": "managers"})
    assert "职业经理人" in training.text and 'class="chart"' in training.text
    assert re.search(r"职业经理人</td><td>[\d,]+</td><td>100</td>", training.text)
    await _post(operator, "/enclave/hq-enterprises", "/enclave/hq-enterprises", name=f"{mark}总部")
    twice = await _post(
        operator, "/enclave/hq-enterprises", "/enclave/hq-enterprises", name=f"{mark}总部"
    )
    assert twice.status_code == 422
    assert 'id="name-error"' in twice.text and "已登记" in twice.text


async def test_the_enclave_pages_name_the_incubation_service_when_it_is_down(
    console: RunningConsole,
):
    await add_user(console.runtime, "operator", Role.ENCLAVE_OPERATOR)
    await sign_in(console.client, "operator")
    for path in ("/enclave/projects", "/enclave/backlog", "/enclave/talents", "/enclave/training"):
        page = await console.client.get(path)
        assert page.status_code == 200, path
        assert "飞地孵化服务暂时无法访问" in page.text and "Traceback" not in page.text
    export = await console.client.get("/enclave/projects/export.xlsx")
    assert export.status_code == 503 and "导出需要飞地孵化服务" in export.text


# Each records page: a form's values, the field a correction changes, the record's name in
# the history (人才更正, 活动作废, …) and its creation event.
RECORD_FORMS: dict[str, tuple[dict[str, str], str, str, str]] = {
    "/enclave/agreements": (
        {"partner": "{mark}伙伴", "kind": "enterprise", "in_gba": "true"},
        "partner",
        "合作意向",
        "agreement.signed",
    ),
    "/enclave/activities": (
        {"title": "{mark}路演", "kind": "roadshow", "attendance": "40"},
        "title",
        "活动",
        "activity.held",
    ),
    "/enclave/training": (
        {"track": "entrepreneurs", "count": "9", "note": "{mark}"},
        "note",
        "培训记录",
        "training.completed",
    ),
    "/enclave/hq-enterprises": (
        {"name": "{mark}总部企业"},
        "name",
        "总部经济企业",
        "hq_enterprise.registered",
    ),
}


async def test_every_record_has_a_page_with_its_history_its_correction_and_its_void(
    stack: Stack, operator: httpx.AsyncClient
):
    mark = f"页{next(_names)}"
    for page, (form, changed, entity_word, created) in RECORD_FORMS.items():
        values = {k: v.format(mark=mark) for k, v in form.items()}
        assert (await _post(operator, page, page, **values)).status_code == 303
        listed = await operator.get(page)
        record = re.search(rf'href="({re.escape(page)}/[0-9a-f-]{{36}})"', listed.text)
        assert record is not None, page
        url = record.group(1)
        opened = await operator.get(url)
        assert opened.status_code == 200
        assert f'data-action="enclave.{created}.v1"' in opened.text
        fixed = {**values, changed: f"{values[changed]}改"}
        corrected = await _post(
            operator, url, f"{url}/correct", **fixed, correction_reason="录入有误"
        )
        assert corrected.status_code == 303, (page, corrected.text[-2000:])
        shown = await operator.get(url)
        assert f"{values[changed]}改" in shown.text and f"{entity_word}更正" in shown.text
        voided = await _post(operator, url, f"{url}/void", void_reason="重复", confirm="yes")
        assert voided.status_code == 303
        after = await operator.get(url)
        assert 'id="voided"' in after.text and "保存更正" not in after.text
        assert f"{entity_word}作废" in after.text
        assert f"{values[changed]}改" not in (await operator.get(page)).text
        shown_void = await operator.get(page, params={"include_void": "true"})
        assert f"{values[changed]}改" in shown_void.text and "已作废" in shown_void.text
    # The agreements page shows the GBA enterprises by what their links came to.
    agreements = await operator.get("/enclave/agreements")
    assert 'id="chain"' in agreements.text and "研发成果转化" in agreements.text
