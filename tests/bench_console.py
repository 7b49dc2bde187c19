"""The console arm of `make bench`: page render time with the demo's half-year loaded.

Starts the system as `make screenshots` does (tests/console/screenshots.py: the four services
and the console on real sockets, one process, the broker given and SQLite in a temporary
folder, or PostgreSQL on the real profile), loads the demo's half-year through the public
APIs, signs in one account per role with httpx (cookie session, as the console's tests do),
then requests each main page CONSOLE_N times, one request after another, each timed from
send to the full body received (two untimed requests first warm each page). Beside it, in
the same process and run, the framework's ceiling: a bare FastAPI endpoint served by uvicorn
on a socket in the same way, returning the heaviest page's HTML bytes with no service call
and no database.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from enclave_shared.auth import Role
from enclave_shared.keys import public_key_of, read_or_create_private_key
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from rich.console import Console

from tests.bench_limits import percentile
from tests.console.browser import Stack, run_stack
from tests.console.screenshots import YEAR, _accounts, _records
from tests.console.support import serve, sign_in
from tests.e2e.demo import EXIT_OK, run_demo, token_auth
from tests.e2e.scenario import Services

CONSOLE_N = int(os.environ.get("BENCH_CONSOLE_N", "50"))  # timed requests per page
WARMUP = 2  # untimed requests per page first (templates compiled, connections open)
TARGET_P95_MS = 150.0


@dataclass(frozen=True)
class Page:
    """A page to time: its name in the report, who is signed in, the path."""

    name: str
    role: Role
    path: str


PAGES: tuple[Page, ...] = (
    *(Page(f"home-{role.value}", role, "/") for role in Role),
    Page("projects", Role.ENCLAVE_OPERATOR, "/enclave/projects"),
    Page("project", Role.ENCLAVE_OPERATOR, "/enclave/projects/{project}"),
    Page("board", Role.ZONE_OFFICER, "/intake/board"),
    Page("case", Role.ZONE_OFFICER, "/intake/cases/{case}"),
    Page("tickets", Role.HOTLINE_AGENT, "/hotline/tickets"),
    Page("ticket", Role.HOTLINE_AGENT, "/hotline/tickets/{ticket}"),
    Page("assessment", Role.ASSESSOR, f"/assessment?year={YEAR}"),
    Page("admin-users", Role.ADMIN, "/admin/users"),
)


def summary(times_ms: Sequence[float]) -> dict[str, float]:
    ordered = sorted(times_ms)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(percentile(ordered, 0.95), 2),
        "max_ms": round(ordered[-1], 2),
    }


async def time_get(client: httpx.AsyncClient, path: str, n: int) -> tuple[list[float], bytes]:
    """`n` sequential GETs of `path` after WARMUP untimed ones: each one's time in ms (send
    to full body), and the last body. Anything but a 200 stops the bench."""
    times: list[float] = []
    body = b""
    for i in range(WARMUP + n):
        started = time.perf_counter()
        response = await client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:200]!r}")
        body = response.content
        if i >= WARMUP:
            times.append(elapsed)
    return times, body


def ceiling_app(html: bytes) -> FastAPI:
    """The framework's ceiling: the same bytes, no service calls, no database."""
    app = FastAPI()

    @app.get("/")
    async def page() -> HTMLResponse:
        return HTMLResponse(html)

    return app


def _token_keys(folder: Path) -> tuple[Path, Path]:
    """A signing key pair in `folder`, made for this run."""
    folder.mkdir(parents=True, exist_ok=True)
    private, public = folder / "token.pem", folder / "token.pub"
    public.write_text(public_key_of(read_or_create_private_key(private)))
    return private, public


