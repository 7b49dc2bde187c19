"""The HTTP, idle and first-event arms of `make bench`.

HTTP: incubation started as `make run` starts it (its own uvicorn process, the launcher's
command line), 200 projects registered through its API, then, in shuffled rounds so that
every arm meets the machine's noise alike, for BENCH_HTTP_S seconds each at 16 connections:
- `list`: `GET /api/v1/projects?limit=20&path=delivery&stage=proposed` (20 rows, two
  filters, the total in X-Total-Count), as an operator with a bearer token;
- `create`: `POST /api/v1/projects` (a state change and its outbox event in one commit);
- `bare_list`, `bare_create`: the framework's ceiling, a bare FastAPI app on uvicorn with
  the same command line, answering the same bytes with no database and no auth (the create
  endpoint parses its JSON body).
The load tool is wrk when installed (`apt-get install wrk`), otherwise an asyncio client
(`LoadClient`, uvloop, raw HTTP/1.1 keep-alive, each request timed from its send to its whole
answer). Medians over the rounds: throughput, p50, p99, and the server's CPU time per request.

Idle: the whole system as `make run` runs it (`enclave run`: the embedded broker, the console
and the four services), settled, then the CPU time of every process over BENCH_IDLE_S (20 s),
as a percentage of one core. First event: after BENCH_QUIET_S (60 s) with nothing to do, one
project is matured on incubation; the time from its commit (the answer) to intake's case
(polled every 5 ms) is the first event's commit → applied.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from enclave_shared.auth import Role, issue_token
from enclave_shared.kafka import free_port
from enclave_shared.keys import public_key_of, read_or_create_private_key
from fastapi import FastAPI, Request, Response

from tests.bench_limits import percentile

HTTP_S = float(os.environ.get("BENCH_HTTP_S", "5"))
ROUNDS = int(os.environ.get("BENCH_HTTP_ROUNDS", "3"))
CONNECTIONS = 16
IDLE_S = float(os.environ.get("BENCH_IDLE_S", "20"))
QUIET_S = float(os.environ.get("BENCH_QUIET_S", "60"))
SEEDED = 200
LIST_PATH = "/api/v1/projects?limit=20&path=delivery&stage=proposed"
CREATE_PATH = "/api/v1/projects"
CREATE_BODY = json.dumps(
    {
        "path": "delivery",
        "title": "Bench project",
        "industry_chain": "black_talc",
        "registered_on": "2021-01-10",
    }
).encode()
ROOT = Path(__file__).resolve().parents[1]


# --- the bare FastAPI ceiling ---------------------------------------------------------


def bare() -> FastAPI:
    """`uvicorn tests.bench_http:bare --factory`: the same answers, no database, no auth."""
    app = FastAPI()
    listed = Path(os.environ["BENCH_BARE_LIST"]).read_bytes()
    created = Path(os.environ["BENCH_BARE_CREATE"]).read_bytes()

    @app.get("/api/v1/projects")
    async def list_projects() -> Response:
        return Response(listed, media_type="application/json", headers={"x-total-count": "1"})

    @app.post("/api/v1/projects", status_code=201)
    async def create_project(request: Request) -> Response:
        await request.json()
        return Response(created, status_code=201, media_type="application/json")

    return app


# --- processes -------------------------------------------------------------------------


def _uvicorn(target: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A uvicorn process with the launcher's command line (`make run`)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            target,
            "--factory",
            "--lifespan",
            "on",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--timeout-graceful-shutdown",
            "20",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{url}: the process exited with {process.returncode}")
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError(f"{url} not up within {timeout}s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(root: int) -> list[int]:
    """The process and all its descendants."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return found


# --- load ------------------------------------------------------------------------------


