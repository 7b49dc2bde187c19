"""Who sees which tickets: enterprises those about them (opened by them or for them), agents
all."""

from __future__ import annotations

from tests.hotline.support import agent, enterprise, hotline, open_ticket, owned_by


async def test_enterprises_see_the_tickets_opened_by_them_or_for_them(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        await owned_by(svc, "ent-a", "C1", "P1")
        await owned_by(svc, "ent-b", "C2", "P2")
        mine = await open_ticket(svc, enterprise(svc, "ent-a"), case_id="C1")
        theirs = await open_ticket(svc, enterprise(svc, "ent-b"), case_id="C2")
        by_agent = await open_ticket(svc, agent(svc), enterprise_id="ent-a")

        r = await svc.client.get("/api/v1/tickets", headers=enterprise(svc, "ent-a"))
        assert [t["id"] for t in r.json()] == [mine["id"], by_agent["id"]]  # its call, too
        assert r.headers["X-Total-Count"] == "2"
        r = await svc.client.get("/api/v1/tickets", headers=enterprise(svc, "ent-b"))
        assert [t["id"] for t in r.json()] == [theirs["id"]]
        r = await svc.client.get("/api/v1/tickets", params={"case_id": "C1"}, headers=agent(svc))
        assert [t["id"] for t in r.json()] == [mine["id"]]
        r = await svc.client.get("/api/v1/tickets", headers=svc.auth("admin"))
        assert len(r.json()) == 3

        # another's ticket is not found, rather than forbidden: its existence stays private
        r = await svc.client.get(
            f"/api/v1/tickets/{theirs['id']}", headers=enterprise(svc, "ent-a")
        )
        assert r.status_code == 404
        r = await svc.client.get(
            f"/api/v1/tickets/{by_agent['id']}", headers=enterprise(svc, "ent-b")
        )
        assert r.status_code == 404
        r = await svc.client.get(
            f"/api/v1/tickets/{by_agent['id']}", headers=enterprise(svc, "ent-a")
        )
        assert r.status_code == 200 and r.json()["notes"] == []
        r = await svc.client.get(f"/api/v1/tickets/{mine['id']}", headers=enterprise(svc, "ent-a"))
        assert r.status_code == 200 and r.json()["reporter_sub"] == "ent-a"
        # asking for another enterprise's tickets by filter gives nothing
        r = await svc.client.get(
            "/api/v1/tickets", params={"enterprise_id": "ent-b"}, headers=enterprise(svc, "ent-a")
        )
        assert r.json() == []


async def test_an_enterprise_reports_as_itself_and_closes_only_its_own(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        r = await svc.client.post(
            "/api/v1/tickets",
            headers=enterprise(svc, "ent-a"),
            json={"category": "tax", "description": "x", "enterprise_id": "ent-b"},
        )
        assert r.status_code == 422 and r.json()["field"] == "enterprise_id"
        mine = (await open_ticket(svc, enterprise(svc, "ent-a")))["id"]
        theirs = (await open_ticket(svc, enterprise(svc, "ent-b")))["id"]
        for tid in (mine, theirs):
            await svc.client.post(
                f"/api/v1/tickets/{tid}/routing",
                headers=agent(svc),
                json={"department": "tax bureau"},
            )
            await svc.client.post(
                f"/api/v1/tickets/{tid}/resolution", headers=agent(svc), json={"summary": "done"}
            )
        r = await svc.client.post(
            f"/api/v1/tickets/{theirs}/closure", headers=enterprise(svc, "ent-a")
        )
        assert r.status_code == 404
        r = await svc.client.post(
            f"/api/v1/tickets/{mine}/closure",
            headers=enterprise(svc, "ent-a"),
            json={"comment": "thanks, solved"},
        )
        assert r.status_code == 200 and r.json()["status"] == "closed"
        assert r.json()["history"][-1]["actor"] == "ent-a"
        assert r.json()["history"][-1]["detail"] == "thanks, solved"
