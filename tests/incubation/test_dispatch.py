"""The district secretary's dispatch (书记项目调度) from incubation: the month's and the
year-to-date figures equal the stats', what matured and transferred by path, the trend."""

from __future__ import annotations

from tests.incubation.helpers import OPERATOR, call, create, send
from tests.support import each_refused, eventually
from tests.unit.incubation.factories import case_opened

P = "/api/v1/projects"
LEADER = "district_leader"


async def test_dispatch_of_a_month_and_the_year_to_date(svc):
    h = svc.auth(OPERATOR)
    directed = await create(svc, registered_on="2021-03-05")
    delivery = await create(
        svc, path="delivery", enterprise=None, enterprise_tag=None, registered_on="2021-04-02"
    )
    await create(
        svc, path="delivery", enterprise=None, enterprise_tag=None, registered_on="2021-04-09"
    )
    for project, day in ((directed, "2021-04-10"), (delivery, "2021-04-20")):
        await call(svc, "POST", f"projects/{project['id']}/maturity", 200, json={"matured_on": day})
    opened = case_opened(
        "c1", delivery["id"], path="delivery", industry_chain="black_talc", opened_on="2021-04-25"
    )
    await send(svc, opened)

    async def transferred() -> bool:
        got = await svc.client.get(f"{P}/{delivery['id']}", headers=h)
        return got.json()["transferred_on"] == "2021-04-25"

    await eventually(transferred)
    for track, count, day in (
        ("managers", 12, "2021-03-20"),
        ("skilled_workers", 40, "2021-04-15"),
    ):
        training = {"track": track, "count": count, "completed_on": day}
        await call(svc, "POST", "trainings", 201, json=training)

    body = await call(svc, "GET", "dispatch", 200, role=LEADER, params={"month": "2021-04"})
    for part, start in (("month_figures", "2021-04-01"), ("year_to_date", "2021-01-01")):
        stats = await svc.client.get(
            "/api/v1/stats", params={"from": start, "to": "2021-04-30"}, headers=h
        )
        figures = body[part]
        for key in ("registered", "by_path", "matured", "transferred"):
            assert figures["projects"][key] == stats.json()["projects"][key], (part, key)
        assert figures["training"] == stats.json()["training"]
    april = body["month_figures"]["projects"]
    assert (april["registered"], april["matured"], april["transferred"]) == (2, 2, 1)
    assert april["by_path"]["delivery"] == 2 and april["by_path"]["directed"] == 0
    assert april["matured_by_path"] == {"order": 0, "menu": 0, "directed": 1, "delivery": 1}
    assert april["transferred_by_path"] == {"order": 0, "menu": 0, "directed": 0, "delivery": 1}
    assert body["year_to_date"]["projects"]["registered"] == 3
    assert body["year_to_date"]["training"]["managers"]["completed"] == 12
    assert [(m["month"], m["registered"], m["matured"], m["trained"]) for m in body["months"]] == [
        ("2021-01", 0, 0, 0),
        ("2021-02", 0, 0, 0),
        ("2021-03", 1, 0, 12),
        ("2021-04", 2, 2, 40),
    ]


async def test_dispatch_is_the_district_leaders(svc):
    others = ("enclave_operator", "zone_officer", "assessor", "hotline_agent")
    await each_refused(svc, others, "/api/v1/dispatch", {"month": "2021-05"})
    no_month = {"month": "May"}
    bad = await svc.client.get("/api/v1/dispatch", params=no_month, headers=svc.auth(LEADER))
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
