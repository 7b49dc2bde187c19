"""The district secretary's dispatch (书记项目调度) on the demo's half-year: the console and the
four services on sockets, the demo loaded through the public APIs (tests/e2e). The dispatch
for 2021-05 and for the year to date equals what each service's own stats endpoint gives
for the same period; the .docx and the .xlsx hold the same numbers; another role is refused;
and a district leader clicks through it in Debian's Chromium."""

from __future__ import annotations

import asyncio
import html
import io
import os
import re
import sys
import urllib.parse
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import httpx
import openpyxl
import pytest
from enclave_shared.auth import Role
from playwright.async_api import Page, expect
from rich.console import Console

from services.console.identity import Site
from tests.console.browser import Stack, settled
from tests.console.browser import sign_in_page as browser_sign_in
from tests.console.support import add_user, sign_in
from tests.e2e.demo import EXIT_OK, run_demo, token_auth
from tests.e2e.scenario import Services

MONTH, START, END, JAN = "2021-05", "2021-05-01", "2021-05-31", "2021-01-01"
PERIODS = (("month", START), ("year", JAN))


@pytest.fixture(scope="module")
async def demo(stack: Stack) -> Any:
    """The demo's half-year loaded; a district leader and a zone officer with accounts.
    Gives the signing key's headers per role (`auth(role)`)."""
    auth = token_auth(stack.console.state.runtime.settings.signing_key())
    clients = [
        httpx.AsyncClient(base_url=stack.service_urls[name], timeout=30)
        for name in ("incubation", "intake", "hotline", "assessment")
    ]
    try:
        status = await run_demo(Services(*clients), auth, Console(file=io.StringIO()), timeout=90)
    finally:
        for client in clients:
            await client.aclose()
    assert status == EXIT_OK
    await _enter_returns(stack, auth)
    runtime = stack.console.state.runtime
    await add_user(runtime, "leader", Role.DISTRICT_LEADER, site=Site("district"))
    await add_user(runtime, "officer", Role.ZONE_OFFICER, site=Site("shangrao"))
    return auth


RETURNS = (  # the five returns entered on the demo's first case: May, earlier, June
    {"kind": "talent", "count": 2, "happened_on": "2021-05-10"},
    {"kind": "capital", "amount": 0.1, "happened_on": "2021-05-10"},
    {"kind": "capital", "amount": "0.2005", "happened_on": "2021-05-20"},
    {"kind": "information", "count": 1, "happened_on": "2021-05-31"},
    {"kind": "talent", "count": 1, "happened_on": "EARLIER"},
    {"kind": "technology", "count": 1, "happened_on": "EARLIER"},
    {"kind": "talent", "count": 4, "happened_on": "2021-06-01"},
)


async def _enter_returns(stack: Stack, auth: Any) -> None:
    """Five returns on the demo's first case, in May, before May and after it."""
    async with httpx.AsyncClient(
        base_url=stack.service_urls["intake"], headers=auth("zone_officer"), timeout=30
    ) as http:
        cases = (await http.get("/api/v1/cases", params={"limit": 500})).json()
        first = min(cases, key=lambda c: c["opened_on"])
        assert first["opened_on"] < "2021-05-01", first  # the demo opens cases before May
        for body in RETURNS:
            earlier = max(first["opened_on"], "2021-01-02")  # in the year, not before the case
            day = body["happened_on"].replace("EARLIER", earlier)
            made = await http.post(
                f"/api/v1/cases/{first['id']}/returns", json={**body, "happened_on": day}
            )
            assert made.status_code == 201, made.text


async def _console(stack: Stack, username: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=stack.url, timeout=60)
    resp = await sign_in(client, username)
    assert resp.status_code in (200, 303), resp.text
    return client


async def _stats(stack: Stack, auth: Any) -> dict[str, dict[str, Any]]:
    """Each service's own figures for May 2021 and for January to May."""
    urls, out = stack.service_urls, {}
    async with httpx.AsyncClient(timeout=30) as http:
        for period, start in PERIODS:
            window = {"from": start, "to": END}

            async def get(service: str, path: str, role: str, **params: Any) -> Any:
                resp = await http.get(urls[service] + path, params=params, headers=auth(role))
                assert resp.status_code == 200, resp.text
                return resp.json()

            out[period] = {
                "incubation": await get("incubation", "/api/v1/stats", "assessor", **window),
                "intake": await get("intake", "/api/v1/stats", "zone_officer", **window),
                "figures": await get("hotline", "/api/v1/figures", "hotline_agent", **window),
                "tickets": await get("hotline", "/api/v1/tickets/stats", "hotline_agent", **window),
                "returns": await get(
                    "intake", "/api/v1/five-returns/summary", "zone_officer", **window
                ),
            }
        out["assessment"] = await get(
            "assessment", "/api/v1/assessments/2021", "assessor", as_of=MONTH
        )
    return out


