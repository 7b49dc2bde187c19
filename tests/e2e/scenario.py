"""The first half-year of the enclave, driven through the four services' public HTTP APIs.

Every function takes the four clients (`Services`, base URL set, paths start at /api/v1)
and an `Auth` that gives the headers of a role. Cross-service steps wait for the events
that carry them (a demand reaching the enclave's backlog, a matured project's intake case,
a settled enterprise's landing follow-up ticket) by polling with a timeout.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx

from tests.e2e import plan

EXAMPLE_SCHEME = Path(__file__).resolve().parents[2] / "services/assessment/example_scheme.json"
T = TypeVar("T")
Say = Callable[[str], None]


class Auth(Protocol):
    """Headers with a bearer token for a role (and an account, for enterprise users)."""

    def __call__(self, role: str, sub: str | None = None) -> dict[str, str]: ...


@dataclass
class Services:
    """One HTTP client per service."""

    incubation: httpx.AsyncClient
    intake: httpx.AsyncClient
    hotline: httpx.AsyncClient
    assessment: httpx.AsyncClient


class ScenarioError(RuntimeError):
    """A step of the scenario failed: the message names the call or the wait."""


@dataclass
class Loaded:
    """Ids the scenario created, for the steps after it."""

    ambassadors: list[str] = field(default_factory=list)
    demands: list[str] = field(default_factory=list)
    menu_items: list[str] = field(default_factory=list)
    talents: list[str] = field(default_factory=list)  # in plan.TALENTS order
    projects: list[str] = field(default_factory=list)  # in plan.PROJECTS order
    cases: dict[int, dict[str, Any]] = field(default_factory=dict)  # project index → case
    tickets_resolved: int = 0
    meetings_held: int = 0


async def call(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    headers: dict[str, str],
    *,
    body: Any = None,
    params: dict[str, Any] | None = None,
    ok: tuple[int, ...] = (200, 201),
) -> Any:
    """One request; a status outside `ok` fails the scenario with the call and the answer."""
    resp = await client.request(method, path, headers=headers, json=body, params=params)
    if resp.status_code not in ok:
        raise ScenarioError(
            f"{method} {client.base_url}{path} {params or ''} answered {resp.status_code}: "
            f"{resp.text[:500]}"
        )
    return resp.json() if resp.content else None


async def poll(
    what: str, check: Callable[[], Awaitable[T | None]], timeout: float, interval: float = 0.3
) -> T:
    """Call `check` until it returns a value; after `timeout` seconds fail naming the wait."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise ScenarioError(
                f"timed out after {timeout:.0f}s waiting for {what}: the event that carries it "
                "did not arrive (is every service running and consuming?)"
            )
        await asyncio.sleep(interval)


# --- has the scenario run here before? --------------------------------------------------------


async def state(svc: Services, auth: Auth) -> str:
    """`empty` (no data in the period), `complete` (the marker is there) or `partial`."""
    window = {"from": plan.START.isoformat(), "to": plan.END.isoformat()}
    inc = await call(
        svc.incubation, "GET", "/api/v1/stats", auth("enclave_operator"), params=window
    )
    zone = await call(svc.intake, "GET", "/api/v1/stats", auth("zone_officer"), params=window)
    prior = {"from": plan.PRIOR_START.isoformat(), "to": plan.PRIOR_END.isoformat()}
    baseline = await call(
        svc.incubation, "GET", "/api/v1/stats", auth("enclave_operator"), params=prior
    )
    counts = (
        baseline["talents"]["total"],
        baseline["activities"]["total"],
        inc["talents"]["total"],
        inc["agreements"]["total"],
        inc["projects"]["registered"],
        inc["hq_economy"],
        inc["activities"]["total"],
        zone["rd_demands"]["submitted"],
        zone["menu_items"],
        zone["cases_opened"],
    )
    if not any(counts):
        return "empty"
    day = {"from": plan.MARKER_ON.isoformat(), "to": plan.MARKER_ON.isoformat(), "limit": 500}
    held = await call(
        svc.incubation, "GET", "/api/v1/activities", auth("enclave_operator"), params=day
    )
    return "complete" if any(a["title"] == plan.MARKER_TITLE for a in held) else "partial"


# --- the scenario --------------------------------------------------------------------------------


