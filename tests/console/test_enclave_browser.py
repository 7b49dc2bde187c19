"""The Shenzhen enclave's pages in Debian's Chromium, clicked through as an operator does,
against the console and the four services on real sockets."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from enclave_shared.auth import Role
from openpyxl import Workbook, load_workbook
from playwright.async_api import Browser, Page, expect

from services.console.identity import Site
from tests.console.browser import Stack, settled, sign_in_page
from tests.console.support import add_user

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)  # two cores shared: a full page load can take seconds

_names = itertools.count()


@pytest.fixture
async def page(browser: Browser, stack: Stack) -> AsyncIterator[Page]:
    """A fresh browser context, signed in as a new enclave operator."""
    context = await browser.new_context(base_url=stack.url, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(20_000)
    username = f"sz-operator-{next(_names)}"
    await add_user(
        stack.console.state.runtime,  # type: ignore[arg-type]
        username,
        Role.ENCLAVE_OPERATOR,
        site=Site.SHENZHEN,
    )
    try:
        opened = await context.new_page()
        await sign_in_page(opened, username)
        await expect(opened).to_have_url(f"{stack.url}/")
        yield opened
    finally:
        await context.close()


async def _open_new_project_form(page: Page) -> None:
    menu = page.get_by_role("navigation", name="菜单")
    await menu.get_by_role("link", name="项目", exact=True).click()
    await page.get_by_role("link", name="新建项目").click()
    await expect(page).to_have_url(re.compile("/enclave/projects/new$"))
    await settled(page)


async def _choose_path(page: Page, path: str) -> None:
    """Choose the intake path and wait for htmx to swap in its fields."""
    await page.get_by_label("承接路径").select_option(label=path)
    await settled(page)


async def _new_directed_project(page: Page, title: str, registered_on: str) -> None:
    await _open_new_project_form(page)
    await _choose_path(page, "定向式")
    await page.get_by_label("目标企业").fill("深圳独角兽科技")
    await page.get_by_label("企业类型").select_option(label="独角兽")
    await page.get_by_label("项目名称").fill(title)
    await page.get_by_label("产业链").select_option(label="先进机械制造")
    await page.get_by_label("登记日期").fill(registered_on)
    await page.get_by_role("button", name="登记项目").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(title)


async def test_a_directed_project_is_created_and_matured_by_clicking(page: Page):
    await _open_new_project_form(page)
    await _choose_path(page, "配送式")  # htmx swaps the path's own fields
    await expect(page.get_by_label("目标企业")).to_have_count(0)
    await _choose_path(page, "订单式")
    await expect(page.get_by_label("研发需求")).to_be_visible()
    await _choose_path(page, "定向式")
    await expect(page.get_by_label("目标企业")).to_be_visible()
    await expect(page.get_by_label("研发需求")).to_have_count(0)
    await _new_directed_project(page, "无人机电池项目", "2021-01-10")
    await expect(page.locator("#stage")).to_have_text("拟引进")
    await page.get_by_label("成熟日期").fill("2021-02-01")
    await page.get_by_role("button", name="确认成熟").click()
    # Matured, and soon transferred: intake opens its case from the matured event.
    await expect(page.locator("#stage")).to_have_text(re.compile("已成熟|已转化"))
    await expect(page.locator(".timeline li.done")).to_contain_text(["拟引进", "已成熟"])
    await expect(page.locator(".timeline")).to_contain_text("2021-02-01")
    await expect(page.get_by_role("button", name="确认成熟")).to_have_count(0)


async def test_a_date_the_service_refuses_shows_beside_its_field(page: Page):
    await _new_directed_project(page, "早于登记的成熟", "2021-03-10")
    await page.get_by_label("成熟日期").fill("2021-03-01")
    await page.get_by_role("button", name="确认成熟").click()
    error = page.locator("#matured_on-error")
    await expect(error).to_have_text("日期不能早于项目上一阶段的日期。")
    await expect(page.get_by_label("成熟日期")).to_have_value("2021-03-01")
    await expect(page.locator("#stage")).to_have_text("拟引进")


async def test_the_export_downloads_exactly_the_filtered_projects(page: Page):
    await _new_directed_project(page, "导出甲", "2022-05-01")
    await _new_directed_project(page, "导出乙", "2022-07-01")
    await page.get_by_role("link", name="全部项目").click()
    await page.get_by_label("登记日期自").fill("2022-06-01")
    await page.get_by_label("登记日期至").fill("2022-12-31")
    await page.get_by_role("button", name="筛选").click()
    table = page.get_by_role("table", name="项目")
    await expect(table.get_by_role("link", name="导出乙")).to_be_visible()
    await expect(table.get_by_role("link", name="导出甲")).to_have_count(0)
    async with page.expect_download() as info:
        await page.get_by_role("link", name="导出 Excel").click()
    download = await info.value
    assert download.suggested_filename == "项目.xlsx"
    book = load_workbook(io.BytesIO((await download.path()).read_bytes()))
    rows = [[c.value for c in r] for r in book.worksheets[0].iter_rows()]
    assert rows[0][0] == "名称"
    assert [r[0] for r in rows[1:]] == ["导出乙"]


async def test_talents_are_imported_from_a_workbook_all_or_nothing(page: Page, tmp_path: Path):
    def workbook(name: str, *rows: list[object]) -> Path:
        book = Workbook()
        book.active.append(["姓名", "人才层次", "专业领域", "引进日期", "招才大使"])
        for row in rows:
            book.active.append(row)
        target = tmp_path / name
        book.save(target)
        return target

    await page.get_by_role("link", name="人才与招才大使").click()
    upload = page.get_by_label("工作簿（.xlsx）")
    await upload.set_input_files(
        workbook(
            "bad.xlsx", ["王工", "高层次人才", "新材料", "2021-03-10"], ["李工", "院士", "电子"]
        )
    )
    await page.get_by_role("button", name="校验并导入").click()
    errors = page.get_by_role("table", name="需更正的行")
    await expect(errors.get_by_role("row")).to_have_count(2)
    await expect(errors).to_contain_text("人才层次须为“高层次人才”或“科研人员”。")
    await expect(page.get_by_role("table", name="人才")).not_to_contain_text("王工")
    await page.get_by_label("工作簿（.xlsx）").set_input_files(
        workbook(
            "good.xlsx",
            ["王工", "高层次人才", "新材料", "2021-03-10"],
            ["李工", "科研人员", "电子"],
        )
    )
    await page.get_by_role("button", name="校验并导入").click()
    await expect(page.get_by_role("status")).to_have_text("已导入 2 名人才。")
    await expect(page.get_by_role("table", name="人才")).to_contain_text("王工")


async def test_the_531_progress_is_drawn_as_a_chart(page: Page):
    await page.get_by_role("link", name="531 培训").click()
    await page.get_by_label("培训类别").last.select_option(label="职业经理人")
    await page.get_by_label("完成培训人数").fill("25")
    await page.get_by_role("button", name="登记培训完成").click()
    await expect(page.locator("#progress")).to_contain_text("职业经理人")
    await expect(page.locator(".chart canvas")).to_have_count(1)


async def test_a_project_page_shows_who_did_what_in_its_history(page: Page):
    await _new_directed_project(page, "变更记录项目", "2021-04-01")
    await page.get_by_label("成熟日期").fill("2021-04-20")
    await page.get_by_role("button", name="确认成熟").click()
    await expect(page.locator("#stage")).to_have_text(re.compile("已成熟|已转化"))
    history = page.get_by_role("table", name="变更记录")
    registered = history.locator('tr[data-action="enclave.project.registered.v1"]')
    await expect(registered).to_contain_text("项目登记")
    await expect(registered).to_contain_text(re.compile("sz-operator-[0-9]+"))
    await expect(registered).to_contain_text("飞地运营")
    await expect(history.locator('tr[data-action="enclave.project.matured.v1"]')).to_contain_text(
        "项目成熟"
    )


async def test_a_talent_is_corrected_and_voided_by_clicking_and_its_history_says_so(page: Page):
    await page.get_by_role("link", name="人才与招才大使").click()
    add = page.get_by_role("region", name="新增人才")
    await add.get_by_label("姓名").fill("更正测试人才")
    await add.get_by_label("人才层次").select_option(label="科研人员")
    await add.get_by_label("专业领域").fill("新材料")
    await add.get_by_label("引进日期").fill("2021-03-10")
    await add.get_by_role("button", name="添加人才").click()
    table = page.get_by_role("table", name="人才")
    await table.get_by_role("link", name="更正测试人才").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("人才 · 更正测试人才")
    await expect(page.locator("#fact-level")).to_have_text("科研人员")

    # A correction that changes nothing is refused, with the form kept.
    await page.get_by_label("更正原因").fill("录入时层次有误")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#correction-error")).to_have_text(
        "未作任何修改：请先修改字段再保存更正。"
    )
    await page.get_by_label("人才层次").select_option(label="高层次人才")
    await page.get_by_label("更正原因").fill("录入时层次有误")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#fact-level")).to_have_text("高层次人才")
    history = page.get_by_role("table", name="变更记录")
    corrected = history.locator('tr[data-action="enclave.talent.corrected.v1"]')
    await expect(corrected).to_contain_text("人才更正")
    await expect(corrected).to_contain_text("人才层次：科研人员 → 高层次人才")
    await expect(corrected).to_contain_text("录入时层次有误")
    await expect(corrected).to_contain_text("飞地运营")

    # Voiding wants a reason and the confirmation.
    await page.get_by_label("作废原因").fill("重复录入")
    await page.get_by_role("button", name="作废", exact=True).click()
    await expect(page.locator("#confirm-error")).to_have_text("请勾选确认。")
    await page.get_by_label("作废原因").fill("重复录入")
    await page.get_by_label("我确认作废此记录").check()
    await page.get_by_role("button", name="作废", exact=True).click()
    await expect(page.locator("#voided")).to_contain_text("重复录入")
    await expect(page.get_by_role("button", name="保存更正")).to_have_count(0)
    await expect(history.locator('tr[data-action="enclave.talent.voided.v1"]')).to_contain_text(
        "人才作废"
    )

    # Out of the list, unless the voided ones are asked for.
    await page.get_by_role("link", name="返回列表").click()
    await expect(table).to_be_visible()
    await expect(table).not_to_contain_text("更正测试人才")
    await page.get_by_label("显示已作废").check()
    await page.get_by_role("button", name="筛选").click()
    row = table.get_by_role("row", name=re.compile("更正测试人才"))
    await expect(row).to_contain_text("已作废")


async def test_a_project_is_corrected_on_its_page_and_a_date_out_of_order_is_refused(page: Page):
    await _new_directed_project(page, "待更正项目", "2021-05-01")
    await page.get_by_label("成熟日期").fill("2021-05-20")
    await page.get_by_role("button", name="确认成熟").click()
    await expect(page.locator("#stage")).to_have_text(re.compile("已成熟|已转化"))
    correction = page.locator("section.correction")
    await correction.get_by_label("登记日期").fill("2021-06-01")
    await correction.get_by_label("更正原因").fill("登记日期有误")
    await correction.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#registered_on-error")).to_have_text(
        "2021-06-01 不能晚于下一阶段的日期 2021-05-20。"
    )
    await page.locator("section.correction").get_by_label("项目名称").fill("已更正的项目")
    await page.locator("section.correction").get_by_label("登记日期").fill("2021-05-01")
    await page.locator("section.correction").get_by_label("更正原因").fill("名称有误")
    await page.locator("section.correction").get_by_role("button", name="保存更正").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("已更正的项目")
    history = page.get_by_role("table", name="变更记录")
    await expect(history.locator('tr[data-action="enclave.project.corrected.v1"]')).to_contain_text(
        "名称：待更正项目 → 已更正的项目"
    )


async def test_a_new_projects_team_is_picked_among_the_enclaves_talents(page: Page):
    await page.get_by_role("link", name="人才与招才大使").click()
    add = page.get_by_role("region", name="新增人才")
    for name, level in (("团队人才甲", "高层次人才"), ("团队人才乙", "科研人员")):
        await add.get_by_label("姓名").fill(name)
        await add.get_by_label("人才层次").select_option(label=level)
        await add.get_by_label("专业领域").fill("新材料")
        await add.get_by_label("引进日期").fill("2021-03-10")
        await add.get_by_role("button", name="添加人才").click()
        await expect(page.get_by_role("table", name="人才")).to_contain_text(name)
    await _open_new_project_form(page)
    await _choose_path(page, "配送式")
    await page.get_by_label("项目名称").fill("带飞地人才的项目")
    await page.get_by_label("产业链").select_option(label="先进机械制造")
    await page.get_by_label("团队成员", exact=True).fill("外聘专家赵工")
    picker = page.get_by_label("团队中的飞地人才")
    await expect(picker).to_contain_text("团队人才甲 · 高层次人才 · 新材料")
    await picker.select_option(label="团队人才乙 · 科研人员 · 新材料")
    await page.get_by_role("button", name="登记项目").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("带飞地人才的项目")
    team = page.locator("dt", has_text="团队中的飞地人才")
    talents = team.locator("xpath=following-sibling::dd[1]")
    await expect(talents).to_have_text("团队人才乙")
    await talents.get_by_role("link", name="团队人才乙").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("人才 · 团队人才乙")


async def test_the_party_building_campaigns_are_recorded_and_filtered_as_activities(page: Page):
    await page.get_by_role("navigation", name="菜单").get_by_role("link", name="活动").click()
    add = page.get_by_role("region", name="新增")
    for title, kind in (("党员先锋服务日", "我是党员我带头"), ("返乡助农", "我为家乡做点事")):
        await add.get_by_label("名称").fill(title)
        await add.get_by_label("类型").select_option(label=kind)
        await add.get_by_label("举办日期").fill("2034-05-04")
        await add.get_by_role("button", name="登记活动").click()
        await expect(page.get_by_role("table", name="活动")).to_contain_text(title)
    filters = page.get_by_role("search")
    await filters.get_by_label("类型").select_option(label="我是党员我带头")
    await filters.get_by_role("button", name="筛选").click()
    table = page.get_by_role("table", name="活动")
    await expect(table.get_by_role("link", name="党员先锋服务日")).to_be_visible()
    await expect(table).to_contain_text("我是党员我带头")
    await expect(table).not_to_contain_text("返乡助农")


async def test_the_year_over_year_page_sets_each_figure_beside_last_years(
    page: Page, tmp_path: Path
):
    book = Workbook()
    book.active.append(["姓名", "人才层次", "专业领域", "引进日期", "招才大使"])
    for n in range(3):
        book.active.append([f"同比本期{n}", "科研人员", "新材料", "2033-03-10"])
    book.active.append(["同比上年", "高层次人才", "新材料", "2032-03-31"])
    book.save(tmp_path / "yoy.xlsx")
    await page.get_by_role("link", name="人才与招才大使").click()
    await page.get_by_label("工作簿（.xlsx）").set_input_files(tmp_path / "yoy.xlsx")
    await page.get_by_role("button", name="校验并导入").click()
    await expect(page.get_by_role("status")).to_have_text("已导入 4 名人才。")

    await page.get_by_role("navigation", name="菜单").get_by_role("link", name="同比统计").click()
    await page.get_by_label("统计日期自").fill("2033-03-01")
    await page.get_by_label("统计日期至").fill("2033-03-31")
    await page.get_by_role("button", name="对比上年同期").click()
    await expect(page.locator("#periods")).to_have_text(
        "本期：2033-03-01 至 2033-03-31；上年同期：2032-03-01 至 2032-03-31。"
    )
    table = page.get_by_role("table", name="本期与上年同期对比")
    talents = table.get_by_role("row", name=re.compile("^引进人才数"))
    await expect(talents.get_by_role("cell")).to_have_text(["3", "1", "3 倍"])
    researchers = table.get_by_role("row", name=re.compile("^科研人员"))
    await expect(researchers.get_by_role("cell")).to_have_text(["3", "0", "上年同期为零，无倍数"])
    await expect(table.get_by_role("row", name=re.compile("^高层次人才"))).to_contain_text("0 倍")

    await page.get_by_label("统计日期自").fill("2033-04-01")
    await page.get_by_role("button", name="对比上年同期").click()
    await expect(page.locator("#f-from-error")).to_have_text("起始日期不能晚于截止日期。")