def _expected(stats: dict[str, Any], period: str) -> dict[str, Any]:
    """What the dispatch must show for a period, by line key, from the services' stats."""
    inc, intake = stats[period]["incubation"], stats[period]["intake"]
    overall = stats[period]["figures"]["overall"]
    want: dict[str, Any] = {
        "projects.registered": inc["projects"]["registered"],
        "projects.matured": inc["projects"]["matured"],
        "projects.transferred": inc["projects"]["transferred"],
        "cases.opened": intake["cases_opened"],
        "hotline.opened": overall["tickets"],
        "hotline.resolved": overall["resolved"],
        "hotline.resolved_in_time": overall["resolved_in_time"],
    }
    for path, n in inc["projects"]["by_path"].items():
        want[f"projects.registered.{path}"] = n
    for color, n in intake["cases_by_color"].items():
        want[f"cases.{color}"] = n
    for kind, figure in RETURN_FIGURES.items():
        if kind != "capital":
            want[f"returns.{kind}"] = stats[period]["returns"][figure]
    for track, t in inc["training"].items():
        want[f"training.{track}"] = (
            t["completed"] if period == "month" else f"{t['completed']} / {t['target']}"
        )
    return want


RETURN_FIGURES = {
    "talent": "talents",
    "information": "information",
    "capital": "capital",
    "enterprise": "enterprises",
    "technology": "technologies",
}


LINE = re.compile(
    r'<tr id="line-([\w-]+)">\s*<th scope="row">[^<]*</th>\s*'
    r'<td class="month">(?:<a href="([^"]*)">)?([^<]*)(?:</a>)?</td>\s*'
    r'<td class="year">(?:<a href="([^"]*)">)?([^<]*)(?:</a>)?</td>'
)


def _page_lines(html: str) -> dict[str, tuple[str, str, str | None]]:
    """Each line of the page by key: its month value, year value and the month's link."""
    return {
        key.replace("-", ".")
        .replace("resolved.in.time", "resolved_in_time")
        .replace("red.too.long", "red_too_long")
        .replace("skilled.workers", "skilled_workers"): (month, year, link)
        for key, link, month, _ylink, year in LINE.findall(html)
    }