class LoadClient:
    """A closed-loop HTTP/1.1 load client: `connections` keep-alive connections, each
    sending its next request when the last answer is read whole; every request is timed
    from its send. Used when wrk is not installed."""

    def __init__(self, port: int, request: bytes, connections: int) -> None:
        self.port = port
        self.request = request
        self.connections = connections

    async def run(self, seconds: float) -> tuple[int, list[float], int]:
        """(requests answered, latencies in ms, answers that were not 2xx)."""
        latencies: list[float] = []
        errors = 0
        deadline = time.perf_counter() + seconds

        async def one_connection() -> None:
            nonlocal errors
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            try:
                while (sent := time.perf_counter()) < deadline:
                    writer.write(self.request)
                    head = await reader.readuntil(b"\r\n\r\n")
                    length = int(re.search(rb"(?i)content-length: *(\d+)", head)[1])  # type: ignore[index]
                    await reader.readexactly(length)
                    latencies.append((time.perf_counter() - sent) * 1000)
                    if not head.startswith(b"HTTP/1.1 2"):
                        errors += 1
            finally:
                writer.close()

        await asyncio.gather(*(one_connection() for _ in range(self.connections)))
        return len(latencies), latencies, errors


def _request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _wrk_script(folder: Path, method: str, headers: dict[str, str], body: bytes) -> Path:
    script = folder / f"wrk-{method.lower()}-{len(headers)}.lua"
    lines = [f'wrk.method = "{method}"']
    if body:
        lines += [f"wrk.body = {json.dumps(body.decode())}"]
        lines += ['wrk.headers["Content-Type"] = "application/json"']
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
    script.write_text("\n".join(lines) + "\n")
    return script


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(port: int, path: str, script: Path, seconds: float) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(q: str) -> float:
        value, unit = re.search(rf"{q}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * _WRK_UNITS[unit]

    requests = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),  # type: ignore[index]
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": int(errors[1]) if errors else 0,
    }


async def _load(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes, folder: Path
) -> dict[str, float]:
    if shutil.which("wrk"):
        script = _wrk_script(folder, method, headers, body)
        return await asyncio.to_thread(_wrk, port, path, script, HTTP_S)
    client = LoadClient(port, _request(method, path, headers, body), CONNECTIONS)
    started = time.perf_counter()
    count, latencies, errors = await client.run(HTTP_S)
    ordered = sorted(latencies)
    return {
        "requests": count,
        "rps": count / (time.perf_counter() - started),
        "p50_ms": statistics.median(ordered),
        "p99_ms": percentile(ordered, 0.99),
        "errors": errors,
    }


# --- the HTTP arm ----------------------------------------------------------------------


