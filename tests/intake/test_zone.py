"""R&D demands, the menu, the stats and the public wall."""

from __future__ import annotations

from datetime import date

from enclave_shared.catalog.intake import MenuItemPublished, RdDemandSubmitted

from tests.intake.helpers import OFFICER, case_of, emitted, matured, send
from tests.support import of_type


async def test_rd_demands_of_local_enterprises_are_emitted(intake):
    h = intake.auth(OFFICER)
    body = {
        "enterprise": "Guangfeng Valves",
        "industry_chain": "advanced_machinery",
        "title": "lighter valve castings",
        "submitted_on": "2021-02-01",
    }
    made = await intake.client.post("/api/v1/rd-demands", json=body, headers=h)
    assert made.status_code == 201, made.text
    own = intake.auth("enterprise", sub="acct-gv")
    mine = await intake.client.post(
        "/api/v1/rd-demands",
        headers=own,
        json={
            **body,
            "enterprise": "Guangfeng Valves No. 2",
            "title": "corrosion tests",
            "description": "salt spray",
        },
    )
    assert mine.status_code == 201 and mine.json()["enterprise_account"] == "acct-gv"
    listed = await intake.client.get("/api/v1/rd-demands", headers=h)
    assert listed.headers["X-Total-Count"] == "2"
    assert [
        d["title"] for d in (await intake.client.get("/api/v1/rd-demands", headers=own)).json()
    ] == ["corrosion tests"]
    assert (
        await intake.client.get(f"/api/v1/rd-demands/{made.json()['id']}", headers=own)
    ).status_code == 404
    assert (await intake.client.get(f"/api/v1/rd-demands/{made.json()['id']}", headers=h)).json()[
        "enterprise"
    ] == "Guangfeng Valves"
    bad = await intake.client.post(
        "/api/v1/rd-demands", headers=h, json={**body, "submitted_on": "yesterday"}
    )
    assert bad.status_code == 422 and "submitted_on" in bad.text
    missing = await intake.client.post(
        "/api/v1/rd-demands", headers=h, json={k: v for k, v in body.items() if k != "title"}
    )
    assert missing.status_code == 422 and "title" in missing.text
    assert (
        await intake.client.post("/api/v1/rd-demands", json=body, headers=intake.auth("assessor"))
    ).status_code == 403
    submitted = of_type(await emitted(intake, 2), RdDemandSubmitted)
    assert sorted(d["title"] for d in submitted) == ["corrosion tests", "lighter valve castings"]
    assert {d["demand_id"] for d in submitted} == {made.json()["id"], mine.json()["id"]}


async def test_an_enterprise_submits_no_demand_in_another_enterprises_name(intake):
    await send(intake, matured("p-1", "directed", enterprise="Acme"))
    await case_of(intake, "p-1")  # the case's account is the enterprise's name: Acme's
    body = {"industry_chain": "black_talc", "title": "finer powder", "submitted_on": "2021-02-01"}
    other = intake.auth("enterprise", sub="acct-other")
    for extra, field, why in (
        ({"enterprise": "Acme"}, "enterprise", "'Acme' belongs to another account"),
        (
            {"enterprise": "Other Co", "enterprise_account": "Acme"},
            "enterprise_account",
            "'Acme' is not this account",
        ),
    ):
        refused = await intake.client.post(
            "/api/v1/rd-demands", json={**body, **extra}, headers=other
        )
        assert refused.status_code == 403, refused.text
        assert refused.json()["field"] == field and why in refused.json()["detail"]
    mine = await intake.client.post(
        "/api/v1/rd-demands", json={**body, "enterprise": "Other Co"}, headers=other
    )
    assert mine.status_code == 201, mine.text
    renamed = await intake.client.post(
        "/api/v1/rd-demands", json={**body, "enterprise": "Third Co"}, headers=other
    )
    assert renamed.status_code == 403 and "it submits as 'Other Co'" in renamed.json()["detail"]
    acme = intake.auth("enterprise", sub="Acme")
    own = await intake.client.post(
        "/api/v1/rd-demands", json={**body, "enterprise": "Acme"}, headers=acme
    )
    assert own.status_code == 201 and own.json()["enterprise_account"] == "Acme"
    listed = await intake.client.get("/api/v1/rd-demands", headers=other)
    assert [d["enterprise"] for d in listed.json()] == ["Other Co"]
    case = await case_of(intake, "p-1")
    for url in (f"/api/v1/cases/{case['id']}", f"/api/v1/cases/{case['id']}/ledger"):
        assert (await intake.client.get(url, headers=other)).status_code == 404, url
        assert (await intake.client.get(url, headers=acme)).status_code == 200, url
    progress = await intake.client.post(
        f"/api/v1/cases/{case['id']}/progress",
        json={"happened_on": "2021-06-01", "text": "not mine"},
        headers=other,
    )
    assert progress.status_code == 404
    assert (await intake.client.get("/api/v1/cases", headers=other)).json() == []


