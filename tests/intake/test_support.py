"""Support policies (精细化保障) and their applications, through HTTP: the catalogue, an
enterprise filing and seeing only its own, decisions, corrections and voids, and the events
against the catalog; the ledger's header (investment, planned jobs, expected output)."""

from __future__ import annotations

from typing import Any

from enclave_shared.catalog.intake import (
    PolicyApplicationCorrected,
    PolicyApplicationDecided,
    PolicyApplicationFiled,
    PolicyApplicationVoided,
    SupportPolicyCorrected,
    SupportPolicyPublished,
    SupportPolicyVoided,
)

from tests.intake.helpers import OFFICER, emitted, open_case
from tests.support import RunningService, of_type

POLICIES = "/api/v1/support-policies"
APPS = "/api/v1/policy-applications"


async def _policy(svc: RunningService, **overrides: Any) -> dict[str, Any]:
    body = {
        "kind": "loan_interest",
        "title": "贷款贴息",
        "gives": "落地转化项目的贷款贴息",
        "max_amount": 100,
        "published_on": "2021-01-05",
        **overrides,
    }
    resp = await svc.client.post(POLICIES, json=body, headers=svc.auth(OFFICER))
    assert resp.status_code == 201, resp.text
    created: dict[str, Any] = resp.json()
    return created


async def _settled(svc: RunningService, project_id: str, enterprise: str) -> dict[str, Any]:
    case = await open_case(svc, project_id, "menu", enterprise=enterprise)
    signed = await svc.client.post(
        f"/api/v1/cases/{case['id']}/signing",
        json={"signed_on": "2021-04-01"},
        headers=svc.auth(OFFICER),
    )
    assert signed.status_code == 200, signed.text
    settled: dict[str, Any] = signed.json()
    return settled


async def test_the_catalogue_lists_filters_pages_corrects_and_voids(intake):
    h = intake.auth(OFFICER)
    loan = await _policy(intake)
    fund = await _policy(intake, kind="industry_fund", title="产业基金扶持", max_amount=None)
    await _policy(intake, kind="machinery", title="先进机械制造产业12条", published_on="2021-02-01")
    page = await intake.client.get(POLICIES, params={"limit": 2}, headers=h)
    assert page.headers["X-Total-Count"] == "3" and len(page.json()) == 2
    funds = await intake.client.get(POLICIES, params={"kind": "industry_fund"}, headers=h)
    assert [p["id"] for p in funds.json()] == [fund["id"]]
    fixed = await intake.client.patch(
        f"{POLICIES}/{loan['id']}", json={"gives": "贴息50%", "reason": "typo"}, headers=h
    )
    assert fixed.status_code == 200 and fixed.json()["gives"] == "贴息50%"
    gone = await intake.client.request(
        "DELETE", f"{POLICIES}/{fund['id']}", json={"reason": "duplicate"}, headers=h
    )
    assert gone.status_code == 200
    standing = await intake.client.get(POLICIES, headers=intake.auth("enterprise", sub="Acme"))
    assert fund["id"] not in {p["id"] for p in standing.json()}
    leader = await intake.client.get(
        POLICIES, params={"include_void": True}, headers=intake.auth("district_leader")
    )
    assert leader.headers["X-Total-Count"] == "3"
    bad = await intake.client.post(
        POLICIES,
        json={"kind": "lottery", "title": "x", "gives": "x", "published_on": "2021-01-01"},
        headers=h,
    )
    assert bad.status_code == 422 and "kind" in bad.text
    refused = await intake.client.post(
        POLICIES,
        json={"kind": "talent", "title": "x", "gives": "x", "published_on": "2021-01-01"},
        headers=intake.auth("enterprise", sub="Acme"),
    )
    assert refused.status_code == 403
    events = await emitted(intake, 5)
    assert len(of_type(events, SupportPolicyPublished)) == 3
    assert of_type(events, SupportPolicyCorrected)[0]["after"] == {"gives": "贴息50%"}
    assert of_type(events, SupportPolicyVoided)[0]["policy_id"] == fund["id"]


async def test_an_enterprise_files_and_sees_only_its_own_applications(intake):
    officer = intake.auth(OFFICER)
    acme, beta = intake.auth("enterprise", sub="Acme"), intake.auth("enterprise", sub="Beta")
    policy = await _policy(intake)
    own = await _settled(intake, "p-acme", "Acme")
    other = await _settled(intake, "p-beta", "Beta")
    body = {"policy_id": policy["id"], "amount_asked": 40, "filed_on": "2021-05-01"}
    mine = await intake.client.post(APPS, json={**body, "case_id": own["id"]}, headers=acme)
    assert mine.status_code == 201, mine.text
    assert mine.json()["enterprise"] == "Acme" and mine.json()["decision"] is None
    theirs = await intake.client.post(APPS, json={**body, "case_id": own["id"]}, headers=beta)
    assert theirs.status_code == 403 and theirs.json()["field"] == "case_id"
    beta_app = await intake.client.post(
        APPS, json={**body, "case_id": other["id"]}, headers=officer
    )
    assert beta_app.status_code == 201
    listed = await intake.client.get(APPS, headers=acme)
    assert [a["id"] for a in listed.json()] == [mine.json()["id"]]
    assert listed.headers["X-Total-Count"] == "1"
    assert (await intake.client.get(APPS, headers=officer)).headers["X-Total-Count"] == "2"
    peek = await intake.client.get(f"{APPS}/{beta_app.json()['id']}", headers=acme)
    assert peek.status_code == 403 and peek.json()["field"] == "application_id"
    by_case = await intake.client.get(APPS, params={"case_id": other["id"]}, headers=acme)
    assert by_case.status_code == 403
    self_grant = await intake.client.put(
        f"{APPS}/{mine.json()['id']}/decision",
        json={"decision": "granted", "amount_granted": 40, "decided_on": "2021-06-01"},
        headers=acme,
    )
    assert self_grant.status_code == 403


