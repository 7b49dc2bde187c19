"""Supervision (督办): SLA escalation with a controlled clock, the sweep job, statistics."""

from __future__ import annotations

from services.hotline.jobs import sweep, sweep_once
from tests.hotline.support import START, agent, enterprise, hotline, hotline_events, open_ticket

ESCALATED = "enclave.ticket.escalated.v1"


async def test_overdue_ticket_is_escalated_once_per_breach(make_settings):
    # utilities: accept within 2h, resolve within 48h (the default configuration)
    async with hotline(make_settings) as (svc, settings, clock):
        tid = (await open_ticket(svc, enterprise(svc), category="utilities"))["id"]
        on_time = (await open_ticket(svc, enterprise(svc), category="tax"))["id"]  # 4h to accept

        clock.advance(hours=2)  # exactly at the deadline: not yet overdue
        assert (await sweep_once(svc.runtime)).escalated == []

        clock.advance(minutes=1)
        result = await sweep_once(svc.runtime)
        assert [(t, b.value) for t, b in result.escalated] == [(tid, "accept")]
        assert (await sweep_once(svc.runtime)).escalated == []  # once per breach
        await sweep(svc.runtime)  # the periodic job's entry point: still nothing new

        ticket = (await svc.client.get(f"/api/v1/tickets/{tid}", headers=agent(svc))).json()
        assert [e["breach"] for e in ticket["escalations"]] == ["accept"]
        assert ticket["escalations"][0]["due_at"].startswith("2026-03-02T11:00:00")
        assert ticket["history"][-1]["action"] == "escalate"
        assert ticket["history"][-1]["actor_role"] == "system"
        assert ticket["status"] == "opened"  # escalation does not move the ticket

        # accepted late, then the resolve deadline passes too: a second, different breach
        await svc.client.post(f"/api/v1/tickets/{on_time}/acceptance", headers=agent(svc))
        await svc.client.post(
            f"/api/v1/tickets/{tid}/routing",
            headers=agent(svc),
            json={"department": "power supply bureau"},
        )
        clock.advance(hours=46)
        result = await sweep_once(svc.runtime)
        assert [(t, b.value) for t, b in result.escalated] == [(tid, "resolve")]
        clock.advance(days=30)
        result = await sweep_once(svc.runtime)
        assert [(t, b.value) for t, b in result.escalated] == [(on_time, "resolve")]
        assert (await sweep_once(svc.runtime)).escalated == []

        late = await svc.client.post(
            f"/api/v1/tickets/{tid}/resolution",
            headers=agent(svc),
            json={"summary": "line connected"},
        )
        assert late.json()["within_sla"] is False

        events = await hotline_events(settings, 7)  # 2 opened, 1 routed, 3 escalated, 1 resolved
        escalations = [e["data"] for e in events if e["type"] == ESCALATED]
        # order holds per ticket (the Kafka key), not across tickets
        assert sorted((e["ticket_id"] == tid, e["breach"]) for e in escalations) == [
            (False, "resolve"),
            (True, "accept"),
            (True, "resolve"),
        ]
        first = next(e for e in escalations if e["ticket_id"] == tid)
        assert first["breach"] == "accept" and first["category"] == "utilities"
        assert "not accepted by 2026-03-02T11:00" in first["reason"]
        resolved = [e["data"] for e in events if e["type"] == "enclave.ticket.resolved.v1"]
        assert resolved[0]["within_sla"] is False


async def test_closed_and_rejected_tickets_are_not_escalated(make_settings):
    async with hotline(make_settings) as (svc, _settings, clock):
        rejected = (await open_ticket(svc, agent(svc)))["id"]
        await svc.client.post(
            f"/api/v1/tickets/{rejected}/rejection",
            headers=agent(svc),
            json={"reason": "duplicate"},
        )
        done = (await open_ticket(svc, agent(svc)))["id"]
        await svc.client.post(
            f"/api/v1/tickets/{done}/routing", headers=agent(svc), json={"department": "tax bureau"}
        )
        await svc.client.post(
            f"/api/v1/tickets/{done}/resolution", headers=agent(svc), json={"summary": "fixed"}
        )
        clock.advance(days=60)
        assert (await sweep_once(svc.runtime)).escalated == []


