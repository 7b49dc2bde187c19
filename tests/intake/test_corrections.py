"""Corrections (PATCH with a reason) and voiding (DELETE with a reason) of cases, R&D demands
and menu items: through HTTP, with their events; void records leave lists and figures."""

from __future__ import annotations

from datetime import date

from enclave_shared.catalog.intake import (
    CaseCorrected,
    CaseVoided,
    MenuItemCorrected,
    MenuItemVoided,
    RdDemandCorrected,
    RdDemandVoided,
)

from tests.intake.helpers import OFFICER, emitted, open_case
from tests.support import of_type


async def _settle(svc, case_id: str, signed: str, built: str, produced: str | None = None) -> None:
    h, base = svc.auth(OFFICER), f"/api/v1/cases/{case_id}"
    moves = [("signing", "signed_on", signed), ("construction", "started_on", built)]
    if produced:
        moves.append(("production", "started_on", produced))
    for move, field, day in moves:
        resp = await svc.client.post(f"{base}/{move}", json={field: day}, headers=h)
        assert resp.status_code == 200, resp.text


async def test_a_case_is_corrected_with_its_reason_and_the_milestone_order_holds(intake):
    case = await open_case(intake, "c-1", "menu", enterprise="Talc Co", on=date(2021, 3, 1))
    await _settle(intake, case["id"], "2021-04-01", "2021-04-21", "2021-05-20")
    h, url = intake.auth(OFFICER), f"/api/v1/cases/{case['id']}"

    fixed = await intake.client.patch(
        url,
        json={
            "reason": "typo in the ledger",
            "construction_started_on": "2021-04-11",
            "responsible_unit": "Zone office",
            "plot_id": "A2",
        },
        headers=h,
    )
    assert fixed.status_code == 200, fixed.text
    body = fixed.json()
    assert (body["construction_started_on"], body["days_to_construction"]) == ("2021-04-11", 10)
    assert (body["responsible_unit"], body["plot_id"]) == ("Zone office", "A2")

    # construction cannot move before the signing it follows: 422 naming both
    early = await intake.client.patch(
        url, json={"reason": "x", "construction_started_on": "2021-03-20"}, headers=h
    )
    assert early.status_code == 422 and early.json()["field"] == "construction_started_on"
    assert "signed_on (2021-04-01)" in early.text and "2021-03-20" in early.text
    # nor the production before the construction
    late = await intake.client.patch(
        url, json={"reason": "x", "signed_on": "2021-05-01"}, headers=h
    )
    assert late.status_code == 422 and "construction_started_on (2021-04-11)" in late.text
    nothing = await intake.client.patch(url, json={"reason": "x", "plot_id": "A2"}, headers=h)
    assert nothing.status_code == 422
    no_reason = await intake.client.patch(url, json={"plot_id": "A3"}, headers=h)
    assert no_reason.status_code == 422
    no_plot = await intake.client.patch(url, json={"reason": "x", "plot_id": "Z9"}, headers=h)
    assert no_plot.status_code == 422 and no_plot.json()["field"] == "plot_id"
    unknown = await intake.client.patch(url, json={"reason": "x", "title": "t"}, headers=h)
    assert unknown.status_code == 422
    assert (await intake.client.get(url, headers=h)).json()["construction_started_on"] == (
        "2021-04-11"
    )
    refused = await intake.client.patch(
        url, json={"reason": "x", "plot_id": "A3"}, headers=intake.auth("enterprise", sub="Talc Co")
    )
    assert refused.status_code == 403

    [corrected] = of_type(await emitted(intake, 5), CaseCorrected)
    assert corrected["reason"] == "typo in the ledger"
    assert corrected["before"] == {
        "construction_started_on": "2021-04-21",
        "responsible_unit": None,
        "plot_id": None,
    }
    assert corrected["after"]["construction_started_on"] == "2021-04-11"


