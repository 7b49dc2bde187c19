"""Pages through HTTP: full page or htmx fragment, banners for a service that is down, the
403 page, labels, translations and formats."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from enclave_shared.auth import Role
from enclave_shared.catalog.incubation import (
    EnterpriseTag,
    IntakePath,
    LayoutCategory,
    ProjectStage,
    TalentLevel,
    TrainingTrack,
    TransferCause,
)
from enclave_shared.catalog.intake import MeetingKind
from enclave_shared.kafka import free_port

from services.console import formatting, i18n, identity, labels, menu
from services.console.clients import FieldError, IntakeClient, ServiceUnavailable
from services.console.pages import admin, auth
from tests.console.support import RunningConsole, add_user, sign_in
from tests.support import run_service

CONSOLE = Path(__file__).resolve().parents[2] / "services" / "console"


async def test_one_route_answers_the_full_page_or_the_htmx_fragment(console: RunningConsole):
    await add_user(console.runtime, "root", Role.ADMIN)
    await sign_in(console.client, "root")
    full = await console.client.get("/admin/audit")
    assert full.headers["content-type"] == "text/html; charset=utf-8"
    assert full.text.lstrip().startswith("<!doctype html>") and 'id="main"' in full.text
    part = await console.client.get("/admin/audit", headers={"HX-Request": "true"})
    assert part.status_code == 200
    assert "<html" not in part.text and "审计日志" in part.text and 'class="menu"' not in part.text


async def test_a_service_that_is_down_is_named_in_a_banner_and_the_page_still_works(
    console: RunningConsole,
):
    await add_user(console.runtime, "officer", Role.ZONE_OFFICER)
    await sign_in(console.client, "officer")
    home = await console.client.get("/")
    assert home.status_code == 200
    assert "承接基地服务暂时无法访问" in home.text
    assert "首页" in home.text  # the menu and the rest of the page are there


async def test_a_page_of_another_role_answers_the_403_page_not_json(console: RunningConsole):
    await add_user(console.runtime, "agent", Role.HOTLINE_AGENT)
    await sign_in(console.client, "agent")
    resp = await console.client.get("/admin/users")
    assert resp.status_code == 403
    assert resp.headers["content-type"].startswith("text/html")
    assert "无权访问" in resp.text and "首页" in resp.text


async def test_signed_out_pages_go_to_sign_in_and_htmx_is_told_so(console: RunningConsole):
    resp = await console.client.get("/admin/users")
    assert resp.status_code == 303 and resp.headers["location"] == "/login?next=/admin/users"
    htmx = await console.client.get("/admin/users", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"] == "/login?next=/admin/users"


async def test_an_unknown_page_is_an_html_404(console: RunningConsole):
    resp = await console.client.get("/no/such/page")
    assert resp.status_code == 404 and "页面不存在" in resp.text


async def test_english_is_one_click_away_and_remembered(console: RunningConsole):
    first = await console.client.get("/login")
    assert "登录" in first.text and 'lang="zh-CN"' in first.text
    switch = await console.client.get("/lang/en", params={"next": "/login"})
    assert switch.status_code == 303 and switch.headers["location"] == "/login"
    again = await console.client.get("/login")
    assert "Sign in" in again.text and "登录" not in again.text


async def test_admin_adds_a_user_and_a_refused_field_shows_beside_it(console: RunningConsole):
    await add_user(console.runtime, "root", Role.ADMIN)
    await sign_in(console.client, "root")
    page = await console.client.get("/admin/users")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    form = {
        "csrf_token": token,
        "username": "qian.fang",
        "display_name": "钱芳",
        "role": "enterprise",
        "site": "shangrao",
        "password": "a long password",
    }
    refused = await console.client.post("/admin/users", data=form)
    assert refused.status_code == 422
    assert 'id="enterprise_id-error"' in refused.text and "企业用户须填写企业账号" in refused.text
    assert 'value="钱芳"' in refused.text  # what was typed is kept
    added = await console.client.post("/admin/users", data={**form, "enterprise_id": "ent-7"})
    assert added.status_code == 303
    listing = await console.client.get("/admin/users")
    assert "qian.fang" in listing.text and "ent-7" in listing.text
    audit = await console.client.get("/admin/audit")
    assert "新增用户" in audit.text and "10.1.2.3" in audit.text  # what, and from which address


async def test_every_menu_item_answers_its_roles_and_refuses_the_others(console: RunningConsole):
    for role in Role:
        username = f"menu.{role.value.replace('_', '.')}"
        enterprise = "ent-menu" if role is Role.ENTERPRISE else None
        await add_user(console.runtime, username, role, enterprise_id=enterprise)
        console.client.cookies.clear()
        assert (await sign_in(console.client, username)).status_code == 303
        for section in menu.MENU:
            for item in section.items:
                resp = await console.client.get(item.path)
                expected = 200 if role in item.roles else 403
                assert resp.status_code == expected, (role, item.path)


def test_every_code_of_the_event_catalog_and_every_role_has_a_label():
    kinds = {
        "path": IntakePath,
        "layout_category": LayoutCategory,
        "project_stage": ProjectStage,
        "talent_level": TalentLevel,
        "training_track": TrainingTrack,
        "enterprise_tag": EnterpriseTag,
        "transfer_cause": TransferCause,
        "meeting_kind": MeetingKind,
        "role": Role,
        "site": identity.Site,
        "audit": identity.Audit,
    }
    missing = [
        f"{kind}.{code.value}"
        for kind, enum in kinds.items()
        for code in enum
        if code.value not in labels.LABELS[kind]
    ]
    assert missing == []
    assert labels.label("directed", "path", "zh-CN") == "定向式"
    assert labels.label("yellow", "color", "en") == "Yellow"
    assert labels.label("unknown_code", "path", "zh-CN") == "unknown_code"


_MESSAGE = re.compile(r"""_\(\s*("(?:[^"\\]|\\.)+"|'(?:[^'\\]|\\.)+')\s*\)""")


