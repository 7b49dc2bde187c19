"""The assessment pages through HTTP, with the real assessment service behind the console on a
socket and its real database: the scheme and scores, the facts behind a number, funds, the
two-step publication, manual entries with evidence, the exports."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import openpyxl
import pytest
from enclave_shared.app import create_app
from enclave_shared.auth import Role, issue_token
from enclave_shared.kafka import free_port
from fastapi import FastAPI

from services.assessment.main import EXAMPLE_SCHEME
from services.assessment.main import SPEC as ASSESSMENT
from services.assessment.models import Fact
from services.console.config import ConsoleSettings
from tests.conftest import SettingsFactory
from tests.console.support import RunningConsole, add_user, csrf_of, run_console, serve, sign_in


@dataclass
class Office:
    """The console with the assessment service behind it, and the service's own client."""

    console: RunningConsole
    service: FastAPI
    api: httpx.AsyncClient

    async def facts(self, indicator: str, count: int, year: int = 2021, **extra: Any) -> None:
        """Facts as the consumer stores them from events (straight into its database)."""
        async with self.service.state.runtime.sessions() as session:
            for n in range(count):
                session.add(
                    Fact(
                        indicator=indicator,
                        subject=f"{indicator}-{n:03d}",
                        year=year,
                        business_date=date(year, 3, 1 + n % 28),
                        quantity=1,
                        event_id=f"ev-{indicator}-{n:03d}",
                        event_type="enclave.talent.recruited.v1",
                        **extra,
                    )
                )
            await session.commit()


@pytest.fixture
async def office(make_settings: SettingsFactory) -> AsyncIterator[Office]:
    settings = await make_settings("assessment", settings_class=ASSESSMENT.settings_class)
    token = issue_token(settings.signing_key(), Role.ASSESSOR, sub="assessor-api")
    async with contextlib.AsyncExitStack() as stack:
        app = create_app(ASSESSMENT, settings)
        url = await stack.enter_async_context(serve(app))
        closed = {
            f"{n}_url": f"http://127.0.0.1:{free_port()}"
            for n in ("incubation", "intake", "hotline")
        }
        console_settings = await make_settings(
            "console", settings_class=ConsoleSettings, assessment_url=url, **closed
        )
        console = await stack.enter_async_context(run_console(console_settings))
        api = await stack.enter_async_context(
            httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"})
        )
        scheme = json.loads(EXAMPLE_SCHEME.read_text())
        assert (await api.put("/api/v1/schemes/2021", json=scheme)).status_code == 200
        await add_user(console.runtime, "assessor", Role.ASSESSOR)
        await sign_in(console.client, "assessor")
        yield Office(console, app, api)


