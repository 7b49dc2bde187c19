"""Identity through the console's HTTP interface: passwords, lockout, sessions, CSRF, audit."""

from __future__ import annotations

from enclave_shared.auth import Role, decode_token
from sqlalchemy import select

from services.console import identity
from services.console.models import AuditEntry, User
from services.console.sessions import CSRF_COOKIE, SESSION_COOKIE, SID_COOKIE
from tests.console.support import PASSWORD, RunningConsole, add_user, csrf_of, sign_in


async def _audit(console: RunningConsole) -> list[tuple[str, str | None]]:
    async with console.runtime.sessions() as session:
        rows = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
        return [(r.action, r.subject) for r in rows]


async def test_password_is_stored_as_an_argon2id_hash_only(console: RunningConsole):
    await add_user(console.runtime, "wang.li", Role.ZONE_OFFICER)
    async with console.runtime.sessions() as session:
        user = await session.get(User, "wang.li")
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert await identity.password_matches(user.password_hash, PASSWORD)
    assert not await identity.password_matches(user.password_hash, PASSWORD + "x")


async def test_no_account_exists_until_one_is_added(console: RunningConsole):
    resp = await sign_in(console.client, "admin", "admin")
    assert resp.status_code == 401
    async with console.runtime.sessions() as session:
        assert await identity.list_users(session) == []


async def test_sign_in_sets_a_strict_httponly_session_holding_the_platform_token(
    console: RunningConsole,
):
    await add_user(console.runtime, "chen.hua", Role.ENCLAVE_OPERATOR, site=identity.Site.SHENZHEN)
    resp = await sign_in(console.client, "chen.hua")
    assert resp.status_code == 303 and resp.headers["location"] == "/"
    cookies = resp.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in session_cookie and "SameSite=strict" in session_cookie
    assert "Secure" not in session_cookie  # served over plain http here
    token = console.client.cookies[SESSION_COOKIE]
    principal = decode_token(console.app.state.console.keys.verifying, token)
    assert principal.role is Role.ENCLAVE_OPERATOR
    assert principal.sub == "chen.hua" and principal.site == "shenzhen"
    home = await console.client.get("/")
    assert home.status_code == 200 and "chen.hua" in home.text
    assert ("sign_in", "chen.hua") in await _audit(console)


async def test_cookies_are_secure_over_tls(make_settings):
    from services.console.config import ConsoleSettings
    from tests.console.support import run_console

    settings = await make_settings("console", settings_class=ConsoleSettings)
    async with run_console(settings, base_url="https://console.test") as console:
        await add_user(console.runtime, "tls.user", Role.ASSESSOR)
        resp = await sign_in(console.client, "tls.user")
        cookies = resp.headers.get_list("set-cookie")
        assert cookies and all("Secure" in c for c in cookies)


async def test_an_enterprise_user_calls_the_services_as_its_enterprise_account(
    console: RunningConsole,
):
    await add_user(console.runtime, "xinyuan", Role.ENTERPRISE, enterprise_id="ent-42")
    await sign_in(console.client, "xinyuan")
    token = console.client.cookies[SESSION_COOKIE]
    principal = decode_token(console.app.state.console.keys.verifying, token)
    assert principal.role is Role.ENTERPRISE and principal.sub == "ent-42"


async def test_wrong_password_is_refused_and_audited(console: RunningConsole):
    await add_user(console.runtime, "li.na", Role.HOTLINE_AGENT)
    resp = await sign_in(console.client, "li.na", "not the password")
    assert resp.status_code == 401
    assert "用户名或密码错误" in resp.text
    assert SESSION_COOKIE not in console.client.cookies
    assert ("sign_in_failed", "li.na") in await _audit(console)


async def test_five_failures_lock_the_account_for_fifteen_minutes(console: RunningConsole):
    await add_user(console.runtime, "zhao.lei", Role.ASSESSOR)
    for _ in range(4):
        assert (await sign_in(console.client, "zhao.lei", "wrong password!")).status_code == 401
    fifth = await sign_in(console.client, "zhao.lei", "wrong password!")
    assert "锁定" in fifth.text
    refused = await sign_in(console.client, "zhao.lei")  # the right password, while locked
    assert refused.status_code == 401 and "锁定" in refused.text
    console.clock.advance(minutes=14)
    assert (await sign_in(console.client, "zhao.lei")).status_code == 401
    console.clock.advance(minutes=1, seconds=1)
    assert (await sign_in(console.client, "zhao.lei")).status_code == 303
    actions = [a for a, s in await _audit(console) if s == "zhao.lei"]
    assert actions.count("lockout") == 1
    assert actions[-1] == "sign_in"


async def test_a_success_resets_the_failure_count(console: RunningConsole):
    await add_user(console.runtime, "sun.mei", Role.ASSESSOR)
    for _ in range(4):
        await sign_in(console.client, "sun.mei", "wrong password!")
    assert (await sign_in(console.client, "sun.mei")).status_code == 303
    await console.client.post("/logout", data={"csrf_token": console.client.cookies[CSRF_COOKIE]})
    for _ in range(4):
        await sign_in(console.client, "sun.mei", "wrong password!")
    assert (await sign_in(console.client, "sun.mei")).status_code == 303