async def _load_demo(stack: Stack, auth: Any) -> None:
    quiet = Console(file=sys.stderr)  # the demo's progress and read-back table, off stdout
    async with contextlib.AsyncExitStack() as clients:
        http = [
            await clients.enter_async_context(
                httpx.AsyncClient(base_url=stack.service_urls[name], timeout=30)
            )
            for name in ("incubation", "intake", "hotline", "assessment")
        ]
        status = await run_demo(Services(*http), auth, quiet, timeout=60)
    if status != EXIT_OK:
        raise RuntimeError("the demo's half-year did not load (its output is on stderr)")


async def console_arm(
    label: str, *, kafka_bootstrap: str, postgres_url: str | None, folder: Path
) -> dict[str, Any]:
    """Time the console's main pages and the ceiling; print a table; the JSON's keys."""
    started = time.monotonic()
    private, public = _token_keys(folder)
    async with run_stack(
        kafka_bootstrap=kafka_bootstrap,
        postgres_url=postgres_url,
        token_keys=(private, public),
        folder=folder,
    ) as stack:
        auth = token_auth(private.read_text())
        await _load_demo(stack, auth)
        loaded = time.monotonic()
        print(f"[{label}] console: demo loaded in {loaded - started:.1f}s", flush=True)
        records = await _records(stack, auth)
        accounts = await _accounts(stack)
        timings: dict[str, list[float]] = {}
        bodies: dict[str, bytes] = {}
        async with contextlib.AsyncExitStack() as clients:
            signed: dict[Role, httpx.AsyncClient] = {}
            for role, (username, password) in accounts.items():
                client = await clients.enter_async_context(
                    httpx.AsyncClient(base_url=stack.url, timeout=30)
                )
                response = await sign_in(client, username, password)
                if response.status_code != 303:
                    raise RuntimeError(f"sign-in as {role}: {response.status_code}")
                signed[role] = client
            for page in PAGES:
                path = page.path.format(**records)
                timings[page.name], bodies[page.name] = await time_get(
                    signed[page.role], path, CONSOLE_N
                )
        heaviest = max(bodies, key=lambda name: len(bodies[name]))
        async with (
            serve(ceiling_app(bodies[heaviest])) as url,
            httpx.AsyncClient(base_url=url, timeout=30) as bare,
        ):
            ceiling, _ = await time_get(bare, "/", CONSOLE_N)
    pages = {name: summary(times) for name, times in timings.items()}
    base = summary(ceiling)
    _print_table(label, pages, base, heaviest, len(bodies[heaviest]))
    print(
        f"[{label}] console arm: {time.monotonic() - started:.1f}s "
        f"({time.monotonic() - loaded:.1f}s timing {CONSOLE_N} requests a page)",
        flush=True,
    )
    return {
        "console_pages": {
            name: {"p50_ms": s["p50_ms"], "p95_ms": s["p95_ms"]} for name, s in pages.items()
        },
        "console_p95_max_ms": max(s["p95_ms"] for s in pages.values()),
        "console_baseline_p95_ms": base["p95_ms"],
    }


def _print_table(
    label: str,
    pages: dict[str, dict[str, float]],
    base: dict[str, float],
    heaviest: str,
    size: int,
) -> None:
    print(
        f"[{label}] console pages, {CONSOLE_N} sequential requests each "
        f"(target p95 ≤ {TARGET_P95_MS:.0f} ms):"
    )
    print(f"  {'page':<26}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p95/base':>10}")
    for name, s in pages.items():
        over = "  over target" if s["p95_ms"] > TARGET_P95_MS else ""
        ratio = s["p95_ms"] / base["p95_ms"]
        print(
            f"  {name:<26}{s['p50_ms']:>9.1f}{s['p95_ms']:>9.1f}{s['max_ms']:>9.1f}"
            f"{ratio:>10.1f}{over}"
        )
    print(
        f"  {'baseline (bare FastAPI)':<26}{base['p50_ms']:>9.1f}{base['p95_ms']:>9.1f}"
        f"{base['max_ms']:>9.1f}{1:>10.1f}   ({heaviest}'s {size:,} bytes)",
        flush=True,
    )