async def run(svc: Services, auth: Auth, say: Say, *, timeout: float = 60.0) -> Loaded:
    """Load the whole half-year; the marker activity is the last record written."""
    loaded = Loaded()
    await prior_year(svc, auth, say)
    await recruit(svc, auth, say, loaded)
    await zone_publishes(svc, auth, say, loaded, timeout=timeout)
    await incubate(svc, auth, say, loaded)
    await sign_agreements(svc, auth, say, loaded)
    await transfer(svc, auth, say, loaded, timeout=timeout)
    await hotline(svc, auth, say, loaded, timeout=timeout)
    await assessment_setup(svc, auth, say)
    marker = plan.ACTIVITIES[-1]
    await _activity(svc, auth, marker)
    say(f"marker written: {marker.title!r} on {marker.held_on}")
    return loaded


async def prior_year(svc: Services, auth: Auth, say: Say) -> None:
    """The baseline: the same period a year earlier, what the district recruited then."""
    await call(
        svc.incubation,
        "POST",
        "/api/v1/talents/batch",
        auth("enclave_operator"),
        body={"talents": [_talent(t, None) for t in plan.PRIOR_TALENTS]},
    )
    for activity in plan.PRIOR_ACTIVITIES:
        await _activity(svc, auth, activity)
    say(
        f"the baseline {plan.PRIOR_START} – {plan.PRIOR_END}: {len(plan.PRIOR_TALENTS)} talents, "
        f"{len(plan.PRIOR_ACTIVITIES)} activity"
    )


def _talent(t: plan.Talent, ambassador_id: str | None) -> dict[str, Any]:
    return {
        "name": t.name,
        "level": t.level,
        "field": t.field,
        "recruited_on": t.recruited_on.isoformat(),
        "ambassador_id": ambassador_id,
    }


async def recruit(svc: Services, auth: Auth, say: Say, loaded: Loaded) -> None:
    """Ambassadors, talents (one batch), HQ economy, 531 training and the activities."""
    op = auth("enclave_operator")
    for name, organisation in plan.AMBASSADORS:
        row = await call(
            svc.incubation,
            "POST",
            "/api/v1/ambassadors",
            op,
            body={"name": name, "organisation": organisation, "appointed_on": "2020-11-08"},
        )
        loaded.ambassadors.append(row["id"])
    talents = [
        _talent(t, None if t.ambassador is None else loaded.ambassadors[t.ambassador])
        for t in plan.TALENTS
    ]
    recruited = await call(
        svc.incubation, "POST", "/api/v1/talents/batch", op, body={"talents": talents}
    )
    loaded.talents.extend(t["id"] for t in recruited)
    by_ambassador = sum(1 for t in plan.TALENTS if t.ambassador is not None)
    say(
        f"recruited {plan.HIGH_LEVEL_TALENTS} high-level talents and {plan.RESEARCHERS} "
        f"researchers ({by_ambassador} through {len(plan.AMBASSADORS)} talent ambassadors)"
    )
    for track, count, completed_on in plan.TRAININGS:
        await call(
            svc.incubation,
            "POST",
            "/api/v1/trainings",
            op,
            body={"track": track, "count": count, "completed_on": completed_on.isoformat()},
        )
    for activity in plan.ACTIVITIES[:-1]:  # the last one is the marker, written at the end
        await _activity(svc, auth, activity)
    say(f"{len(plan.TRAININGS)} training completions, {len(plan.ACTIVITIES) - 1} activities")


async def _activity(svc: Services, auth: Auth, activity: plan.Activity) -> None:
    await call(
        svc.incubation,
        "POST",
        "/api/v1/activities",
        auth("enclave_operator"),
        body={
            "kind": activity.kind,
            "title": activity.title,
            "held_on": activity.held_on.isoformat(),
            "attendance": activity.attendance,
        },
    )


