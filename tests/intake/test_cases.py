"""Intake cases: opened once per project, shaped by path, three colours, dates forward."""

from __future__ import annotations

import asyncio
from datetime import date

from enclave_shared.catalog.intake import (
    CaseAccountAssigned,
    CaseOpened,
    ConstructionStarted,
    EnterpriseSettled,
    OutcomeTransferred,
    ProductionStarted,
)

from services.intake.handlers import cases
from tests.intake.helpers import OFFICER, case_of, emitted, matured, open_case, send
from tests.support import of_type, started_and_held


async def test_matured_project_opens_a_red_case_and_emits_case_opened(intake):
    await send(
        intake,
        matured("p-1", "directed", enterprise="Gazelle Tech", chain="black_talc", tag="gazelle"),
    )
    case = await case_of(intake, "p-1")
    assert case["path"] == "directed" and case["color"] == "red"
    assert case["outcome"] == "enterprise_settlement"
    assert case["enterprise"] == "Gazelle Tech" and case["industry_chain"] == "black_talc"
    assert case["opened_on"] == "2021-03-01" and case["enterprise_tag"] == "gazelle"
    detail = (
        await intake.client.get(f"/api/v1/cases/{case['id']}", headers=intake.auth(OFFICER))
    ).json()
    for field in (
        "signed_on",
        "construction_started_on",
        "production_started_on",
        "days_to_construction",
    ):
        assert detail[field] is None
    [opened] = of_type(await emitted(intake, 1), CaseOpened)
    assert opened == {
        "case_id": case["id"],
        "project_id": "p-1",
        "path": "directed",
        "industry_chain": "black_talc",
        "enterprise": "Gazelle Tech",
        "opened_on": "2021-03-01",
    }


async def test_duplicate_matured_events_open_no_second_case(intake):
    first = matured("p-dup", "menu")
    await send(intake, first, first)  # the same event id twice
    await send(intake, matured("p-dup", "menu", title="again, under a new event id"))
    await send(intake, matured("p-after", "menu"))  # consumed after the duplicates
    await case_of(intake, "p-after")
    resp = await intake.client.get(
        "/api/v1/cases", params={"project_id": "p-dup"}, headers=intake.auth(OFFICER)
    )
    assert len(resp.json()) == 1 and resp.headers["X-Total-Count"] == "1"
    assert resp.json()[0]["title"] == "project p-dup"
    events = await emitted(intake, 3, wait_s=5)
    assert sorted(e["project_id"] for e in of_type(events, CaseOpened)) == ["p-after", "p-dup"]


