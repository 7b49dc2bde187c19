"""End to end: the four services in-process on one broker, the demo scenario twice.

Runs on whatever profile the suite runs (embedded broker + SQLite, or Apache Kafka +
PostgreSQL): each service gets its own database and they share this test's topics.
"""

from __future__ import annotations

import contextlib
import io

from rich.console import Console

from services.assessment.main import SPEC as ASSESSMENT
from services.hotline.main import SPEC as HOTLINE
from services.incubation.main import SPEC as INCUBATION
from services.intake.main import SPEC as INTAKE
from tests.e2e import plan, readback, scenario
from tests.e2e.demo import EXIT_OK, EXIT_REFUSED, run_demo
from tests.support import run_service


async def test_first_half_year_end_to_end_and_twice_without_doubling(make_settings):
    async with contextlib.AsyncExitStack() as stack:
        running = {}
        for spec in (INCUBATION, INTAKE, HOTLINE, ASSESSMENT):
            settings = await make_settings(spec.name, settings_class=spec.settings_class)
            running[spec.name] = await stack.enter_async_context(run_service(spec, settings))
        svc = scenario.Services(
            running["incubation"].client,
            running["intake"].client,
            running["hotline"].client,
            running["assessment"].client,
        )

        def auth(role: str, sub: str | None = None) -> dict[str, str]:
            return running["incubation"].auth(role, sub=sub or f"e2e-{role}")

        out = io.StringIO()
        console = Console(file=out, width=160)
        assert await scenario.state(svc, auth) == "empty"

        first = await run_demo(svc, auth, console, timeout=60)
        assert first == EXIT_OK, out.getvalue()
        rows, figures = await readback.verify(svc, auth, print, timeout=5)
        assert [r.figure for r in rows if not r.ok] == [], out.getvalue()
        _assert_figures(figures)
        await _assert_year_over_year(svc, auth, figures)
        assert await scenario.state(svc, auth) == "complete"

        # Again: the marker is found, nothing is loaded, every figure is still the source's.
        out.seek(0)
        out.truncate(0)
        second = await run_demo(svc, auth, console, timeout=60)
        assert second == EXIT_OK, out.getvalue()
        assert "nothing loaded" in out.getvalue()
        again, figures_again = await readback.verify(svc, auth, print, timeout=5)
        assert again == rows
        assert figures_again.facts == figures.facts
        assert figures_again.hotline["total"] == figures.hotline["total"]
        versions = await scenario.call(
            svc.assessment, "GET", f"/api/v1/schemes/{plan.YEAR}/versions", auth("assessor")
        )
        assert len(versions) == 1  # the scheme was not put a second time


async def test_data_in_the_period_without_the_marker_is_refused(make_settings):
    async with contextlib.AsyncExitStack() as stack:
        running = {}
        for spec in (INCUBATION, INTAKE):
            settings = await make_settings(spec.name, settings_class=spec.settings_class)
            running[spec.name] = await stack.enter_async_context(run_service(spec, settings))
        inc, intake = running["incubation"], running["intake"]
        # state() reads incubation and intake only; a refusal touches nothing else
        svc = scenario.Services(inc.client, intake.client, inc.client, inc.client)

        def auth(role: str, sub: str | None = None) -> dict[str, str]:
            return inc.auth(role, sub=sub)

        await scenario.call(  # as if an earlier run stopped after the prior-year baseline
            inc.client,
            "POST",
            "/api/v1/talents",
            auth("enclave_operator"),
            body={"name": "B", "level": "researcher", "field": "x", "recruited_on": "2020-01-04"},
        )
        assert await scenario.state(svc, auth) == "partial"
        await scenario.call(  # as if an earlier run stopped after its first records
            inc.client,
            "POST",
            "/api/v1/talents",
            auth("enclave_operator"),
            body={"name": "A", "level": "researcher", "field": "x", "recruited_on": "2021-01-04"},
        )
        out = io.StringIO()
        code = await run_demo(svc, auth, Console(file=out, width=160), timeout=5)
        assert code == EXIT_REFUSED
        assert "refused" in out.getvalue() and "make clean" in out.getvalue()
        stats = await scenario.call(
            inc.client, "GET", "/api/v1/stats", auth("enclave_operator"), params=readback.WINDOW
        )
        assert stats["talents"]["total"] == 1  # nothing loaded