async def test_the_dispatch_equals_the_services_stats_for_may_and_the_year(stack: Stack, demo: Any):
    stats = await _stats(stack, demo)
    for period, _start in PERIODS:  # the hotline's two counts agree on the demo's tickets
        assert stats[period]["tickets"]["total"] == stats[period]["figures"]["overall"]["tickets"]
    assert stats["year"]["incubation"]["projects"]["registered"] > 0
    assert stats["year"]["figures"]["overall"]["tickets"] > 0
    client = await _console(stack, "leader")
    try:
        page = await client.get("/dispatch", params={"month": MONTH})
        assert page.status_code == 200, page.text
        lines = _page_lines(page.text)
        for period, index in (("month", 0), ("year", 1)):
            for key, value in _expected(stats, period).items():
                assert lines[key][index] == str(value), (period, key)
        assessment = stats["assessment"]
        for period, index in (("month", 0), ("year", 1)):  # exact: 0.1 + 0.2005
            capital = lines["returns.capital"][index].replace(",", "")
            assert Decimal(capital) == Decimal(str(stats[period]["returns"]["capital"]))
        assert lines["returns.capital"][0] == "0.3005" and lines["returns.talent"][1] == "3"
        for code, dim in assessment["dimensions"].items():
            assert lines[f"assessment.{code}"][0] == f"{float(dim['score']):,.2f}"
        assert lines["assessment.fund"][0] == f"{float(assessment['fund']['total']):,.2f}"
        # every figure opens a list of its records
        assert lines["projects.registered.directed"][2] == (
            "/enclave/projects?from=2021-05-01&amp;to=2021-05-31&amp;path=directed"
        )
        assert all(link for _m, _y, link in lines.values())
        assert "data-chart=" in page.text and 'id="trend-chart"' in page.text

        xlsx = await client.get("/dispatch/dispatch.xlsx", params={"month": MONTH})
        assert xlsx.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
        titles = set(re.findall(r'<h2 id="h-[\w]+">([^<]*)</h2>', page.text))
        assert len(titles) == 8  # seven sections of figures and the departments
        in_xlsx = [
            tuple("" if v is None else str(v) for v in r)
            for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)
            if r[0] not in titles
        ]
        docx_resp = await client.get("/dispatch/dispatch.docx", params={"month": MONTH})
        assert docx_resp.status_code == 200
        assert docx_resp.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        document = docx.Document(io.BytesIO(docx_resp.content))
        in_docx = [
            tuple(c.text for c in row.cells)
            for table in document.tables[:7]
            for row in table.rows[1:]
        ]
        text = "\n".join(p.text for p in document.paragraphs)
        assert "2021年05月" in text and "{{" not in text
        # the page, the workbook and the document: the same figures under the same labels
        shown = [
            (html.unescape(m.group(1)), m.group(2), m.group(3))
            for m in re.finditer(
                r'<th scope="row">([^<]*)</th>\s*<td class="month">(?:<a href="[^"]*">)?([^<]*)'
                r'(?:</a>)?</td>\s*<td class="year">(?:<a href="[^"]*">)?([^<]*)',
                page.text,
            )
        ]
        assert len(shown) == len(lines) > 40
        assert in_xlsx == shown
        assert in_docx == shown
        # a department's number opens the queue of that department's tickets
        link, opened = re.search(
            r'<td class="opened"><a href="(/hotline/tickets\?from=2021-05-01&amp;to=2021-05-31'
            r'&amp;department=[^"]+)">(\d+)</a>',
            page.text,
        ).groups()
        department = urllib.parse.parse_qs(urllib.parse.urlsplit(html.unescape(link)).query)[
            "department"
        ][0]
        queue = await client.get(html.unescape(link))
        assert queue.status_code == 200
        routed = re.findall(
            r'<tr class="ticket[^"]*">(?:\s*<td>.*?</td>){5}\s*<td>([^<]*)</td>', queue.text, re.S
        )
        assert routed and set(routed) == {department}
        [total] = TOTAL.findall(queue.text)
        assert total == opened  # the month's tickets of that department, no more
        red = book.worksheets[1]
        red_rows = list(red.iter_rows(values_only=True))[1:]
        page_red = re.findall(
            r'<td class="days"><a href="/intake/cases/[^"]+">(\d+)</a>', page.text
        )
        assert [str(r[5]) for r in red_rows] == page_red
        assert all(int(d) > 30 for d in page_red)
    finally:
        await client.aclose()


BOTH_LINKS = re.compile(
    r'<tr id="line-([\w-]+)">\s*<th scope="row">[^<]*</th>\s*'
    r'<td class="month"><a href="([^"]*)">([^<]*)</a></td>\s*'
    r'<td class="year"><a href="([^"]*)">([^<]*)</a></td>'
)
TOTAL = re.compile(r"共 ([\d,]+) 条")


async def test_the_months_matured_transferred_and_three_ones_open_exactly_their_records(
    stack: Stack, demo: Any
):
    client = await _console(stack, "leader")
    try:
        page = await client.get("/dispatch", params={"month": MONTH})
        links = {
            key: (m_link, m, y_link, y)
            for key, m_link, m, y_link, y in BOTH_LINKS.findall(page.text)
        }
        keys = [
            "projects-matured",
            "projects-transferred",
            "projects-matured-directed",
            "meetings-due",
            "meetings-held",
            "meetings-missed",
            "hotline-opened",
            "hotline-resolved",
            "hotline-resolved_in_time",
            "hotline-escalated",
        ]
        assert links["projects-matured"][0] == (
            "/enclave/projects?matured_from=2021-05-01&amp;matured_to=2021-05-31"
        )
        assert links["meetings-missed"][0] == (
            "/dispatch/meetings?from=2021-05-01&amp;to=2021-05-31&amp;status=overdue"
        )
        assert int(links["meetings-due"][3]) > 0 and int(links["projects-transferred"][3]) > 0
        for key in keys:
            month_link, month, year_link, year = links[key]
            for link, number in ((month_link, month), (year_link, year)):
                listed = await client.get(html.unescape(link))
                assert listed.status_code == 200, (key, link)
                [total] = TOTAL.findall(listed.text)
                assert total == number.replace(",", ""), (key, link)
    finally:
        await client.aclose()


