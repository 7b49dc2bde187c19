"""Corrections and voiding of every record staff enter, through HTTP, with their events."""

from __future__ import annotations

from typing import Any

import pytest
from enclave_shared import catalog

from tests.incubation.helpers import OPERATOR, all_published, create, demand
from tests.support import RunningService
from tests.unit.incubation.factories import DIRECTED

# Each record: its route, a valid body, a correction, and the event names it emits.
RECORDS: dict[str, tuple[str, dict[str, Any], dict[str, Any], str]] = {
    "talent": (
        "talents",
        {
            "name": "Wang Li",
            "level": "researcher",
            "field": "materials",
            "recruited_on": "2021-03-10",
        },
        {"level": "high_level", "field": "metallurgy"},
        "talent",
    ),
    "agreement": (
        "agreements",
        {"partner": "Shenzhen Graphene", "kind": "enterprise", "signed_on": "2021-03-01"},
        {"in_gba": False, "partner": "Dongguan Graphene"},
        "agreement",
    ),
    "activity": (
        "activities",
        {
            "kind": "roadshow",
            "title": "Roadshow",
            "held_on": "2021-04-01",
            "attendance": 80,
            "place": "Futian",
        },
        {"attendance": 95, "place": None},
        "activity",
    ),
    "training": (
        "trainings",
        {"track": "managers", "count": 12, "completed_on": "2021-03-20"},
        {"count": 21, "track": "entrepreneurs"},
        "training",
    ),
    "hq_enterprise": (
        "hq-enterprises",
        {"name": "Shenzhen HQ 01", "industry_chain": "black_talc", "registered_on": "2021-02-01"},
        {"name": "Shenzhen HQ 1", "industry_chain": None},
        "hq_enterprise",
    ),
    "project": (
        "projects",
        {**DIRECTED, "registered_on": "2021-01-10"},
        {"title": "Drone battery packs", "team_members": ["Li Hua"], "layout_category": None},
        "project",
    ),
}


async def _post(svc: RunningService, path: str, body: dict[str, Any]) -> dict[str, Any]:
    resp = await svc.client.post(f"/api/v1/{path}", json=body, headers=svc.auth(OPERATOR))
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


async def _ids(svc: RunningService, path: str, **params: Any) -> list[str]:
    resp = await svc.client.get(f"/api/v1/{path}", params=params, headers=svc.auth(OPERATOR))
    assert resp.status_code == 200, resp.text
    return [r["id"] for r in resp.json()]


def _events(events: list[dict[str, Any]], event_type: str) -> list[dict[str, Any]]:
    return [e["data"] for e in events if e["type"] == event_type]


@pytest.mark.parametrize("name", list(RECORDS))
async def test_a_record_is_corrected_then_voided_and_each_is_an_event(svc, name):
    path, body, correction, entity = RECORDS[name]
    if name == "project":
        body = {**body, "layout_category": "new_electronics"}
    row = await _post(svc, path, body)
    headers = svc.auth(OPERATOR)
    patched = await svc.client.patch(
        f"/api/v1/{path}/{row['id']}",
        json={**correction, "reason": "typed wrongly"},
        headers=headers,
    )
    assert patched.status_code == 200, patched.text
    for field, value in correction.items():
        assert patched.json()[field] == value
    voided = await svc.client.request(
        "DELETE", f"/api/v1/{path}/{row['id']}", json={"reason": "entered twice"}, headers=headers
    )
    assert voided.status_code == 200, voided.text
    assert voided.json()["void_reason"] == "entered twice"
    assert voided.json()["voided_at"] is not None

    assert row["id"] not in await _ids(svc, path)
    assert row["id"] in await _ids(svc, path, include_void="true")
    # The record stays, readable, marked void.
    got = await svc.client.get(f"/api/v1/{path}/{row['id']}", headers=headers)
    assert got.status_code == 200 and got.json()["void_reason"] == "entered twice"

    corrected_type = f"enclave.{entity}.corrected.v1"
    voided_type = f"enclave.{entity}.voided.v1"
    events = await all_published(svc, 3)  # registered, corrected, voided: no more
    [change] = _events(events, corrected_type)
    subject = catalog.BY_TYPE[corrected_type].subject_field
    assert change[subject] == row["id"]
    assert change["reason"] == "typed wrongly"
    assert change["after"] == correction
    assert change["before"] == {k: row[k] for k in correction}
    [void] = _events(events, voided_type)
    assert void == {subject: row["id"], "reason": "entered twice"}


async def test_a_void_record_is_not_corrected_nor_voided_again_and_a_reason_is_required(svc):
    path, body, correction, _entity = RECORDS["talent"]
    row = await _post(svc, path, body)
    headers = svc.auth(OPERATOR)
    url = f"/api/v1/{path}/{row['id']}"
    missing = await svc.client.delete(url, headers=headers)
    assert missing.status_code == 422 and missing.json()["field"] == "reason"
    unchanged = await svc.client.patch(
        url, json={"level": "researcher", "reason": "r"}, headers=headers
    )
    assert unchanged.status_code == 422
    cleared = await svc.client.patch(url, json={"level": None, "reason": "r"}, headers=headers)
    assert cleared.status_code == 422
    assert (
        await svc.client.delete(url, params={"reason": "typo"}, headers=headers)
    ).status_code == 200
    again = await svc.client.delete(url, params={"reason": "typo"}, headers=headers)
    assert again.status_code == 409
    late = await svc.client.patch(url, json={**correction, "reason": "r"}, headers=headers)
    assert late.status_code == 409
    assert (
        await svc.client.patch(url, json=correction, headers=svc.auth("assessor"))
    ).status_code == 403
    unknown = await svc.client.delete(f"/api/v1/{path}/nope?reason=x", headers=headers)
    assert unknown.status_code == 404


