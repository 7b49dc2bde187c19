"""The work plans (有计划) through HTTP: plan items, a month closed with its results, the
rules' refusals, corrections and voids, and the events against the catalog."""

from __future__ import annotations

from typing import Any

from enclave_shared.catalog.incubation import (
    PlanItemAdded,
    PlanItemCorrected,
    PlanItemVoided,
    PlanMonthClosed,
    PlanMonthVoided,
)

from tests.incubation.helpers import all_published, call, leader_page
from tests.support import RunningService, of_type


async def item(svc: RunningService, title: str, month: str = "2021-05", **over: Any) -> Any:
    body = {"title": title, "owner": "Li Na", "due_month": month, **over}
    return await call(svc, "POST", "plan-items", 201, json=body)


async def test_a_month_closes_once_no_item_is_planned_and_freezes_its_items(svc):
    roadshow = await item(svc, "GBA roadshow", goal="five-year plan: 100 projects")
    office = await item(svc, "Open the training room")
    dropped = await item(svc, "Visit Dongguan", owner="Zhou Min")
    await item(svc, "June item", month="2021-06")

    refused = await call(
        svc, "POST", "plan-months", 409, json={"month": "2021-05", "results": "done"}
    )
    assert refused["field"] == "month"
    assert "GBA roadshow" in refused["detail"] and "Visit Dongguan" in refused["detail"]

    done = {"status": "done", "done_on": "2021-05-28", "reason": "held"}
    await call(svc, "PATCH", f"plan-items/{roadshow['id']}", 200, json=done)
    late = {"status": "done", "done_on": "2021-06-03", "reason": "opened late"}
    await call(svc, "PATCH", f"plan-items/{office['id']}", 200, json=late)
    no_date = await call(
        svc, "PATCH", f"plan-items/{dropped['id']}", 422, json={"status": "done", "reason": "x"}
    )
    assert no_date["field"] == "done_on"
    await call(
        svc, "PATCH", f"plan-items/{dropped['id']}", 200, json={"status": "dropped", "reason": "x"}
    )

    early = {"month": "2021-05", "results": "r", "closed_on": "2021-04-30"}
    assert (await call(svc, "POST", "plan-months", 422, json=early))["field"] == "closed_on"
    closing = await call(
        svc, "POST", "plan-months", 201, json={"month": "2021-05", "results": "2 of 3 done"}
    )
    assert closing["closed_on"] == "2021-06-30"  # today
    again = await call(svc, "POST", "plan-months", 409, json={"month": "2021-05", "results": "r"})
    assert again["field"] == "month"
    # The closed month's items are frozen: no new item, correction or void.
    assert (await item_refused(svc, "2021-05"))["field"] == "due_month"
    await call(
        svc, "PATCH", f"plan-items/{roadshow['id']}", 409, json={"owner": "Wu", "reason": "x"}
    )
    await call(svc, "DELETE", f"plan-items/{roadshow['id']}", 409, params={"reason": "x"})

    # Listed by month, status and owner, paginated, read by the district leader.
    query = {"due_month": "2021-05", "status": "done", "limit": 1}
    total, page = await leader_page(svc, "plan-items", query)
    assert total == "2"
    assert len(page) == 1
    by_owner = await call(svc, "GET", "plan-items", 200, params={"owner": "Zhou Min"})
    assert [i["id"] for i in by_owner] == [dropped["id"]]
    range_ = await call(
        svc, "GET", "plan-items", 200, params={"month_from": "2021-06", "month_to": "2021-12"}
    )
    assert [i["title"] for i in range_] == ["June item"]
    bad = await call(
        svc, "GET", "plan-items", 422, params={"month_from": "2021-07", "month_to": "2021-06"}
    )
    assert bad["field"] == "month_from"
    months = await call(svc, "GET", "plan-months", 200, params={"year": 2021})
    assert [m["id"] for m in months] == [closing["id"]]
    assert await call(svc, "GET", "plan-months", 200, params={"year": 2020}) == []

    # Voiding the closing opens the month again.
    await call(svc, "DELETE", f"plan-months/{closing['id']}", 200, params={"reason": "too soon"})
    await call(svc, "DELETE", f"plan-items/{office['id']}", 200, params={"reason": "duplicate"})

    events = await all_published(svc, 4 + 3 + 1 + 2)
    assert len(of_type(events, PlanItemAdded)) == 4
    goals = {e["item_id"]: e["goal"] for e in of_type(events, PlanItemAdded)}
    assert goals[roadshow["id"]] == "five-year plan: 100 projects"
    assert len(of_type(events, PlanItemCorrected)) == 3
    assert of_type(events, PlanItemVoided)[0]["item_id"] == office["id"]
    assert of_type(events, PlanMonthVoided)[0]["closing_id"] == closing["id"]
    (closed,) = of_type(events, PlanMonthClosed)
    assert closed["month"] == "2021-05" and closed["closing_id"] == closing["id"]
    assert (closed["items"], closed["done"], closed["late"], closed["dropped"]) == (3, 2, 0, 1)
    assert closed["done_on_time"] == 1 and closed["done_on_time_ids"] == [roadshow["id"]]


async def item_refused(svc: RunningService, month: str) -> Any:
    body = {"title": "Too late", "owner": "Li Na", "due_month": month}
    return await call(svc, "POST", "plan-items", 409, json=body)


async def test_refusals_name_the_field(svc):
    bad_month = await call(
        svc, "POST", "plan-items", 422, json={"title": "t", "owner": "o", "due_month": "2021-13"}
    )
    assert "due_month" in str(bad_month)
    first = await item(svc, "t")
    stray = await call(
        svc,
        "PATCH",
        f"plan-items/{first['id']}",
        422,
        json={"done_on": "2021-05-02", "reason": "x"},
    )
    assert stray["field"] == "done_on"
    await call(svc, "POST", "plan-items", 403, role="zone_officer", json={"title": "t"})
    await call(svc, "GET", "plan-items/no-such", 404)
    await call(svc, "PATCH", "plan-months/no-such", 404, json={"results": "r", "reason": "x"})
