"""The "five returns" (五回) of each case through HTTP: entered with the ledger, the rules of
each kind, lists with filters and pages, corrections and voids, the district's sum, and the
events against the catalog."""

from __future__ import annotations

from enclave_shared.catalog.intake import CaseReturnCorrected, CaseReturnRecorded, CaseReturnVoided

from tests.intake.helpers import OFFICER, emitted, open_case
from tests.support import of_type

LIST = "/api/v1/five-returns"


async def test_five_returns_entered_listed_corrected_voided_and_summed(intake):
    h = intake.auth(OFFICER)
    acme = await open_case(intake, "p-r1", "menu", enterprise="Acme")
    beta = await open_case(intake, "p-r2", "menu", enterprise="Beta")
    entries = [
        (acme, {"kind": "talent", "count": 3, "happened_on": "2021-04-01"}),
        (acme, {"kind": "capital", "amount": 1200.5, "happened_on": "2021-05-01"}),
        (acme, {"kind": "technology", "count": 1, "happened_on": "2021-06-01"}),
        (beta, {"kind": "capital", "amount": 800, "happened_on": "2021-05-10"}),
        (beta, {"kind": "enterprise", "count": 2, "happened_on": "2021-07-01"}),
        (beta, {"kind": "information", "count": 4, "happened_on": "2021-07-02"}),
    ]
    ids = []
    for case, body in entries:
        resp = await intake.client.post(f"/api/v1/cases/{case['id']}/returns", json=body, headers=h)
        assert resp.status_code == 201, resp.text
        ids.append(resp.json()["id"])
    page = await intake.client.get(LIST, params={"limit": 4}, headers=h)
    assert page.headers["X-Total-Count"] == "6" and len(page.json()) == 4
    capital = await intake.client.get(LIST, params={"kind": "capital"}, headers=h)
    assert [r["amount"] for r in capital.json()] == [1200.5, 800]
    may = await intake.client.get(
        LIST, params={"from": "2021-05-01", "to": "2021-05-31"}, headers=h
    )
    assert [r["id"] for r in may.json()] == [ids[1], ids[3]]
    own = await intake.client.get(LIST, headers=intake.auth("enterprise", sub="Acme"))
    assert {r["case_id"] for r in own.json()} == {acme["id"]}
    summary = await intake.client.get(f"{LIST}/summary", headers=intake.auth("district_leader"))
    assert summary.status_code == 200
    assert summary.json() == {
        "talents": 3,
        "information": 4,
        "capital": 2000.5,
        "enterprises": 2,
        "technologies": 1,
        "cases": 2,
    }
    fixed = await intake.client.patch(
        f"{LIST}/{ids[0]}", json={"count": 5, "reason": "两人漏记"}, headers=h
    )
    assert fixed.status_code == 200 and fixed.json()["count"] == 5
    gone = await intake.client.delete(f"{LIST}/{ids[3]}", params={"reason": "重复"}, headers=h)
    assert gone.status_code == 200
    after = (await intake.client.get(f"{LIST}/summary", headers=h)).json()
    assert (after["talents"], after["capital"]) == (5, 1200.5)
    may_only = await intake.client.get(
        f"{LIST}/summary", params={"from": "2021-05-01", "to": "2021-05-31"}, headers=h
    )
    assert may_only.json()["capital"] == 1200.5 and may_only.json()["talents"] == 0
    # 2 cases opened with their accounts, 6 returns, 1 correction, 1 void
    events = await emitted(intake, 12)
    assert len(of_type(events, CaseReturnRecorded)) == 6
    assert of_type(events, CaseReturnCorrected)[0]["after"] == {"count": 5}
    assert of_type(events, CaseReturnVoided)[0]["return_id"] == ids[3]


async def test_each_kind_has_its_rule_and_the_refusal_names_the_field(intake):
    h = intake.auth(OFFICER)
    case = await open_case(intake, "p-rr", "menu", enterprise="Acme")
    url = f"/api/v1/cases/{case['id']}/returns"
    for body, status, field in [
        ({"kind": "capital", "count": 2, "happened_on": "2021-04-01"}, 422, "amount"),
        ({"kind": "capital", "amount": 5, "count": 2, "happened_on": "2021-04-01"}, 422, "count"),
        ({"kind": "talent", "happened_on": "2021-04-01"}, 422, "count"),
        ({"kind": "talent", "count": 1, "amount": 3, "happened_on": "2021-04-01"}, 422, "amount"),
        ({"kind": "talent", "count": 1, "happened_on": "2021-01-01"}, 422, "happened_on"),
    ]:
        refused = await intake.client.post(url, json=body, headers=h)
        assert refused.status_code == status and refused.json()["field"] == field, refused.text
    unknown = await intake.client.post(
        "/api/v1/cases/case-none/returns",
        json={"kind": "talent", "count": 1, "happened_on": "2021-04-01"},
        headers=h,
    )
    assert unknown.status_code == 404 and unknown.json()["field"] == "case_id"
    by_enterprise = await intake.client.post(
        url,
        json={"kind": "talent", "count": 1, "happened_on": "2021-04-01"},
        headers=intake.auth("enterprise", sub="Acme"),
    )
    assert by_enterprise.status_code == 403
    made = await intake.client.post(
        url, json={"kind": "capital", "amount": 10, "happened_on": "2021-04-01"}, headers=h
    )
    counted = await intake.client.patch(
        f"{LIST}/{made.json()['id']}", json={"count": 3, "reason": "x"}, headers=h
    )
    assert counted.status_code == 422 and counted.json()["field"] == "count"
    backwards = await intake.client.get(
        f"{LIST}/summary", params={"from": "2021-06-01", "to": "2021-05-01"}, headers=h
    )
    assert backwards.status_code == 422 and backwards.json()["field"] == "from"


async def test_the_public_wall_shows_each_cases_returns_and_the_district_sum_no_person(intake):
    h = intake.auth(OFFICER)
    case = await open_case(intake, "p-rw", "menu", enterprise="Acme")
    quiet = await open_case(intake, "p-rq", "menu", enterprise="Quiet")
    url = f"/api/v1/cases/{case['id']}/returns"
    for body in (
        {"kind": "talent", "count": 2, "description": "张三、李四", "happened_on": "2021-04-01"},
        {"kind": "capital", "amount": 300, "happened_on": "2021-04-02"},
    ):
        assert (await intake.client.post(url, json=body, headers=h)).status_code == 201
    wall = await intake.client.get("/public/wall")
    assert wall.status_code == 200 and "张三" not in wall.text
    rows = {r["case_id"]: r for r in wall.json()["transfer_progress"]}
    assert rows[case["id"]]["returns"]["talents"] == 2
    assert rows[case["id"]]["returns"]["capital"] == 300
    assert rows[quiet["id"]]["returns"] is None
    assert wall.json()["five_returns"]["capital"] == 300