async def test_a_void_case_leaves_the_lists_and_figures_but_stays(intake):
    keep = await open_case(intake, "v-keep", "menu", enterprise="Keep Co", on=date(2021, 3, 1))
    gone = await open_case(intake, "v-gone", "menu", enterprise="Gone Co", on=date(2021, 3, 1))
    await _settle(intake, gone["id"], "2021-04-01", "2021-04-05")
    h = intake.auth(OFFICER)
    url = f"/api/v1/cases/{gone['id']}"
    no_reason = await intake.client.delete(url, headers=h)
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
    voided = await intake.client.delete(url, params={"reason": "entered twice"}, headers=h)
    assert voided.status_code == 200 and voided.json()["void_reason"] == "entered twice"
    again = await intake.client.request("DELETE", url, json={"reason": "again"}, headers=h)
    assert again.status_code == 409

    listed = await intake.client.get("/api/v1/cases", headers=h)
    assert [c["id"] for c in listed.json()] == [keep["id"]]
    assert listed.headers["X-Total-Count"] == "1"
    every = await intake.client.get("/api/v1/cases", params={"include_void": "true"}, headers=h)
    assert {c["id"] for c in every.json()} == {keep["id"], gone["id"]}
    assert (await intake.client.get(url, headers=h)).json()["voided_at"] is not None
    stats = (await intake.client.get("/api/v1/stats", headers=h)).json()
    assert stats["cases_opened"] == 1 and stats["settled"] == 0
    assert stats["cases_by_color"] == {"red": 1, "yellow": 0, "blue": 0}
    wall = (await intake.client.get("/public/wall")).json()
    assert [r["case_id"] for r in wall["transfer_progress"]] == [keep["id"]]
    move = await intake.client.post(
        f"{url}/production", json={"started_on": "2021-05-01"}, headers=h
    )
    assert move.status_code == 409
    [event] = of_type(await emitted(intake, 5), CaseVoided)
    assert event == {"case_id": gone["id"], "reason": "entered twice"}


async def test_demands_and_menu_items_are_corrected_and_voided(intake):
    h = intake.auth(OFFICER)
    made = await intake.client.post(
        "/api/v1/rd-demands",
        json={
            "enterprise": "Valves",
            "industry_chain": "advanced_machinery",
            "title": "castings",
            "submitted_on": "2021-02-01",
        },
        headers=h,
    )
    demand = made.json()
    url = f"/api/v1/rd-demands/{demand['id']}"
    fixed = await intake.client.patch(
        url, json={"reason": "the enterprise's name", "enterprise": "Guangfeng Valves"}, headers=h
    )
    assert fixed.status_code == 200 and fixed.json()["enterprise"] == "Guangfeng Valves"
    half = await intake.client.patch(url, json={"reason": "x", "partner_name": "SZU"}, headers=h)
    assert half.status_code == 422
    partner = await intake.client.put(
        f"{url}/partner",
        json={"name": "Shenzhen University", "kind": "university", "in_gba": True},
        headers=h,
    )
    assert partner.status_code == 200
    assert (partner.json()["partner_name"], partner.json()["partner_kind"]) == (
        "Shenzhen University",
        "university",
    )
    assert (
        await intake.client.delete(url, params={"reason": "test"}, headers=h)
    ).status_code == 200
    assert (await intake.client.get("/api/v1/rd-demands", headers=h)).json() == []
    assert (
        len(
            (
                await intake.client.get(
                    "/api/v1/rd-demands", params={"include_void": "true"}, headers=h
                )
            ).json()
        )
        == 1
    )

    item = (
        await intake.client.post(
            "/api/v1/menu-items",
            json={
                "title": "talc line",
                "industry_chain": "black_talc",
                "layout_category": "new_materials",
                "published_on": "2021-01-10",
            },
            headers=h,
        )
    ).json()
    murl = f"/api/v1/menu-items/{item['id']}"
    fixed_item = await intake.client.patch(
        murl, json={"reason": "date", "published_on": "2021-01-12"}, headers=h
    )
    assert fixed_item.status_code == 200 and fixed_item.json()["published_on"] == "2021-01-12"
    voided = await intake.client.request("DELETE", murl, json={"reason": "duplicate"}, headers=h)
    assert voided.status_code == 200
    assert (await intake.client.get("/api/v1/menu-items", headers=h)).json() == []
    stats = (await intake.client.get("/api/v1/stats", headers=h)).json()
    assert stats["menu_items"] == 0 and stats["rd_demands"]["submitted"] == 0

    events = await emitted(intake, 7)
    assert [e["after"] for e in of_type(events, RdDemandCorrected)] == [
        {"enterprise": "Guangfeng Valves"},
        {
            "partner_name": "Shenzhen University",
            "partner_kind": "university",
            "partner_in_gba": True,
        },
    ]
    assert of_type(events, RdDemandVoided) == [{"demand_id": demand["id"], "reason": "test"}]
    [mc] = of_type(events, MenuItemCorrected)
    assert (mc["before"], mc["after"]) == (
        {"published_on": "2021-01-10"},
        {"published_on": "2021-01-12"},
    )
    assert of_type(events, MenuItemVoided) == [{"menu_item_id": item["id"], "reason": "duplicate"}]
