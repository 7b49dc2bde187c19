"""`make run`: the embedded broker, the console and the four services as separate uvicorn
processes."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable

from enclave_shared.app import ServiceSpec
from enclave_shared.kafka import EmbeddedBroker
from enclave_shared.settings import ServiceSettings

# The console first: the web application people use; the four services behind it.
SERVICES = {
    "console": 8000,
    "incubation": 8001,
    "intake": 8002,
    "hotline": 8003,
    "assessment": 8004,
}


def _port(name: str) -> int:
    return int(os.environ.get(f"{name.upper()}_PORT", SERVICES[name]))


def load_spec(name: str) -> ServiceSpec:
    """A service's spec, from services/<name>/main.py."""
    module = importlib.import_module(f"services.{name}.main")
    spec: ServiceSpec = module.SPEC
    return spec


def run_system() -> int:
    """Run everything until Ctrl-C or SIGTERM; services drain first, the broker stops last."""
    settings = ServiceSettings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.signing_key()  # made once, before the services race to read it
    broker_port = int(settings.kafka_bootstrap_servers.rsplit(":", 1)[1])
    broker = EmbeddedBroker(port=broker_port, log_path=settings.data_dir / "broker.log")
    broker.start()
    print(f"broker      {broker.bootstrap_servers} (embedded, memory only)", flush=True)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def request_stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        # The console calls the services where this run put them (their ports may be moved).
        service_urls = {
            f"CONSOLE_{n.upper()}_URL": f"http://127.0.0.1:{_port(n)}"
            for n in SERVICES
            if n != "console"
        }
        env = {
            **os.environ,
            **service_urls,
            "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers,
        }
        for name in SERVICES:
            processes[name] = _spawn(name, env)
            page = "" if name == "console" else "docs"  # the console's pages; an API's UI
            print(
                f"{name:<11} http://127.0.0.1:{_port(name)}/{page}  (pid {processes[name].pid})",
                flush=True,
            )
        _wait_ready({n: _port(n) for n in SERVICES}, processes, lambda: stopping)
        if not stopping:
            print("ready — Ctrl-C stops everything", flush=True)
            print(
                f"console     http://127.0.0.1:{_port('console')}/  (sign in with an account made "
                "by `.venv/bin/enclave user add NAME --role ROLE --password-stdin`)",
                flush=True,
            )
        _supervise(processes, env, lambda: stopping)
        return 0
    finally:
        print("stopping services …", flush=True)
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        broker.stop()
        print("stopped", flush=True)


RESTART_DELAY_MAX_S = 30.0
STEADY_S = 60.0
"""A service that ran this long since its last start is restarted after the shortest delay."""


def _spawn(name: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            f"services.{name}.main:create",
            "--factory",
            "--lifespan",
            "on",  # a start-up that fails stops the process (auto would serve without it)
            "--host",
            "127.0.0.1",
            "--port",
            str(_port(name)),
            "--log-level",
            "warning",
            "--timeout-graceful-shutdown",
            "20",
        ],
        env={**env, "ENCLAVE_SERVICE": name},
        start_new_session=True,
    )


def _supervise(
    processes: dict[str, subprocess.Popen[bytes]],
    env: dict[str, str],
    stopping: Callable[[], bool],
) -> None:
    """Restart a service that dies, after a delay that doubles while it keeps dying (1 s up
    to 30 s) and is short again once it has run for a minute; until Ctrl-C or SIGTERM."""
    delay = dict.fromkeys(processes, 1.0)
    started = dict.fromkeys(processes, time.monotonic())
    restart_at: dict[str, float] = {}
    while not stopping():
        now = time.monotonic()
        for name, process in list(processes.items()):
            if process.poll() is None:
                if now - started[name] >= STEADY_S:
                    delay[name] = 1.0
                continue
            if name not in restart_at:
                restart_at[name] = now + delay[name]
                print(
                    f"{name} exited with {process.returncode}; restarting in {delay[name]:.0f}s",
                    flush=True,
                )
            elif now >= restart_at[name]:
                del restart_at[name]
                processes[name] = _spawn(name, env)
                started[name] = now
                delay[name] = min(delay[name] * 2, RESTART_DELAY_MAX_S)
                print(f"{name} restarted (pid {processes[name].pid})", flush=True)
        time.sleep(0.2)


def _wait_ready(
    ports: dict[str, int],
    processes: dict[str, subprocess.Popen[bytes]],
    stopping: Callable[[], bool],
) -> None:
    deadline = time.monotonic() + 60
    pending = dict(ports)
    while pending and time.monotonic() < deadline and not stopping():
        for name, port in list(pending.items()):
            if processes[name].poll() is not None:
                # (the broker not reachable yet, say): supervision restarts it, as any death
                print(f"{name} failed to start (exit {processes[name].returncode})", flush=True)
                del pending[name]
                continue
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    del pending[name]
            except OSError:
                pass
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(run_system())
