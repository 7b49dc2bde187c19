"""The main flow with the real intake service on the same broker: demand → project →
matured → case → settled, and the project ends transferred."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.incubation.config import IncubationSettings
from services.incubation.main import SPEC
from tests.incubation.helpers import call
from tests.support import RunningService, eventually, run_service
from tests.unit.incubation.factories import MENU_ITEM

intake_main = pytest.importorskip("services.intake.main")


DEMAND = {
    "enterprise": "Guangfeng Talc Co.",
    "industry_chain": "black_talc",
    "title": "Talc micro-powder",
    "submitted_on": "2021-03-01",
}
OFFICER = "zone_officer"


@pytest.fixture
async def services(make_settings) -> AsyncIterator[tuple[RunningService, RunningService]]:
    """Incubation and the real intake service, on this test's topics of one broker."""
    inc_settings = await make_settings("incubation", settings_class=IncubationSettings)
    intake_settings = await make_settings("intake", settings_class=intake_main.SPEC.settings_class)
    async with (
        run_service(SPEC, inc_settings) as inc,
        run_service(intake_main.SPEC, intake_settings) as intake,
    ):
        yield inc, intake


async def test_order_project_from_intake_demand_to_transferred(services):
    inc, intake = services
    officer, operator = intake.auth(OFFICER), inc.auth("enclave_operator")
    demand_id = (await call(intake, "POST", "rd-demands", 201, role=OFFICER, json=DEMAND))["id"]

    async def demand_arrived() -> bool:
        got = await inc.client.get(f"/api/v1/backlog/demands/{demand_id}", headers=operator)
        return got.status_code == 200

    await eventually(demand_arrived)
    resp = await inc.client.post(
        f"/api/v1/backlog/demands/{demand_id}/project",
        json={"registered_on": "2021-03-05"},
        headers=operator,
    )
    assert resp.status_code == 201, resp.text
    project_id = resp.json()["id"]
    resp = await inc.client.post(
        f"/api/v1/projects/{project_id}/maturity",
        json={"matured_on": "2021-06-01"},
        headers=operator,
    )
    assert resp.status_code == 200, resp.text

    async def project() -> dict:
        got = await inc.client.get(f"/api/v1/projects/{project_id}", headers=operator)
        return dict(got.json())

    async def case_of_project() -> list:
        got = await intake.client.get(f"/api/v1/cases?project_id={project_id}", headers=officer)
        return list(got.json()) if got.status_code == 200 else []

    [case] = await eventually(case_of_project)
    assert case["path"] == "order"
    transferred = await eventually(lambda: _when(project(), lambda p: p["stage"] == "transferred"))
    assert transferred["case_id"] == case["id"]
    resp = await intake.client.post(
        f"/api/v1/cases/{case['id']}/signing", json={"signed_on": "2021-06-20"}, headers=officer
    )
    assert resp.status_code == 200, resp.text
    stats = (await inc.client.get("/api/v1/stats", headers=operator)).json()
    assert stats["projects"]["by_stage"]["transferred"] == 1


async def _when(value, check):
    got = await value
    return got if check(got) else None


async def test_the_backlog_follows_intakes_corrections_and_voids(services):
    inc, intake = services
    officer, operator = intake.auth(OFFICER), inc.auth("enclave_operator")
    demand = await call(intake, "POST", "rd-demands", 201, role=OFFICER, json=DEMAND)
    item = await call(intake, "POST", "menu-items", 201, role=OFFICER, json=MENU_ITEM)
    demand_url = f"/api/v1/rd-demands/{demand['id']}"
    item_url = f"/api/v1/menu-items/{item['id']}"

    async def backlog(**query: str) -> dict[str, dict]:
        got = await inc.client.get("/api/v1/backlog", params=query, headers=operator)
        return {i["kind"]: i for i in got.json()}

    await eventually(lambda: _when(backlog(), lambda b: len(b) == 2))
    for url, body in (
        (demand_url, {"enterprise": "Guangfeng Talc Group", "reason": "its full name"}),
        (item_url, {"layout_category": "big_data", "reason": "the zone's plan changed"}),
    ):
        resp = await intake.client.patch(url, json=body, headers=officer)
        assert resp.status_code == 200, resp.text
    followed = await eventually(
        lambda: _when(
            backlog(),
            lambda b: (
                b["demand"]["enterprise"] == "Guangfeng Talc Group"
                and b["menu_item"]["layout_category"] == "big_data"
            ),
        )
    )
    assert followed["demand"]["title"] == "Talc micro-powder"
    resp = await intake.client.delete(
        demand_url, params={"reason": "entered twice"}, headers=officer
    )
    assert resp.status_code == 200, resp.text
    left = await eventually(lambda: _when(backlog(), lambda b: list(b) == ["menu_item"]))
    assert left["menu_item"]["voided_at"] is None
    void = (await backlog(include_void="true"))["demand"]
    assert void["void_reason"] == "entered twice"
    assert void["enterprise"] == "Guangfeng Talc Group"
    resp = await inc.client.post(
        f"/api/v1/backlog/demands/{void['id']}/project", json={}, headers=operator
    )
    assert resp.status_code == 409, resp.text
    assert "void in intake" in resp.json()["detail"]