def _service_env(
    folder: Path, kafka_bootstrap: str, database_url: str | None, service: str
) -> dict[str, str]:
    private_key = folder / "token.pem"
    public_key = folder / "token.pub"
    public_key.write_text(public_key_of(read_or_create_private_key(private_key)))
    env = {
        **os.environ,
        "ENCLAVE_SERVICE": service,
        "ENCLAVE_DATA_DIR": str(folder),
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "ENCLAVE_TOPIC_PREFIX": f"benchhttp{os.getpid()}{random.randrange(10**6)}",
        "ENCLAVE_JWT_PRIVATE_KEY_FILE": str(private_key),
        "ENCLAVE_JWT_PUBLIC_KEY_FILE": str(public_key),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    if database_url is not None:
        env |= {"DATABASE_URL": database_url, "ENCLAVE_PROFILE": "real"}
    return env


def _token(folder: Path) -> str:
    return issue_token(read_or_create_private_key(folder / "token.pem"), Role.ENCLAVE_OPERATOR)


async def _seed(base: str, auth: dict[str, str]) -> tuple[httpx.Response, httpx.Response]:
    """SEEDED projects registered through the API; the last answer and the list's."""
    async with httpx.AsyncClient(base_url=base, headers=auth, timeout=30) as client:
        for _ in range(SEEDED):
            created = await client.post(
                CREATE_PATH, content=CREATE_BODY, headers={"content-type": "application/json"}
            )
            created.raise_for_status()
        listed = await client.get(LIST_PATH)
        listed.raise_for_status()
        assert len(listed.json()) == 20
    return created, listed


async def http_arm(
    profile: str,
    *,
    kafka_bootstrap: str,
    database_url: str | None,
    peer_database_url: str | None,
    folder: Path,
) -> dict[str, Any]:
    """List and create on incubation beside the naive peer (tests/bench_limits.py) and the
    bare FastAPI ceiling; medians of ROUNDS."""
    folder.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (before any load)
    env = _service_env(folder, kafka_bootstrap, database_url, "incubation")
    port, bare_port, peer_port = free_port(), free_port(), free_port()
    service = _uvicorn("services.incubation.main:create", port, env, folder / "service.log")
    peer_env = {
        **os.environ,
        "BENCH_PEER_DATABASE_URL": peer_database_url or f"sqlite+aiosqlite:///{folder / 'peer.db'}",
        "BENCH_PEER_KAFKA": kafka_bootstrap,
        "BENCH_PEER_TOPIC": f"{env['ENCLAVE_TOPIC_PREFIX']}.peer",
    }
    peer = _uvicorn("tests.bench_limits:peer", peer_port, peer_env, folder / "peer.log")
    bare_process: subprocess.Popen[bytes] | None = None
    try:
        await _until_up(f"http://127.0.0.1:{port}/readyz", service, timeout=90)
        await _until_up(f"http://127.0.0.1:{peer_port}/docs", peer)
        auth = {"Authorization": f"Bearer {_token(folder)}"}
        created, listed = await _seed(f"http://127.0.0.1:{port}", auth)
        await _seed(f"http://127.0.0.1:{peer_port}", {})
        (folder / "list.json").write_bytes(listed.content)
        (folder / "create.json").write_bytes(created.content)
        bare_env = {
            **os.environ,
            "BENCH_BARE_LIST": str(folder / "list.json"),
            "BENCH_BARE_CREATE": str(folder / "create.json"),
        }
        bare_process = _uvicorn("tests.bench_http:bare", bare_port, bare_env, folder / "bare.log")
        await _until_up(f"http://127.0.0.1:{bare_port}/docs", bare_process)
        arms = {
            "list": (service, port, "GET", LIST_PATH, auth, b""),
            "create": (service, port, "POST", CREATE_PATH, auth, CREATE_BODY),
            "peer_list": (peer, peer_port, "GET", LIST_PATH, {}, b""),
            "peer_create": (peer, peer_port, "POST", CREATE_PATH, {}, CREATE_BODY),
            "bare_list": (bare_process, bare_port, "GET", LIST_PATH, {}, b""),
            "bare_create": (bare_process, bare_port, "POST", CREATE_PATH, {}, CREATE_BODY),
        }
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in arms}
        for _ in range(ROUNDS):
            order = list(arms)
            random.shuffle(order)
            for name in order:
                process, arm_port, method, path, headers, body = arms[name]
                cpu_before = cpu_seconds(process.pid)
                figures = await _load(arm_port, method, path, headers, body, folder)
                cpu = cpu_seconds(process.pid) - cpu_before
                figures["cpu_ms_per_request"] = cpu * 1000 / max(figures["requests"], 1)
                runs[name].append(figures)
    finally:
        _stop(service)
        _stop(peer)
        if bare_process is not None:
            _stop(bare_process)
    result: dict[str, Any] = {}
    for name, figures in runs.items():
        for key in ("rps", "p50_ms", "p99_ms", "cpu_ms_per_request"):
            value = statistics.median(f[key] for f in figures)
            result[f"http_{name}_{key}"] = round(value, 3 if key == "cpu_ms_per_request" else 1)
        if any(f["errors"] for f in figures):
            raise RuntimeError(f"{profile} {name}: answers that were not 2xx: {figures}")
    for name in ("list", "create"):
        result[f"http_{name}_ratio"] = round(
            result[f"http_{name}_rps"] / result[f"http_bare_{name}_rps"], 3
        )
        result[f"http_{name}_peer_ratio"] = round(
            result[f"http_{name}_rps"] / result[f"http_peer_{name}_rps"], 3
        )
    return result


GROWTH_STATS_PATH = "/api/v1/stats"