def _message_ids() -> set[str]:
    ids: set[str] = set()
    for file in [*CONSOLE.rglob("*.html"), *CONSOLE.rglob("*.py")]:
        for literal in _MESSAGE.findall(file.read_text()):
            ids.add(literal[1:-1].replace("\\'", "'").replace('\\"', '"'))
    ids.update(s.label for s in menu.MENU)
    ids.update(i.label for s in menu.MENU for i in s.items)
    ids.update(identity.MESSAGES)
    ids.update((auth.LOCKED_MESSAGE, admin.CHOOSE_ROLE, admin.CHOOSE_SITE))
    return ids


def test_every_message_of_the_pages_has_a_chinese_translation():
    zh = i18n.translations("zh-CN")
    ids = _message_ids()
    assert len(ids) > 50
    untranslated = sorted(m for m in ids if zh.gettext(m) == m)
    assert untranslated == []


def test_dates_and_amounts_show_as_the_source_writes_them():
    assert formatting.as_date("2021-03-10") == "2021-03-10"
    assert formatting.as_date("2021-03-09T17:30:00+00:00") == "2021-03-10"  # China's date
    assert formatting.as_datetime("2021-03-09T17:30:00+00:00") == "2021-03-10 01:30"
    assert formatting.amount(1234567) == "1,234,567"
    assert formatting.amount("1234.5") == "1,234.50"
    assert formatting.wan(4_000_000) == "400 万元"
    assert formatting.wan("125000") == "12.5 万元"
    assert formatting.percent(0.953) == "95.3%"
    assert formatting.amount(None) == "—"


async def test_a_service_refusing_a_field_raises_field_error_and_one_down_is_unavailable(
    make_settings,
):
    from services.intake.main import SPEC as INTAKE

    settings = await make_settings("intake", settings_class=INTAKE.settings_class)
    async with run_service(INTAKE, settings) as intake:
        token = intake.auth(Role.ZONE_OFFICER)["Authorization"].removeprefix("Bearer ")
        client = IntakeClient(intake.client, "http://test", token)
        assert (await client.stats()).cases_opened == 0
        try:
            await client._get("/api/v1/stats", **{"from": "2021-05-01", "to": "2021-01-01"})
        except FieldError as exc:
            assert exc.service == "intake" and exc.status == 422 and exc.field == "from"
        else:
            raise AssertionError("a window ending before it starts was not refused")
    async with httpx.AsyncClient(timeout=2) as http:
        down = IntakeClient(http, f"http://127.0.0.1:{free_port()}", token)
        try:
            await down.stats()
        except ServiceUnavailable as exc:
            assert exc.service == "intake"
        else:
            raise AssertionError("a closed port answered")


def test_a_services_own_reason_is_shown_in_the_users_language():
    from services.console.web import templates

    page = templates.from_string(
        '{% from "_macros.html" import field_error with context %}{{ field_error(errors, "f") }}'
    )

    def shown(message: str, lang: str) -> str:
        return page.render(errors={"f": message}, lang=lang, _=i18n.translations(lang).gettext)

    reason = "started_on (2021-03-01) is before signed_on (2021-04-01)"
    assert f"未被接受：{reason}" in shown(reason, "zh-CN")  # the service's words, in Chinese
    assert reason in shown(reason, "en") and "Not accepted" not in shown(reason, "en")
    own = shown("A password has 10 to 256 characters.", "zh-CN")
    assert "未被接受" not in own and "10" in own  # the console's own words, translated
