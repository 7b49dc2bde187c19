"""The intake base's and the enterprise's pages through HTTP, with the four services running
on real sockets (cases opened by ProjectMatured events on the suite's broker)."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from enclave_shared.auth import Role, issue_token
from enclave_shared.catalog.incubation import IntakePath, ProjectMatured
from enclave_shared.events import new_event
from openpyxl import load_workbook

from services.console import menu
from tests.console.browser import Stack, run_stack
from tests.console.support import RunningConsole, add_user, csrf_of, sign_in
from tests.support import eventually, produce_raw, unique

_names = itertools.count()
INTAKE_ITEMS = ("intake.board", "intake.demands", "intake.menu", "enterprise.case", "enterprise.tickets")


@pytest.fixture(scope="module")
async def stack(
    kafka_bootstrap: str,
    postgres_url: str | None,
    token_keys: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Stack]:
    """The console and the four services on sockets, once for this module."""
    async with run_stack(
        kafka_bootstrap=kafka_bootstrap,
        postgres_url=postgres_url,
        token_keys=token_keys,
        folder=tmp_path_factory.mktemp("intake-pages"),
    ) as running:
        yield running


async def user(stack: Stack, role: Role, **extra: Any) -> str:
    """A new account of the role on the stack's console."""
    username = f"{role.value.replace('_', '-')}-{next(_names)}"
    await add_user(stack.console.state.runtime, username, role, **extra)
    return username


def service_auth(stack: Stack, role: Role, sub: str | None = None) -> dict[str, str]:
    """A token for calling a service directly, signed as the console signs."""
    key = stack.console.state.runtime.settings.signing_key()
    return {"Authorization": f"Bearer {issue_token(key, role, sub=sub)}"}


async def open_case(
    stack: Stack,
    kafka_bootstrap: str,
    *,
    path: str = "menu",
    chain: str = "metal_new_materials",
    enterprise: str | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """Send a ProjectMatured event as incubation does; wait for intake to open the case."""
    project_id = unique("p")
    event = new_event(
        ProjectMatured(
            project_id=project_id,
            title=title or f"项目 {project_id}",
            path=IntakePath(path),
            industry_chain=chain,
            enterprise=enterprise,
            matured_on=date(2021, 3, 1),
        )
    )
    prefix = stack.console.state.runtime.settings.topic_prefix
    await produce_raw(
        kafka_bootstrap, f"{prefix}.incubation", [(project_id.encode(), event.to_bytes())]
    )
    headers = service_auth(stack, Role.ZONE_OFFICER)
    async with httpx.AsyncClient(base_url=stack.service_urls["intake"], headers=headers) as c:

        async def found() -> dict[str, Any] | None:
            rows = (await c.get("/api/v1/cases", params={"project_id": project_id})).json()
            return rows[0] if rows else None

        case: dict[str, Any] = await eventually(found)
        return case


@pytest.fixture
async def client(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.url) as http:
        yield http


async def signed_in(client: httpx.AsyncClient, stack: Stack, role: Role, **extra: Any) -> str:
    username = await user(stack, role, **extra)
    assert (await sign_in(client, username)).status_code == 303
    return username


def xlsx_rows(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Each sheet of a workbook as its rows (the header row first)."""
    book = load_workbook(io.BytesIO(content))
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book}


async def test_intake_and_enterprise_pages_answer_their_roles_with_the_services_down(
    console: RunningConsole,
):
    for role in Role:
        username = f"x.{role.value.replace('_', '.')}"
        enterprise = "ent-x" if role is Role.ENTERPRISE else None
        await add_user(console.runtime, username, role, enterprise_id=enterprise)
        console.client.cookies.clear()
        assert (await sign_in(console.client, username)).status_code == 303
        for key in INTAKE_ITEMS:
            item = menu.item(key)
            resp = await console.client.get(item.path)
            assert resp.status_code == (200 if role in item.roles else 403), (role, item.path)
            if resp.status_code == 200:
                assert "暂时无法访问" in resp.text and "Traceback" not in resp.text


async def test_the_board_counts_each_colour_filters_by_path_and_chain_and_exports_that(
    stack: Stack, kafka_bootstrap: str, client: httpx.AsyncClient
):
    chain = "black_talc"  # a chain only this test uses
    red = await open_case(stack, kafka_bootstrap, path="directed", chain=chain, enterprise="红企业")
    other = await open_case(stack, kafka_bootstrap, path="menu", chain=chain, enterprise="黄企业")
    await open_case(stack, kafka_bootstrap, path="directed", chain="advanced_machinery")
    intake = stack.service_urls["intake"]
    headers = service_auth(stack, Role.ZONE_OFFICER)
    async with httpx.AsyncClient(base_url=intake, headers=headers) as api:
        await api.post(f"/api/v1/cases/{other['id']}/signing", json={"signed_on": "2021-03-05"})
        moved = await api.post(
            f"/api/v1/cases/{other['id']}/construction", json={"started_on": "2021-03-20"}
        )
        assert moved.json()["color"] == "yellow"
    await signed_in(client, stack, Role.ZONE_OFFICER)

    board = await client.get("/intake/board", params={"chain": chain})
    assert board.status_code == 200
    assert re.search(r'id="count-red">1<', board.text)
    assert re.search(r'id="count-yellow">1<', board.text)
    assert re.search(r'id="count-blue">0<', board.text)
    assert red["title"] in board.text and other["title"] in board.text
    assert "黑滑石" in board.text and "定向式" in board.text and "导出 Excel" in board.text

    directed = await client.get("/intake/board", params={"chain": chain, "path": "directed"})
    assert red["title"] in directed.text and other["title"] not in directed.text

    export = await client.get("/intake/board/export", params={"chain": chain, "path": "directed"})
    assert export.status_code == 200 and export.headers["content-type"].startswith(
        "application/vnd.openxmlformats"
    )
    (rows,) = xlsx_rows(export.content).values()
    assert rows[0][:4] == ("颜色", "项目", "企业名称", "路径")
    assert [r[:4] for r in rows[1:]] == [("红", red["title"], "红企业", "定向式")]
