"""A form sent twice (a double click, a retry) creates its record once: every form carries
a key made when it was rendered, and the console's POSTs to the services carry it."""

from __future__ import annotations

import re

import httpx
from enclave_shared.auth import Role

from tests.console.support import csrf_of
from tests.console.test_intake_pages import client, service_auth, signed_in  # noqa: F401


def _form_key(html: str) -> str:
    match = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html)
    assert match, "the form carries its key"
    return match.group(1)


async def _demand_titles(stack) -> list[str]:
    headers = service_auth(stack, Role.ZONE_OFFICER)
    async with httpx.AsyncClient(base_url=stack.service_urls["intake"], headers=headers) as c:
        return [d["title"] for d in (await c.get("/api/v1/rd-demands")).json()]


async def test_a_form_sent_twice_creates_one_record(stack, client):  # noqa: F811
    await signed_in(client, stack, Role.ZONE_OFFICER)
    page = await client.get("/intake/demands")
    form = {
        "csrf_token": csrf_of(page.text),
        "idempotency_key": _form_key(page.text),
        "enterprise": "广丰企业",
        "industry_chain": "culture_tourism",
        "title": "只录一次的需求",
        "submitted_on": "2021-04-01",
    }
    for _ in range(2):
        assert (await client.post("/intake/demands", data=form)).status_code == 303
    assert (await _demand_titles(stack)).count("只录一次的需求") == 1
    again = await client.get("/intake/demands")
    assert _form_key(again.text) != form["idempotency_key"], "a new form, a new key"
    form["idempotency_key"] = _form_key(again.text)
    assert (await client.post("/intake/demands", data=form)).status_code == 303
    assert (await _demand_titles(stack)).count("只录一次的需求") == 2


async def test_a_refused_form_comes_back_with_the_key_it_was_sent_with(stack, client):  # noqa: F811
    await signed_in(client, stack, Role.ZONE_OFFICER)
    page = await client.get("/intake/demands")
    key = _form_key(page.text)
    form = {"csrf_token": csrf_of(page.text), "idempotency_key": key, "title": "缺企业名称"}
    refused = await client.post("/intake/demands", data=form)
    assert refused.status_code == 422
    assert _form_key(refused.text) == key, "its retry must not repeat what went through"