async def test_the_year_shows_the_scheme_scores_and_funds(office: Office):
    await office.facts("talents_high_level", 30)
    await office.api.put(
        "/api/v1/assessments/2021/manual/team", json={"value": 4, "evidence": "三月花名册"}
    )
    page = await office.console.client.get("/assessment", params={"year": 2021})
    assert page.status_code == 200 and "2021 年度考核" in page.text and "预览" in page.text
    for dimension in ("自身建设", "研发合作", "孵化培育", "人才引进", "活动开展", "加分项目"):
        assert dimension in page.text
    row = re.search(r'<tr id="ind-talents_high_level">(.*?)</tr>', page.text, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert "引进高层次人才" in cells[0] and cells[3] == "49" and cells[4] == "15"
    assert ">30</a>" in cells[5] and cells[7] == "9.18"  # 15 x 30/49
    team = re.search(r'<tr id="ind-team">(.*?)</tr>', page.text, re.S)
    assert team is not None and "三月花名册" in team.group(1) and "手工录入" in team.group(1)
    assert "按档次" in page.text and "1→3, 2→6, 3→8" in page.text  # a steps rule shows its steps
    assert "400 万元" in page.text and "按目标进度" in page.text  # base fund, reward basis
    assert 'class="chart"' in page.text and "data-chart=" in page.text
    assert "公布本年度" in page.text
    empty = await office.console.client.get("/assessment", params={"year": 2022})
    assert empty.status_code == 200 and "2022 年度尚无考核方案" in empty.text


async def test_a_number_opens_the_facts_behind_it_and_they_export(office: Office):
    await office.facts("talents_high_level", 25)
    await office.facts("agreements_gba", 2)
    client = office.console.client
    part = await client.get(
        "/assessment/facts",
        params={"year": 2021, "indicator": "talents_high_level"},
        headers={"HX-Request": "true"},
    )
    assert part.status_code == 200 and "<html" not in part.text
    assert "引进高层次人才" in part.text and part.text.count('<tr class="fact">') == 20
    assert "ev-talents_high_level-000" in part.text and "人才引进" in part.text
    assert "共 25 条" in part.text and "offset=20" in part.text
    rest = await client.get(
        "/assessment/facts", params={"year": 2021, "indicator": "talents_high_level", "offset": 20}
    )
    assert rest.text.count('<tr class="fact">') == 5
    xlsx = await client.get(
        "/assessment/facts.xlsx", params={"year": 2021, "indicator": "talents_high_level"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("考核指标", "事实日期", "计数", "事件类型", "对象编号", "事件编号")
    assert len(rows) == 26 and {r[0] for r in rows[1:]} == {"引进高层次人才"}
    every = await client.get("/assessment/facts.xlsx", params={"year": 2021})
    assert openpyxl.load_workbook(io.BytesIO(every.content)).active.max_row == 28


async def test_the_scores_export_holds_every_indicator_and_the_fund(office: Office):
    await office.facts("talents_high_level", 49)
    resp = await office.console.client.get("/assessment/scores.xlsx", params={"year": 2021})
    book = openpyxl.load_workbook(io.BytesIO(resp.content))
    scores, fund = book["考核得分"], book["经费拨付"]
    rows = list(scores.iter_rows(values_only=True))
    assert rows[0][0] == "考核维度" and rows[0][-1] == "得分"
    talents = next(r for r in rows if r[2] == "引进高层次人才")
    assert talents[0] == "人才引进" and talents[7] == "49" and talents[-1] == "15.00"
    assert rows[-1][0] == "总得分" and rows[-1][-1] == "15.00"
    assert list(fund.iter_rows(values_only=True))[1] == ("基本运营经费", "4,000,000")


async def test_publication_asks_first_names_the_year_and_freezes_it(office: Office):
    client = office.console.client
    confirm = await client.get("/assessment/publication", params={"year": 2021})
    assert confirm.status_code == 200
    assert "确认公布 2021 年度考核结果" in confirm.text and "公布将冻结 2021 年度" in confirm.text
    assert (await office.api.get("/api/v1/assessments/2021")).json()["status"] == "preview"
    done = await client.post(
        "/assessment/publication", data={"csrf_token": csrf_of(confirm.text), "year": "2021"}
    )
    assert done.status_code == 303 and done.headers["location"] == "/assessment?year=2021"
    page = await client.get("/assessment", params={"year": 2021})
    assert "已公布" in page.text and "公布本年度" not in page.text and "数据已冻结" in page.text
    again = await client.post(
        "/assessment/publication", data={"csrf_token": csrf_of(confirm.text), "year": "2021"}
    )
    assert again.status_code == 409 and "2021 年度考核结果已公布" in again.text
    manual = await client.get("/assessment/manual", params={"year": 2021})
    assert (
        "数据已冻结" in manual.text
        and 'method="post" action="/assessment/manual"' not in manual.text
    )


async def test_manual_entries_list_with_evidence_and_a_refused_value_shows_beside_it(
    office: Office,
):
    client = office.console.client
    page = await client.get("/assessment/manual", params={"year": 2021})
    assert page.status_code == 200 and "暂无手工录入" in page.text and "办公场地" in page.text
    form = {"csrf_token": csrf_of(page.text), "year": "2021", "indicator": "team"}
    refused = await client.post(
        "/assessment/manual", data={**form, "value": "-2", "evidence": "花名册"}
    )
    assert refused.status_code == 422
    assert 'id="value-error"' in refused.text and "数值须不小于 0" in refused.text
    assert "花名册" in refused.text and 'value="-2"' in refused.text  # kept as typed
    for value, evidence in (("4", "三月花名册"), ("5", "六月花名册")):
        ok = await client.post(
            "/assessment/manual", data={**form, "value": value, "evidence": evidence}
        )
        assert ok.status_code == 303
    await client.post(
        "/assessment/manual",
        data={**form, "indicator": "honours", "value": "2", "evidence": "表彰文件"},
    )
    listing = await client.get("/assessment/manual", params={"year": 2021})
    rows = re.findall(
        r'<tr class="entry( in-force)?"><td>([^<]+)</td><td>([^<]+)</td>', listing.text
    )
    assert rows == [
        ("", "专职团队人数", "4"),
        (" in-force", "专职团队人数", "5"),
        (" in-force", "上级表彰", "2"),
    ]
    only = await client.get("/assessment/manual", params={"year": 2021, "indicator": "honours"})
    assert "表彰文件" in only.text and "三月花名册" not in only.text
    xlsx = await client.get("/assessment/manual.xlsx", params={"year": 2021, "indicator": "team"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows_x = list(sheet.iter_rows(values_only=True))
    assert rows_x[0][:3] == ("考核指标", "录入数值", "佐证说明")
    assert [r[1:3] for r in rows_x[1:]] == [("4", "三月花名册"), ("5", "六月花名册")]
    assert rows_x[2][-1] == "是"


async def test_the_district_leader_reads_the_assessment_with_no_forms(office: Office):
    client = office.console.client
    await add_user(office.console.runtime, "leader", Role.DISTRICT_LEADER)
    client.cookies.clear()
    await sign_in(client, "leader")
    page = await client.get("/assessment", params={"year": 2021})
    assert (
        page.status_code == 200 and "引进高层次人才" in page.text and "公布本年度" not in page.text
    )
    manual = await client.get("/assessment/manual", params={"year": 2021})
    assert manual.status_code == 200 and manual.text.count('method="post"') == 1  # sign-out
    assert (await client.get("/assessment/publication", params={"year": 2021})).status_code == 403


async def test_the_assessment_down_is_named_and_the_page_still_answers(console: RunningConsole):
    await add_user(console.runtime, "assessor", Role.ASSESSOR)
    await sign_in(console.client, "assessor")
    for url in ("/assessment", "/assessment/manual"):
        page = await console.client.get(url)
        assert page.status_code == 200 and "考核服务暂时无法访问" in page.text, url
