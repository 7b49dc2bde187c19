"""有团队 / 有场所 in Debian's Chromium: an operator opens the project incubation centre (a
second of its kind refused, in Chinese), adds an advisory group member (refused without an
organisation) and an operating team member working in the centre, filters the team, hosts
a project on the centre's page, corrects the centre; the district leader reads, with no form."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from enclave_shared.auth import Role
from playwright.async_api import Browser, Page, expect

from services.console.identity import Site
from tests.console.browser import Stack, settled, signed_in
from tests.console.test_enclave_browser import _new_directed_project

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)


@pytest.fixture
async def page(browser: Browser, stack: Stack) -> AsyncIterator[Page]:
    async with signed_in(browser, stack, Role.ENCLAVE_OPERATOR, Site.SHENZHEN) as opened:
        yield opened


async def _open_centre(page: Page, name: str) -> None:
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("中心类型").select_option(label="项目孵化中心")
    await add.get_by_label("中心名称").fill(name)
    await add.get_by_label("地址").fill("深圳市南山区")
    await add.get_by_label("面积（平方米）").fill("800")
    await add.get_by_label("启用日期").fill("2020-11-20")
    await add.get_by_role("button", name="登记中心").click()


async def _add_member(page: Page, team: str, name: str, organisation: str = "", centre: str = ""):
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("所属团队").select_option(label=team)
    await add.get_by_label("姓名").fill(name)
    await add.get_by_label("身份或职务").fill("院士" if team == "飞地发展顾问团" else "站长")
    await add.get_by_label("所在单位（顾问团成员必填）").fill(organisation)
    await add.get_by_label("所在中心编号（如有）").fill(centre)
    await add.get_by_role("button", name="添加成员").click()


async def test_the_centres_and_teams_are_recorded_and_a_project_hosted_by_clicking(
    page: Page, browser: Browser, stack: Stack
):
    await _new_directed_project(page, "无人机电池", "2021-03-01")
    project_id = page.url.rsplit("/", 1)[1]

    menu = page.get_by_role("navigation", name="菜单")
    await menu.get_by_role("link", name="三个中心").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("三个中心")
    await _open_centre(page, "广丰飞地项目孵化中心")
    centres = page.get_by_role("table", name="三个中心")
    await expect(centres).to_contain_text("广丰飞地项目孵化中心")
    await expect(centres).to_contain_text("项目孵化中心")
    await _open_centre(page, "第二个孵化中心")
    await expect(page.locator("#kind-error")).to_have_text("飞地已有该类型的中心。")

    await centres.get_by_role("link", name="广丰飞地项目孵化中心").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("中心 · 广丰飞地项目孵化中心")
    centre_id = page.url.rsplit("/", 1)[1]
    host = page.get_by_role("region", name="项目入驻本中心")
    await host.get_by_label("项目编号").fill(project_id)
    await host.get_by_label("入驻日期").fill("2021-02-01")
    await host.get_by_role("button", name="办理入驻").click()
    await expect(page.locator("#since-error")).to_have_text("日期不能早于项目登记日期。")
    host = page.get_by_role("region", name="项目入驻本中心")
    await host.get_by_label("入驻日期").fill("2021-03-05")
    await host.get_by_role("button", name="办理入驻").click()
    hosted = page.get_by_role("table", name="入驻本中心的项目")
    await expect(hosted.get_by_role("row", name=re.compile("无人机电池"))).to_contain_text(
        "2021-03-05"
    )
    await page.get_by_label("面积（平方米）").fill("1200")
    await page.get_by_label("更正原因").fill("实测面积")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#fact-area_m2")).to_have_text("1200")
    history = page.get_by_role("table", name="变更记录")
    await expect(history.locator('tr[data-action="enclave.centre.corrected.v1"]')).to_contain_text(
        "800 → 1200"
    )

    await menu.get_by_role("link", name="顾问团与运营团队").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("飞地发展顾问团与运营团队")
    await _add_member(page, "飞地发展顾问团", "陈院士")
    await expect(page.locator("#organisation-error")).to_have_text("请填写顾问团成员所在单位。")
    await _add_member(page, "飞地发展顾问团", "陈院士", organisation="深圳大学")
    await _add_member(page, "运营团队", "李娜", centre=centre_id)
    team = page.get_by_role("table", name="飞地发展顾问团与运营团队")
    await expect(team).to_contain_text("李娜")
    await page.get_by_label("所属团队", exact=True).first.select_option(label="飞地发展顾问团")
    await page.get_by_role("button", name="筛选").click()
    await settled(page)
    await expect(team).to_contain_text("深圳大学")
    await expect(team).not_to_contain_text("李娜")

    async with signed_in(browser, stack, Role.DISTRICT_LEADER, Site.DISTRICT) as leader:
        await leader.goto(f"/enclave/centres/{centre_id}")
        await expect(leader.get_by_role("table", name="在本中心工作的团队成员")).to_contain_text(
            "李娜"
        )
        await expect(leader.get_by_role("table", name="入驻本中心的项目")).to_contain_text(
            "无人机电池"
        )
        await expect(leader.get_by_role("button", name="办理入驻")).to_have_count(0)
        await leader.goto("/enclave/team")
        await expect(leader.get_by_role("table", name="飞地发展顾问团与运营团队")).to_contain_text(
            "陈院士"
        )
        await expect(leader.get_by_role("button", name="添加成员")).to_have_count(0)
