"""Read the figures back from the services and set each beside the source's figure."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.table import Table

from tests.e2e import plan
from tests.e2e.scenario import Auth, Say, Services, call

WINDOW = {"from": plan.START.isoformat(), "to": plan.END.isoformat()}


@dataclass(frozen=True)
class Row:
    """One line of the result table."""

    figure: str
    source: str  # the figure from the source, or what the scenario expects
    stats: str  # read back from the services' stats
    assessment: str  # read back from the assessment (facts in the period, or the year)
    ok: bool
    scenario: bool = False  # a check of the scenario itself, not a figure of the source


@dataclass
class Figures:
    """Everything read back, raw."""

    incubation: dict[str, Any]
    intake: dict[str, Any]
    hotline: dict[str, Any]
    assessment: dict[str, Any] | None  # None: no scheme for the year yet
    facts: Counter[str]  # event-derived facts dated in the period, by indicator
    overdue: int  # three-ones meetings overdue as of the period's end
    # the period's figures beside the same period a year earlier, by figure
    year_over_year: dict[str, dict[str, Any]]


async def read(svc: Services, auth: Auth) -> Figures:
    """The stats of incubation and intake for the period, hotline stats, the assessment."""
    assessor = auth("assessor")
    incubation = await call(
        svc.incubation, "GET", "/api/v1/stats", auth("enclave_operator"), params=WINDOW
    )
    intake = await call(svc.intake, "GET", "/api/v1/stats", assessor, params=WINDOW)
    compared = await call(
        svc.incubation, "GET", "/api/v1/stats/year-over-year", assessor, params=WINDOW
    )
    hotline = await call(
        svc.hotline, "GET", "/api/v1/tickets/stats", auth("hotline_agent"), params=WINDOW
    )
    resp = await svc.assessment.get(f"/api/v1/assessments/{plan.YEAR}", headers=assessor)
    assessment = resp.json() if resp.status_code == 200 else None
    if resp.status_code not in (200, 404):
        await call(svc.assessment, "GET", f"/api/v1/assessments/{plan.YEAR}", assessor)
    facts: Counter[str] = Counter()
    for year in range(plan.START.year, plan.END.year + 1):
        offset = 0
        while True:
            page = await call(
                svc.assessment,
                "GET",
                f"/api/v1/assessments/{year}/facts",
                assessor,
                params={"limit": 500, "offset": offset},
            )
            for fact in page:
                if plan.START <= date.fromisoformat(fact["business_date"]) <= plan.END:
                    facts[fact["indicator"]] += 1  # one fact per business fact
            if len(page) < 500:
                break
            offset += 500
    overdue = await svc.intake.get(
        "/api/v1/meetings/overdue",
        headers=auth("zone_officer"),
        params={"as_of": plan.END.isoformat(), "limit": 1},
    )
    return Figures(
        incubation=incubation,
        intake=intake,
        hotline=hotline,
        assessment=assessment,
        facts=facts,
        overdue=int(overdue.headers.get("X-Total-Count", "-1"))
        if overdue.status_code == 200
        else -1,
        year_over_year={row["figure"]: row for row in compared["figures"]},
    )


def _n(value: Any) -> str:
    return "—" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def _actual(assessment: dict[str, Any] | None, indicator: str) -> str | None:
    """An indicator's actual value in the year's assessment (None without a scheme)."""
    for dimension in (assessment or {}).get("dimensions", {}).values():
        found = dimension.get("indicators", {}).get(indicator)
        if found is not None:
            return str(found["actual"])
    return None


def compare(f: Figures) -> list[Row]:
    """The table: each source figure beside what the services report, with a verdict."""
    inc, zone, facts = f.incubation, f.intake, f.facts
    rows: list[Row] = []

    def count(figure: str, expected: int, stats: int | None, indicator: str | None) -> None:
        fact = facts.get(indicator, 0) if indicator else None
        ok = stats == expected and (fact is None or fact == expected)
        rows.append(Row(figure, _n(expected), _n(stats), _n(fact), ok))

    count(
        "high-level talents (高层次人才)",
        plan.HIGH_LEVEL_TALENTS,
        inc["talents"]["high_level"],
        "talents_high_level",
    )
    count(
        "other researchers (科研人员)",
        plan.RESEARCHERS,
        inc["talents"]["researcher"],
        "talents_researchers",
    )
    count(
        "GBA enterprises with cooperation agreements",
        plan.GBA_AGREEMENTS,
        inc["agreements"]["gba"],
        "agreements_gba",
    )
    count(
        "R&D results transferred in Guangfeng",
        plan.OUTCOMES_TRANSFERRED,
        zone["outcomes_transferred"],
        "outcomes_transferred",
    )
    count(
        "enterprises settled (落户)",
        plan.ENTERPRISES_SETTLED,
        zone["settled"],
        "enterprises_settled",
    )
    count(
        "enterprises serving as HQ economy (总部经济)",
        plan.HQ_ECONOMY,
        inc["hq_economy"],
        "hq_enterprises",
    )
    talents = f.year_over_year["talents.total"]
    rows.append(
        Row(
            f"talents vs the same period a year earlier ({plan.PRIOR_START} – {plan.PRIOR_END})",
            f"over {plan.TIMES_LAST_YEAR}×",
            f"{talents['current']} / {talents['previous']} = {_n(talents['ratio'])}×",
            "—",
            talents["previous"] == len(plan.PRIOR_TALENTS)
            and talents["ratio"] is not None
            and talents["ratio"] > plan.TIMES_LAST_YEAR,
        )
    )
    chain = inc.get("gba_enterprises") or {}
    parts = (chain.get("outcome_transferred"), chain.get("settled"), chain.get("hq_economy"))
    want_parts = (plan.OUTCOMES_TRANSFERRED, plan.ENTERPRISES_SETTLED, plan.HQ_ECONOMY)
    rows.append(
        Row(
            "GBA enterprises = results transferred + settled + HQ economy (by their links)",
            f"{plan.GBA_AGREEMENTS} = " + " + ".join(str(n) for n in want_parts),
            f"{_n(chain.get('total'))} = " + " + ".join(_n(n) for n in parts),
            "—",
            chain.get("total") == plan.GBA_AGREEMENTS
            and parts == want_parts
            and chain.get("other") == 0,
        )
    )
    for track, target in plan.TRAINING_TARGETS.items():
        done = sum(n for t, n, _on in plan.TRAININGS if t == track)
        got = inc["training"].get(track, {})
        completed, aimed = got.get("completed"), got.get("target")
        share = f" ({completed / aimed:.1%})" if completed is not None and aimed else ""
        actual = _actual(f.assessment, f"trainings_{track}")
        rows.append(
            Row(
                f"531 training: {track.replace('_', ' ')} (completed / 2021–2025 target)",
                f"{done:,} / {target:,}",
                f"{_n(completed)} / {_n(aimed)}{share}",
                actual or "no scheme",
                completed == done
                and aimed == target
                and actual is not None
                and float(actual) == done,
            )
        )
    count(
        "enterprises of the 7 chains with R&D demands",
        plan.RD_DEMANDS,
        zone["rd_demands"]["submitted"],
        None,
    )
    count(
        "… of which in cooperation (taken on by the enclave)",
        plan.DEMANDS_WITH_COOPERATION,
        zone["rd_demands"]["in_cooperation"],
        None,
    )

    partners = [d["partner_name"] for d in zone["rd_demands"].get("partners", [])]
    named = [p for p in partners if p]
    rows.append(
        Row(
            "… their partners (university, institute, enterprise)",
            _n(plan.DEMANDS_WITH_COOPERATION),
            f"{len(named)}: " + "; ".join(named),
            "—",
            len(named) == len(partners) == plan.DEMANDS_WITH_COOPERATION,
            True,
        )
    )

    avg, baseline = zone["avg_days_to_construction"], zone["baseline_days_to_construction"]
    rows.append(
        Row(
            "signing → construction start, settled (avg days)",
            f"< {plan.DAYS_TO_CONSTRUCTION_MAX}",
            _n(avg),
            "—",
            avg is not None and avg < plan.DAYS_TO_CONSTRUCTION_MAX,
        )
    )
    ratio = baseline / avg if avg else None
    low, high = plan.BASELINE_RATIO
    rows.append(
        Row(
            "other investment projects (baseline days)",
            "about twice",
            f"{baseline:g} ({ratio:.1f}×)" if ratio else _n(baseline),
            "—",
            ratio is not None and low <= ratio <= high,
        )
    )
    fund = (f.assessment or {}).get("fund", {})
    base = fund.get("base")
    rows.append(
        Row(
            f"base operating fund {plan.YEAR} (yuan)",
            f"{plan.BASE_FUND:,}",
            "—",
            f"{int(base):,}" if base is not None else "no scheme",
            base is not None and int(base) == plan.BASE_FUND,
        )
    )

    paths = ("order", "menu", "directed", "delivery")
    want = "/".join(str(sum(1 for p in plan.PROJECTS if p.path == x)) for x in paths)
    got = "/".join(str(inc["projects"]["by_path"][x]) for x in paths)
    rows.append(Row("projects order/menu/directed/delivery", want, got, "—", want == got, True))
    held = zone["meetings_held"]
    kinds = ("inspection", "coordination", "observation")
    rows.append(
        Row(
            "三个一 meetings held (insp./coord./obs.)",
            "every one owed, 0 overdue",
            "/".join(str(held.get(k, 0)) for k in kinds) + f"; {f.overdue} overdue",
            "—",
            all(held.get(k, 0) > 0 for k in kinds) and f.overdue == 0,
            True,
        )
    )
    want_facts = plan.expected_facts()
    rows.append(
        Row(
            "event facts at the assessment (all indicators)",
            _n(sum(want_facts.values())),
            "—",
            _n(sum(facts.values())),
            dict(facts) == want_facts,
            True,
        )
    )
    sla = f.hotline["sla"]
    in_time = facts.get("tickets_resolved_within_sla", 0)
    rows.append(
        Row(
            "hotline tickets resolved (within SLA)",
            f"{plan.HOTLINE_RESOLVED} ({plan.HOTLINE_WITHIN_SLA})",
            f"{sla['resolved']} of {f.hotline['total']} ({sla['resolved_within_sla']})",
            _n(in_time),
            sla["resolved"] == f.hotline["total"] == plan.HOTLINE_RESOLVED
            and sla["resolved_within_sla"] == in_time == plan.HOTLINE_WITHIN_SLA,
            True,
        )
    )
    return rows


async def verify(
    svc: Services, auth: Auth, say: Say, *, timeout: float = 60.0
) -> tuple[list[Row], Figures]:
    """Read until every row agrees (events still travelling) or the timeout; the last read."""
    deadline = time.monotonic() + timeout
    said = False
    while True:
        figures = await read(svc, auth)
        rows = compare(figures)
        if all(r.ok for r in rows) or time.monotonic() > deadline:
            return rows, figures
        if not said:
            say("waiting for the events to reach every service …")
            said = True
        await asyncio.sleep(0.5)


def table(rows: list[Row], figures: Figures) -> Table:
    """The rows as a rich table."""
    t = Table(
        title=f"The first half-year ({plan.START} – {plan.END}): source vs services",
        caption=_caption(figures),
    )
    t.add_column("figure")
    t.add_column("source", justify="right")
    t.add_column("stats (period)", justify="right")
    t.add_column("assessment", justify="right")
    t.add_column("verdict")
    for r in rows:
        verdict = "[green]ok[/]" if r.ok else "[bold red]DIFFERS[/]"
        name = f"[dim](scenario)[/] {r.figure}" if r.scenario else r.figure
        t.add_row(name, r.source, r.stats, r.assessment, verdict)
    return t


def _caption(f: Figures) -> str:
    a = f.assessment
    if a is None:
        return f"no assessment scheme for {plan.YEAR}"
    fund = a["fund"]
    return (
        f"assessment {plan.YEAR} ({a['status']}, scheme v{a['scheme_version']}): total "
        f"{a['total']}, fund {int(fund['base']):,} + {int(fund['reward']):,} = "
        f"{int(fund['total']):,} yuan. Assessment column: event facts dated in the period."
    )