async def test_the_menu_is_published_for_the_enclave(intake):
    h = intake.auth(OFFICER)
    body = {
        "title": "black talc powder grading",
        "industry_chain": "black_talc",
        "layout_category": "new_materials",
        "published_on": "2021-01-15",
    }
    made = await intake.client.post("/api/v1/menu-items", json=body, headers=h)
    assert made.status_code == 201, made.text
    bad = await intake.client.post(
        "/api/v1/menu-items", headers=h, json={**body, "layout_category": "heavy_industry"}
    )
    assert bad.status_code == 422 and "layout_category" in bad.text
    operator = intake.auth("enclave_operator")
    assert (
        await intake.client.post("/api/v1/menu-items", json=body, headers=operator)
    ).status_code == 403
    menu = await intake.client.get("/api/v1/menu-items", headers=operator)
    assert [m["id"] for m in menu.json()] == [made.json()["id"]]
    one = await intake.client.get(f"/api/v1/menu-items/{made.json()['id']}", headers=operator)
    assert one.json()["layout_category"] == "new_materials"
    assert (await intake.client.get("/api/v1/menu-items/none", headers=operator)).status_code == 404
    [published] = of_type(await emitted(intake, 1), MenuItemPublished)
    assert published == {
        "menu_item_id": made.json()["id"],
        "title": body["title"],
        "industry_chain": "black_talc",
        "layout_category": "new_materials",
        "description": "",
        "published_on": "2021-01-15",
    }


async def _settle(
    svc,
    case_id: str,
    signed: str,
    built: str | None,
    produced: str | None = None,
) -> None:
    h = svc.auth(OFFICER)
    base = f"/api/v1/cases/{case_id}"
    assert (
        await svc.client.post(f"{base}/signing", json={"signed_on": signed}, headers=h)
    ).status_code == 200
    if built:
        assert (
            await svc.client.post(f"{base}/construction", json={"started_on": built}, headers=h)
        ).status_code == 200
    if produced:
        assert (
            await svc.client.post(f"{base}/production", json={"started_on": produced}, headers=h)
        ).status_code == 200


async def test_stats_by_business_date_beside_the_baseline(start_intake):
    async with start_intake(baseline_days_to_construction=45) as svc:
        settled = [
            ("s1", "menu", 10),
            ("s2", "directed", 20),
            ("s3", "delivery", 25),
            ("s4", "menu", 30),
            ("s5", "directed", 35),
            ("s6", "menu", 15),
        ]
        await send(
            svc,
            *[
                matured(pid, path, enterprise=f"E{pid}", on=date(2021, 3, 1))
                for pid, path, _ in settled
            ],
            *[
                matured(f"o{i}", "order", enterprise=f"Local {i}", on=date(2021, 3, 1))
                for i in range(3)
            ],
            matured("late", "menu", on=date(2022, 1, 5)),
        )
        await case_of(svc, "late")
        cases = {pid: (await case_of(svc, pid))["id"] for pid, _, _ in settled}
        for pid, _, days in settled:
            built = date.fromordinal(date(2021, 4, 1).toordinal() + days).isoformat()
            await _settle(
                svc, cases[pid], "2021-04-01", built, "2021-08-01" if pid in ("s1", "s2") else None
            )
        for i in range(3):
            await _settle(svc, (await case_of(svc, f"o{i}"))["id"], "2021-05-01", None)
        h = svc.auth(OFFICER)
        stats = await svc.client.get(
            "/api/v1/stats", params={"from": "2021-01-01", "to": "2021-12-31"}, headers=h
        )
        assert stats.status_code == 200, stats.text
        body = stats.json()
        assert body["from"] == "2021-01-01" and body["to"] == "2021-12-31"
        assert body["cases_opened"] == 9
        assert body["cases_by_color"] == {"red": 3, "yellow": 4, "blue": 2}
        assert body["settled"] == 6 and body["outcomes_transferred"] == 3
        assert body["avg_days_to_construction"] == 22.5
        assert body["baseline_days_to_construction"] == 45
        assert sorted(d["days_to_construction"] for d in body["days_to_construction"]) == [
            10,
            15,
            20,
            25,
            30,
            35,
        ]
        # colours as of an earlier date: before any production started
        spring = (
            await svc.client.get("/api/v1/stats", params={"to": "2021-04-30"}, headers=h)
        ).json()
        assert spring["cases_by_color"] == {"red": 5, "yellow": 4, "blue": 0}
        assert spring["avg_days_to_construction"] == 17.5  # 10, 15, 20, 25 built by then
        assert spring["outcomes_transferred"] == 0 and spring["settled"] == 6
        everything = (await svc.client.get("/api/v1/stats", headers=h)).json()
        assert everything["cases_opened"] == 10 and everything["from"] is None
        backwards = await svc.client.get(
            "/api/v1/stats", params={"from": "2021-05-01", "to": "2021-04-01"}, headers=h
        )
        assert backwards.status_code == 422 and backwards.json()["field"] == "from"
        bad = await svc.client.get("/api/v1/stats", params={"to": "2021-02-31"}, headers=h)
        assert bad.status_code == 422 and "to" in bad.text


