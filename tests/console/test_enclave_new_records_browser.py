"""The enclave's newer records in Debian's Chromium, one test a page, on one stack.

- 有团队/有场所: an operator opens the project incubation centre (a second of its kind refused, in
  Chinese), adds an advisory group member (refused without an organisation) and an operating
  team member working in the centre, filters the team, hosts a project on the centre's page,
  corrects the centre; the district leader reads, with no form.
- 科技研发中心: an operator registers a Shenzhen R&D institution (hosted by the enclave's R&D
  centre) and a local enterprise's R&D centre, filters them by who set them up, reads the
  figures, finds the institution on its hosting centre's page, links it on its own page to a
  project whose results it transfers (an unknown project refused beside the field); the district
  leader reads, with no form.
- 人才工程申报: an operator adds a high-level talent and a researcher, finds only the high-level
  talent offered by the form's picker, files the talent's declaration for a province programme
  (a second one refused beside the programme, in Chinese), filters the list by level, records
  the outcome on its page (an outcome dated before the declaration refused beside 结果日期; the
  history names the outcomes' labels); the district leader reads, with no form.

The centre, project and talent of these forms are chosen from the records (a select of the
standing centres, of the enclave's projects by title and enterprise, of the high-level
talents), not typed as ids.
- 一轴: an operator records a party organisation on a sage body (a standalone one of two members
  refused beside 党员人数, a name twice beside the name, in Chinese), filters them by how they were
  formed, adds a new village sage and changes their tie on the sage's page (the history says
  so); the district leader reads, with no form.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from enclave_shared.auth import Role
from playwright.async_api import Browser, Page, expect

from services.console.identity import Site
from tests.console.browser import Stack, filter_by, signed_in
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
    await add.get_by_label("所在中心（如有）").select_option(label=centre or "—")
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
    await host.get_by_label("项目").select_option(label="无人机电池（深圳独角兽科技）")
    assert await host.get_by_label("项目").input_value() == project_id
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
    await _add_member(page, "运营团队", "李娜", centre="广丰飞地项目孵化中心")
    team = page.get_by_role("table", name="飞地发展顾问团与运营团队")
    await expect(team).to_contain_text("李娜")
    await filter_by(page, "所属团队", "飞地发展顾问团")
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


async def _register(page: Page, kind: str, name: str, chain: str, centre: str = "") -> None:
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("设立主体").select_option(label=kind)
    await add.get_by_label("研发中心").fill(name)
    await add.get_by_label("产业链").select_option(label=chain)
    await add.get_by_label("所在飞地中心（如有）").select_option(label=centre or "—")
    await add.get_by_label("设立日期").fill("2021-01-10")
    await add.get_by_role("button", name="登记研发中心").click()
    await expect(page.get_by_role("table", name="在深科技研发中心")).to_contain_text(name)


async def test_rd_centres_are_registered_filtered_and_linked_by_clicking(
    page: Page, browser: Browser, stack: Stack
):
    await _new_directed_project(page, "滑石粉体新工艺", "2021-03-01")
    project_id = page.url.rsplit("/", 1)[1]

    await page.goto("/enclave/centres")
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("中心类型").select_option(label="科技研发中心")
    await add.get_by_label("中心名称").fill("飞地科技研发中心")
    await add.get_by_label("地址").fill("深圳市南山区")
    await add.get_by_label("面积（平方米）").fill("500")
    await add.get_by_role("button", name="登记中心").click()
    await page.get_by_role("link", name="飞地科技研发中心").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("中心 · 飞地科技研发中心")
    centre_url = page.url

    menu = page.get_by_role("navigation", name="菜单")
    await menu.get_by_role("link", name="科技研发中心").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("在深科技研发中心")
    await _register(page, "入驻飞地的深圳研发机构", "深圳滑石研究院", "黑滑石", "飞地科技研发中心")
    await _register(page, "本地企业在深研发中心", "广丰机械深圳研发中心", "先进机械制造")
    figures = page.get_by_role("table", name="研发中心及其成果转化")
    await expect(figures.locator("tbody tr")).to_have_text("110")

    listed = page.get_by_role("table", name="在深科技研发中心")
    await filter_by(page, "设立主体", "本地企业在深研发中心")
    await expect(listed).to_contain_text("广丰机械深圳研发中心")
    await expect(listed).not_to_contain_text("深圳滑石研究院")

    await page.goto("/enclave/rd-centres")
    await page.get_by_role("link", name="深圳滑石研究院").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("研发中心 · 深圳滑石研究院")
    await page.get_by_label("成果转化项目（编号）").fill("no-such-project")
    await page.get_by_label("更正原因").fill("关联成果转化项目")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#project_ids-error")).to_have_text(
        "没有这个编号的项目，或该项目已作废。"
    )
    await page.get_by_label("成果转化项目（编号）").fill(project_id)
    await page.get_by_label("更正原因").fill("关联成果转化项目")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#fact-project_ids")).to_have_text(project_id)

    await page.goto(centre_url)
    hosted = page.get_by_role("table", name="入驻本中心的研发中心")
    await expect(hosted).to_contain_text("深圳滑石研究院")
    await expect(hosted).to_contain_text("入驻飞地的深圳研发机构")
    await expect(hosted).not_to_contain_text("广丰机械深圳研发中心")

    async with signed_in(browser, stack, Role.DISTRICT_LEADER, Site.DISTRICT) as leader:
        await leader.goto("/enclave/rd-centres")
        await expect(leader.get_by_role("table", name="在深科技研发中心")).to_contain_text(
            "深圳滑石研究院"
        )
        await expect(leader.get_by_role("button", name="登记研发中心")).to_have_count(0)


async def _talent(page: Page, name: str, level: str) -> str:
    """Add a talent on the talents page; its id, read from its page's address."""
    await page.goto("/enclave/talents")
    add = page.get_by_role("region", name="新增人才")
    await add.get_by_label("姓名").fill(name)
    await add.get_by_label("人才层次").select_option(label=level)
    await add.get_by_label("专业领域").fill("新材料")
    await add.get_by_label("引进日期").fill("2021-03-10")
    await add.get_by_role("button", name="添加人才").click()
    await page.get_by_role("table", name="人才").get_by_role("link", name=name).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"人才 · {name}")
    return page.url.rsplit("/", 1)[1]


