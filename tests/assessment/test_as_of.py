"""The score as of a month (`?as_of=YYYY-MM`): the facts dated up to that month's end, for
the district's monthly dispatch; the facts behind each number, to the same day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from services.assessment.main import SPEC
from tests.assessment.helpers import example_scheme, inbox_count, send, talent
from tests.support import eventually, run_service

Y = 2021


def high_level(result: dict[str, Any]) -> dict[str, Any]:
    indicator: dict[str, Any] = result["dimensions"]["talent_introduction"]["indicators"][
        "talents_high_level"
    ]
    return indicator


async def test_the_score_as_of_a_month_counts_the_facts_to_its_end(make_settings):
    settings = await make_settings("assessment")
    async with run_service(SPEC, settings) as svc:
        svc.runtime.clock = lambda: datetime(2022, 1, 20, 9, tzinfo=UTC)
        headers = svc.auth("assessor")
        resp = await svc.client.put(f"/api/v1/schemes/{Y}", json=example_scheme(), headers=headers)
        assert resp.status_code == 200, resp.text
        await send(
            settings,
            [
                talent("t-mar-1", date(2021, 3, 10)),
                talent("t-mar-2", date(2021, 3, 31)),
                talent("t-may", date(2021, 5, 31)),
                talent("t-jun", date(2021, 6, 1)),
            ],
        )

        async def applied() -> bool:
            return await inbox_count(svc) >= 4 and await inbox_count(svc, own=True) >= 1

        await eventually(applied)

        async def as_of(month: str | None) -> dict[str, Any]:
            query = "" if month is None else f"?as_of={month}"
            resp = await svc.client.get(f"/api/v1/assessments/{Y}{query}", headers=headers)
            assert resp.status_code == 200, resp.text
            result: dict[str, Any] = resp.json()
            return result

        may = await as_of("2021-05")
        assert may["as_of"] == "2021-05-31"
        assert high_level(may)["actual"] == "3"
        assert high_level(await as_of("2021-03"))["actual"] == "2"
        assert high_level(await as_of("2021-02"))["actual"] == "0"
        whole = await as_of(None)
        assert whole["as_of"] is None and high_level(whole)["actual"] == "4"
        december = await as_of("2021-12")
        assert december["total"] == whole["total"]
        assert float(may["total"]) < float(whole["total"])
        url = high_level(may)["evidence"]["facts_url"]
        assert url.endswith("&to=2021-05-31")
        facts = await svc.client.get(url, headers=headers)
        assert sorted(f["subject"] for f in facts.json()) == ["t-mar-1", "t-mar-2", "t-may"]
        assert facts.headers["X-Total-Count"] == "3"
        for bad in ("2022-01", "2021-13", "2021-5", "May"):
            refused = await svc.client.get(f"/api/v1/assessments/{Y}?as_of={bad}", headers=headers)
            assert refused.status_code == 422, (bad, refused.text)
            assert "as_of" in refused.text
        published = await svc.client.post(f"/api/v1/assessments/{Y}/publication", headers=headers)
        assert published.status_code == 200, published.text
        assert (await as_of(None))["status"] == "published"
        after = await as_of("2021-05")
        assert after["status"] == "preview" and high_level(after)["actual"] == "3"
