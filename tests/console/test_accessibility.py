"""axe-core on the console's main pages in Debian's Chromium: no violation of impact
"serious" or "critical" (issue 12). The pages are rendered by the console with the four
services behind it on real sockets, holding a project, its intake case, a ticket and a
scheme, so every page shows its tables and forms, not only its empty states.

axe-core is vendored for the tests only (tests/console/vendor/axe.min.js, MPL-2.0, with its
licence files); it is injected as a script tag, which the console's strict CSP would refuse,
so the browser context bypasses the CSP (the console's own pages are tested under it
elsewhere)."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from enclave_shared.auth import Role, issue_token
from playwright.async_api import Browser, Page, expect

from services.assessment.main import EXAMPLE_SCHEME
from services.console.formatting import SITE_ZONE
from services.console.identity import Site
from tests.console import test_browser
from tests.console.browser import Stack
from tests.console.support import PASSWORD, add_user
from tests.support import eventually

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = frozenset({"serious", "critical"})
SITES = {
    Role.ENCLAVE_OPERATOR: Site.SHENZHEN,
    Role.ZONE_OFFICER: Site.SHANGRAO,
    Role.DISTRICT_LEADER: Site.DISTRICT,
}

browser = test_browser.browser
stack = test_browser.stack

# (id, role signed in or None, path with {project}, {case} or {ticket} filled from the data)
PAGES: list[tuple[str, Role | None, str]] = [
    ("login", None, "/login"),
    *((f"home-{role.value}", role, "/") for role in Role),
    ("projects", Role.ENCLAVE_OPERATOR, "/enclave/projects"),
    ("project", Role.ENCLAVE_OPERATOR, "/enclave/projects/{project}"),
    ("project-new", Role.ENCLAVE_OPERATOR, "/enclave/projects/new"),
    ("centres", Role.ENCLAVE_OPERATOR, "/enclave/centres"),
    ("rd-centres", Role.ENCLAVE_OPERATOR, "/enclave/rd-centres"),
    ("board", Role.ZONE_OFFICER, "/intake/board"),
    ("case", Role.ZONE_OFFICER, "/intake/cases/{case}"),
    ("support", Role.ZONE_OFFICER, "/intake/support"),
    ("queue", Role.HOTLINE_AGENT, "/hotline/tickets"),
    ("ticket", Role.HOTLINE_AGENT, "/hotline/tickets/{ticket}"),
    ("ticket-new", Role.HOTLINE_AGENT, "/hotline/tickets/new"),
    ("assessment", Role.ASSESSOR, "/assessment"),
    ("assessment-manual", Role.ASSESSOR, "/assessment/manual"),
    ("admin-users", Role.ADMIN, "/admin/users"),
]


def _auth(stack: Stack, role: Role) -> dict[str, str]:
    key = stack.console.state.runtime.settings.signing_key()
    return {"Authorization": f"Bearer {issue_token(key, role, sub=f'a11y-{role.value}')}"}


@pytest.fixture(scope="module")
async def records(stack: Stack) -> dict[str, str]:
    """A matured directed project and its case, a ticket, this year's scheme; one account
    per role (username a11y-<role>)."""
    for role in Role:
        extra: dict[str, Any] = {"site": SITES.get(role)}
        if role is Role.ENTERPRISE:
            extra["enterprise_id"] = "a11y-enterprise"
        await add_user(stack.console.state.runtime, f"a11y-{role.value}", role, **extra)  # type: ignore[arg-type]
    today = datetime.now(SITE_ZONE).date()
    urls = stack.service_urls
    async with httpx.AsyncClient(
        base_url=urls["incubation"], headers=_auth(stack, Role.ENCLAVE_OPERATOR)
    ) as incubation:
        body = {
            "title": "无障碍检查项目",
            "path": "directed",
            "industry_chain": "advanced_machinery",
            "enterprise": "a11y-enterprise",
            "enterprise_tag": "unicorn",
            "registered_on": today.isoformat(),
        }
        project = (await incubation.post("/api/v1/projects", json=body)).json()
        resp = await incubation.post(
            f"/api/v1/projects/{project['id']}/maturity", json={"matured_on": today.isoformat()}
        )
        assert resp.status_code == 200, resp.text
    async with httpx.AsyncClient(
        base_url=urls["intake"], headers=_auth(stack, Role.ZONE_OFFICER)
    ) as intake:

        async def opened() -> list[dict[str, Any]]:
            found: list[dict[str, Any]] = (
                await intake.get("/api/v1/cases", params={"project_id": project["id"]})
            ).json()
            return found

        case = (await eventually(opened))[0]
    async with httpx.AsyncClient(
        base_url=urls["hotline"], headers=_auth(stack, Role.HOTLINE_AGENT)
    ) as hotline:
        body = {"category": "utilities", "description": "厂区停水，请协调供水公司"}
        ticket = (await hotline.post("/api/v1/tickets", json=body)).json()
    async with httpx.AsyncClient(
        base_url=urls["assessment"], headers=_auth(stack, Role.ASSESSOR)
    ) as assessment:
        scheme = json.loads(EXAMPLE_SCHEME.read_text())
        resp = await assessment.put(f"/api/v1/schemes/{today.year}", json=scheme)
        assert resp.status_code == 200, resp.text
    return {"project": project["id"], "case": case["id"], "ticket": ticket["id"]}


_signed_in: dict[Role, Any] = {}  # a role's cookies after its first sign-in (storage state)


async def _page_as(browser: Browser, stack: Stack, role: Role | None) -> Page:
    """A fresh context (CSP bypassed for axe's script tag), signed in as the role's account."""
    context = await browser.new_context(
        base_url=stack.url,
        locale="zh-CN",
        bypass_csp=True,
        viewport={"width": 1280, "height": 800},
        storage_state=_signed_in.get(role) if role else None,
    )
    context.set_default_timeout(20_000)
    page = await context.new_page()
    if role is not None and role not in _signed_in:
        await page.goto("/login")
        await page.get_by_label("用户名").fill(f"a11y-{role.value}")
        await page.get_by_label("密码").fill(PASSWORD)
        await page.get_by_role("button", name="登录").click()
        await expect(page).to_have_url(f"{stack.url}/")
        _signed_in[role] = await context.storage_state()
    return page


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}) at {targets}")
    return "\n".join(lines)


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now."""
    await page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = await page.evaluate("async () => await axe.run(document)")
    violations: list[dict[str, Any]] = result["violations"]
    return violations


@pytest.mark.parametrize(("role", "path"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
async def test_no_serious_or_critical_axe_violation(
    browser: Browser, stack: Stack, records: dict[str, str], role: Role | None, path: str
):
    page = await _page_as(browser, stack, role)
    try:
        response = await page.goto(path.format(**records))
        assert response is not None and response.status == 200, path
        await page.wait_for_load_state("networkidle")  # charts drawn, htmx settled
        violations = await axe_violations(page)
    finally:
        await page.context.close()
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{path}:\n{_describe(blocking)}"
    if os.environ.get("A11Y_REPORT"):  # the lesser findings, for a person to read
        print(f"\n{path}:\n{_describe(violations)}")


async def test_axe_finds_what_it_is_run_for(browser: Browser, stack: Stack):
    """The check itself: an unlabelled field and pale grey text on white are reported."""
    page = await _page_as(browser, stack, None)
    await page.goto("/login")
    await page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.insertAdjacentHTML("beforeend",
            '<input type="text" id="a11y-probe">'
            + '<p style="color:#c8c8c8;background:#fff">浅灰色的文字</p>');
        }"""
    )
    found = {v["id"]: v["impact"] for v in await axe_violations(page)}
    await page.context.close()
    assert found.get("label") in BLOCKING and found.get("color-contrast") in BLOCKING, found