async def growth_arm(
    profile: str, *, kafka_bootstrap: str, database_url: str | None, folder: Path
) -> dict[str, float]:
    """Incubation with ~100,000 projects: the list and the stats, one request at a time,
    first without the migration's list and stats indexes (dropped: the baseline), then with
    them created again."""
    from tests.bench_limits import (
        GROWTH_DOUBLINGS,
        GROWTH_N,
        grow_projects,
        set_growth_indexes,
        timed_gets,
    )

    folder.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (before any load)
    env = _service_env(folder, kafka_bootstrap, database_url, "incubation")
    port = free_port()
    service = _uvicorn("services.incubation.main:create", port, env, folder / "service.log")
    timed: dict[str, list[float]] = {}
    try:
        await _until_up(f"http://127.0.0.1:{port}/readyz", service, timeout=90)
        auth = {"Authorization": f"Bearer {_token(folder)}"}
        base = f"http://127.0.0.1:{port}"
        await _seed(base, auth)
        database = database_url or f"sqlite+aiosqlite:///{folder / 'incubation.db'}"
        projects = await grow_projects(database, GROWTH_DOUBLINGS)
        async with httpx.AsyncClient(base_url=base, headers=auth, timeout=60) as client:
            for indexed in (False, True):
                await set_growth_indexes(database, present=indexed)
                suffix = "" if indexed else "_unindexed"
                timed[f"list{suffix}"] = await timed_gets(client, LIST_PATH, GROWTH_N)
                timed[f"stats{suffix}"] = await timed_gets(client, GROWTH_STATS_PATH, GROWTH_N)
    finally:
        _stop(service)
    print(f"[{profile}] growth: {projects:,} projects", flush=True)
    result: dict[str, float] = {"growth_projects": projects}
    for name, times in timed.items():
        result[f"growth_{name}_p50_ms"] = round(statistics.median(times), 1)
        result[f"growth_{name}_p95_ms"] = round(percentile(times, 0.95), 1)
    # The key earlier rounds gave the list with a candidate index, now the migration's.
    result["growth_list_indexed_p50_ms"] = result["growth_list_p50_ms"]
    result["growth_list_indexed_p95_ms"] = result["growth_list_p95_ms"]
    return result


# --- idle and the first event after a quiet spell --------------------------------------


SYSTEM_PORTS = ("console", "incubation", "intake", "hotline", "assessment")


