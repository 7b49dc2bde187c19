"""The ticket list filtered by opening date (business dates in the platform's time zone, as
the figures and the dispatch count them): the dispatch's hotline numbers open exactly their
tickets."""

from __future__ import annotations

from tests.hotline.support import agent, hotline, open_ticket

LATE_SATURDAY = "2026-02-28T23:30:00+08:00"  # business date 28 February
AFTER_MIDNIGHT = "2026-03-01T00:30:00+08:00"  # 1 March in Shangrao, still 28 February in UTC
MONDAY = "2026-03-02T10:00:00+08:00"


async def test_the_list_takes_the_opening_dates_the_figures_count_by(make_settings):
    async with hotline(make_settings) as (svc, _settings, _clock):
        ids = [
            (await open_ticket(svc, agent(svc), opened_at=at))["id"]
            for at in (LATE_SATURDAY, AFTER_MIDNIGHT, MONDAY)
        ]

        async def listed(query: str) -> list[str]:
            resp = await svc.client.get(f"/api/v1/tickets?{query}", headers=agent(svc))
            assert resp.status_code == 200, resp.text
            assert resp.headers["X-Total-Count"] == str(len(resp.json()))
            return [t["id"] for t in resp.json()]

        assert await listed("from=2026-03-01") == ids[1:]
        assert await listed("to=2026-02-28") == ids[:1]
        assert await listed("from=2026-03-01&to=2026-03-01") == ids[1:2]
        assert await listed("from=2026-03-03") == []
        figures = await svc.client.get(
            "/api/v1/figures?from=2026-03-01&to=2026-03-01", headers=agent(svc)
        )
        assert figures.json()["overall"]["tickets"] == 1
        for query, field in [
            ("from=2026-03-02&to=2026-03-01", "from"),
            ("from=2026-3-1", "from"),
            ("to=yesterday", "to"),
        ]:
            bad = await svc.client.get(f"/api/v1/tickets?{query}", headers=agent(svc))
            assert bad.status_code == 422, (query, bad.text)
            assert field in bad.text, (query, bad.text)