RETURN_ROW = re.compile(
    r"<tr><td><a href=\"/intake/cases/[^\"]+\">.*?</td>\s*<td>([^<]*)</td><td>([^<]*)</td>"
    r"<td>([^<]*)</td><td>([^<]*)</td>",
    re.S,
)


async def test_the_five_returns_open_exactly_the_entries_they_sum(stack: Stack, demo: Any):
    client = await _console(stack, "leader")
    try:
        page = await client.get("/dispatch", params={"month": MONTH})
        links = {key: link for key, *link in BOTH_LINKS.findall(page.text)}
        assert links["returns-talent"][0] == (
            "/intake/support?return_kind=talent&amp;from=2021-05-01&amp;to=2021-05-31"
            "#h-five-returns"
        )
        kinds = {"talent": "人才回归", "information": "信息回馈", "capital": "资金回流"}
        kinds |= {"enterprise": "企业回迁", "technology": "技术回援"}
        for kind, name in kinds.items():
            month_link, month, year_link, year = links[f"returns-{kind}"]
            for link, number in ((month_link, month), (year_link, year)):
                listed = await client.get(html.unescape(link))
                assert listed.status_code == 200, (kind, link)
                part = listed.text[listed.text.index('id="h-five-returns"') :]
                rows = RETURN_ROW.findall(part)
                assert {shown for shown, *_ in rows} <= {name}, (kind, link)
                figure = 2 if kind == "capital" else 1  # the amount's column or the count's
                listed_sum = sum(Decimal(r[figure].replace(",", "")) for r in rows)
                assert listed_sum == Decimal(number.replace(",", "")), (kind, link)
                [total] = TOTAL.findall(part)
                assert int(total) == len(rows), (kind, link)  # every entry on the page
    finally:
        await client.aclose()


