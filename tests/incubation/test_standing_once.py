"""What stands once — one centre of a kind, a project hosted by one centre, a talent's
declaration for a programme, a party organisation's name, a sage in a body — held by the
database as well as by the handlers' checks: two creates at the same time answer one 201
and one 409 naming the check's field; with the check taken away the unique index over the
standing rows still answers that 409 (a create and a correction); a voided record frees
its values again."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from services.incubation.handlers import corrections
from tests.incubation.helpers import API, OPERATOR, call, create
from tests.support import RunningService

Make = Callable[[RunningService], Awaitable[tuple[str, dict[str, Any]]]]


def _given(path: str, body: dict[str, Any]) -> Make:
    async def make(_svc: RunningService) -> tuple[str, dict[str, Any]]:
        return path, body

    return make


CENTRE = {"kind": "incubation", "name": "项目孵化中心", "address": "深圳南山", "area_m2": 800}
_centre = _given("centres", CENTRE)
_party_org = _given(
    "party-orgs",
    {"name": "新乡贤参事会党支部", "body": "新乡贤参事会", "formation": "standalone", "members": 5},
)
_sage = _given("sages", {"name": "王老先生", "body": "新乡贤参事会", "tie": "advisor"})


async def _hosting(svc: RunningService) -> tuple[str, dict[str, Any]]:
    place = await call(svc, "POST", "centres", 201, json=CENTRE)
    project = await create(svc, registered_on="2021-03-01")
    return "hostings", {"centre_id": place["id"], "project_id": project["id"]}


async def _declaration(svc: RunningService) -> tuple[str, dict[str, Any]]:
    body = {"name": "Dr. Zhang", "level": "high_level", "field": "materials"}
    talent = await call(svc, "POST", "talents", 201, json=body)
    return "declarations", {
        "talent_id": talent["id"],
        "programme": "江西省双千计划",
        "level": "province",
        "declared_on": "2021-04-01",
    }


# what is created, the field its 409 names, and what makes a second record of the kind
# differ (None: the field is not corrected); every handler checks with held_once, which
# looks for the other record with corrections.standing_twin
ONCE: dict[str, tuple[Make, str, dict[str, Any] | None]] = {
    "centre": (_centre, "kind", {"kind": "rnd"}),
    "hosting": (_hosting, "project_id", None),
    "declaration": (_declaration, "programme", {"programme": "深圳市孔雀计划"}),
    "party_org": (_party_org, "name", {"name": "博士联谊会联合党支部"}),
    "sage": (_sage, "name", {"body": "博士联谊会"}),
}


async def _post(svc: RunningService, path: str, body: dict[str, Any]) -> Any:
    return await svc.client.post(f"{API}/{path}", json=body, headers=svc.auth(OPERATOR))


@pytest.mark.parametrize("what", ONCE)
async def test_two_creates_at_once_one_stands(svc, what):
    make, field, _ = ONCE[what]
    path, body = await make(svc)
    answers = await asyncio.gather(*(_post(svc, path, body) for _ in range(2)))
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 409).json()
    assert refused["field"] == field
    assert len(await call(svc, "GET", path, 200)) == 1
    made = next(a for a in answers if a.status_code == 201).json()
    await call(svc, "DELETE", f"{path}/{made['id']}", 200, params={"reason": "entered twice"})
    await call(svc, "POST", path, 201, json=body)  # the voided one frees it


@pytest.mark.parametrize("what", ONCE)
async def test_the_index_holds_without_the_check(svc, monkeypatch, what):
    make, field, differs = ONCE[what]
    path, body = await make(svc)
    first = await call(svc, "POST", path, 201, json=body)
    second = None if differs is None else await call(svc, "POST", path, 201, json=body | differs)

    async def passes(*_: Any) -> None:
        return None

    monkeypatch.setattr(corrections, "standing_twin", passes)
    refused = await call(svc, "POST", path, 409, json=body)
    assert (refused["field"], "already" in refused["detail"]) == (field, True)
    if second is not None:  # a correction onto the first's values
        back = {k: body[k] for k in differs} | {"reason": "typo"}
        refused = await call(svc, "PATCH", f"{path}/{second['id']}", 409, json=back)
        assert refused["field"] == field
    await call(svc, "DELETE", f"{path}/{first['id']}", 200, params={"reason": "mistake"})
    await call(svc, "POST", path, 201, json=body)
