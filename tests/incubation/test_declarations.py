"""Talent programme declarations (帮助申报省、市、区人才工程) through HTTP: a high-level talent's
declaration filed, listed with filters and pages, its outcome recorded by a correction,
voided; the rules' refusals (an outcome before the declaration, a researcher declaring, a
programme declared twice), who may write, and the events against the catalog."""

from __future__ import annotations

from functools import partial
from typing import Any

from enclave_shared.catalog.incubation import (
    DeclarationCorrected,
    DeclarationFiled,
    DeclarationVoided,
)

from tests.incubation.helpers import all_published, call, ids, leader_page, listed_ids
from tests.support import of_type


async def test_a_high_level_talents_declarations_and_their_outcomes(svc):
    body = {"name": "Dr. Zhang", "level": "high_level", "field": "materials"}
    zhang = await call(svc, "POST", "talents", 201, json=body)
    researcher = await call(
        svc, "POST", "talents", 201, json={**body, "name": "Wu", "level": "researcher"}
    )

    def declaring(**over: Any) -> dict[str, Any]:
        return {
            "talent_id": zhang["id"],
            "programme": "江西省双千计划",
            "level": "province",
            "declared_on": "2021-04-01",
            **over,
        }

    refusals = (
        (declaring(talent_id=researcher["id"]), "talent_id"),
        (declaring(talent_id="no-such"), "talent_id"),
        (declaring(outcome="approved"), "outcome_on"),
        (declaring(outcome="approved", outcome_on="2021-03-31"), "outcome_on"),
        (declaring(outcome_on="2021-05-01"), "outcome_on"),
    )
    for refused, field in refusals:
        assert (await call(svc, "POST", "declarations", 422, json=refused))["field"] == field
    assert "level" in str(await call(svc, "POST", "declarations", 422, json=declaring(level="x")))

    province = await call(svc, "POST", "declarations", 201, json=declaring())
    assert (province["outcome"], province["talent_name"]) == ("pending", "Dr. Zhang")
    twice = await call(svc, "POST", "declarations", 409, json=declaring())
    assert twice["field"] == "programme"
    city = await call(
        svc,
        "POST",
        "declarations",
        201,
        json=declaring(
            programme="上饶市高层次人才", level="city", outcome="rejected", outcome_on="2021-05-10"
        ),
    )
    district = await call(
        svc, "POST", "declarations", 201, json=declaring(programme="广丰区人才", level="district")
    )
    assert district["declared_on"] == "2021-04-01"

    total, page = await leader_page(svc, "declarations", {"limit": 2})
    assert total == "3"
    assert len(page) == 2
    listed = partial(listed_ids, svc, "declarations")
    assert await listed({"level": "city"}) == ids(city)
    assert await listed({"outcome": "pending", "level": "province"}) == ids(province)
    assert await listed({"talent_id": zhang["id"], "outcome": "rejected"}) == ids(city)
    assert await listed({"talent_id": researcher["id"]}) == ids()
    assert await listed({"from": "2021-04-02"}) == ids()

    early = {"outcome": "approved", "outcome_on": "2021-03-01", "reason": "result"}
    refused = await call(svc, "PATCH", f"declarations/{province['id']}", 422, json=early)
    assert refused["field"] == "outcome_on"
    approved = {"outcome": "approved", "outcome_on": "2021-06-20", "reason": "published"}
    done = await call(svc, "PATCH", f"declarations/{province['id']}", 200, json=approved)
    assert (done["outcome"], done["outcome_on"]) == ("approved", "2021-06-20")
    moved = {"declared_on": "2021-06-21", "reason": "x"}
    refused = await call(svc, "PATCH", f"declarations/{province['id']}", 422, json=moved)
    assert refused["field"] == "outcome_on"
    await call(svc, "DELETE", f"declarations/{district['id']}", 200, params={"reason": "mistake"})
    assert len(await call(svc, "GET", "declarations", 200)) == 2

    await call(svc, "POST", "declarations", 403, role="assessor", json=declaring())
    await call(svc, "GET", "declarations", 403, role="zone_officer")
    await call(svc, "GET", f"declarations/{city['id']}", 200, role="assessor")

    events = await all_published(svc, 2 + 3 + 1 + 1)
    filed = {e["declaration_id"]: e for e in of_type(events, DeclarationFiled)}
    assert filed[city["id"]]["outcome"] == "rejected" and filed[city["id"]]["level"] == "city"
    assert filed[province["id"]]["outcome_on"] is None
    (corrected,) = of_type(events, DeclarationCorrected)
    assert corrected["after"] == {"outcome": "approved", "outcome_on": "2021-06-20"}
    assert of_type(events, DeclarationVoided)[0]["declaration_id"] == district["id"]
