"""The district secretary's dispatch (书记项目调度) from the hotline: tickets opened, resolved,
within the limit and escalated in a month and the year to date, by department; the totals
are the figures' own."""

from __future__ import annotations

from datetime import UTC, datetime

from services.hotline.jobs import sweep_once
from tests.hotline.support import agent, hotline, open_ticket
from tests.support import each_refused


async def _route_and_resolve(svc, tid: str, department: str) -> None:
    routed = await svc.client.post(
        f"/api/v1/tickets/{tid}/routing", headers=agent(svc), json={"department": department}
    )
    assert routed.status_code == 200, routed.text
    done = await svc.client.post(
        f"/api/v1/tickets/{tid}/resolution", headers=agent(svc), json={"summary": "done"}
    )
    assert done.status_code == 200, done.text


async def test_dispatch_of_a_month_and_the_year_to_date(make_settings):
    async with hotline(make_settings) as (svc, _settings, clock):
        clock.now = datetime(2021, 4, 12, 2, 0, tzinfo=UTC)
        april = (await open_ticket(svc, agent(svc)))["id"]
        await _route_and_resolve(svc, april, "税务局")
        clock.now = datetime(2021, 5, 10, 2, 0, tzinfo=UTC)
        quick = (await open_ticket(svc, agent(svc)))["id"]
        slow = (await open_ticket(svc, agent(svc), category="utilities"))["id"]
        await _route_and_resolve(svc, quick, "税务局")
        clock.now = datetime(2021, 5, 24, 2, 0, tzinfo=UTC)  # two weeks on: slow is supervised
        escalated = await sweep_once(svc.runtime)
        assert {t for t, _, level in escalated.escalated if level >= 1} == {slow}
        await _route_and_resolve(svc, slow, "供电公司")
        still_open = (await open_ticket(svc, agent(svc)))["id"]
        assert still_open

        leader = svc.auth("district_leader")
        resp = await svc.client.get("/api/v1/dispatch", params={"month": "2021-05"}, headers=leader)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        for part, start in (("month_figures", "2021-05-01"), ("year_to_date", "2021-01-01")):
            figures = await svc.client.get(
                "/api/v1/figures", params={"from": start, "to": "2021-05-31"}, headers=agent(svc)
            )
            overall = figures.json()["overall"]
            mine = body[part]["overall"]
            assert (mine["opened"], mine["resolved"], mine["resolved_in_time"]) == (
                overall["tickets"],
                overall["resolved"],
                overall["resolved_in_time"],
            ), part
            assert [d["department"] for d in body[part]["departments"]] == [
                d["department"] for d in figures.json()["departments"]
            ]
        month = body["month_figures"]
        assert {k: month["overall"][k] for k in ("opened", "resolved", "resolved_in_time")} == {
            "opened": 3,
            "resolved": 2,
            "resolved_in_time": 1,
        }
        assert month["overall"]["escalated"] == 1
        by_department = {
            d["department"]: (d["opened"], d["resolved"], d["resolved_in_time"], d["escalated"])
            for d in month["departments"]
        }
        assert by_department == {"税务局": (1, 1, 1, 0), "供电公司": (1, 1, 0, 1)}
        assert body["year_to_date"]["overall"]["opened"] == 4
        ytd = {d["department"]: d["opened"] for d in body["year_to_date"]["departments"]}
        assert ytd == {"税务局": 2, "供电公司": 1}
        assert [(m["month"], m["opened"], m["escalated"]) for m in body["months"]][3:] == [
            ("2021-04", 1, 0),
            ("2021-05", 3, 1),
        ]


async def test_dispatch_is_the_district_leaders(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        others = ("hotline_agent", "zone_officer", "enterprise", "assessor")
        await each_refused(svc, others, "/api/v1/dispatch", {"month": "2021-05"})
        bad = await svc.client.get("/api/v1/dispatch", headers=svc.auth("district_leader"))
        assert bad.status_code == 422
        assert bad.headers["content-type"].startswith("application/problem+json")
