"""R&D demands the enclave took on: ProjectRegistered marks the demand, once."""

from __future__ import annotations

from datetime import date
from typing import Any

from enclave_shared.catalog.incubation import IntakePath, ProjectRegistered
from enclave_shared.events import CloudEvent, new_event

from tests.intake.helpers import OFFICER
from tests.support import RunningService, eventually, produce_raw


def registered(
    project_id: str, demand_id: str | None, on: date, path: IntakePath = IntakePath.ORDER
) -> CloudEvent:
    return new_event(
        ProjectRegistered(
            project_id=project_id,
            title=f"project {project_id}",
            path=path,
            industry_chain="advanced_machinery",
            enterprise="Guangfeng Valves",
            demand_id=demand_id,
            registered_on=on,
        )
    )


async def send_in_order(svc: RunningService, *events: CloudEvent | bytes) -> None:
    """Incubation events under one key (one partition): consumed in the order given."""
    settings = svc.runtime.settings
    await produce_raw(
        settings.kafka_bootstrap_servers,
        f"{settings.topic_prefix}.incubation",
        [(b"k", e if isinstance(e, bytes) else e.to_bytes()) for e in events],
    )


async def demand(svc: RunningService, title: str, submitted_on: str) -> str:
    body = {
        "enterprise": "Guangfeng Valves",
        "industry_chain": "advanced_machinery",
        "title": title,
        "submitted_on": submitted_on,
    }
    made = await svc.client.post("/api/v1/rd-demands", json=body, headers=svc.auth(OFFICER))
    assert made.status_code == 201, made.text
    assert made.json()["project_id"] is None and made.json()["taken_on"] is None
    return str(made.json()["id"])


async def demands(svc: RunningService) -> dict[str, dict[str, Any]]:
    listed = await svc.client.get("/api/v1/rd-demands", headers=svc.auth(OFFICER))
    assert listed.status_code == 200
    return {d["title"]: d for d in listed.json()}


async def stats(svc: RunningService, **params: str) -> dict[str, int]:
    r = await svc.client.get("/api/v1/stats", params=params, headers=svc.auth("assessor"))
    assert r.status_code == 200, r.text
    figures = dict(r.json()["rd_demands"])
    assert len(figures.pop("partners")) == figures["in_cooperation"]
    return figures


async def test_a_registered_project_puts_its_demand_in_cooperation_once(intake):
    castings = await demand(intake, "castings", "2021-02-01")
    await demand(intake, "coatings", "2021-03-01")
    sensors = await demand(intake, "sensors", "2022-01-10")
    first = registered("p-1", castings, date(2021, 4, 1)).to_bytes()
    await send_in_order(
        intake,
        first,
        first,  # redelivered
        registered("p-1", castings, date(2021, 4, 1)),  # the same fact, another event id
        registered("p-2", castings, date(2021, 5, 1)),  # a second project: the first stays
        registered("p-menu", None, date(2021, 4, 2), IntakePath.MENU),  # no demand: skipped
        registered("p-x", "dem-unknown", date(2021, 4, 3)),  # unknown demand: logged
        registered("p-3", sensors, date(2022, 2, 1)),  # last: when it shows, all are in
    )

    async def all_in() -> dict[str, dict[str, Any]] | None:
        rows = await demands(intake)
        return rows if rows["sensors"]["taken_on"] else None

    rows = await eventually(all_in)
    assert (rows["castings"]["project_id"], rows["castings"]["taken_on"]) == ("p-1", "2021-04-01")
    assert rows["coatings"]["project_id"] is None and rows["coatings"]["taken_on"] is None
    assert (rows["sensors"]["project_id"], rows["sensors"]["taken_on"]) == ("p-3", "2022-02-01")
    one = await intake.client.get(f"/api/v1/rd-demands/{castings}", headers=intake.auth(OFFICER))
    assert one.json()["project_id"] == "p-1"

    assert await stats(intake, **{"from": "2021-01-01", "to": "2021-12-31"}) == {
        "submitted": 2,
        "in_cooperation": 1,
    }
    # by business date: a demand of 2021 taken on in 2022 counts in 2022's cooperation
    assert await stats(intake, **{"from": "2022-01-01", "to": "2022-12-31"}) == {
        "submitted": 1,
        "in_cooperation": 1,
    }
    assert await stats(intake, to="2021-04-30") == {"submitted": 2, "in_cooperation": 1}
    assert await stats(intake) == {"submitted": 3, "in_cooperation": 2}
