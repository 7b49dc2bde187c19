"""Real-browser tests: Debian's Chromium through Playwright against the console and the
four services, all on real sockets, on the suite's broker and databases."""

from __future__ import annotations

import itertools

import pytest
from enclave_shared.auth import Role
from playwright.async_api import Page, expect

from services.console import i18n, menu
from services.console.identity import Site
from tests.console import conftest
from tests.console.browser import Stack, sign_in_page
from tests.console.support import add_user

pytestmark = pytest.mark.browser

_names = itertools.count()


# Other modules still take the fixtures from here; they live in conftest.py.
browser = conftest.browser
stack = conftest.stack
page = conftest.page


async def _user(stack: Stack, role: Role, **extra: object) -> str:
    username = f"{role.value.replace('_', '-')}-{next(_names)}"
    if role is Role.ENTERPRISE:
        extra.setdefault("enterprise_id", f"ent-{username}")
    await add_user(stack.console.state.runtime, username, role, **extra)  # type: ignore[arg-type]
    return username


async def test_sign_in_then_sign_out(page: Page, stack: Stack):
    username = await _user(stack, Role.ZONE_OFFICER, site=Site.SHANGRAO)
    await sign_in_page(page, username)
    await expect(page).to_have_url(f"{stack.url}/")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("首页")
    await expect(page.locator(".whoami")).to_contain_text("承接基地专员")
    await page.get_by_role("button", name="退出").click()
    await expect(page).to_have_url(f"{stack.url}/login")
    await page.goto("/")
    await expect(page).to_have_url(f"{stack.url}/login")


async def test_wrong_password_is_refused(page: Page, stack: Stack):
    username = await _user(stack, Role.HOTLINE_AGENT)
    await sign_in_page(page, username, "not the password")
    await expect(page.get_by_role("alert")).to_have_text("用户名或密码错误。")
    await expect(page).to_have_url(f"{stack.url}/login")


async def test_five_wrong_passwords_lock_the_account(page: Page, stack: Stack):
    username = await _user(stack, Role.ASSESSOR)
    for _ in range(4):
        await sign_in_page(page, username, "not the password")
        await expect(page.get_by_role("alert")).to_have_text("用户名或密码错误。")
    await sign_in_page(page, username, "not the password")
    await expect(page.get_by_role("alert")).to_contain_text("账号已锁定")
    await sign_in_page(page, username)  # the right password, but locked
    await expect(page.get_by_role("alert")).to_contain_text("账号已锁定")
    stack.clock.advance(minutes=15, seconds=1)
    await sign_in_page(page, username)
    await expect(page).to_have_url(f"{stack.url}/")


async def test_an_idle_session_expires(page: Page, stack: Stack):
    username = await _user(stack, Role.ENCLAVE_OPERATOR, site=Site.SHENZHEN)
    await sign_in_page(page, username)
    await expect(page).to_have_url(f"{stack.url}/")
    stack.clock.advance(minutes=31)
    await page.reload()
    await expect(page).to_have_url(f"{stack.url}/login")
    await expect(page.get_by_role("button", name="登录")).to_be_visible()


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
async def test_each_role_sees_its_own_menu(page: Page, stack: Stack, role: Role):
    username = await _user(stack, role)
    await sign_in_page(page, username)
    await expect(page).to_have_url(f"{stack.url}/")
    zh = i18n.translations("zh-CN")
    expected = [zh.gettext(item.label) for s in menu.menu_for(role) for item in s.items]
    links = page.get_by_role("navigation", name="菜单").get_by_role("link")
    await expect(links).to_have_text(expected)


async def test_home_shows_the_figures_of_the_services_with_the_users_token(
    page: Page, stack: Stack
):
    officer = await _user(stack, Role.ZONE_OFFICER, site=Site.SHANGRAO)
    await sign_in_page(page, officer)
    figures = page.get_by_role("region", name="上饶承接基地")
    await expect(figures).to_contain_text("红")
    await expect(figures).to_contain_text("落户企业")
    await expect(page.get_by_role("alert")).to_have_count(0)  # no service named as down


async def test_a_page_of_another_role_is_refused_with_the_403_page(page: Page, stack: Stack):
    username = await _user(stack, Role.HOTLINE_AGENT)
    await sign_in_page(page, username)
    response = await page.goto("/admin/users")
    assert response is not None and response.status == 403
    await expect(page.get_by_role("heading", level=1)).to_have_text("无权访问")
    await expect(page.get_by_role("link", name="返回首页")).to_be_visible()


async def test_a_post_without_the_csrf_token_is_refused(page: Page, stack: Stack):
    admin = await _user(stack, Role.ADMIN)
    await sign_in_page(page, admin)
    await page.goto("/admin/users")
    form = page.locator('form[action="/admin/users"]')
    await form.locator('input[name="csrf_token"]').evaluate("input => input.remove()")
    await form.get_by_label("用户名").fill("forged-user")
    await form.get_by_label("密码").fill("a long password")
    await form.get_by_role("button", name="新增").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("无权访问")
    await expect(page.locator("main")).to_contain_text("表单已失效")
    await page.goto("/admin/users")
    await expect(page.locator("main")).not_to_contain_text("forged-user")


async def test_admin_adds_a_user_who_can_thensign_in_page(page: Page, stack: Stack):
    admin = await _user(stack, Role.ADMIN)
    await sign_in_page(page, admin)
    await page.get_by_role("link", name="用户管理").click()
    await expect(page).to_have_url(f"{stack.url}/admin/users")  # an htmx swap, URL pushed
    form = page.locator('form[action="/admin/users"]')
    await form.get_by_label("用户名").fill("new-officer")
    await form.get_by_label("姓名").fill("王丽")
    await form.get_by_label("角色").select_option("zone_officer")
    await form.get_by_label("所在地").select_option("shangrao")
    await form.get_by_label("密码").fill("a long password")
    await form.get_by_role("button", name="新增").click()
    await expect(page.get_by_role("cell", name="王丽")).to_be_visible()
    await page.get_by_role("link", name="审计日志").click()
    await expect(page.locator("#audit")).to_contain_text("新增用户")
    await page.get_by_role("button", name="退出").click()
    await sign_in_page(page, "new-officer", "a long password")
    await expect(page.locator(".whoami")).to_contain_text("王丽")


async def test_the_menu_swaps_the_main_part_without_reloading(page: Page, stack: Stack):
    admin = await _user(stack, Role.ADMIN)
    await sign_in_page(page, admin)
    await page.evaluate("window.__kept = 'same document'")
    await page.get_by_role("link", name="审计日志").click()
    await expect(page).to_have_url(f"{stack.url}/admin/audit")
    await expect(page.get_by_role("heading", level=1)).to_have_text("审计日志")
    assert await page.evaluate("window.__kept") == "same document"


async def test_english_is_one_click_away_and_remembered(page: Page, stack: Stack):
    await page.goto("/login")
    await expect(page.get_by_role("button", name="登录")).to_be_visible()
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    await page.goto("/login")
    await expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
