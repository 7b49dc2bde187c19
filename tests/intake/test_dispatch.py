"""The district secretary's dispatch (书记项目调度) from intake: the month's figures equal the
stats', the cases red too long with their body and days, the "three ones" due/held/missed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.intake.helpers import OFFICER, open_case
from tests.support import each_refused


def at(day: str, hour: int = 4) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


async def test_dispatch_of_a_month_and_the_year_to_date(intake):
    h = intake.auth(OFFICER)
    slow = await open_case(intake, "p-slow", "menu", enterprise="Slow Co", on=date(2021, 3, 1))
    fast = await open_case(intake, "p-fast", "menu", enterprise="Fast Co", on=date(2021, 3, 1))
    late = await open_case(intake, "p-late", "menu", enterprise="Late Co", on=date(2021, 4, 20))
    await intake.client.put(
        f"/api/v1/cases/{slow['id']}/responsible",
        json={"unit": "广丰区经开区管委会", "person": "王", "contact": "0793-1"},
        headers=h,
    )
    base = f"/api/v1/cases/{slow['id']}"
    await intake.client.post(f"{base}/signing", json={"signed_on": "2021-03-10"}, headers=h)
    for kind, day in [("inspection", "2021-04-05"), ("coordination", "2021-04-20")]:
        resp = await intake.client.post(
            f"{base}/meetings", json={"kind": kind, "held_on": day}, headers=h
        )
        assert resp.status_code == 201, resp.text
    fb = f"/api/v1/cases/{fast['id']}"
    await intake.client.post(f"{fb}/signing", json={"signed_on": "2021-03-02"}, headers=h)
    await intake.client.post(f"{fb}/construction", json={"started_on": "2021-03-20"}, headers=h)
    for body in (
        {"kind": "talent", "count": 2, "happened_on": "2021-03-15"},
        {"kind": "capital", "amount": 0.1, "happened_on": "2021-04-02"},
        {"kind": "capital", "amount": "0.2005", "happened_on": "2021-04-30"},
        {"kind": "talent", "count": 1, "happened_on": "2021-05-01"},
    ):
        made = await intake.client.post(f"{base}/returns", json=body, headers=h)
        assert made.status_code == 201, made.text
    intake.runtime.clock = lambda: at("2021-06-10")

    leader = intake.auth("district_leader")
    resp = await intake.client.get("/api/v1/dispatch", params={"month": "2021-04"}, headers=leader)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["month"] == "2021-04" and body["as_of"] == "2021-04-30"
    for part, start in (("month_figures", "2021-04-01"), ("year_to_date", "2021-01-01")):
        stats = await intake.client.get(
            "/api/v1/stats", params={"from": start, "to": "2021-04-30"}, headers=h
        )
        figures = body[part]
        for key in ("cases_opened", "cases_by_color", "meetings_held", "settled"):
            assert figures[key] == stats.json()[key], (part, key)
    assert body["month_figures"]["cases_opened"] == 1
    # the district's five returns dated in the month, and in the year so far, as the summary
    for part, start in (("month_figures", "2021-04-01"), ("year_to_date", "2021-01-01")):
        summary = await intake.client.get(
            "/api/v1/five-returns/summary", params={"from": start, "to": "2021-04-30"}, headers=h
        )
        assert body[part]["five_returns"] == summary.json(), part
    assert body["month_figures"]["five_returns"]["capital"] == 0.3005  # exact
    assert body["month_figures"]["five_returns"]["talents"] == 0
    assert body["year_to_date"]["five_returns"]["talents"] == 2
    assert body["year_to_date"]["cases_by_color"] == {"red": 2, "yellow": 1, "blue": 0}
    # red on 30 April: the slow case since its signing (51 days), the late one only 10 days
    assert body["red_cases"] == [
        {
            "case_id": slow["id"],
            "project_id": "p-slow",
            "title": "project p-slow",
            "enterprise": "Slow Co",
            "path": "menu",
            "responsible_unit": "广丰区经开区管委会",
            "red_since": "2021-03-10",
            "days_red": 51,
        }
    ]
    # April: every case owes two inspections and a coordination (the late one from 20 April:
    # its second half month and the month); the slow case held one of each, the rest missed
    april = body["month_figures"]["meetings"]
    assert april["by_kind"]["inspection"] == {"due": 5, "held": 1, "missed": 4, "open": 0}
    assert april["by_kind"]["coordination"] == {"due": 3, "held": 1, "missed": 2, "open": 0}
    assert april["by_kind"]["observation"]["due"] == 0
    assert (april["due"], april["held"], april["missed"]) == (8, 2, 6)
    assert [m["month"] for m in body["months"]] == ["2021-01", "2021-02", "2021-03", "2021-04"]
    assert body["months"][2]["cases_by_color"] == {"red": 1, "yellow": 1, "blue": 0}
    assert body["months"][3]["meetings"] == april
    assert body["months"][2]["red_over_days"] == 0 and body["months"][3]["red_over_days"] == 1
    assert late["id"] not in {r["case_id"] for r in body["red_cases"]}

    # the periods behind the "three ones" figures, listed: as many as counted
    url, april_dates = "/api/v1/dispatch/meetings", {"from": "2021-04-01", "to": "2021-04-30"}
    listed = await intake.client.get(url, params=april_dates, headers=leader)
    assert listed.status_code == 200, listed.text
    assert listed.headers["X-Total-Count"] == "8" and len(listed.json()) == 8
    assert [m["due_on"] for m in listed.json()] == sorted(m["due_on"] for m in listed.json())
    held = await intake.client.get(url, params={**april_dates, "status": "held"}, headers=leader)
    assert {(m["case_id"], m["kind"]) for m in held.json()} == {
        (slow["id"], "inspection"),
        (slow["id"], "coordination"),
    }
    assert {m["enterprise"] for m in held.json()} == {"Slow Co"}
    missed = await intake.client.get(
        url, params={**april_dates, "status": "overdue", "kind": "coordination"}, headers=leader
    )
    assert missed.headers["X-Total-Count"] == "2"
    second = await intake.client.get(
        url, params={**april_dates, "limit": 5, "offset": 5}, headers=leader
    )
    assert [m["due_on"] for m in second.json()] == [m["due_on"] for m in listed.json()[5:]]
    backwards = await intake.client.get(
        url, params={"from": "2021-05-01", "to": "2021-04-01"}, headers=leader
    )
    assert backwards.status_code == 422 and backwards.json()["field"] == "from"
    refused = await intake.client.get(url, params=april_dates, headers=h)
    assert refused.status_code == 403


async def test_dispatch_is_the_district_leaders(intake):
    others = ("zone_officer", "enclave_operator", "assessor", "enterprise")
    await each_refused(intake, others, "/api/v1/dispatch", {"month": "2021-05"})
    admin = await intake.client.get(
        "/api/v1/dispatch", params={"month": "2021-05"}, headers=intake.auth("admin")
    )
    assert admin.status_code == 200
    for month in ("2021-13", "0000-01", "9999-12", "2021-5"):  # 2000 to 2100 only
        bad = await intake.client.get(
            "/api/v1/dispatch", params={"month": month}, headers=intake.auth("district_leader")
        )
        assert bad.status_code == 422, month
        assert bad.headers["content-type"].startswith("application/problem+json")