async def test_sla_configuration_per_category(make_settings):
    overrides = {
        "sla": {"tax": {"accept_hours": 0.5, "resolve_hours": 1}},
        "default_sla": {"accept_hours": 10, "resolve_hours": 20},
    }
    async with hotline(make_settings, **overrides) as (svc, _settings, clock):
        tax = await open_ticket(svc, agent(svc), category="tax")
        land = await open_ticket(svc, agent(svc), category="land")
        assert tax["accept_due_at"].startswith("2026-03-02T09:30:00")
        assert land["resolve_due_at"].startswith("2026-03-03T05:00:00")
        clock.advance(hours=1, minutes=1)
        result = await sweep_once(svc.runtime)
        assert sorted(b.value for t, b in result.escalated if t == tax["id"]) == [
            "accept",
            "resolve",
        ]
        assert [t for t, _ in result.escalated if t == land["id"]] == []


async def test_admin_can_run_the_sweep_over_http(make_settings):
    async with hotline(make_settings) as (svc, _settings, clock):
        tid = (await open_ticket(svc, agent(svc), category="registration"))["id"]
        clock.advance(hours=3)
        r = await svc.client.post("/api/v1/supervision/sweep", headers=svc.auth("admin"))
        assert r.status_code == 200
        assert r.json()["escalated"] == [{"ticket_id": tid, "breach": "accept"}]


async def test_stats_counts_compliance_and_median(make_settings):
    async with hotline(make_settings) as (svc, _settings, clock):
        a = agent(svc)

        async def resolved_after(hours: float, category: str) -> str:
            clock.now = START
            tid = (await open_ticket(svc, a, category=category))["id"]
            clock.advance(hours=hours)
            await svc.client.post(
                f"/api/v1/tickets/{tid}/routing", headers=a, json={"department": "d"}
            )
            r = await svc.client.post(
                f"/api/v1/tickets/{tid}/resolution", headers=a, json={"summary": "done"}
            )
            assert r.status_code == 200
            return tid

        await resolved_after(1, "tax")  # in time (tax: 4h accept, 120h resolve)
        await resolved_after(10, "tax")  # accepted late, resolved in time
        await resolved_after(100, "registration")  # 72h to resolve: late
        clock.now = START
        await open_ticket(svc, a, category="land")
        clock.now = START
        rejected = (await open_ticket(svc, a, category="other"))["id"]
        await svc.client.post(
            f"/api/v1/tickets/{rejected}/rejection", headers=a, json={"reason": "not ours"}
        )
        clock.advance(hours=200)
        r = await svc.client.get("/api/v1/tickets/stats", headers=a)
        assert r.status_code == 200, r.text
        stats = r.json()
        assert stats["total"] == 5
        assert stats["by_status"] == {
            "opened": 1,
            "accepted": 0,
            "routed": 0,
            "resolved": 3,
            "closed": 0,
            "rejected": 1,
        }
        assert stats["by_category"]["tax"] == 2 and stats["by_category"]["permits"] == 0
        assert stats["sla"] == {
            "accepted": 3,
            "accepted_within_sla": 1,
            "accept_compliance": round(1 / 3, 4),
            "resolved": 3,
            "resolved_within_sla": 2,
            "resolve_compliance": round(2 / 3, 4),
            "open_overdue": 1,
        }
        assert stats["median_hours_to_resolve"] == 10


async def test_stats_of_an_empty_hotline(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        stats = (await svc.client.get("/api/v1/tickets/stats", headers=agent(svc))).json()
        assert stats["total"] == 0 and stats["median_hours_to_resolve"] is None
        assert stats["sla"]["resolve_compliance"] is None
