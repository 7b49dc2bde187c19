"""Business times: agents date calls and moves; SLA, events and stats follow those dates."""

from __future__ import annotations

from datetime import date

from services.hotline.jobs import sweep_once
from tests.hotline.support import agent, enterprise, hotline, hotline_events, open_ticket
from tests.hotline.test_from_events import send, settled
from tests.support import eventually

OPENED = "2021-03-01T09:00:00+00:00"


async def move(svc, tid: str, name: str, headers=None, **body):
    return await svc.client.post(
        f"/api/v1/tickets/{tid}/{name}", json=body or None, headers=headers or agent(svc)
    )


async def test_a_2021_ticket_is_dated_2021_and_its_sla_counted_from_then(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        ticket = await open_ticket(svc, agent(svc), category="tax", opened_at=OPENED)
        tid = ticket["id"]
        assert ticket["opened_at"] == "2021-03-01T09:00:00Z"
        # tax: 4 working hours to accept; 09:00 UTC is 17:00 in Shangrao: 0.5 h that Monday,
        # 3.5 h on Tuesday morning
        assert ticket["accept_due_at"] == "2021-03-02T04:00:00Z"
        assert ticket["history"][0]["at"] == "2021-03-01T09:00:00Z"
        assert ticket["updated_at"] == "2026-03-02T09:00:00Z"  # recorded now
        assert (await move(svc, tid, "acceptance", at="2021-03-01T10:00:00Z")).status_code == 200
        r = await move(svc, tid, "routing", department="tax bureau", at="2021-03-01T11:00:00Z")
        assert r.status_code == 200, r.text
        r = await move(svc, tid, "resolution", summary="quota raised", at="2021-03-05T09:00:00Z")
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["within_sla"] is True  # 4 of 5 working days, five years by the wall clock
        assert body["accepted_at"] == "2021-03-01T10:00:00Z"
        assert body["resolved_at"] == "2021-03-05T09:00:00Z"
        r = await move(svc, tid, "closure", comment="confirmed", at="2021-03-06T09:00:00Z")
        assert r.status_code == 200 and r.json()["closed_at"] == "2021-03-06T09:00:00Z"
        assert [m["at"][:10] for m in r.json()["history"]] == [
            "2021-03-01",
            "2021-03-01",
            "2021-03-01",
            "2021-03-05",  # signed for, then
            "2021-03-05",  # resolved
            "2021-03-06",
        ]
        events = await hotline_events(svc, 5)
        opened, routed, _, resolved, _ = (e["data"] for e in events)
        assert opened["opened_at"].startswith("2021-03-01T09:00")
        assert routed["routed_at"].startswith("2021-03-01T11:00")
        assert resolved["resolved_on"] == "2021-03-05" and resolved["within_sla"] is True


async def test_late_by_business_time_is_outside_the_sla(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        tid = (await open_ticket(svc, agent(svc), category="utilities", opened_at=OPENED))["id"]
        await move(svc, tid, "routing", department="power", at=OPENED)
        r = await move(svc, tid, "resolution", summary="done", at="2021-03-04T09:00:01Z")
        assert r.status_code == 200 and r.json()["within_sla"] is False  # utilities: 2 days


async def test_refused_business_times_name_the_field_and_write_nothing(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        url = "/api/v1/tickets"
        base = {"category": "tax", "description": "x"}
        future = await svc.client.post(
            url, json={**base, "opened_at": "2026-03-02T09:00:01Z"}, headers=agent(svc)
        )
        assert future.status_code == 422 and future.json()["field"] == "opened_at"
        by_enterprise = await svc.client.post(
            url, json={**base, "opened_at": OPENED}, headers=enterprise(svc)
        )
        assert by_enterprise.status_code == 422 and by_enterprise.json()["field"] == "opened_at"
        naive = await svc.client.post(
            url, json={**base, "opened_at": "2021-03-01T09:00:00"}, headers=agent(svc)
        )
        assert naive.status_code == 422 and "opened_at" in naive.json()["errors"][0]["loc"]

        tid = (await open_ticket(svc, agent(svc), opened_at=OPENED))["id"]
        for name, body in [
            ("acceptance", {}),
            ("routing", {"department": "tax bureau"}),
            ("rejection", {"reason": "not ours"}),
        ]:
            early = await move(svc, tid, name, **body, at="2021-03-01T08:59:59Z")
            assert early.status_code == 422 and early.json()["field"] == "at", early.text
            assert "before the ticket's previous move" in early.json()["detail"]
            later = await move(svc, tid, name, **body, at="2026-03-02T10:00:00Z")
            assert later.status_code == 422 and later.json()["field"] == "at"
        r = await move(svc, tid, "routing", department="tax bureau", at="2021-03-02T09:00:00Z")
        assert r.status_code == 200
        early = await move(svc, tid, "resolution", summary="s", at="2021-03-01T12:00:00Z")
        assert early.status_code == 422 and early.json()["field"] == "at"
        assert (await move(svc, tid, "resolution", summary="s")).status_code == 200  # now
        ticket = (await svc.client.get(f"{url}/{tid}", headers=agent(svc))).json()
        actions = [m["action"] for m in ticket["history"]]
        assert actions == ["open", "accept", "route", "sign", "resolve"]
        assert len(await hotline_events(svc, 4)) == 4  # opened, routed, signed, resolved


async def test_an_enterprise_closes_now_only(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        tid = (await open_ticket(svc, enterprise(svc)))["id"]
        await move(svc, tid, "routing", department="tax bureau")
        await move(svc, tid, "resolution", summary="done")
        dated = await move(svc, tid, "closure", enterprise(svc), at="2026-03-02T09:00:00Z")
        assert dated.status_code == 422 and dated.json()["field"] == "at"
        assert (await move(svc, tid, "closure", enterprise(svc))).status_code == 200


async def test_escalation_does_not_block_recording_the_past(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        tid = (await open_ticket(svc, agent(svc), category="tax", opened_at=OPENED))["id"]
        # the sweep sees a 2021 ticket still opened now: both SLAs breached (by business time)
        result = await sweep_once(svc.runtime)
        levels = [(b.value, level) for t, b, level in result.escalated if t == tid]
        assert levels == [("accept", n) for n in range(4)] + [("resolve", n) for n in range(4)]
        r = await move(svc, tid, "acceptance", at="2021-03-01T10:00:00Z")
        assert r.status_code == 200, r.text
        assert r.json()["escalations"][1]["due_at"] == "2021-03-02T04:00:00Z"


async def test_stats_count_the_tickets_opened_in_the_period(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        old = (await open_ticket(svc, agent(svc), category="tax", opened_at=OPENED))["id"]
        await move(svc, old, "routing", department="tax bureau", at=OPENED)
        await move(svc, old, "resolution", summary="done", at="2021-03-02T09:00:00Z")
        await open_ticket(svc, agent(svc), opened_at="2021-12-31T23:59:59Z")
        await open_ticket(svc, agent(svc))  # now, 2026

        async def stats(**params):
            r = await svc.client.get("/api/v1/tickets/stats", params=params, headers=agent(svc))
            assert r.status_code == 200, r.text
            return r.json()

        assert (await stats())["total"] == 3
        in_2021 = await stats(**{"from": "2021-01-01", "to": "2021-12-31"})
        assert in_2021["total"] == 2
        assert in_2021["sla"]["resolved_within_sla"] == 1
        assert in_2021["median_hours_to_resolve"] == 24.0
        assert (await stats(**{"from": "2021-03-02", "to": "2021-12-30"}))["total"] == 0
        assert (await stats(to="2021-03-01"))["total"] == 1
        assert (await stats(**{"from": "2022-01-01"}))["total"] == 1
        r = await svc.client.get(
            "/api/v1/tickets/stats",
            params={"from": "2021-02-01", "to": "2021-01-01"},
            headers=agent(svc),
        )
        assert r.status_code == 422 and r.json()["field"] == "from"


async def test_a_followup_for_a_past_signing_opens_on_the_signing_day(make_settings):
    async with hotline(make_settings) as (svc, settings, _clock):
        await send(settings, settled("C7", signed_on=date(2021, 4, 12)))

        async def found():
            r = await svc.client.get(
                "/api/v1/tickets", params={"case_id": "C7"}, headers=agent(svc)
            )
            return r.json() or None

        ticket = (await eventually(found))[0]
        assert ticket["opened_at"] == "2021-04-12T00:00:00Z"
        r = await move(svc, ticket["id"], "routing", department="zone", at="2021-04-12T01:00:00Z")
        assert r.status_code == 200, r.text