@contextmanager
def _make_run(folder: Path) -> Iterator[tuple[subprocess.Popen[bytes], dict[str, int]]]:
    """`enclave run` (what `make run` runs) on free ports in `folder`."""
    ports = {name: free_port() for name in SYSTEM_PORTS}
    env = {
        **os.environ,
        "ENCLAVE_DATA_DIR": str(folder),
        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",
        **{f"{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    for variable in ("DATABASE_URL", "ENCLAVE_PROFILE", "ENCLAVE_TOPIC_PREFIX"):
        env.pop(variable, None)
    enclave = Path(sys.executable).parent / "enclave"
    system = subprocess.Popen(
        [str(enclave), "run"],
        cwd=ROOT,
        env=env,
        stdout=(folder / "run.log").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield system, ports
    finally:
        if system.poll() is None:
            system.send_signal(signal.SIGINT)
            try:
                system.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(system.pid, signal.SIGKILL)
                system.wait()


async def _first_event_ms(incubation: str, intake: str, token: str, project_title: str) -> float:
    """Mature a project; ms from its commit (the answer) to intake's case for it."""
    auth = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(headers=auth, timeout=30) as client:
        created = await client.post(
            f"{incubation}/api/v1/projects",
            json={**json.loads(CREATE_BODY), "title": project_title},
        )
        created.raise_for_status()
        project_id = created.json()["id"]
        # The registration's own event wakes intake's consumer: quiet again before the timing.
        await asyncio.sleep(QUIET_S)
        matured = await client.post(
            f"{incubation}/api/v1/projects/{project_id}/maturity",
            json={"matured_on": "2021-03-01"},
        )
        committed = time.perf_counter()
        matured.raise_for_status()
        deadline = committed + 30
        while time.perf_counter() < deadline:
            cases = await client.get(f"{intake}/api/v1/cases", params={"project_id": project_id})
            if cases.status_code == 200 and cases.json():
                return (time.perf_counter() - committed) * 1000
            await asyncio.sleep(0.005)
    raise TimeoutError("the matured project's case did not arrive within 30 s")


async def idle_arm(folder: Path) -> dict[str, float]:
    """Idle CPU of `make run` (all processes), then the first event after a quiet spell."""
    folder.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (before any load)
    with _make_run(folder) as (system, ports):
        deadline = time.monotonic() + 120
        while b"ready" not in (folder / "run.log").read_bytes():
            if system.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"enclave run did not start: see {folder / 'run.log'}")
            await asyncio.sleep(0.2)
        token = _system_token(folder)
        incubation = f"http://127.0.0.1:{ports['incubation']}"
        intake = f"http://127.0.0.1:{ports['intake']}"
        for url in (incubation, intake):
            await _until_up(f"{url}/readyz", system, timeout=60)
        await asyncio.sleep(5)  # start-up settled: groups joined, first fetches answered
        pids = process_tree(system.pid)
        before = {pid: cpu_seconds(pid) for pid in pids}
        started = time.perf_counter()
        await asyncio.sleep(IDLE_S)
        elapsed = time.perf_counter() - started
        each = {pid: cpu_seconds(pid) - before[pid] for pid in pids}
        idle_pct = 100 * sum(each.values()) / elapsed
        for pid, used in sorted(each.items(), key=lambda item: -item[1]):
            print(f"  idle: {100 * used / elapsed:5.2f} % {_command(pid)}", flush=True)
        first = await _first_event_ms(incubation, intake, token, "Quiet spell project")
    return {
        "idle_cpu_pct": round(idle_pct, 2),
        "idle_processes": len(pids),
        "first_event_ms": round(first, 1),
    }


def _command(pid: int) -> str:
    """A process's command line, shortened to what names it."""
    words = [w.decode() for w in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if w]
    named = [w for w in words if "services." in w or "broker" in w.lower() or w == "run"]
    return " ".join(named or words[-2:])[:90]


def _system_token(folder: Path) -> str:
    from enclave_shared.settings import ServiceSettings

    key = ServiceSettings(data_dir=folder).signing_key()
    return issue_token(key, Role.ADMIN)


async def first_event_real(
    *, kafka_bootstrap: str, database_urls: dict[str, str], folder: Path
) -> float:
    """The first event after a quiet spell on the real profile: incubation and intake in
    processes of their own, as a deployment runs them."""
    folder.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (before any load)
    ports = {name: free_port() for name in ("incubation", "intake")}
    prefix = f"benchquiet{os.getpid()}{random.randrange(10**6)}"
    processes = []
    try:
        for name, port in ports.items():
            env = _service_env(folder, kafka_bootstrap, database_urls[name], name)
            env["ENCLAVE_TOPIC_PREFIX"] = prefix
            processes.append(
                _uvicorn(f"services.{name}.main:create", port, env, folder / f"{name}.log")
            )
        for process, port in zip(processes, ports.values(), strict=True):
            await _until_up(f"http://127.0.0.1:{port}/readyz", process, timeout=90)
        token = issue_token(read_or_create_private_key(folder / "token.pem"), Role.ADMIN)
        return await _first_event_ms(
            f"http://127.0.0.1:{ports['incubation']}",
            f"http://127.0.0.1:{ports['intake']}",
            token,
            "Quiet spell project",
        )
    finally:
        for process in processes:
            _stop(process)


async def _main() -> None:
    """`python -m tests.bench_http`: the HTTP and idle arms alone, embedded profile."""
    from enclave_shared.kafka import EmbeddedBroker

    with tempfile.TemporaryDirectory() as tmp:
        broker = EmbeddedBroker(port=free_port())
        broker.start()
        try:
            figures = await http_arm(
                "embedded",
                kafka_bootstrap=broker.bootstrap_servers,
                database_url=None,
                peer_database_url=None,
                folder=Path(tmp) / "http",
            )
        finally:
            broker.stop()
        if os.environ.get("BENCH_IDLE", "1") == "1":
            figures |= await idle_arm(Path(tmp) / "idle")
    print(json.dumps(figures))


if __name__ == "__main__":
    import uvloop

    uvloop.run(_main())
