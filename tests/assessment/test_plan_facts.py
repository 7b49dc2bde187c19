"""The enclave's monthly work plans as the assessment counts them (自身建设), through the
events of incubation and the assessment on one broker: a closed month's items, those done
and those done on time become facts dated on the month's last day, scored by the scheme's
plan_items_done_on_time; a voided closing counts no more and the month's next closing
counts; the same closing reported twice counts once; a closing whose counts cannot be is
dead-lettered with the reason."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from enclave_shared.catalog.incubation import PlanMonthClosed
from enclave_shared.dead_letters import read_dead_letters
from enclave_shared.events import new_event

from services.assessment.main import SPEC as ASSESSMENT
from services.incubation.config import IncubationSettings
from services.incubation.main import SPEC as INCUBATION
from tests.assessment.helpers import example_scheme, fact_count, inbox_count, message, send
from tests.support import RunningService, eventually, run_service

Y = 2021
OPERATOR = "enclave_operator"


@contextlib.asynccontextmanager
async def incubation_and_assessment(
    make_settings: Any,
) -> AsyncIterator[tuple[RunningService, RunningService, Any]]:
    """Incubation and the assessment on one broker, the assessment with the example scheme."""
    inc_settings = await make_settings("incubation", settings_class=IncubationSettings)
    settings = await make_settings("assessment")
    async with (
        run_service(INCUBATION, inc_settings) as inc,
        run_service(ASSESSMENT, settings) as svc,
    ):
        resp = await svc.client.put(
            f"/api/v1/schemes/{Y}", json=example_scheme(), headers=svc.auth("assessor")
        )
        assert resp.status_code == 200, resp.text
        yield inc, svc, settings


async def call(svc: RunningService, method: str, path: str, status: int, **kw: Any) -> Any:
    resp = await svc.client.request(method, f"/api/v1/{path}", headers=svc.auth(OPERATOR), **kw)
    assert resp.status_code == status, resp.text
    return resp.json()


async def plan(inc: RunningService, month: str, *outcomes: tuple[str, str | None]) -> None:
    """A month's items, each marked (status, done_on)."""
    for n, (status, done_on) in enumerate(outcomes):
        body = {"title": f"item {n} of {month}", "owner": "Li Na", "due_month": month}
        made = await call(inc, "POST", "plan-items", 201, json=body)
        change = {"status": status, "done_on": done_on, "reason": "month's review"}
        await call(inc, "PATCH", f"plan-items/{made['id']}", 200, json=change)


async def close(inc: RunningService, month: str, closed_on: str) -> str:
    body = {"month": month, "results": "reviewed", "closed_on": closed_on}
    closing: str = (await call(inc, "POST", "plan-months", 201, json=body))["id"]
    return closing


async def self_construction(svc: RunningService) -> dict[str, Any]:
    resp = await svc.client.get(f"/api/v1/assessments/{Y}", headers=svc.auth("assessor"))
    assert resp.status_code == 200, resp.text
    dimension: dict[str, Any] = resp.json()["dimensions"]["self_construction"]
    return dimension


async def facts(svc: RunningService, indicator: str) -> list[tuple[str, str, int]]:
    resp = await svc.client.get(
        f"/api/v1/assessments/{Y}/facts",
        params={"indicator": indicator},
        headers=svc.auth("assessor"),
    )
    assert resp.status_code == 200, resp.text
    return sorted((f["subject"], f["business_date"], f["quantity"]) for f in resp.json())


async def applied(svc: RunningService, n: int) -> None:
    async def check() -> bool:
        return await inbox_count(svc) >= n

    await eventually(check, timeout=30)


async def test_closed_months_count_their_items_done_on_time_through_the_events(make_settings):
    async with incubation_and_assessment(make_settings) as (inc, svc, settings):
        on_time, late_done, dropped = (
            ("done", "2021-05-20"),
            ("done", "2021-06-02"),
            ("dropped", None),
        )
        await plan(inc, "2021-05", on_time, on_time, late_done, dropped)
        may = await close(inc, "2021-05", "2021-06-03")
        await plan(inc, "2021-12", ("done", "2021-12-30"))
        december = await close(inc, "2021-12", "2022-01-04")  # counts for December's year
        await applied(svc, 2)  # the two closings (the items' own events count nothing)
        assert await facts(svc, "plan_items_done_on_time") == sorted(
            [(may, "2021-05-31", 2), (december, "2021-12-31", 1)]
        )
        assert await facts(svc, "plan_items") == sorted(
            [(may, "2021-05-31", 4), (december, "2021-12-31", 1)]
        )
        assert sorted(q for _s, _d, q in await facts(svc, "plan_items_done")) == [1, 3]
        scored = (await self_construction(svc))["indicators"]["plan_items_done_on_time"]
        assert scored["actual"] == "3" and scored["target"] == "48"

        # the same closing under a second event id: counted once
        before = await fact_count(svc)
        closing = PlanMonthClosed(
            closing_id=may, month="2021-05", closed_on=date(2021, 6, 3), results="reviewed",
            items=4, done=3, done_on_time=2, late=0, dropped=1,
        )  # fmt: skip
        impossible = PlanMonthClosed(
            closing_id="closing-bad", month="2021-07", closed_on=date(2021, 8, 1), results="r",
            items=1, done=1, done_on_time=2, late=0, dropped=0,
        )  # fmt: skip
        bad = new_event(impossible)
        await send(
            settings,
            [message(closing), ("incubation", b"closing-bad", bad.to_bytes())],
        )

        async def dead_lettered() -> list[str]:
            letters = await read_dead_letters(settings)
            return [letter.reason for letter in letters if letter.event_id == bad.id]

        [reason] = await eventually(dead_lettered, timeout=30)
        assert "no more done on time than done" in reason
        assert await fact_count(svc) == before
        assert ("closing-bad", "2021-07-31", 2) not in await facts(svc, "plan_items_done_on_time")

        # a voided closing counts no more; the month closed again counts anew
        gone = await inc.client.delete(
            f"/api/v1/plan-months/{may}", params={"reason": "closed too early"},
            headers=inc.auth(OPERATOR),
        )  # fmt: skip
        assert gone.status_code == 200, gone.text

        async def only_december() -> bool:
            return [s for s, _d, _q in await facts(svc, "plan_items_done_on_time")] == [december]

        await eventually(only_december, timeout=30)
        reclosed = await close(inc, "2021-05", "2021-06-05")

        async def both() -> list[tuple[str, str, int]] | None:
            found = await facts(svc, "plan_items_done_on_time")
            return found if len(found) == 2 else None

        found = await eventually(both, timeout=30)
        assert found == sorted([(reclosed, "2021-05-31", 2), (december, "2021-12-31", 1)])
        scored = (await self_construction(svc))["indicators"]["plan_items_done_on_time"]
        assert scored["actual"] == "3"