async def test_void_records_leave_every_figure_and_a_correction_moves_them(svc):
    headers = svc.auth(OPERATOR)
    talent = await _post(svc, *RECORDS["talent"][:2])
    await _post(svc, "talents", {**RECORDS["talent"][1], "name": "Li Hua"})
    training = await _post(svc, *RECORDS["training"][:2])
    await _post(svc, "trainings", {"track": "managers", "count": 5, "completed_on": "2021-04-01"})
    hq = await _post(svc, *RECORDS["hq_enterprise"][:2])
    activity = await _post(svc, *RECORDS["activity"][:2])
    agreement = await _post(svc, *RECORDS["agreement"][:2])
    project = await create(svc, registered_on="2021-01-10")

    async def stats() -> dict[str, Any]:
        resp = await svc.client.get("/api/v1/stats", headers=headers)
        return dict(resp.json())

    before = await stats()
    assert before["talents"] == {"high_level": 0, "researcher": 2, "total": 2}
    assert before["training"]["managers"]["completed"] == 17
    await svc.client.patch(
        f"/api/v1/talents/{talent['id']}",
        json={"level": "high_level", "reason": "r"},
        headers=headers,
    )
    for path, row in (
        ("trainings", training),
        ("hq-enterprises", hq),
        ("activities", activity),
        ("agreements", agreement),
        ("projects", project),
    ):
        resp = await svc.client.delete(
            f"/api/v1/{path}/{row['id']}?reason=mistake", headers=headers
        )
        assert resp.status_code == 200, resp.text
    after = await stats()
    assert after["talents"] == {"high_level": 1, "researcher": 1, "total": 2}
    assert after["training"]["managers"]["completed"] == 5
    assert after["hq_economy"] == 0
    assert after["activities"] == {"total": 0, "attendance": 0}
    assert after["agreements"] == {"total": 0, "gba": 0}
    assert after["projects"]["registered"] == 0


async def test_a_corrected_date_keeps_the_stages_in_order(svc):
    headers = svc.auth(OPERATOR)
    project = await create(svc, registered_on="2021-01-10")
    url = f"/api/v1/projects/{project['id']}"
    matured = await svc.client.post(
        f"{url}/maturity", json={"matured_on": "2021-02-01"}, headers=headers
    )
    assert matured.status_code == 200
    late = await svc.client.patch(
        url, json={"registered_on": "2021-03-01", "reason": "wrong month"}, headers=headers
    )
    assert late.status_code == 422
    assert late.json()["field"] == "registered_on"
    assert "2021-03-01" in late.json()["detail"] and "2021-02-01" in late.json()["detail"]
    assert (await svc.client.get(url, headers=headers)).json()["registered_on"] == "2021-01-10"
    earlier = await svc.client.patch(
        url, json={"registered_on": "2021-01-05", "reason": "wrong day"}, headers=headers
    )
    assert earlier.status_code == 200
    unknown_chain = await svc.client.patch(
        url, json={"industry_chain": "tea", "reason": "r"}, headers=headers
    )
    assert unknown_chain.status_code == 422 and unknown_chain.json()["field"] == "industry_chain"


async def test_a_void_project_frees_its_demand_and_makes_no_more_moves(svc):
    headers = svc.auth(OPERATOR)
    await demand(svc, "d1")
    taken = await svc.client.post("/api/v1/backlog/demands/d1/project", headers=headers)
    assert taken.status_code == 201
    project_id = taken.json()["id"]
    menu_layout = await svc.client.patch(
        f"/api/v1/projects/{project_id}",
        json={"team_talent_ids": ["no-such-talent"], "reason": "r"},
        headers=headers,
    )
    assert menu_layout.status_code == 422 and menu_layout.json()["field"] == "team_talent_ids"
    voided = await svc.client.delete(
        f"/api/v1/projects/{project_id}?reason=duplicate", headers=headers
    )
    assert voided.status_code == 200
    moved = await svc.client.post(f"/api/v1/projects/{project_id}/maturity", headers=headers)
    assert moved.status_code == 409
    again = await svc.client.post("/api/v1/backlog/demands/d1/project", headers=headers)
    assert again.status_code == 201, again.text


async def test_a_team_names_the_enclave_talents_in_it(svc):
    headers = svc.auth(OPERATOR)
    talent = await _post(svc, *RECORDS["talent"][:2])
    project = await create(svc, team_talent_ids=[talent["id"]], team_members=["Wang Li"])
    assert project["team_talent_ids"] == [talent["id"]]
    refused = await svc.client.post(
        "/api/v1/projects",
        json={**RECORDS["project"][1], "team_talent_ids": ["nobody"]},
        headers=headers,
    )
    assert refused.status_code == 422 and refused.json()["field"] == "team_talent_ids"