async def _file(page: Page, talent: str, programme: str, level: str) -> None:
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("高层次人才").select_option(label=talent)
    await add.get_by_label("申报的人才工程").fill(programme)
    await add.get_by_label("工程级别").select_option(label=level)
    await add.get_by_label("申报日期").fill("2021-04-01")
    await add.get_by_role("button", name="提交申报").click()


async def test_a_declaration_is_filed_filtered_and_its_outcome_recorded_by_clicking(
    page: Page, browser: Browser, stack: Stack
):
    zhang = await _talent(page, "张博士", "高层次人才")
    await _talent(page, "吴研究员", "科研人员")

    menu = page.get_by_role("navigation", name="菜单")
    await menu.get_by_role("link", name="人才工程申报").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("人才工程申报")
    picker = page.get_by_role("region", name="新增").get_by_label("高层次人才")
    await expect(picker.locator("option")).to_have_text(["—", "张博士"])  # not the researcher
    await _file(page, "张博士", "江西省双千计划", "省级")
    await _file(page, "张博士", "江西省双千计划", "省级")
    await expect(page.locator("#programme-error")).to_have_text("该人才已申报过这一人才工程。")
    await _file(page, "张博士", "广丰区高层次人才", "区级")
    listed = page.get_by_role("table", name="人才工程申报")
    row = listed.get_by_role("row", name=re.compile("江西省双千计划"))
    await expect(row).to_contain_text("张博士")
    await expect(row).to_contain_text("待评审")

    await filter_by(page, "工程级别", "区级")
    await expect(listed).to_contain_text("广丰区高层次人才")
    await expect(listed).not_to_contain_text("江西省双千计划")

    await page.goto("/enclave/declarations")
    await listed.get_by_role("link", name="江西省双千计划").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "人才工程申报 · 张博士 · 江西省双千计划"
    )
    await expect(page.get_by_label("高层次人才")).to_have_value(zhang)
    await page.get_by_label("评审结果").select_option(label="已入选")
    await page.get_by_label("结果日期").fill("2021-03-01")
    await page.get_by_label("更正原因").fill("省里公布结果")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#outcome_on-error")).to_contain_text("不得早于申报日期")
    await page.get_by_label("评审结果").select_option(label="已入选")
    await page.get_by_label("结果日期").fill("2021-06-20")
    await page.get_by_label("更正原因").fill("省里公布结果")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#fact-outcome")).to_have_text("已入选")
    history = page.get_by_role("table", name="变更记录")
    await expect(
        history.locator('tr[data-action="enclave.declaration.corrected.v1"]')
    ).to_contain_text("待评审 → 已入选")

    async with signed_in(browser, stack, Role.DISTRICT_LEADER, Site.DISTRICT) as leader:
        await leader.goto("/enclave/declarations")
        await expect(leader.get_by_role("table", name="人才工程申报")).to_contain_text("已入选")
        await expect(leader.get_by_role("button", name="提交申报")).to_have_count(0)


