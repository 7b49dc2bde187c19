"""The ticket API: the main-flow contract, the lifecycle and its 409s, bad input, auth."""

from __future__ import annotations

from tests.hotline.support import agent, enterprise, hotline, hotline_events, open_ticket, owned_by


async def test_contract_flow_create_route_resolve_emits_events(make_settings):
    async with hotline(make_settings) as (svc, _settings, clock):
        await owned_by(svc, "ent-1", "C1")  # intake gave ent-1 its case
        created = await svc.client.post(
            "/api/v1/tickets",
            headers=enterprise(svc),
            json={"category": "permits", "description": "fire permit stuck", "case_id": "C1"},
        )
        assert created.status_code == 201, created.text
        ticket = created.json()
        assert ticket["status"] == "opened" and ticket["id"]
        assert ticket["channel"] == "web" and ticket["enterprise_id"] == "ent-1"
        tid = ticket["id"]

        clock.advance(hours=1)
        routed = await svc.client.post(
            f"/api/v1/tickets/{tid}/routing",
            headers=agent(svc),
            json={"department": "District permits office"},
        )
        assert routed.status_code == 200, routed.text
        body = routed.json()
        assert body["status"] == "routed" and body["department"] == "District permits office"
        # routing an opened ticket accepts it first: both moves are on record
        assert [m["action"] for m in body["history"]] == ["open", "accept", "route"]
        assert body["history"][1]["actor"] == "agent-li"
        assert body["history"][1]["actor_role"] == "hotline_agent"

        clock.advance(hours=2)
        resolved = await svc.client.post(
            f"/api/v1/tickets/{tid}/resolution",
            headers=agent(svc),
            json={"summary": "permit issued"},
        )
        assert resolved.status_code == 200, resolved.text
        assert resolved.json()["status"] == "resolved"
        assert resolved.json()["within_sla"] is True

        listed = await svc.client.get(
            "/api/v1/tickets", params={"case_id": "C1"}, headers=agent(svc)
        )
        assert listed.status_code == 200
        assert [t["id"] for t in listed.json()] == [tid]

        events = await hotline_events(svc, 4)
        assert [e["type"] for e in events] == [
            "enclave.ticket.opened.v1",
            "enclave.ticket.routed.v1",
            "enclave.ticket.signed.v1",  # resolving a routed ticket signs for it first
            "enclave.ticket.resolved.v1",
        ]
        opened, routed_e, _, resolved_e = (e["data"] for e in events)
        assert opened == {
            **opened,
            "ticket_id": tid,
            "channel": "web",
            "category": "permits",
            "case_id": "C1",
            "kind": "request",
        }
        assert routed_e["department"] == "District permits office"
        assert resolved_e["within_sla"] is True and resolved_e["category"] == "permits"
        assert resolved_e["resolved_on"] == "2026-03-02"


async def test_full_lifecycle_with_reroute_close_and_history(make_settings):
    async with hotline(make_settings) as (svc, _settings, clock):
        tid = (await open_ticket(svc, agent(svc), channel="phone"))["id"]
        url = f"/api/v1/tickets/{tid}"
        assert (await svc.client.post(f"{url}/acceptance", headers=agent(svc))).status_code == 200
        clock.advance(minutes=5)
        for dept in ("tax bureau", "tax bureau, Guangfeng branch"):
            r = await svc.client.post(
                f"{url}/routing", json={"department": dept}, headers=agent(svc)
            )
            assert r.status_code == 200, r.text
        r = await svc.client.post(
            f"{url}/resolution", json={"summary": "quota raised"}, headers=agent(svc)
        )
        assert r.status_code == 200
        unexplained = await svc.client.post(f"{url}/closure", headers=agent(svc))
        assert unexplained.status_code == 422 and unexplained.json()["field"] == "comment"
        r = await svc.client.post(
            f"{url}/closure", json={"comment": "caller moved away"}, headers=agent(svc)
        )
        assert r.status_code == 200 and r.json()["status"] == "closed"
        assert r.json()["close_reason"] == "caller moved away"
        history = r.json()["history"]
        assert [(m["action"], m["from_status"], m["to_status"]) for m in history] == [
            ("open", None, "opened"),
            ("accept", "opened", "accepted"),
            ("route", "accepted", "routed"),
            ("route", "routed", "routed"),
            ("sign", "routed", "signed"),
            ("resolve", "signed", "resolved"),
            ("close", "resolved", "closed"),
        ]
        assert history[3]["detail"] == "from tax bureau to tax bureau, Guangfeng branch"
        assert all(m["at"] for m in history)
        assert r.json()["channel"] == "phone"