async def test_order_path_signing_transfers_the_result_to_the_local_enterprise(intake):
    case = await open_case(intake, "p-order", "order", enterprise="Guangfeng Valves")
    assert case["outcome"] == "outcome_transfer"
    resp = await intake.client.post(
        f"/api/v1/cases/{case['id']}/signing",
        json={"signed_on": "2021-04-01"},
        headers=intake.auth(OFFICER),
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["signed_on"] == "2021-04-01" and resp.json()["color"] == "red"
    events = await emitted(intake, 3)  # opened, its account (the named enterprise), the signing
    assert of_type(events, EnterpriseSettled) == []
    assert of_type(events, OutcomeTransferred) == [
        {
            "case_id": case["id"],
            "project_id": "p-order",
            "path": "order",
            "enterprise": "Guangfeng Valves",
            "signed_on": "2021-04-01",
        }
    ]


async def test_order_path_without_a_named_enterprise_needs_one_at_signing(intake):
    case = await open_case(intake, "p-order2", "order")
    url = f"/api/v1/cases/{case['id']}/signing"
    missing = await intake.client.post(
        url, json={"signed_on": "2021-04-01"}, headers=intake.auth(OFFICER)
    )
    assert missing.status_code == 422 and missing.json()["field"] == "enterprise"
    ok = await intake.client.post(
        url,
        json={"signed_on": "2021-04-01", "enterprise": "Local Co"},
        headers=intake.auth(OFFICER),
    )
    assert ok.status_code == 200 and ok.json()["enterprise"] == "Local Co"


async def test_menu_directed_and_delivery_signing_settles_the_enterprise(intake):
    for pid, path in [("p-m", "menu"), ("p-d", "directed"), ("p-v", "delivery")]:
        await send(intake, matured(pid, path, enterprise=f"Ent {pid}"))
    cases = [await case_of(intake, pid) for pid in ("p-m", "p-d", "p-v")]
    assert cases[2]["outcome"] == "one_stop_landing"
    for case in cases:
        resp = await intake.client.post(
            f"/api/v1/cases/{case['id']}/signing",
            json={"signed_on": "2021-05-10"},
            headers=intake.auth(OFFICER),
        )
        assert resp.status_code == 200, resp.text
    settled = of_type(await emitted(intake, 9), EnterpriseSettled)  # opened, account, settled
    assert sorted((s["project_id"], s["path"]) for s in settled) == [
        ("p-d", "directed"),
        ("p-m", "menu"),
        ("p-v", "delivery"),
    ]


async def test_three_colours_and_days_to_construction(intake):
    case = await open_case(intake, "p-c", "menu", enterprise="Settler")
    base, h = f"/api/v1/cases/{case['id']}", intake.auth(OFFICER)
    assert (
        await intake.client.post(f"{base}/signing", json={"signed_on": "2021-05-01"}, headers=h)
    ).status_code == 200
    yellow = await intake.client.post(
        f"{base}/construction", json={"started_on": "2021-05-21"}, headers=h
    )
    assert yellow.status_code == 200 and yellow.json()["color"] == "yellow"
    assert yellow.json()["days_to_construction"] == 20
    blue = await intake.client.post(
        f"{base}/production", json={"started_on": "2021-09-01"}, headers=h
    )
    assert blue.status_code == 200 and blue.json()["color"] == "blue"
    detail = (await intake.client.get(base, headers=h)).json()
    assert (
        detail["signed_on"],
        detail["construction_started_on"],
        detail["production_started_on"],
        detail["days_to_construction"],
    ) == ("2021-05-01", "2021-05-21", "2021-09-01", 20)
    by_color = await intake.client.get("/api/v1/cases", params={"color": "blue"}, headers=h)
    assert [c["id"] for c in by_color.json()] == [case["id"]]
    events = await emitted(intake, 4)
    assert of_type(events, ConstructionStarted) == [
        {
            "case_id": case["id"],
            "project_id": "p-c",
            "started_on": "2021-05-21",
            "days_to_construction": 20,
        }
    ]
    assert of_type(events, ProductionStarted) == [
        {"case_id": case["id"], "project_id": "p-c", "started_on": "2021-09-01"}
    ]


async def test_dates_cannot_go_backwards_and_steps_keep_their_order(intake):
    case = await open_case(intake, "p-b", "menu", enterprise="Settler")
    base, h = f"/api/v1/cases/{case['id']}", intake.auth(OFFICER)
    unsigned = await intake.client.post(
        f"{base}/construction", json={"started_on": "2021-05-02"}, headers=h
    )
    assert unsigned.status_code == 409 and unsigned.json()["field"] == "signed_on"
    no_construction = await intake.client.post(
        f"{base}/production", json={"started_on": "2021-05-02"}, headers=h
    )
    assert no_construction.status_code == 409
    await intake.client.post(f"{base}/signing", json={"signed_on": "2021-05-10"}, headers=h)
    again = await intake.client.post(f"{base}/signing", json={"signed_on": "2021-05-11"}, headers=h)
    assert again.status_code == 409 and again.json()["field"] == "signed_on"
    early = await intake.client.post(
        f"{base}/construction", json={"started_on": "2021-05-09"}, headers=h
    )
    assert early.status_code == 422 and early.json()["field"] == "started_on"
    assert "before the signing" in early.json()["detail"]
    await intake.client.post(f"{base}/construction", json={"started_on": "2021-05-10"}, headers=h)
    too_early = await intake.client.post(
        f"{base}/production", json={"started_on": "2021-05-09"}, headers=h
    )
    assert too_early.status_code == 422 and too_early.json()["field"] == "started_on"
    detail = (await intake.client.get(base, headers=h)).json()
    assert detail["color"] == "yellow" and detail["days_to_construction"] == 0
    # the refused moves sent nothing: opened (with its account), settled, construction started
    # (one key: in order)
    await asyncio.sleep(1)
    events = await emitted(intake, 5, wait_s=3)
    assert [e["type"] for e in events] == [
        CaseOpened.event_type,
        CaseAccountAssigned.event_type,
        EnterpriseSettled.event_type,
        ConstructionStarted.event_type,
    ]


async def test_bad_input_is_a_4xx_naming_the_field(intake):
    case = await open_case(intake, "p-x", "menu")
    base, h = f"/api/v1/cases/{case['id']}", intake.auth(OFFICER)
    for url, body, field in [
        (f"{base}/signing", {"signed_on": "2021-13-01"}, "signed_on"),
        (f"{base}/signing", {}, "signed_on"),
        (f"{base}/signing", {"signed_on": "2021-05-01", "colour": "x"}, "colour"),
        (f"{base}/construction", {"started_on": "soon"}, "started_on"),
        (f"{base}/production", {"started_on": None}, "started_on"),
    ]:
        resp = await intake.client.post(url, json=body, headers=h)
        assert resp.status_code == 422, (url, body, resp.text)
        assert field in resp.text
    not_json = await intake.client.post(
        f"{base}/signing", content=b"{oops", headers={**h, "content-type": "application/json"}
    )
    assert not_json.status_code == 422
    missing = await intake.client.post(
        "/api/v1/cases/nope/signing", json={"signed_on": "2021-05-01"}, headers=h
    )
    assert missing.status_code == 404 and missing.json()["field"] == "case_id"
    bad_filter = await intake.client.get("/api/v1/cases", params={"color": "green"}, headers=h)
    assert bad_filter.status_code == 422 and "color" in bad_filter.text
    bad_page = await intake.client.get("/api/v1/cases", params={"limit": 0}, headers=h)
    assert bad_page.status_code == 422 and "limit" in bad_page.text
    assert (await intake.client.get(base, headers=h)).json()["signed_on"] is None


async def test_case_list_paginates(intake):
    await send(intake, *[matured(f"p-{i}", "delivery") for i in range(5)])
    await case_of(intake, "p-4")
    h = intake.auth(OFFICER)
    page = await intake.client.get("/api/v1/cases", params={"limit": 2, "offset": 3}, headers=h)
    assert page.headers["X-Total-Count"] == "5" and len(page.json()) == 2
    delivery = await intake.client.get("/api/v1/cases", params={"path": "delivery"}, headers=h)
    assert len(delivery.json()) == 5


async def test_two_signings_of_one_case_at_once_sign_it_once(intake):
    case = await open_case(intake, "p-race", "menu", enterprise="Racer")
    async with intake.runtime.sessions() as first:
        locked = await cases.get_case(first, case_id=case["id"], for_update=True)
        await cases.sign(first, case=locked, signed_on=date(2021, 5, 1))
        # it waits for the case, held by the first signing
        second = await started_and_held(
            intake.client.post(
                f"/api/v1/cases/{case['id']}/signing",
                json={"signed_on": "2021-05-02"},
                headers=intake.auth(OFFICER),
            )
        )
        await first.commit()
    resp = await second
    assert resp.status_code == 409 and "already signed on 2021-05-01" in resp.text
    events = await emitted(intake, 3, wait_s=3)  # CaseOpened, then one signing only
    assert [e["signed_on"] for e in of_type(events, EnterpriseSettled)] == ["2021-05-01"]