async def test_public_wall_needs_no_login(intake):
    await send(
        intake,
        matured("w1", "menu", chain="black_talc", enterprise="Talc Co"),
        matured("w2", "order", chain="metal_new_materials", enterprise="Metal Co"),
        matured("w3", "delivery", chain="black_talc"),
    )
    w1 = await case_of(intake, "w1")
    await case_of(intake, "w2")
    await case_of(intake, "w3")
    await intake.client.put(
        f"/api/v1/cases/{w1['id']}/responsible",
        headers=intake.auth(OFFICER),
        json={"unit": "office", "person": "Secret Person"},
    )
    await _settle(intake, w1["id"], "2021-04-01", "2021-04-21")
    resp = await intake.client.get("/public/wall")
    assert resp.status_code == 200
    wall = resp.json()
    assert wall["entry_conditions"] and wall["entry_process"]
    assert wall["distribution"] == {
        "total": 3,
        "by_industry_chain": {"black_talc": 2, "metal_new_materials": 1},
        "by_path": {"order": 1, "menu": 1, "directed": 0, "delivery": 1},
        "by_color": {"red": 2, "yellow": 1, "blue": 0},
    }
    row = next(r for r in wall["transfer_progress"] if r["project_id"] == "w1")
    assert (row["color"], row["days_to_construction"], row["enterprise"]) == (
        "yellow",
        20,
        "Talc Co",
    )
    assert "Secret Person" not in resp.text


async def test_the_wall_texts_are_worded_by_zone_officers_in_versions(intake):
    wall = (await intake.client.get("/public/wall")).json()
    assert wall["entry_conditions"]["version"] == 0 and "三新两大" in "".join(
        wall["entry_conditions"]["items"]
    )
    assert wall["distribution"]["total"] == 0 and wall["transfer_progress"] == []
    h = intake.auth(OFFICER)
    url = "/api/v1/wall/texts/entry_conditions"
    for items in (["符合“三新两大”产业布局"], ["符合“三新两大”产业布局", "在广丰注册"]):
        saved = await intake.client.put(url, json={"items": items}, headers=h)
        assert saved.status_code == 200, saved.text
    wall = (await intake.client.get("/public/wall")).json()
    assert wall["entry_conditions"]["items"] == ["符合“三新两大”产业布局", "在广丰注册"]
    assert wall["entry_conditions"]["version"] == 2
    assert wall["entry_process"]["version"] == 0
    versions = await intake.client.get(f"{url}/versions", headers=h)
    assert [v["version"] for v in versions.json()] == [2, 1]
    assert versions.json()[1]["items"] == ["符合“三新两大”产业布局"]
    refused = await intake.client.put(
        url, json={"items": ["x"]}, headers=intake.auth("enterprise", sub="e")
    )
    assert refused.status_code == 403
    assert (await intake.client.put(url, json={"items": []}, headers=h)).status_code == 422
    stats = (await intake.client.get("/api/v1/stats", headers=intake.auth("admin"))).json()
    assert stats["baseline_days_to_construction"] == 60
    assert stats["avg_days_to_construction"] is None