EXTRA = {"reason": "site visit", "days": 2}
ILLEGAL_MOVES = [
    ([], "resolution", {"summary": "x"}, "opened"),
    ([], "closure", None, "opened"),
    ([], "signing", None, "opened"),
    ([], "revisits", {"result": "satisfied"}, "opened"),
    (["acceptance"], "acceptance", None, "accepted"),
    (["acceptance"], "resolution", {"summary": "x"}, "accepted"),
    (["acceptance"], "return", {"reason": "x"}, "accepted"),
    (["routing"], "extension-requests", EXTRA, "routed"),
    (["routing"], "revisits", {"result": "dissatisfied"}, "routed"),
    (["routing", "signing"], "signing", None, "signed"),
    (["routing", "signing"], "return", {"reason": "x"}, "signed"),
    (["routing", "signing"], "rejection", {"reason": "x"}, "signed"),
    (["routing", "signing"], "revisits", {"result": "satisfied"}, "signed"),
    (["rejection"], "routing", {"department": "d"}, "rejected"),
    (["rejection"], "acceptance", None, "rejected"),
    (["routing", "resolution"], "routing", {"department": "d"}, "resolved"),
    (["routing", "resolution"], "rejection", {"reason": "x"}, "resolved"),
    (["routing", "resolution"], "extension-requests", EXTRA, "resolved"),
    (["routing", "resolution"], "extension-decision", {"approve": True}, "resolved"),
    (["routing", "resolution", "closure"], "closure", None, "closed"),
    (["routing", "resolution", "closure"], "revisits", {"result": "satisfied"}, "closed"),
]


async def test_moves_the_lifecycle_does_not_allow_are_409_naming_the_status(make_settings):
    bodies = {
        "routing": {"department": "d"},
        "resolution": {"summary": "s"},
        "rejection": {"reason": "not a government service"},
        "closure": {"comment": "the caller withdrew"},
    }
    async with hotline(make_settings) as (svc, _settings, _clock):
        for setup, move, body, status in ILLEGAL_MOVES:
            tid = (await open_ticket(svc, agent(svc)))["id"]
            for step in setup:
                r = await svc.client.post(
                    f"/api/v1/tickets/{tid}/{step}", json=bodies.get(step), headers=agent(svc)
                )
                assert r.status_code == 200, r.text
            before = (await svc.client.get(f"/api/v1/tickets/{tid}", headers=agent(svc))).json()
            r = await svc.client.post(
                f"/api/v1/tickets/{tid}/{move}", json=body, headers=agent(svc)
            )
            assert r.status_code == 409, (move, r.text)
            assert f"is {status}" in r.json()["detail"] and r.json()["field"] == "status"
            after = (await svc.client.get(f"/api/v1/tickets/{tid}", headers=agent(svc))).json()
            assert after == before  # nothing half-written
        # refused moves emit nothing: one TicketResolved per real resolution
        events = await hotline_events(svc, 200, timeout=3)
        resolved = [e for e in events if e["type"] == "enclave.ticket.resolved.v1"]
        assert len(resolved) == 6
        assert not [e for e in events if "revisited" in e["type"] or "extension" in e["type"]]