async def test_a_disabled_user_cannot_sign_in_and_loses_its_session(console: RunningConsole):
    await add_user(console.runtime, "zhou.qi", Role.ZONE_OFFICER)
    await sign_in(console.client, "zhou.qi")
    assert (await console.client.get("/login")).status_code == 303  # signed in: goes home
    async with console.runtime.sessions() as session:
        await identity.set_active(session, username="zhou.qi", active=False, now=console.clock())
        await session.commit()
    resp = await console.client.get("/")
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login")
    assert (await sign_in(console.client, "zhou.qi")).status_code == 401


async def _signed_in(console: RunningConsole) -> bool:
    # The sign-in page sends a signed-in browser home.
    return (await console.client.get("/login")).status_code == 303


async def test_a_session_expires_after_30_idle_minutes(console: RunningConsole):
    await add_user(console.runtime, "idle.user", Role.ASSESSOR)
    await sign_in(console.client, "idle.user")
    console.clock.advance(minutes=29)
    assert await _signed_in(console)
    console.clock.advance(minutes=30, seconds=1)
    resp = await console.client.get("/")
    assert resp.status_code == 303 and resp.headers["location"] == "/login"
    assert not await _signed_in(console)
    assert [a for a, _ in await _audit(console)].count("session_expired") == 1


async def test_a_busy_session_still_ends_8_hours_after_sign_in(console: RunningConsole):
    await add_user(console.runtime, "busy.user", Role.ASSESSOR)
    await sign_in(console.client, "busy.user")
    for _ in range(19):  # 7 h 55 min, never idle for 30
        console.clock.advance(minutes=25)
        assert await _signed_in(console)
    console.clock.advance(minutes=10)
    assert not await _signed_in(console)
    audit = await _audit(console)
    assert audit[-1] == ("session_expired", "busy.user")


async def test_activity_keeps_a_session_alive_past_thirty_minutes(console: RunningConsole):
    await add_user(console.runtime, "active.user", Role.ASSESSOR)
    await sign_in(console.client, "active.user")
    for _ in range(4):  # 100 minutes in all, never 30 idle
        console.clock.advance(minutes=25)
        assert (await console.client.get("/")).status_code == 200


async def test_sign_out_ends_the_session_on_the_server(console: RunningConsole):
    await add_user(console.runtime, "he.jun", Role.ENCLAVE_OPERATOR)
    await sign_in(console.client, "he.jun")
    copied = dict(console.client.cookies)
    page = await console.client.get("/admin/audit")  # any page: it carries the CSRF token
    resp = await console.client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    assert resp.status_code == 303 and resp.headers["location"] == "/login"
    assert SESSION_COOKIE not in console.client.cookies and SID_COOKIE not in console.client.cookies
    console.client.cookies.update(copied)  # the old cookies, replayed
    again = await console.client.get("/")
    assert again.status_code == 303 and again.headers["location"] == "/login"
    assert ("sign_out", "he.jun") in await _audit(console)


async def test_a_post_without_the_csrf_token_is_refused_with_403(console: RunningConsole):
    await add_user(console.runtime, "root", Role.ADMIN)
    await sign_in(console.client, "root")
    form = {"username": "new.user", "role": "assessor", "password": "a long password"}
    missing = await console.client.post("/admin/users", data=form)
    assert missing.status_code == 403 and "text/html" in missing.headers["content-type"]
    wrong = await console.client.post("/admin/users", data={**form, "csrf_token": "forged"})
    assert wrong.status_code == 403
    header = await console.client.post(
        "/admin/users", data=form, headers={"X-CSRF-Token": console.client.cookies[CSRF_COOKIE]}
    )
    assert header.status_code == 303
    async with console.runtime.sessions() as session:
        assert [u.username for u in await identity.list_users(session)] == ["new.user", "root"]


async def test_sign_in_itself_needs_the_csrf_token(console: RunningConsole):
    await add_user(console.runtime, "no.csrf", Role.ASSESSOR)
    await console.client.get("/login")
    resp = await console.client.post("/login", data={"username": "no.csrf", "password": PASSWORD})
    assert resp.status_code == 403
    assert SESSION_COOKIE not in console.client.cookies


async def test_every_state_changing_route_is_csrf_checked(console: RunningConsole):
    from fastapi.routing import APIRoute

    from services.console.deps import csrf_protect

    for route in console.app.routes:
        if isinstance(route, APIRoute) and route.methods - {"GET", "HEAD"}:
            calls = {d.call for d in route.dependant.dependencies}
            assert csrf_protect in calls, f"{route.path} is not CSRF-checked"


async def test_next_never_leaves_the_site(console: RunningConsole):
    await add_user(console.runtime, "redirect.user", Role.ASSESSOR)
    page = await console.client.get("/login")
    resp = await console.client.post(
        "/login",
        data={
            "username": "redirect.user",
            "password": PASSWORD,
            "next": "//evil.example/x",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert resp.headers["location"] == "/"
