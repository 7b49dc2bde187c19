"""The closed loop through the API (受理 → 派单 → 签收 → 办理 → 回访): intake of a call with the
caller masked, the departments directory, signing, returning, extensions, revisits and the
figures, every move refused in the wrong state, every event read back from the broker."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.hotline.support import agent, enterprise, hotline, hotline_events, open_ticket

CALL = {
    "category": "tax",
    "description": "invoice quota too low",
    "request_type": "complaint",
    "channel": "walk_in",
    "caller_name": "王小明",
    "callback_number": "13812341234",
    "case_id": "C1",
}


async def post(svc, tid: str, move: str, body=None, headers=None):
    return await svc.client.post(
        f"/api/v1/tickets/{tid}/{move}", json=body, headers=headers or agent(svc)
    )


async def test_intake_masks_the_caller_but_for_the_agent_on_the_ticket(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        ticket = await open_ticket(svc, agent(svc), **CALL)
        tid = ticket["id"]
        assert ticket["request_type"] == "complaint" and ticket["channel"] == "walk_in"
        assert ticket["callback_number"] == "13812341234" and ticket["caller_name"] == "王小明"
        one = (await svc.client.get(f"/api/v1/tickets/{tid}", headers=agent(svc))).json()
        assert one["callback_number"] == "13812341234"
        listed = (await svc.client.get("/api/v1/tickets", headers=agent(svc))).json()
        assert listed[0]["callback_number"] == "138****1234"  # lists mask, the agent's too
        assert listed[0]["caller_name"] == "王**"
        for role in ("zone_officer", "district_leader", "admin"):
            seen = await svc.client.get(f"/api/v1/tickets/{tid}", headers=svc.auth(role, sub="x"))
            assert seen.status_code == 200, (role, seen.text)
            assert seen.json()["callback_number"] == "138****1234", role
        web = await open_ticket(
            svc, enterprise(svc), category="tax", description="x", callback_number="0793-8221234"
        )
        own = await svc.client.get(f"/api/v1/tickets/{web['id']}", headers=enterprise(svc))
        assert own.json()["callback_number"] == "079*****1234"
        assert web["request_type"] == "consult"  # the default
        bad = await svc.client.post(
            "/api/v1/tickets",
            headers=agent(svc),
            json={**CALL, "request_type": "gossip"},
        )
        assert bad.status_code == 422
        bad = await svc.client.post(
            "/api/v1/tickets", headers=agent(svc), json={**CALL, "callback_number": "call me"}
        )
        assert bad.status_code == 422
        # two tickets, two keys: their events may come from two partitions in either order
        events = await hotline_events(svc, 2)
        [opened] = [e for e in events if e["data"]["ticket_id"] == tid]
        assert opened["data"]["request_type"] == "complaint"
        assert "1234" not in str(opened["data"]) and "王" not in str(opened["data"])


async def test_the_departments_directory(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        body = {
            "code": "tax-gf",
            "name": "广丰区税务局",
            "contact": "0793-1",
            "categories": ["tax"],
        }
        r = await svc.client.post("/api/v1/departments", json=body, headers=agent(svc))
        assert r.status_code == 201, r.text
        again = await svc.client.post("/api/v1/departments", json=body, headers=agent(svc))
        assert again.status_code == 409 and again.json()["field"] == "code"
        same_name = await svc.client.post(
            "/api/v1/departments", json={**body, "code": "tax-2"}, headers=agent(svc)
        )
        assert same_name.status_code == 409 and same_name.json()["field"] == "name"
        unknown = await svc.client.post(
            "/api/v1/departments",
            json={**body, "code": "x", "name": "x", "categories": ["astrology"]},
            headers=agent(svc),
        )
        assert unknown.status_code == 422 and unknown.json()["field"] == "categories"
        await svc.client.post(
            "/api/v1/departments",
            json={"code": "land", "name": "自然资源局", "categories": ["land"]},
            headers=agent(svc),
        )
        r = await svc.client.get(
            "/api/v1/departments", params={"category": "tax"}, headers=agent(svc)
        )
        assert [d["code"] for d in r.json()] == ["tax-gf"] and r.headers["X-Total-Count"] == "1"
        denied = await svc.client.post("/api/v1/departments", json=body, headers=enterprise(svc))
        assert denied.status_code == 403

        tid = (await open_ticket(svc, agent(svc)))["id"]
        routed = await post(svc, tid, "routing", {"department": "tax-gf"})
        assert routed.json()["department"] == "广丰区税务局"
        assert routed.json()["department_code"] == "tax-gf"
        r = await svc.client.put(
            "/api/v1/departments/tax-gf",
            json={"name": "广丰区税务局", "categories": ["tax"], "active": False},
            headers=agent(svc),
        )
        assert r.status_code == 200 and r.json()["active"] is False
        other = (await open_ticket(svc, agent(svc)))["id"]
        refused = await post(svc, other, "routing", {"department": "tax-gf"})
        assert refused.status_code == 422 and refused.json()["field"] == "department"
        missing = await svc.client.get("/api/v1/departments/nope", headers=agent(svc))
        assert missing.status_code == 404


async def test_sign_return_extension_and_the_revisit_loop(make_settings):
    # Opened 09:00 on Monday 11 October 2021 in Shangrao (01:00 UTC); tax: sign within 7
    # working hours, resolve within 5 working days (due 18 Oct 17:30 = 09:30 UTC)
    async with hotline(make_settings) as (svc, _settings, clock):
        clock.now = datetime(2021, 10, 11, 1, 0, tzinfo=UTC)
        tid = (await open_ticket(svc, agent(svc), **CALL))["id"]
        routed = (await post(svc, tid, "routing", {"department": "land bureau"})).json()
        assert routed["sign_due_at"] == "2021-10-12T01:00:00Z"  # 6.5 h Monday, 0.5 h Tuesday
        assert routed["running_clock"] == "sign" and routed["working_hours_left"] == 7.0
        assert set(routed["moves"]) == {"route", "sign", "return", "resolve", "reject"}
        back = await post(svc, tid, "return", {"reason": "not our function (非本单位职能)"})
        assert back.status_code == 200 and back.json()["status"] == "accepted"
        assert back.json()["sign_due_at"] is None
        await post(svc, tid, "routing", {"department": "tax bureau"})
        clock.now = datetime(2021, 10, 11, 2, 0, tzinfo=UTC)
        signed = (await post(svc, tid, "signing")).json()
        assert signed["status"] == "signed" and signed["signed_in_time"] is True
        assert signed["running_clock"] == "resolve"
        assert signed["resolve_due_at"] == "2021-10-18T09:30:00Z"
        assert "request_extension" in signed["moves"] and "decide_extension" not in signed["moves"]

        asked = await post(svc, tid, "extension-requests", {"reason": "site survey", "days": 3})
        assert asked.status_code == 200, asked.text
        assert asked.json()["moves"][-1] == "decide_extension"
        twice = await post(svc, tid, "extension-requests", {"reason": "more", "days": 1})
        assert twice.status_code == 409
        both = await post(svc, tid, "extension-requests", {"reason": "x", "days": 1, "hours": 2})
        assert both.status_code == 422
        approved = (await post(svc, tid, "extension-decision", {"approve": True})).json()
        assert approved["resolve_due_at"] == "2021-10-21T09:30:00Z"  # 3 more working days
        [extension] = approved["extensions"]
        assert extension["status"] == "approved"
        assert extension["due_before"] == "2021-10-18T09:30:00Z"
        assert extension["due_after"] == "2021-10-21T09:30:00Z"
        await post(svc, tid, "extension-requests", {"reason": "again", "hours": 4})
        refused = (
            await post(svc, tid, "extension-decision", {"approve": False, "note": "no"})
        ).json()
        assert refused["resolve_due_at"] == "2021-10-21T09:30:00Z"
        assert [e["status"] for e in refused["extensions"]] == ["approved", "refused"]
        none = await post(svc, tid, "extension-decision", {"approve": True})
        assert none.status_code == 409 and "no extension request pending" in none.json()["detail"]

        clock.now = datetime(2021, 10, 12, 2, 0, tzinfo=UTC)
        resolved = (await post(svc, tid, "resolution", {"summary": "quota raised"})).json()
        assert resolved["within_sla"] is True and resolved["moves"] == ["revisit", "close"]
        reopened = await post(svc, tid, "revisits", {"result": "dissatisfied", "note": "too small"})
        assert reopened.status_code == 200, reopened.text
        body = reopened.json()
        assert body["status"] == "signed" and body["department"] == "tax bureau"
        assert body["reopen_count"] == 1 and body["running_clock"] == "resolve"
        clock.now = datetime(2021, 10, 13, 2, 0, tzinfo=UTC)
        await post(svc, tid, "resolution", {"summary": "quota raised again"})
        closed = (await post(svc, tid, "revisits", {"result": "satisfied"})).json()
        assert closed["status"] == "closed" and closed["satisfaction"] == "satisfied"
        assert closed["moves"] == [] and closed["running_clock"] is None
        assert [(r["round"], r["result"]) for r in closed["revisits"]] == [
            (0, "dissatisfied"),
            (1, "satisfied"),
        ]
        after = await post(svc, tid, "revisits", {"result": "satisfied"})
        assert after.status_code == 409 and "is closed" in after.json()["detail"]

        kinds = [
            "opened", "routed", "returned", "routed", "signed", "extension_requested",
            "extension_decided", "extension_requested", "extension_decided", "resolved",
            "revisited", "resolved", "revisited", "closed",
        ]  # fmt: skip
        events = await hotline_events(svc, len(kinds))
        assert [e["type"].split(".")[2] for e in events] == kinds
        revisited = [e["data"] for e in events if e["type"].endswith("revisited.v1")]
        assert [(r["result"], r["reopened"], r["closed"]) for r in revisited] == [
            ("dissatisfied", True, False),
            ("satisfied", False, True),
        ]
        assert revisited[1]["revisited_on"] == "2021-10-13" and revisited[1]["case_id"] == "C1"


async def test_figures_over_http(make_settings):
    async with hotline(make_settings) as (svc, _settings, clock):
        clock.now = datetime(2021, 10, 11, 1, 0, tzinfo=UTC)
        tid = (await open_ticket(svc, agent(svc)))["id"]
        await post(svc, tid, "routing", {"department": "tax bureau"})
        await post(svc, tid, "resolution", {"summary": "done"})
        await post(svc, tid, "revisits", {"result": "basically_satisfied"})
        r = await svc.client.get(
            "/api/v1/figures", params={"from": "2021-10-01", "to": "2021-10-31"}, headers=agent(svc)
        )
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["overall"]["satisfaction_rate"] == 1.0
        assert report["overall"]["median_working_hours_to_resolve"] == 0.0
        [dept] = report["departments"]
        assert dept["department"] == "tax bureau" and dept["rank"] == 1
        empty = await svc.client.get(
            "/api/v1/figures", params={"from": "2022-01-01"}, headers=agent(svc)
        )
        assert empty.json()["overall"]["tickets"] == 0
        assert empty.json()["overall"]["resolve_rate"] is None
        backwards = await svc.client.get(
            "/api/v1/figures", params={"from": "2022-01-01", "to": "2021-01-01"}, headers=agent(svc)
        )
        assert backwards.status_code == 422 and backwards.json()["field"] == "from"
        leader = await svc.client.get("/api/v1/figures", headers=svc.auth("district_leader"))
        assert leader.status_code == 200
        denied = await svc.client.get("/api/v1/figures", headers=enterprise(svc))
        assert denied.status_code == 403