async def test_application_rules_decisions_corrections_and_events(intake):
    h = intake.auth(OFFICER)
    policy = await _policy(intake)
    case = await _settled(intake, "p-rules", "Acme")
    unsettled = await open_case(intake, "p-open", "menu", enterprise="Open")
    good = {"case_id": case["id"], "policy_id": policy["id"], "filed_on": "2021-05-01"}
    for body, status, field in [
        ({**good, "amount_asked": 150}, 422, "amount_asked"),
        ({**good, "amount_asked": 10, "filed_on": "2021-03-01"}, 422, "filed_on"),
        ({**good, "amount_asked": 10, "case_id": unsettled["id"]}, 422, "case_id"),
        ({**good, "amount_asked": 10, "policy_id": "pol-none"}, 422, "policy_id"),
        ({**good, "amount_asked": 10, "case_id": "case-none"}, 422, "case_id"),
    ]:
        refused = await intake.client.post(APPS, json=body, headers=h)
        assert refused.status_code == status and refused.json()["field"] == field, refused.text
    filed = await intake.client.post(APPS, json={**good, "amount_asked": 60}, headers=h)
    app_id = filed.json()["id"]
    decision = f"{APPS}/{app_id}/decision"
    for body, field in [
        ({"decision": "granted", "decided_on": "2021-06-01"}, "amount_granted"),
        (
            {"decision": "granted", "amount_granted": 70, "decided_on": "2021-06-01"},
            "amount_granted",
        ),
        (
            {"decision": "refused", "amount_granted": 5, "decided_on": "2021-06-01"},
            "amount_granted",
        ),
        ({"decision": "granted", "amount_granted": 50, "decided_on": "2021-04-20"}, "decided_on"),
    ]:
        refused = await intake.client.put(decision, json=body, headers=h)
        assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
    granted = await intake.client.put(
        decision,
        json={"decision": "granted", "amount_granted": 50, "decided_on": "2021-06-01"},
        headers=h,
    )
    assert granted.status_code == 200 and granted.json()["amount_granted"] == 50
    twice = await intake.client.put(
        decision, json={"decision": "refused", "decided_on": "2021-06-02"}, headers=h
    )
    assert twice.status_code == 409 and twice.json()["field"] == "decision"
    pending = await intake.client.get(APPS, params={"decision": "pending"}, headers=h)
    assert pending.json() == []
    over = await intake.client.patch(
        f"{APPS}/{app_id}", json={"amount_granted": 65, "reason": "x"}, headers=h
    )
    assert over.status_code == 422 and over.json()["field"] == "amount_granted"
    fixed = await intake.client.patch(
        f"{APPS}/{app_id}", json={"amount_granted": 45, "reason": "audit"}, headers=h
    )
    assert fixed.status_code == 200 and fixed.json()["amount_granted"] == 45
    void = await intake.client.delete(f"{APPS}/{app_id}", params={"reason": "duplicate"}, headers=h)
    assert void.status_code == 200
    assert (await intake.client.get(APPS, headers=h)).json() == []
    # 2 cases opened with their accounts, 1 settled, 1 policy, 4 of the application
    events = await emitted(intake, 10)
    assert of_type(events, PolicyApplicationFiled)[0]["amount_asked"] == 60
    assert of_type(events, PolicyApplicationDecided)[0]["decision"] == "granted"
    assert of_type(events, PolicyApplicationCorrected)[0]["after"] == {"amount_granted": 45}
    assert of_type(events, PolicyApplicationVoided)[0]["application_id"] == app_id


async def test_the_ledger_header_is_corrected_like_the_cases_other_fields(intake):
    h = intake.auth(OFFICER)
    case = await _settled(intake, "p-head", "Acme")
    assert case["investment"] is None
    url = f"/api/v1/cases/{case['id']}"
    fixed = await intake.client.patch(
        url,
        json={"investment": 5000, "planned_jobs": 120, "expected_output": 8000.5, "reason": "签约"},
        headers=h,
    )
    assert fixed.status_code == 200, fixed.text
    shown = (await intake.client.get(url, headers=h)).json()
    assert (shown["investment"], shown["planned_jobs"], shown["expected_output"]) == (
        5000,
        120,
        8000.5,
    )
    bad = await intake.client.patch(url, json={"planned_jobs": -1, "reason": "x"}, headers=h)
    assert bad.status_code == 422 and "planned_jobs" in bad.text
    cleared = await intake.client.patch(url, json={"investment": None, "reason": "x"}, headers=h)
    assert cleared.status_code == 200 and cleared.json()["investment"] is None
