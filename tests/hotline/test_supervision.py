"""Supervision with a controlled clock in working time: reminders (催办), supervision (督办)
and its levels (提级督办), each once; the sweep job; statistics."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from services.hotline.jobs import sweep, sweep_once
from tests.hotline.support import START, agent, hotline, hotline_events, open_ticket

SH = ZoneInfo("Asia/Shanghai")


async def test_reminder_supervision_and_levels_once_each_around_national_day(make_settings):
    # utilities: accept within 2 working hours, sign within 4, resolve within 2 working
    # days. Opened 16:00 on 30 September 2021 in Shangrao (08:00 UTC); 1-7 October off,
    # Saturday 9 October a make-up working day. By hand (Shangrao times): accept due 8 Oct
    # 09:00, reminder 08:36, level 2 on 9 Oct 09:00, level 3 on 12 Oct 09:00; resolve due
    # 9 Oct 17:30, reminder 9 Oct 14:24, level 2 on 11 Oct 17:30, level 3 on 13 Oct 17:30.
    async with hotline(make_settings) as (svc, _settings, clock):
        clock.now = datetime(2021, 9, 30, 8, 0, tzinfo=UTC)
        tid = (await open_ticket(svc, agent(svc), category="utilities"))["id"]
        assert (await open_ticket(svc, agent(svc), category="tax"))["id"]  # tax: 4 h, 5 days

        async def at(day: int, hour: int, minute: int = 0, second: int = 0) -> list[object]:
            clock.now = datetime(2021, 10, day, hour, minute, second, tzinfo=SH)
            result = await sweep_once(svc.runtime)
            return [(b.value, level) for t, b, level in result.escalated if t == tid]

        assert await at(7, 23) == []  # a calendar-hour clock would be a week overdue
        assert await at(8, 8, 35) == []
        assert await at(8, 8, 36) == [("accept", 0)]
        assert await at(8, 9) == []  # exactly at the deadline: in time
        assert await at(8, 9, 0, 1) == [("accept", 1)]
        assert await at(8, 9, 30) == []  # once per level
        await sweep(svc.runtime)  # the periodic job's entry point: still nothing new
        assert await at(9, 9, 0, 1) == [("accept", 2)]
        assert await at(9, 14, 24) == [("resolve", 0)]
        assert await at(9, 17, 30, 1) == [("resolve", 1)]
        assert await at(12, 9, 0, 1) == [("accept", 3), ("resolve", 2)]
        assert await at(14, 9) == [("resolve", 3)]
        assert await at(29, 9) == []

        ticket = (await svc.client.get(f"/api/v1/tickets/{tid}", headers=agent(svc))).json()
        assert [(e["breach"], e["level"]) for e in ticket["escalations"]] == [
            ("accept", 0), ("accept", 1), ("accept", 2), ("resolve", 0), ("resolve", 1),
            ("accept", 3), ("resolve", 2), ("resolve", 3),
        ]  # fmt: skip
        assert ticket["escalations"][1]["due_at"] == "2021-10-08T01:00:00Z"
        assert ticket["history"][-1]["actor_role"] == "system"
        assert ticket["status"] == "opened"  # supervision does not move the ticket
        assert ticket["running_clock"] == "accept" and ticket["working_hours_left"] < -100

        # accepted and resolved late now: within_sla false
        late = await svc.client.post(
            f"/api/v1/tickets/{tid}/routing", headers=agent(svc), json={"department": "power"}
        )
        assert late.status_code == 200
        done = await svc.client.post(
            f"/api/v1/tickets/{tid}/resolution", headers=agent(svc), json={"summary": "on"}
        )
        assert done.json()["within_sla"] is False

        # tid: opened, 2 reminders, 6 escalations, routed, signed, resolved; the tax ticket:
        # opened, 2 reminders, 6 escalations (all due by 29 October)
        events = await hotline_events(svc, 21)
        mine = [e["data"] for e in events if e["data"]["ticket_id"] == tid]
        reminded = [(e["breach"], e["due_at"][:16]) for e in mine if "reminded_at" in e]
        assert reminded == [("accept", "2021-10-08T01:00"), ("resolve", "2021-10-09T09:30")]
        escalated = [(e["breach"], e["level"]) for e in mine if "escalated_at" in e]
        assert escalated == [
            ("accept", 1), ("accept", 2), ("resolve", 1), ("accept", 3), ("resolve", 2),
            ("resolve", 3),
        ]  # fmt: skip
        first = next(e for e in mine if e.get("level") == 1)
        assert first["category"] == "utilities"
        assert "督办" in first["reason"] and "not accepted by 2021-10-08T01:00" in first["reason"]


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
        "sla": {"tax": {"accept": {"hours": 0.5}, "sign": {"hours": 1}, "resolve": {"hours": 1}}},
        "default_sla": {"accept": {"hours": 10}, "sign": {"hours": 10}, "resolve": {"days": 2}},
    }
    # START is 17:00 on Monday 2 March 2026 in Shangrao, half an hour before close
    async with hotline(make_settings, **overrides) as (svc, _settings, clock):
        tax = await open_ticket(svc, agent(svc), category="tax")
        land = await open_ticket(svc, agent(svc), category="land")
        assert tax["accept_due_at"] == "2026-03-02T09:30:00Z"
        assert tax["resolve_due_at"] == "2026-03-03T01:00:00Z"  # 0.5 h, then 09:00 Tuesday
        assert land["resolve_due_at"] == "2026-03-04T09:30:00Z"  # close of Wednesday
        clock.advance(hours=16, minutes=1)  # 09:01 on Tuesday
        result = await sweep_once(svc.runtime)
        assert [(b.value, n) for t, b, n in result.escalated if t == tax["id"]] == [
            ("accept", 0), ("accept", 1), ("resolve", 0), ("resolve", 1),
        ]  # fmt: skip
        assert [t for t, _, _ in result.escalated if t == land["id"]] == []


async def test_admin_can_run_the_sweep_over_http(make_settings):
    async with hotline(make_settings) as (svc, _settings, clock):
        tid = (await open_ticket(svc, agent(svc), category="registration"))["id"]
        clock.advance(hours=3)  # 20:00 in Shangrao: after hours, nothing counted yet
        r = await svc.client.post("/api/v1/supervision/sweep", headers=svc.auth("admin"))
        assert r.status_code == 200 and r.json()["escalated"] == []
        clock.advance(hours=14, minutes=30)  # 10:30 next morning: 2 working hours passed
        r = await svc.client.post("/api/v1/supervision/sweep", headers=svc.auth("admin"))
        assert r.json()["escalated"] == [
            {"ticket_id": tid, "breach": "accept", "level": 0},
            {"ticket_id": tid, "breach": "accept", "level": 1},
        ]


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

        # START is 17:00 on a Monday in Shangrao; tax: 4 working hours to accept (by 12:00
        # Tuesday), 5 working days to resolve; registration: 2 hours, 3 days
        await resolved_after(1, "tax")  # in time
        await resolved_after(20, "tax")  # accepted 13:00 Tuesday: late; resolved in time
        await resolved_after(100, "registration")  # Friday 13:00, past Thursday's close: late
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
            "signed": 0,
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
        assert stats["median_hours_to_resolve"] == 20


async def test_stats_of_an_empty_hotline(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        stats = (await svc.client.get("/api/v1/tickets/stats", headers=agent(svc))).json()
        assert stats["total"] == 0 and stats["median_hours_to_resolve"] is None
        assert stats["sla"]["resolve_compliance"] is None
