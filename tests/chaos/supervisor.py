"""`make run`'s supervision for the real profile: the launcher's own spawn, readiness wait and
restart loop (a dead service is restarted after 1 s, doubling, its new pid printed), with no
embedded broker (Apache Kafka is given) and each service on its own database.

`CHAOS_SERVICE_ENV` is a JSON object: service name → the variables only it gets
(its `DATABASE_URL`). Run as `python -m tests.chaos.supervisor`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from enclave_shared import launcher


def main() -> int:
    own: dict[str, dict[str, str]] = json.loads(os.environ.pop("CHAOS_SERVICE_ENV"))
    spawn = launcher._spawn

    def spawn_own(name: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
        return spawn(name, {**env, **own[name]})

    launcher._spawn = spawn_own  # _supervise restarts through the module's _spawn
    stopping = False

    def request_stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    env = dict(os.environ)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for name in own:
            processes[name] = spawn_own(name, env)
            port, pid = launcher._port(name), processes[name].pid
            print(f"{name:<11} port {port}  (pid {pid})", flush=True)
        launcher._wait_ready({n: launcher._port(n) for n in own}, processes, lambda: stopping)
        if not stopping:
            print("ready — Ctrl-C stops everything", flush=True)
        launcher._supervise(processes, env, lambda: stopping)
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
        print("stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
