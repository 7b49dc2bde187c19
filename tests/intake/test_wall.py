"""The wall's data: the base's plan (a sample, replaced by the base), each enterprise on the
plot a zone officer assigns, the unplaced ones, and the base's platforms with their counts."""

from __future__ import annotations

from datetime import date

from tests.intake.helpers import OFFICER, open_case

PLATFORMS = [
    ("academician_workstation", "院士工作站", "provincial", "2019-06-01"),
    ("innovation_service", "检验检测公共服务平台", "municipal", "2018-03-01"),
    ("innovation_service", "知识产权服务平台", "district", "2019-09-01"),
    ("postdoctoral_base", "省级博士后创新实践基地", "provincial", "2020-01-01"),
    ("internet_plus_incubation", "互联网+创业孵化基地", "provincial", "2017-05-01"),
]


async def test_enterprises_are_placed_on_the_plan_and_platforms_counted(intake):
    h = intake.auth(OFFICER)
    placed = await open_case(intake, "pl-1", "menu", enterprise="Talc Co", on=date(2021, 3, 1))
    await open_case(intake, "pl-2", "menu", enterprise="Metal Co", on=date(2021, 3, 1))
    sample = (await intake.client.get("/api/v1/wall/plan", headers=h)).json()
    assert sample["version"] == 0 and len(sample["plan"]["plots"]) == 12

    url = f"/api/v1/cases/{placed['id']}/plot"
    assert (await intake.client.put(url, json={"plot_id": "A1"}, headers=h)).status_code == 200
    missing = await intake.client.put(url, json={"plot_id": "Q7"}, headers=h)
    assert missing.status_code == 422 and missing.json()["field"] == "plot_id"

    for kind, name, level, since in PLATFORMS:
        made = await intake.client.post(
            "/api/v1/platforms",
            json={"kind": kind, "name": name, "level": level, "since": since},
            headers=h,
        )
        assert made.status_code == 201, made.text
    wrong = (await intake.client.get("/api/v1/platforms", headers=h)).json()[-1]
    voided = await intake.client.delete(
        f"/api/v1/platforms/{wrong['id']}", params={"reason": "entered twice"}, headers=h
    )
    assert voided.status_code == 200

    wall = (await intake.client.get("/public/wall")).json()
    rows = {r["project_id"]: r for r in wall["transfer_progress"]}
    assert rows["pl-1"]["plot_id"] == "A1" and rows["pl-2"]["plot_id"] is None
    assert wall["unplaced"] == [rows["pl-2"]["case_id"]]
    counts = wall["platforms"]["counts"]
    assert sum(counts.values()) == 4 and counts["innovation_service"] == 2
    assert len(wall["platforms"]["items"]) == 4

    # the base replaces the plan: a plot no longer drawn leaves its enterprise unplaced
    plan = {
        "name": "承接基地一期",
        "width": 400,
        "height": 200,
        "plots": [{"id": "B1", "label": "1号厂房", "x": 10, "y": 10, "width": 100, "height": 80}],
    }
    saved = await intake.client.put("/api/v1/wall/plan", json=plan, headers=h)
    assert saved.status_code == 200 and saved.json()["version"] == 1
    outside = {**plan, "plots": [{**plan["plots"][0], "x": 390}]}
    assert (
        await intake.client.put("/api/v1/wall/plan", json=outside, headers=h)
    ).status_code == 422
    wall = (await intake.client.get("/public/wall")).json()
    assert wall["plan"]["plan"]["name"] == "承接基地一期"
    assert len(wall["unplaced"]) == 2
    refused = await intake.client.put(
        "/api/v1/wall/plan", json=plan, headers=intake.auth("enclave_operator")
    )
    assert refused.status_code == 403