async def test_rejection_keeps_the_reason(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        tid = (await open_ticket(svc, enterprise(svc)))["id"]
        r = await svc.client.post(
            f"/api/v1/tickets/{tid}/rejection",
            headers=agent(svc),
            json={"reason": "a commercial dispute, not a service matter"},
        )
        assert r.status_code == 200
        assert r.json()["status"] == "rejected"
        assert r.json()["rejection_reason"] == "a commercial dispute, not a service matter"
        assert r.json()["history"][-1]["detail"] == "a commercial dispute, not a service matter"


async def test_notes_are_for_supervisors_and_hidden_from_enterprises(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        tid = (await open_ticket(svc, enterprise(svc)))["id"]
        r = await svc.client.post(
            f"/api/v1/tickets/{tid}/notes",
            headers=svc.auth("admin"),
            json={"text": "called the tax bureau director"},
        )
        assert r.status_code == 201, r.text
        assert [n["text"] for n in r.json()["notes"]] == ["called the tax bureau director"]
        assert r.json()["status"] == "opened"  # a note moves nothing
        denied = await svc.client.post(
            f"/api/v1/tickets/{tid}/notes", headers=enterprise(svc), json={"text": "hello"}
        )
        assert denied.status_code == 403
        own = await svc.client.get(f"/api/v1/tickets/{tid}", headers=enterprise(svc))
        assert own.status_code == 200 and own.json()["notes"] == []


async def test_pagination_and_filters(make_settings):
    async with hotline(make_settings) as (svc, _settings, clock):
        ids = []
        for i in range(5):
            clock.advance(minutes=1)
            ids.append(
                (
                    await open_ticket(
                        svc, agent(svc), category="land" if i % 2 else "tax", case_id=f"C{i % 2}"
                    )
                )["id"]
            )
        r = await svc.client.get(
            "/api/v1/tickets", params={"limit": 2, "offset": 1}, headers=agent(svc)
        )
        assert r.status_code == 200
        assert [t["id"] for t in r.json()] == ids[1:3]
        assert r.headers["X-Total-Count"] == "5"
        r = await svc.client.get("/api/v1/tickets", params={"category": "land"}, headers=agent(svc))
        assert [t["id"] for t in r.json()] == [ids[1], ids[3]]
        r = await svc.client.get(
            "/api/v1/tickets", params={"case_id": "C0", "status": "opened"}, headers=agent(svc)
        )
        assert [t["id"] for t in r.json()] == [ids[0], ids[2], ids[4]]
        r = await svc.client.get("/api/v1/tickets", params={"status": "routed"}, headers=agent(svc))
        assert r.json() == [] and r.headers["X-Total-Count"] == "0"


BAD_INPUT = [
    ("/api/v1/tickets", {"category": "astrology", "description": "x"}, "category"),
    ("/api/v1/tickets", {"category": "tax"}, "description"),
    ("/api/v1/tickets", {"category": "tax", "description": "   "}, "description"),
    ("/api/v1/tickets", {"description": "x"}, "category"),
    ("/api/v1/tickets", {"category": "tax", "description": "x", "channel": "event"}, "channel"),
    ("/api/v1/tickets", {"category": "tax", "description": "x", "channel": "fax"}, "channel"),
    ("/api/v1/tickets", {"category": 7, "description": "x"}, "category"),
    ("/api/v1/tickets", {"category": "tax", "description": "x" * 4001}, "description"),
    ("/api/v1/tickets", {"category": "tax", "description": "x", "case_id": ""}, "case_id"),
    ("/api/v1/tickets", [1, 2], "body"),
    ("{ticket}/routing", {}, "department"),
    ("{ticket}/routing", {"department": ""}, "department"),
    ("{ticket}/resolution", {"summary": None}, "summary"),
    ("{ticket}/rejection", {}, "reason"),
    ("{ticket}/notes", {"text": ""}, "text"),
]


async def test_bad_input_is_4xx_naming_the_field(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        tid = (await open_ticket(svc, agent(svc)))["id"]
        for path, body, field in BAD_INPUT:
            r = await svc.client.post(
                path.format(ticket=f"/api/v1/tickets/{tid}"), json=body, headers=agent(svc)
            )
            assert 400 <= r.status_code < 500, (path, body, r.text)
            assert field in r.text, (path, body, r.text)
        listed = await svc.client.get("/api/v1/tickets", headers=agent(svc))
        assert listed.headers["X-Total-Count"] == "1"
        ticket = (await svc.client.get(f"/api/v1/tickets/{tid}", headers=agent(svc))).json()
        assert ticket["status"] == "opened" and len(ticket["history"]) == 1


async def test_bad_queries_and_unknown_ids(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        for params, field in (
            ({"limit": 0}, "limit"),
            ({"offset": -1}, "offset"),
            ({"status": "lost"}, "status"),
            ({"kind": "x"}, "kind"),
        ):
            r = await svc.client.get("/api/v1/tickets", params=params, headers=agent(svc))
            assert r.status_code == 422 and field in r.text
        r = await svc.client.get("/api/v1/tickets/nope", headers=agent(svc))
        assert r.status_code == 404 and r.json()["field"] == "id"
        r = await svc.client.post(
            "/api/v1/tickets/nope/routing", headers=agent(svc), json={"department": "d"}
        )
        assert r.status_code == 404
        r = await svc.client.post(
            "/api/v1/tickets",
            headers=agent(svc),
            content=b"{not json",
        )
        assert r.status_code == 422


async def test_auth_401_and_403(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        tid = (await open_ticket(svc, enterprise(svc)))["id"]
        body = {"category": "tax", "description": "x"}
        assert (await svc.client.post("/api/v1/tickets", json=body)).status_code == 401
        assert (await svc.client.get("/api/v1/tickets")).status_code == 401
        bad = {"Authorization": "Bearer not-a-token"}
        assert (await svc.client.get("/api/v1/tickets", headers=bad)).status_code == 401
        for role in ("zone_officer", "assessor", "enclave_operator"):
            r = await svc.client.post("/api/v1/tickets", json=body, headers=svc.auth(role, "x"))
            assert r.status_code == 403, role
        for role in ("assessor", "enclave_operator"):
            r = await svc.client.get("/api/v1/tickets", headers=svc.auth(role, "x"))
            assert r.status_code == 403, role
        # zone officers read the tickets about cases (a case's ledger shows them), not others
        r = await svc.client.get("/api/v1/tickets", headers=svc.auth("zone_officer", "x"))
        assert r.status_code == 200 and r.json() == []
        for move, payload in (
            ("acceptance", None),
            ("routing", {"department": "d"}),
            ("resolution", {"summary": "s"}),
            ("rejection", {"reason": "r"}),
        ):
            r = await svc.client.post(
                f"/api/v1/tickets/{tid}/{move}", json=payload, headers=enterprise(svc)
            )
            assert r.status_code == 403, move
        r = await svc.client.get("/api/v1/tickets/stats", headers=enterprise(svc))
        assert r.status_code == 403
        r = await svc.client.post("/api/v1/supervision/sweep", headers=agent(svc))
        assert r.status_code == 403
        # an enterprise token without a sub cannot own a ticket
        r = await svc.client.post("/api/v1/tickets", json=body, headers=svc.auth("enterprise"))
        assert r.status_code == 422 and r.json()["field"] == "sub"
        r = await svc.client.post("/api/v1/tickets", json=body, headers=agent(svc, "a" * 201))
        assert r.status_code == 422 and r.json()["field"] == "sub"


async def test_categories_list_the_configured_slas(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        r = await svc.client.get("/api/v1/categories")
        assert r.status_code == 200
        codes = [c["code"] for c in r.json()]
        assert codes == [
            "registration",
            "permits",
            "tax",
            "utilities",
            "land",
            "talent_policy",
            "finance_subsidies",
            "other",
        ]
        utilities = next(c for c in r.json() if c["code"] == "utilities")
        assert utilities["accept"] == {"hours": 2.0, "days": None}
        assert utilities["sign"]["hours"] == 4 and utilities["resolve"]["days"] == 2


async def test_dates_at_the_ends_of_the_calendar_are_4xx_not_500(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        tid = (await open_ticket(svc, agent(svc)))["id"]
        year_one = "0001-01-01T00:00:00+05:00"  # before UTC's first instant
        r = await svc.client.post(
            "/api/v1/tickets",
            headers=agent(svc),
            json={"category": "tax", "description": "x", "opened_at": year_one},
        )
        assert r.status_code == 422 and r.json()["field"] == "opened_at", r.text
        r = await svc.client.post(  # a year the working-day calendar does not know
            "/api/v1/tickets",
            headers=agent(svc),
            json={"category": "tax", "description": "x", "opened_at": "1990-05-02T09:00:00Z"},
        )
        assert r.status_code == 422 and r.json()["field"] == "opened_at", r.text
        assert "no data for 1990" in r.json()["detail"]
        r = await svc.client.get("/api/v1/figures", params={"to": "9999-12-31"}, headers=agent(svc))
        assert r.status_code == 200 and r.json()["overall"]["tickets"] == 1, r.text
        r = await svc.client.post(
            f"/api/v1/tickets/{tid}/acceptance", headers=agent(svc), json={"at": year_one}
        )
        assert r.status_code == 422 and r.json()["field"] == "at", r.text
        r = await svc.client.get(
            "/api/v1/tickets/stats", params={"to": "9999-12-31"}, headers=agent(svc)
        )
        assert r.status_code == 200 and r.json()["total"] == 1, r.text
        r = await svc.client.get(
            "/open311/v2/requests.json", params={"start_date": year_one}, headers=agent(svc)
        )
        assert r.status_code == 400 and "start_date" in r.json()[0]["description"]
        r = await svc.client.post(
            "/open311/v2/requests.json",
            headers=agent(svc),
            data={"service_code": "tax", "description": "x", "attribute[case_id]": "c" * 201},
        )
        assert r.status_code == 400 and "case_id" in r.json()[0]["description"]
