"""One enterprise, one ledger; who may see and do what."""

from __future__ import annotations

from services.intake.domain import Stage, StageTemplate
from tests.intake.helpers import OFFICER, case_of, matured, open_case, send


async def test_the_ledger_is_one_document_per_case(intake):
    case = await open_case(intake, "p-l", "delivery", enterprise="Lander")
    base, h = f"/api/v1/cases/{case['id']}", intake.auth(OFFICER)
    body = {"unit": "Intake base office", "person": "Wang Fang", "contact": "0793-1234567"}
    resp = await intake.client.put(f"{base}/responsible", json=body, headers=h)
    assert resp.status_code == 200 and resp.json()["responsible_person"] == "Wang Fang"
    for day, text in [("2021-03-20", "site visit"), ("2021-03-05", "first talk")]:
        added = await intake.client.post(
            f"{base}/progress",
            json={"happened_on": day, "text": text, "stage": "signing"},
            headers=h,
        )
        assert added.status_code == 201, added.text
    entry_id = added.json()["id"]
    one = await intake.client.get(f"{base}/progress/{entry_id}", headers=h)
    assert one.status_code == 200 and one.json()["text"] == "first talk"
    assert (await intake.client.get(f"{base}/progress/nope", headers=h)).status_code == 404
    await intake.client.post(f"{base}/signing", json={"signed_on": "2021-04-01"}, headers=h)
    ledger = (await intake.client.get(f"{base}/ledger", headers=h)).json()
    assert ledger["case"]["id"] == case["id"] and ledger["case"]["outcome"] == "one_stop_landing"
    assert ledger["responsible"] == {
        "unit": "Intake base office",
        "person": "Wang Fang",
        "contact": "0793-1234567",
    }
    assert [(s["stage"], s["status"], s["done_on"]) for s in ledger["stages"]] == [
        ("signing", "done", "2021-04-01"),
        ("construction", "current", None),
        ("production", "pending", None),
    ]
    assert any("one-stop" in r for r in ledger["stages"][0]["requirements"])
    assert [p["text"] for p in ledger["progress"]] == ["first talk", "site visit"]
    assert ledger["progress"][0]["recorded_by"] == "zone_officer"
    listed = await intake.client.get(f"{base}/progress", params={"limit": 1}, headers=h)
    assert listed.headers["X-Total-Count"] == "2" and len(listed.json()) == 1


async def test_stage_requirements_come_from_the_configured_template(start_intake):
    template = {"order": [StageTemplate(stage=Stage.SIGNING, requirements=["sign the transfer"])]}
    async with start_intake(ledger_templates=template) as svc:
        case = await open_case(svc, "p-t", "order", enterprise="Local")
        ledger = (
            await svc.client.get(f"/api/v1/cases/{case['id']}/ledger", headers=svc.auth(OFFICER))
        ).json()
        assert [(s["stage"], s["requirements"]) for s in ledger["stages"]] == [
            ("signing", ["sign the transfer"]),
            ("construction", []),
            ("production", []),
        ]


async def test_bad_ledger_input_names_the_field(intake):
    case = await open_case(intake, "p-lb", "menu")
    base, h = f"/api/v1/cases/{case['id']}", intake.auth(OFFICER)
    for url, body, field in [
        (f"{base}/responsible", {"unit": "", "person": "x"}, "unit"),
        (f"{base}/responsible", {"unit": "u"}, "person"),
        (f"{base}/progress", {"happened_on": "2021-02-30", "text": "x"}, "happened_on"),
        (f"{base}/progress", {"happened_on": "2021-02-03", "text": ""}, "text"),
        (f"{base}/progress", {"happened_on": "2021-02-03", "text": "x", "stage": "dig"}, "stage"),
        (f"{base}/account", {}, "enterprise_account"),
    ]:
        resp = await intake.client.request(
            "PUT" if "progress" not in url else "POST", url, json=body, headers=h
        )
        assert resp.status_code == 422, (url, body, resp.text)
        assert field in resp.text