def _assert_figures(f: readback.Figures) -> None:
    inc, zone = f.incubation, f.intake
    assert inc["talents"]["high_level"] == plan.HIGH_LEVEL_TALENTS == 49
    assert inc["talents"]["researcher"] == plan.RESEARCHERS == 300
    assert inc["agreements"]["gba"] == plan.GBA_AGREEMENTS == 19
    assert zone["outcomes_transferred"] == plan.OUTCOMES_TRANSFERRED == 3
    assert zone["settled"] == plan.ENTERPRISES_SETTLED == 6
    assert inc["hq_economy"] == plan.HQ_ECONOMY == 10
    # 19 = 3 + 6 + 10, from the links: agreement → project → intake's outcome; HQ → agreement
    assert inc["gba_enterprises"] == {
        "total": 19,
        "outcome_transferred": 3,
        "settled": 6,
        "hq_economy": 10,
        "other": 0,
    }
    assert {t: (p["completed"], p["target"]) for t, p in inc["training"].items()} == {
        "managers": (12, 100),
        "entrepreneurs": (10, 100),
        "skilled_workers": (650, 10_000),
    }
    assert zone["rd_demands"]["submitted"] == plan.RD_DEMANDS == 29
    assert zone["rd_demands"]["in_cooperation"] == plan.DEMANDS_WITH_COOPERATION == 12
    partners = {d["partner_name"] for d in zone["rd_demands"]["partners"]}
    assert partners == {name for name, _kind, _gba in plan.DEMAND_PARTNERS} and len(partners) == 12
    assert inc["projects"]["by_path"]["order"] == plan.DEMANDS_WITH_COOPERATION
    assert all(inc["projects"]["by_path"][p] > 0 for p in ("order", "menu", "directed", "delivery"))
    assert zone["avg_days_to_construction"] < 30
    assert 1.6 <= zone["baseline_days_to_construction"] / zone["avg_days_to_construction"] <= 2.6
    assert all(d["days_to_construction"] < 30 for d in zone["days_to_construction"])
    assert all(n > 0 for n in zone["meetings_held"].values())
    assert f.overdue == 0
    assert f.hotline["total"] == f.hotline["sla"]["resolved"] == plan.HOTLINE_RESOLVED == 14
    assert f.hotline["sla"]["resolved_within_sla"] == plan.HOTLINE_WITHIN_SLA == 13
    assert f.assessment is not None
    # the 2021 assessment counts the tickets resolved within SLA on 2021 business dates
    hotline = f.assessment["dimensions"]["incubation"]["indicators"]["tickets_resolved_within_sla"]
    assert float(hotline["actual"]) == plan.HOTLINE_WITHIN_SLA
    assert f.facts["tickets_resolved_within_sla"] == plan.HOTLINE_WITHIN_SLA
    assert int(f.assessment["fund"]["base"]) == 4_000_000
    for indicator, n in {
        "talents_high_level": 49,
        "talents_researchers": 300,
        "agreements_gba": 19,
        "outcomes_transferred": 3,
        "enterprises_settled": 6,
        "hq_enterprises": 10,
    }.items():
        assert f.facts[indicator] == n, indicator


async def _assert_year_over_year(svc: scenario.Services, auth, f: readback.Figures) -> None:
    """The demo's period beside the same period a year earlier: each figure as its records
    count it in both windows, the talents over ten times last year's (the source's claim)."""

    async def listed(resource: str, start, end) -> int:
        resp = await svc.incubation.get(
            f"/api/v1/{resource}",
            params={"from": start.isoformat(), "to": end.isoformat(), "limit": 1},
            headers=auth("enclave_operator"),
        )
        return int(resp.headers["X-Total-Count"])

    for figure, resource in (("talents.total", "talents"), ("activities.total", "activities")):
        now = await listed(resource, plan.START, plan.END)
        then = await listed(resource, plan.PRIOR_START, plan.PRIOR_END)
        row = f.year_over_year[figure]
        assert (row["current"], row["previous"]) == (now, then), figure
        assert then > 0 and row["ratio"] == round(now / then, 2), figure
    assert f.year_over_year["talents.total"]["ratio"] > plan.TIMES_LAST_YEAR == 10
    # no agreement the year before: no baseline, no ratio
    assert await listed("agreements", plan.PRIOR_START, plan.PRIOR_END) == 0
    assert f.year_over_year["agreements.total"]["ratio"] is None
