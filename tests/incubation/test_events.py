"""Intake's events: the backlog fills once per item; projects become transferred once."""

from __future__ import annotations

from enclave_shared.catalog.incubation import ProjectStageChanged, ProjectTransferred
from enclave_shared.catalog.intake import (
    EnterpriseSettled,
    OutcomeTransferred,
)
from enclave_shared.db import InboxEvent
from sqlalchemy import func, select

from services.incubation.models import BacklogItem
from tests.incubation.helpers import OPERATOR, all_published, call, create, demand, send
from tests.support import eventually, of_type
from tests.unit.incubation.factories import case_opened, menu_item_payload, signing
from tests.unit.incubation.factories import demand_payload as demand_of


async def inbox_count(svc) -> int:
    async with svc.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(InboxEvent)) or 0)


async def backlog_rows(svc) -> list[tuple[str, str, str]]:
    async with svc.runtime.sessions() as session:
        rows = await session.execute(
            select(BacklogItem.kind, BacklogItem.source_id, BacklogItem.title).order_by(
                BacklogItem.id
            )
        )
        return [tuple(r) for r in rows]


async def test_backlog_events_twice_and_redelivered_under_new_ids_have_one_effect(svc):
    demand_payload = demand_of(
        "d9",
        enterprise="Guangfeng Metal",
        industry_chain="metal_new_materials",
        title="Alloy casting",
        description="",
        submitted_on="2021-04-01",
    )
    menu_payload = menu_item_payload(
        "m9", title="Data hub", layout_category="big_data", published_on="2021-04-02"
    )
    await send(svc, demand_payload, menu_payload, twice=True)  # same event ids, twice each
    await send(svc, demand_payload, menu_payload)  # same facts, new event ids
    await eventually(lambda: _at_least(inbox_count(svc), 4))
    assert await backlog_rows(svc) == [
        ("demand", "d9", "Alloy casting"),
        ("menu_item", "m9", "Data hub"),
    ]
    got = await svc.client.get("/api/v1/backlog/menu-items/m9", headers=svc.auth(OPERATOR))
    assert got.json()["layout_category"] == "big_data"


async def test_an_item_with_a_long_intake_id_can_be_taken_on(svc):
    # intake's events bound no id length; taking such an item on is a project, not a 500
    long_id = "d" * 300
    await demand(svc, long_id)
    resp = await svc.client.post(
        f"/api/v1/backlog/demands/{long_id}/project", headers=svc.auth(OPERATOR)
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["demand_id"] == long_id and resp.json()["path"] == "order"


async def test_each_transfer_event_twice_transfers_once(svc):
    headers = svc.auth(OPERATOR)
    await demand(svc, "d1")
    order = (await svc.client.post("/api/v1/backlog/demands/d1/project", headers=headers)).json()
    directed = await create(svc)
    delivery = await create(svc, path="delivery", enterprise=None, enterprise_tag=None)
    proposed = await create(svc, title="still proposed")
    for p in (order, directed, delivery):
        await call(
            svc, "POST", f"projects/{p['id']}/maturity", 200, json={"matured_on": "2021-07-01"}
        )
    opened = case_opened(
        "c1", delivery["id"], path="delivery", industry_chain="black_talc", opened_on="2021-07-02"
    )
    unicorn, talc = {"enterprise": "Shenzhen Unicorn Ltd"}, {"enterprise": "Guangfeng Talc Co."}
    settled = signing(EnterpriseSettled, "c2", directed["id"], signed_on="2021-07-20", **unicorn)
    outcome = signing(
        OutcomeTransferred, "c3", order["id"], path="order", signed_on="2021-08-01", **talc
    )
    # then: a second report for an already transferred project, one for a project that has
    # not matured, and one for a project this service never had
    late = case_opened("c2", directed["id"])
    early = case_opened("c4", proposed["id"])
    stranger = case_opened("c5", "not-ours", path="menu", industry_chain="black_talc")
    await send(svc, opened, settled, outcome, twice=True)
    await send(svc, late, early, stranger)
    await eventually(lambda: _at_least(inbox_count(svc), 1 + 3 + 3))

    async def stage(pid: str) -> dict:
        return (await svc.client.get(f"/api/v1/projects/{pid}", headers=headers)).json()

    assert (await stage(delivery["id"]))["transferred_on"] == "2021-07-02"
    assert (await stage(directed["id"]))["case_id"] == "c2"
    assert (await stage(directed["id"]))["transferred_on"] == "2021-07-20"
    assert (await stage(order["id"]))["stage"] == "transferred"
    assert (await stage(proposed["id"]))["stage"] == "proposed"

    # 4 registered + 3 x (2 stage changes + matured) + 3 x (stage change + transferred)
    events = await all_published(svc, 4 + 9 + 6)
    transferred = of_type(events, ProjectTransferred)
    assert sorted((t["project_id"], t["case_id"], t["cause"]) for t in transferred) == sorted(
        [
            (delivery["id"], "c1", "case_opened"),
            (directed["id"], "c2", "enterprise_settled"),
            (order["id"], "c3", "outcome_transferred"),
        ]
    )
    to_transferred = [
        e for e in of_type(events, ProjectStageChanged) if e["to_stage"] == "transferred"
    ]
    assert len(to_transferred) == 3 and {e["from_stage"] for e in to_transferred} == {"matured"}
    caused = [e for e in events if e["type"] == ProjectTransferred.event_type]
    assert all(e.get("causationid") for e in caused)

    stats = (await svc.client.get("/api/v1/stats", headers=headers)).json()
    assert stats["projects"]["by_stage"]["transferred"] == 3
    assert stats["projects"]["transferred"] == 3


async def _at_least(count, n: int) -> bool:
    return (await count) >= n