async def test_no_token_is_401_and_wrong_roles_are_403(intake):
    case = await open_case(intake, "p-auth", "menu")
    base = f"/api/v1/cases/{case['id']}"
    assert (await intake.client.get("/api/v1/cases")).status_code == 401
    assert (
        await intake.client.get(base, headers={"Authorization": "Bearer junk"})
    ).status_code == 401
    assert (
        await intake.client.post(f"{base}/signing", json={"signed_on": "2021-05-01"})
    ).status_code == 401
    for role in ("hotline_agent", "assessor"):
        assert (
            await intake.client.get("/api/v1/cases", headers=intake.auth(role))
        ).status_code == 403
    # The enclave follows what became of the projects it sent: it reads cases, moves none.
    operator = intake.auth("enclave_operator")
    listed = await intake.client.get("/api/v1/cases", headers=operator)
    assert listed.status_code == 200 and [c["id"] for c in listed.json()] == [case["id"]]
    assert (await intake.client.get(base, headers=operator)).json()["color"] == "red"
    signing = await intake.client.post(
        f"{base}/signing", json={"signed_on": "2021-05-01"}, headers=operator
    )
    assert signing.status_code == 403
    assert (await intake.client.get(f"{base}/ledger", headers=operator)).status_code == 403
    enterprise = intake.auth("enterprise", sub="acct-1")
    for url, body in [
        (f"{base}/signing", {"signed_on": "2021-05-01"}),
        (f"{base}/construction", {"started_on": "2021-05-01"}),
        (f"{base}/production", {"started_on": "2021-05-01"}),
    ]:
        assert (await intake.client.post(url, json=body, headers=enterprise)).status_code == 403
    admin = await intake.client.get("/api/v1/cases", headers=intake.auth("admin"))
    assert admin.status_code == 200 and len(admin.json()) == 1
    stats = await intake.client.get("/api/v1/stats", headers=intake.auth("enterprise", sub="a"))
    assert stats.status_code == 403


async def test_enterprise_users_see_only_their_own_cases_and_ledgers(intake):
    await send(
        intake,
        matured("p-own", "directed", enterprise="Acme"),
        matured("p-other", "menu"),
        matured("p-named", "order", enterprise="Named Co"),
    )
    own, other = await case_of(intake, "p-own"), await case_of(intake, "p-other")
    named = await case_of(intake, "p-named")
    # by default the account is the enterprise's name from the matured event
    assert own["enterprise_account"] == "Acme" and other["enterprise_account"] is None
    h = intake.auth(OFFICER)
    given = await intake.client.put(
        f"/api/v1/cases/{other['id']}/account", json={"enterprise_account": "acct-7"}, headers=h
    )
    assert given.status_code == 200 and given.json()["enterprise_account"] == "acct-7"
    await intake.client.put(
        f"/api/v1/cases/{named['id']}/account", json={"enterprise_account": None}, headers=h
    )

    acct7 = intake.auth("enterprise", sub="acct-7")
    mine = await intake.client.get("/api/v1/cases", headers=acct7)
    assert [c["id"] for c in mine.json()] == [other["id"]]
    assert mine.headers["X-Total-Count"] == "1"
    assert (
        await intake.client.get(f"/api/v1/cases/{other['id']}/ledger", headers=acct7)
    ).status_code == 200
    added = await intake.client.post(
        f"/api/v1/cases/{other['id']}/progress",
        json={"happened_on": "2021-06-01", "text": "equipment ordered"},
        headers=acct7,
    )
    assert added.status_code == 201 and added.json()["recorded_by"] == "enterprise:acct-7"
    for url in (
        f"/api/v1/cases/{own['id']}",
        f"/api/v1/cases/{own['id']}/ledger",
        f"/api/v1/cases/{own['id']}/progress",
        f"/api/v1/cases/{named['id']}",
    ):
        assert (await intake.client.get(url, headers=acct7)).status_code == 404, url
    assert (
        await intake.client.get("/api/v1/cases", params={"project_id": "p-own"}, headers=acct7)
    ).json() == []
    acme = intake.auth("enterprise", sub="Acme")
    assert [
        c["project_id"] for c in (await intake.client.get("/api/v1/cases", headers=acme)).json()
    ] == ["p-own"]
    nobody = intake.auth("enterprise")  # an enterprise token without a subject sees nothing
    assert (await intake.client.get("/api/v1/cases", headers=nobody)).json() == []