async def zone_publishes(
    svc: Services, auth: Auth, say: Say, loaded: Loaded, *, timeout: float
) -> None:
    """29 R&D demands of local enterprises and the zone's menu, until the enclave has them."""
    officer = auth("zone_officer")
    for i, d in enumerate(plan.DEMANDS):
        body: dict[str, Any] = {
            "enterprise": d.enterprise,
            "industry_chain": d.industry_chain,
            "title": d.title,
            "submitted_on": d.submitted_on.isoformat(),
        }
        if i < len(plan.DEMAND_PARTNERS):  # the ones the enclave takes on name a partner
            name, kind, in_gba = plan.DEMAND_PARTNERS[i]
            body["partner"] = {"name": name, "kind": kind, "in_gba": in_gba}
        row = await call(svc.intake, "POST", "/api/v1/rd-demands", officer, body=body)
        loaded.demands.append(row["id"])
    for kind, level, count, name in plan.PLATFORM_COUNTS:
        for n in range(count):
            await call(
                svc.intake,
                "POST",
                "/api/v1/platforms",
                officer,
                body={
                    "kind": kind,
                    "name": name if count == 1 else f"{name}（{n + 1}）",
                    "level": level,
                    "since": plan.PLATFORMS_SINCE.isoformat(),
                },
            )
    for title, chain, layout, published_on in plan.MENU_ITEMS:
        row = await call(
            svc.intake,
            "POST",
            "/api/v1/menu-items",
            officer,
            body={
                "title": title,
                "industry_chain": chain,
                "layout_category": layout,
                "published_on": published_on.isoformat(),
            },
        )
        loaded.menu_items.append(row["id"])
    say(f"intake: {len(plan.DEMANDS)} R&D demands and {len(plan.MENU_ITEMS)} menu items")
    op = auth("enclave_operator")
    wanted = [("demands", i) for i in loaded.demands] + [
        ("menu-items", i) for i in loaded.menu_items
    ]
    for kind, source_id in wanted:

        async def arrived(kind: str = kind, source_id: str = source_id) -> bool:
            path = f"/api/v1/backlog/{kind}/{source_id}"
            resp = await svc.incubation.get(path, headers=op)
            return resp.status_code == 200

        await poll(f"{kind} {source_id} in the enclave's backlog", arrived, timeout)
    say("the enclave's backlog has every demand and menu item")


async def incubate(svc: Services, auth: Auth, say: Say, loaded: Loaded) -> None:
    """Projects on the four paths: registered, incubating, and (some) matured."""
    op = auth("enclave_operator")
    for i, p in enumerate(plan.PROJECTS):
        body: dict[str, Any] = {"title": p.title, "registered_on": p.registered_on.isoformat()}
        if p.path == "order":
            path = f"/api/v1/backlog/demands/{loaded.demands[p.source or 0]}/project"
        elif p.path == "menu":
            path = f"/api/v1/backlog/menu-items/{loaded.menu_items[p.source or 0]}/project"
        else:
            path = "/api/v1/projects"
            body.update(path=p.path, industry_chain=p.industry_chain)
            if p.path == "directed":
                body.update(enterprise=p.enterprise, enterprise_tag=p.enterprise_tag)
        body["team_members"] = ["Enclave R&D team lead", "GBA partner engineer"]
        # The team lead is one of the enclave's high-level talents, named by id.
        body["team_talent_ids"] = [loaded.talents[i % plan.HIGH_LEVEL_TALENTS]]
        project = await call(svc.incubation, "POST", path, op, body=body)
        loaded.projects.append(project["id"])
        await call(
            svc.incubation,
            "POST",
            f"/api/v1/projects/{project['id']}/incubation",
            op,
            body={"started_on": p.incubation_on.isoformat()},
        )
    paths = {path: sum(1 for p in plan.PROJECTS if p.path == path) for path in plan_paths()}
    say(
        "projects registered and incubating: "
        + ", ".join(f"{n} {path}" for path, n in paths.items())
    )


def plan_paths() -> tuple[str, ...]:
    """The four intake paths, in the source's order."""
    return ("order", "menu", "directed", "delivery")


async def sign_agreements(svc: Services, auth: Auth, say: Say, loaded: Loaded) -> None:
    """19 cooperation agreements with GBA enterprises + 2 others, each GBA one naming the
    project it led to; then the HQ-economy enterprises, each naming its agreement."""
    op = auth("enclave_operator")
    agreement_of_hq: dict[int, str] = {}
    for a in plan.AGREEMENTS:
        body: dict[str, Any] = {
            "partner": a.partner,
            "kind": a.kind,
            "in_gba": a.in_gba,
            "signed_on": a.signed_on.isoformat(),
        }
        if a.project is not None:
            body["project_ids"] = [loaded.projects[a.project]]
        row = await call(svc.incubation, "POST", "/api/v1/agreements", op, body=body)
        if a.hq is not None:
            agreement_of_hq[a.hq] = row["id"]
    gba = sum(1 for a in plan.AGREEMENTS if a.in_gba)
    linked = sum(1 for a in plan.AGREEMENTS if a.project is not None)
    say(
        f"{gba} cooperation agreements with GBA enterprises ({linked} naming the project they "
        f"led to), {len(plan.AGREEMENTS) - gba} others"
    )
    for i, (name, chain, registered_on) in enumerate(plan.HQ_ENTERPRISES):
        body = {"name": name, "industry_chain": chain, "registered_on": registered_on.isoformat()}
        if i in agreement_of_hq:
            body["agreement_id"] = agreement_of_hq[i]
        await call(svc.incubation, "POST", "/api/v1/hq-enterprises", op, body=body)
    say(f"{len(plan.HQ_ENTERPRISES)} HQ-economy enterprises, each naming its GBA agreement")


