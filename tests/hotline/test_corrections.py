"""Correcting a ticket (`PATCH`: category, request type; the changed fields, with a reason)
and voiding one entered by mistake (`DELETE`: it stays, marked, out of lists and figures),
each with its event and its line in the audit trail."""

from __future__ import annotations

from tests.hotline.support import agent, enterprise, hotline, hotline_events, open_ticket


async def test_a_correction_changes_only_the_given_fields_with_its_event_and_trail(
    make_settings,
):
    async with hotline(make_settings) as (svc, _settings, _clock):
        ticket = await open_ticket(svc, agent(svc), request_type="help")
        tid = ticket["id"]
        resp = await svc.client.patch(
            f"/api/v1/tickets/{tid}",
            json={"category": "permits", "request_type": "complaint", "reason": "misheard"},
            headers=agent(svc),
        )
        assert resp.status_code == 200, resp.text
        assert resp.json()["category"] == "permits"
        assert resp.json()["request_type"] == "complaint"
        assert resp.json()["description"] == ticket["description"]  # untouched
        for body, field in [
            ({"category": "gossip", "reason": "x"}, "category"),
            ({"category": "permits", "reason": "x"}, None),  # nothing changes
            ({"reason": "x"}, None),  # nothing given
            ({"category": "tax"}, "reason"),
            ({"request_type": None, "reason": "x"}, None),  # cannot be cleared
            ({"description": "other", "reason": "x"}, None),  # not correctable
        ]:
            bad = await svc.client.patch(f"/api/v1/tickets/{tid}", json=body, headers=agent(svc))
            assert bad.status_code == 422, (body, bad.text)
            if field == "category":
                assert "gossip" in bad.json()["detail"]
        refused = await svc.client.patch(
            f"/api/v1/tickets/{tid}",
            json={"category": "tax", "reason": "x"},
            headers=enterprise(svc),
        )
        assert refused.status_code == 403
        missing = await svc.client.patch(
            "/api/v1/tickets/HL-NONE", json={"category": "tax", "reason": "x"}, headers=agent(svc)
        )
        assert missing.status_code == 404
        events = await hotline_events(svc, 2)
        corrected = events[1]
        assert corrected["type"] == "enclave.ticket.corrected.v1"
        assert corrected["data"] == {
            "ticket_id": tid,
            "reason": "misheard",
            "before": {"category": "tax", "request_type": "help"},
            "after": {"category": "permits", "request_type": "complaint"},
        }
        trail = await svc.client.get(
            f"/api/v1/audit?entity=ticket&id={tid}", headers=agent(svc, "agent-wu")
        )
        assert [(e["action"], e["actor"]) for e in trail.json()] == [
            ("enclave.ticket.opened.v1", "agent-li"),
            ("enclave.ticket.corrected.v1", "agent-li"),
        ]


async def test_a_void_ticket_stays_marked_out_of_lists_and_figures_and_takes_no_moves(
    make_settings,
):
    async with hotline(make_settings) as (svc, _settings, _clock):
        kept = await open_ticket(svc, agent(svc))
        wrong = (await open_ticket(svc, agent(svc), category="permits"))["id"]
        no_reason = await svc.client.delete(f"/api/v1/tickets/{wrong}", headers=agent(svc))
        assert no_reason.status_code == 422 and "reason" in no_reason.json()["detail"]
        by_enterprise = await svc.client.delete(
            f"/api/v1/tickets/{wrong}?reason=x", headers=enterprise(svc)
        )
        assert by_enterprise.status_code == 403
        resp = await svc.client.delete(
            f"/api/v1/tickets/{wrong}?reason=entered twice", headers=agent(svc)
        )
        assert resp.status_code == 200, resp.text
        assert resp.json()["void_reason"] == "entered twice" and resp.json()["voided_at"]
        assert resp.json()["moves"] == []
        again = await svc.client.request(
            "DELETE", f"/api/v1/tickets/{wrong}", json={"reason": "again"}, headers=agent(svc)
        )
        assert again.status_code == 409 and "void" in again.json()["detail"]
        moved = await svc.client.post(
            f"/api/v1/tickets/{wrong}/acceptance", json={}, headers=agent(svc)
        )
        assert moved.status_code == 409 and "entered twice" in moved.json()["detail"]
        corrected = await svc.client.patch(
            f"/api/v1/tickets/{wrong}", json={"category": "tax", "reason": "x"}, headers=agent(svc)
        )
        assert corrected.status_code == 409
        listed = await svc.client.get("/api/v1/tickets", headers=agent(svc))
        assert [t["id"] for t in listed.json()] == [kept["id"]]
        assert listed.headers["X-Total-Count"] == "1"
        both = await svc.client.get("/api/v1/tickets?include_void=true", headers=agent(svc))
        assert [t["id"] for t in both.json()] == [kept["id"], wrong]
        one = await svc.client.get(f"/api/v1/tickets/{wrong}", headers=agent(svc))
        assert one.status_code == 200 and one.json()["void_reason"] == "entered twice"
        stats = (await svc.client.get("/api/v1/tickets/stats", headers=agent(svc))).json()
        assert stats["total"] == 1 and stats["by_category"]["permits"] == 0
        figures = (await svc.client.get("/api/v1/figures", headers=agent(svc))).json()
        assert figures["overall"]["tickets"] == 1
        events = await hotline_events(svc, 3)
        voided = next(e for e in events if e["type"] == "enclave.ticket.voided.v1")
        assert voided["data"] == {"ticket_id": wrong, "reason": "entered twice"}