async def _org(page: Page, name: str, body: str, formation: str, members: str) -> None:
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("党组织").fill(name)
    await add.get_by_label("依托的新乡贤组织").fill(body)
    await add.get_by_label("组建方式").select_option(label=formation)
    await add.get_by_label("党员人数").fill(members)
    await add.get_by_label("组建日期").fill("2021-03-01")
    await add.get_by_role("button", name="登记党组织").click()


async def test_party_organisations_and_sages_are_recorded_by_clicking(
    page: Page, browser: Browser, stack: Stack
):
    menu = page.get_by_role("navigation", name="菜单")
    await menu.get_by_role("link", name="党建引领").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("新乡贤组织党组织")
    await _org(page, "新乡贤参事会党支部", "新乡贤参事会", "单独组建", "2")
    await expect(page.locator("#members-error")).to_have_text(
        "单独组建的党组织须有3名以上党员；不足3名的请区域联建或行业统建。"
    )
    await _org(page, "新乡贤参事会党支部", "新乡贤参事会", "单独组建", "5")
    await _org(page, "博士联谊会联合党支部", "博士联谊会", "区域联建", "2")
    await _org(page, "新乡贤参事会党支部", "新乡贤参事会", "行业统建", "1")
    await expect(page.locator("#name-error")).to_have_text("同名党组织已登记。")
    orgs = page.get_by_role("table", name="新乡贤组织党组织")
    await filter_by(page, "组建方式", "区域联建")
    await expect(orgs).to_contain_text("博士联谊会联合党支部")
    await expect(orgs).not_to_contain_text("新乡贤参事会党支部")

    await menu.get_by_role("link", name="新乡贤").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("新乡贤")
    add = page.get_by_role("region", name="新增")
    await add.get_by_label("姓名").fill("王老先生")
    await add.get_by_label("所在新乡贤组织").fill("新乡贤参事会")
    await add.get_by_label("与飞地的联系").select_option(label="顾问")
    await add.get_by_role("button", name="添加新乡贤").click()
    sages = page.get_by_role("table", name="新乡贤")
    await sages.get_by_role("link", name="王老先生").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("新乡贤 · 王老先生")
    await page.get_by_label("与飞地的联系").select_option(label="大使")
    await page.get_by_label("更正原因").fill("受聘为招才大使")
    await page.get_by_role("button", name="保存更正").click()
    await expect(page.locator("#fact-tie")).to_have_text("大使")
    history = page.get_by_role("table", name="变更记录")
    await expect(history.locator('tr[data-action="enclave.sage.corrected.v1"]')).to_contain_text(
        "顾问 → 大使"
    )

    async with signed_in(browser, stack, Role.DISTRICT_LEADER, Site.DISTRICT) as leader:
        await leader.goto("/enclave/sages")
        await expect(leader.get_by_role("table", name="新乡贤")).to_contain_text("王老先生")
        await expect(leader.get_by_role("button", name="添加新乡贤")).to_have_count(0)
        await leader.goto("/enclave/party-orgs")
        await expect(leader.get_by_role("table", name="新乡贤组织党组织")).to_contain_text(
            "新乡贤参事会党支部"
        )
        await expect(leader.get_by_role("button", name="登记党组织")).to_have_count(0)