async def transfer(svc: Services, auth: Auth, say: Say, loaded: Loaded, *, timeout: float) -> None:
    """Mature projects; at the intake base: sign, build, produce, and keep the 三个一."""
    op, officer = auth("enclave_operator"), auth("zone_officer")
    matured = [i for i, p in enumerate(plan.PROJECTS) if p.matured_on is not None]
    for i in matured:
        await call(
            svc.incubation,
            "POST",
            f"/api/v1/projects/{loaded.projects[i]}/maturity",
            op,
            body={"matured_on": plan.PROJECTS[i].matured_on.isoformat()},  # type: ignore[union-attr]
        )
    say(f"{len(matured)} projects matured; waiting for their intake cases")
    for i in matured:
        project_id = loaded.projects[i]

        async def opened(project_id: str = project_id) -> dict[str, Any] | None:
            cases = await call(
                svc.intake, "GET", "/api/v1/cases", officer, params={"project_id": project_id}
            )
            return cases[0] if cases else None

        loaded.cases[i] = await poll(f"the intake case of project {project_id}", opened, timeout)
    plots = iter(plan.SETTLED_PLOTS)
    for i, case in loaded.cases.items():
        loaded.meetings_held += await _land(svc, officer, plan.PROJECTS[i], case)
        if plan.PROJECTS[i].path != "order":  # a settled enterprise: on its plot of the base
            body = {"plot_id": next(plots)}
            await call(svc.intake, "PUT", f"/api/v1/cases/{case['id']}/plot", officer, body=body)
    settled = sum(1 for i in loaded.cases if plan.PROJECTS[i].path != "order")
    say(
        f"intake: {len(loaded.cases) - settled} R&D results transferred, {settled} enterprises "
        f"settled, all in production; {loaded.meetings_held} 三个一 meetings held"
    )


async def _land(
    svc: Services, officer: dict[str, str], project: plan.Project, case: dict[str, Any]
) -> int:
    """One case from red to blue, then a meeting in every period it owed one."""
    planned = project.case
    assert planned is not None
    base = f"/api/v1/cases/{case['id']}"
    await call(
        svc.intake,
        "PUT",
        f"{base}/responsible",
        officer,
        body={"unit": "High-tech zone intake base office", "person": "Officer Li"},
    )
    signing: dict[str, Any] = {"signed_on": planned.signed_on.isoformat()}
    if case["enterprise"] is None:
        signing["enterprise"] = planned.enterprise
    await call(svc.intake, "POST", f"{base}/signing", officer, body=signing)
    for step, day in (
        ("construction", planned.construction_on),
        ("production", planned.production_on),
    ):
        await call(
            svc.intake, "POST", f"{base}/{step}", officer, body={"started_on": day.isoformat()}
        )
    slots = await call(
        svc.intake,
        "GET",
        f"{base}/schedule",
        officer,
        params={"until": planned.production_on.isoformat()},
    )
    held = 0
    for slot in slots:
        if slot["status"] != "held":
            await _hold(svc, officer, case, slot)
            held += 1
    return held


async def _hold(
    svc: Services, officer: dict[str, str], case: dict[str, Any], slot: dict[str, Any]
) -> None:
    """Hold the slot's meeting early in its period, on the first day that is not quiet."""
    start, due = date.fromisoformat(slot["start"]), date.fromisoformat(slot["due_on"])
    day = max(start, date.fromisoformat(case["opened_on"])) + timedelta(days=2)
    day = min(day, due)
    while True:
        resp = await svc.intake.post(
            f"/api/v1/cases/{case['id']}/meetings",
            headers=officer,
            json={"kind": slot["kind"], "held_on": day.isoformat(), "notes": "demo: held"},
        )
        if resp.status_code == 201:
            return
        if resp.status_code != 409 or day >= due:  # 409: a quiet day (宁静日), try the next
            raise ScenarioError(
                f"POST meeting for case {case['id']} on {day} answered {resp.status_code}: "
                f"{resp.text[:300]}"
            )
        day += timedelta(days=1)