async def test_enclave_report_dispatch_writes_the_same_numbers(
    stack: Stack, demo: Any, tmp_path: Path
):
    settings = stack.console.state.runtime.settings
    env = {
        **os.environ,
        "ENCLAVE_PROFILE": "embedded",
        "ENCLAVE_DATA_DIR": str(tmp_path / "data"),
        "ENCLAVE_JWT_PRIVATE_KEY_FILE": str(settings.jwt_private_key_file),
        **{f"CONSOLE_{name.upper()}_URL": url for name, url in stack.service_urls.items()},
    }
    enclave = Path(sys.executable).parent / "enclave"
    for name in ("dispatch.docx", "dispatch.xlsx"):
        run = await asyncio.create_subprocess_exec(
            str(enclave), "report", "dispatch", "--month", MONTH, "--out", str(tmp_path / name),
            env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        output, _ = await run.communicate()
        assert run.returncode == 0, output.decode()
    refused = await asyncio.create_subprocess_exec(
        str(enclave), "report", "dispatch", "--month", MONTH, "--out", str(tmp_path / "x.pdf"),
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await refused.communicate()
    assert refused.returncode == 1 and b".docx or .xlsx" in output
    client = await _console(stack, "leader")
    try:
        page = (await client.get("/dispatch", params={"month": MONTH})).text
        from_page = await client.get("/dispatch/dispatch.xlsx", params={"month": MONTH})
    finally:
        await client.aclose()
    mine = openpyxl.load_workbook(tmp_path / "dispatch.xlsx")
    theirs = openpyxl.load_workbook(io.BytesIO(from_page.content))
    for sheet in range(3):
        assert list(mine.worksheets[sheet].values) == list(theirs.worksheets[sheet].values)
    document = docx.Document(str(tmp_path / "dispatch.docx"))
    first = [c.text for c in document.tables[0].rows[1].cells]
    assert first[1] == _page_lines(page)["projects.registered"][0]


async def test_another_role_is_refused_the_dispatch(stack: Stack, demo: Any):
    client = await _console(stack, "officer")
    try:
        for path in ("/dispatch", "/dispatch/dispatch.docx", "/dispatch/dispatch.xlsx"):
            resp = await client.get(path, params={"month": MONTH})
            assert resp.status_code == 403, path
        menu = await client.get("/")
        assert 'href="/dispatch"' not in menu.text
    finally:
        await client.aclose()
    async with httpx.AsyncClient(timeout=30) as http:
        for service in ("incubation", "intake", "hotline"):
            resp = await http.get(
                stack.service_urls[service] + "/api/v1/dispatch",
                params={"month": MONTH},
                headers=demo("zone_officer"),
            )
            assert resp.status_code == 403, service


@pytest.mark.browser
async def test_a_district_leader_reads_the_dispatch_in_a_browser(
    page: Page, stack: Stack, demo: Any
):
    await browser_sign_in(page, "leader")
    await expect(page.get_by_role("link", name="书记项目调度")).to_be_visible()
    await page.get_by_role("link", name="书记项目调度").click()
    await settled(page)
    await page.get_by_label("月份").select_option(MONTH)
    await page.get_by_role("button", name="查看该月").click()
    await settled(page)
    await expect(page).to_have_url(re.compile(r"/dispatch\?month=2021-05"))
    await expect(page.get_by_role("heading", level=1)).to_contain_text("2021年05月")
    registered = page.locator("#line-projects-registered td.month a")
    await expect(registered).to_have_text(re.compile(r"^\d+$"))
    # the chart is drawn by ECharts (a canvas inside the chart's box)
    await expect(page.locator("#trend-chart canvas").first).to_be_visible()
    async with page.expect_download() as download_info:
        await page.locator("#download-docx").click()
    download = await download_info.value
    assert download.suggested_filename.endswith("2021-05.docx")
    document = docx.Document(await download.path())
    assert any("2021年05月" in p.text for p in document.paragraphs)
    # a number opens the records behind it: the list of as many projects
    count = await registered.inner_text()
    await registered.click()
    await expect(page).to_have_url(re.compile(r"/enclave/projects\?from=2021-05-01&to=2021-05-31"))
    await expect(page.locator(".pager").first).to_contain_text(f"共 {count} 条")


async def test_the_three_ones_open_the_months_meetings_in_a_browser(
    page: Page, stack: Stack, demo: Any
):
    await browser_sign_in(page, "leader")
    await page.goto(f"/dispatch?month={MONTH}")
    missed = page.locator("#line-meetings-missed td.month a")
    count = await missed.inner_text()
    await missed.click()
    await expect(page).to_have_url(re.compile(r"/dispatch/meetings\?from=2021-05-01&to=2021-05-31"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("“三个一”应召开会议")
    await expect(page.locator(".pager").first).to_contain_text(f"共 {count} 条")
    table = page.get_by_role("table", name="“三个一”应召开会议")
    if int(count):
        await expect(table.locator("tbody tr").first).to_contain_text("已逾期")
    await page.get_by_label("状态").select_option(label="已召开")
    await page.get_by_role("button", name="筛选").click()
    await settled(page)
    await expect(page).to_have_url(re.compile(r"status=held"))
    statuses = await table.locator("tbody tr td:last-child").all_inner_texts()
    assert statuses and set(statuses) <= {"已召开", "没有符合条件的记录。"}


@pytest.mark.browser
async def test_the_five_returns_open_the_months_entries_in_a_browser(
    page: Page, stack: Stack, demo: Any
):
    await browser_sign_in(page, "leader")
    await page.goto(f"/dispatch?month={MONTH}")
    section = page.locator("#figures-returns")
    await expect(page.locator("#h-returns")).to_have_text("五回成效（全区）")
    await expect(section.locator("#line-returns-capital th")).to_have_text("资金回流（万元）")
    talents = page.locator("#line-returns-talent td.month a")
    count = await talents.inner_text()
    await talents.click()
    await expect(page).to_have_url(
        re.compile(r"/intake/support\?return_kind=talent&from=2021-05-01&to=2021-05-31")
    )
    await expect(page.locator("#returns-period")).to_have_text("发生于 2021-05-01 至 2021-05-31")
    await expect(page.get_by_label("五回类别").first).to_have_value("talent")
    await expect(page.locator("#five-returns-summary td").first).to_have_text(count)
    await expect(page.locator("#five-returns tbody tr")).to_have_count(1)  # the May entry
    await expect(page.locator("#five-returns tbody tr")).to_contain_text("人才回归")