async def hotline(svc: Services, auth: Auth, say: Say, loaded: Loaded, *, timeout: float) -> None:
    """Landing follow-ups (from the settlements) and callers' problems, on 2021 business times.

    Only agents may date what happened, so the agents record the web problems too (channel
    web) and close them when the enterprise confirms.
    """
    agent = auth("hotline_agent")
    tickets: list[tuple[dict[str, Any], int, bool]] = []  # ticket, hours to resolve, close?
    for i, case in loaded.cases.items():
        if plan.PROJECTS[i].path == "order":
            continue

        async def followup(case_id: str = case["id"]) -> dict[str, Any] | None:
            rows = await call(
                svc.hotline,
                "GET",
                "/api/v1/tickets",
                agent,
                params={"kind": "landing_followup", "case_id": case_id},
            )
            return rows[0] if rows else None

        found = await poll(f"the landing follow-up of case {case['id']}", followup, timeout)
        tickets.append((found, plan.FOLLOWUP_HOURS_TO_RESOLVE, False))
    case_list = [(i, loaded.cases[i]) for i, p in enumerate(plan.PROJECTS) if i in loaded.cases]
    for t in plan.TICKETS:
        i, case = case_list[t.case]
        body = {
            "category": t.category,
            "description": f"[demo] {t.description}",
            "case_id": case["id"],
            "project_id": case["project_id"],
            "enterprise_id": case["enterprise"] or plan.PROJECTS[i].case.enterprise,  # type: ignore[union-attr]
            "channel": "web" if t.web else "phone",
            "opened_at": t.opened_at.isoformat(),
        }
        ticket = await call(svc.hotline, "POST", "/api/v1/tickets", agent, body=body)
        tickets.append((ticket, t.hours_to_resolve, t.web))
    for ticket, hours, close in tickets:
        await _handle(svc, agent, ticket, hours_to_resolve=hours, close=close)
    loaded.tickets_resolved = len(tickets)
    say(
        f"hotline: {len(plan.TICKETS)} problems raised and {plan.ENTERPRISES_SETTLED} landing "
        f"follow-ups, all accepted, routed and resolved on 2021 business times"
    )


async def _handle(
    svc: Services,
    agent: dict[str, str],
    ticket: dict[str, Any],
    *,
    hours_to_resolve: int,
    close: bool,
) -> None:
    """Accept, route, resolve (and close) one ticket, each move dated after its opening."""
    base = f"/api/v1/tickets/{ticket['id']}"
    opened = datetime.fromisoformat(ticket["opened_at"])

    def at(hours: int) -> str:
        return (opened + timedelta(hours=hours)).isoformat()

    department = plan.DEPARTMENTS.get(ticket["category"], plan.DEPARTMENTS["permits"])
    await call(
        svc.hotline, "POST", f"{base}/acceptance", agent, body={"at": at(plan.ACCEPT_AFTER_H)}
    )
    route = {"department": department, "at": at(plan.ROUTE_AFTER_H)}
    await call(svc.hotline, "POST", f"{base}/routing", agent, body=route)
    summary = f"Handled by {department}; the enterprise confirmed."
    resolution = {"summary": summary, "at": at(hours_to_resolve)}
    await call(svc.hotline, "POST", f"{base}/resolution", agent, body=resolution)
    if close:  # a web problem: closed when the enterprise confirms
        closing = {
            "comment": "the enterprise confirmed on the web",
            "at": at(hours_to_resolve + plan.CLOSE_AFTER_RESOLVE_H),
        }
        await call(svc.hotline, "POST", f"{base}/closure", agent, body=closing)


async def assessment_setup(svc: Services, auth: Auth, say: Say) -> None:
    """The example scheme for the year, and the assessors' manual indicators."""
    assessor = auth("assessor")
    scheme = json.loads(EXAMPLE_SCHEME.read_text())
    await call(svc.assessment, "PUT", f"/api/v1/schemes/{plan.YEAR}", assessor, body=scheme)
    for key, value, evidence in plan.MANUAL:
        await call(
            svc.assessment,
            "PUT",
            f"/api/v1/assessments/{plan.YEAR}/manual/{key}",
            assessor,
            body={"value": value, "evidence": evidence},
        )
    say(f"assessment: example scheme put for {plan.YEAR}, {len(plan.MANUAL)} manual indicators")
