"""`make run` (the launcher) stopped and started while events are in flight: nothing lost.

The embedded broker keeps nothing on disk, so after the restart the outbox re-publishes
what the broker lost and the idempotent consumers apply only what they had not applied.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from enclave_shared.kafka import free_port
from enclave_shared.launcher import SERVICES

from tests.support import eventually

ENCLAVE = str(Path(sys.executable).parent / "enclave")


def _start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [ENCLAVE, "run"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


async def _ready(log: Path, count: int) -> bool:
    return log.read_text().count("ready — Ctrl-C") >= count  # noqa: ASYNC240 (tiny file)


def _pid(log: Path, name: str) -> int:
    """The pid `make run` printed last for a service (at its start or restart)."""
    lines = [line for line in log.read_text().splitlines() if line.startswith(name)]
    return int(re.findall(r"pid (\d+)", "\n".join(lines))[-1])


async def _logged(log: Path, text: str) -> bool:
    return text in log.read_text()  # noqa: ASYNC240 (tiny file)


async def test_run_stopped_and_started_with_events_in_flight_loses_nothing(tmp_path):
    """Also: a service killed with -9 is restarted by `make run` and misses nothing."""
    ports = {name: free_port() for name in SERVICES}
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "ENCLAVE_PROFILE")
    }
    env.update({f"{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env.update(
        {
            "ENCLAVE_DATA_DIR": str(tmp_path / "var"),
            "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",
        }
    )
    log = tmp_path / "run.log"
    system = _start(env, log)
    try:
        await eventually(lambda: _ready(log, 1), timeout=90)
        token = subprocess.run(  # noqa: ASYNC221 (a one-shot CLI call)
            [ENCLAVE, "token", "--role", "admin"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        headers = {"Authorization": f"Bearer {token}"}
        incubation = f"http://127.0.0.1:{ports['incubation']}/api/v1"
        intake = f"http://127.0.0.1:{ports['intake']}/api/v1"
        os.kill(_pid(log, "intake"), signal.SIGKILL)  # events for it arrive while it is down
        project_ids = []
        async with httpx.AsyncClient(headers=headers, timeout=10) as client:
            for i in range(12):
                resp = await client.post(
                    f"{incubation}/projects",
                    json={
                        "path": "delivery",
                        "title": f"Landing project {i}",
                        "industry_chain": "black_talc",
                        "registered_on": "2021-01-10",
                    },
                )
                assert resp.status_code == 201, resp.text
                project_ids.append(resp.json()["id"])
                matured = await client.post(
                    f"{incubation}/projects/{project_ids[-1]}/maturity",
                    json={"matured_on": "2021-03-01"},
                )
                assert matured.status_code == 200, matured.text
        await eventually(lambda: _logged(log, "intake exited with -9; restarting in 1s"))
        await eventually(lambda: _logged(log, "intake restarted (pid "))
        system.send_signal(signal.SIGINT)  # right after the last commit: events in flight
        assert system.wait(60) == 0
        system = _start(env, log)
        await eventually(lambda: _ready(log, 2), timeout=90)
        async with httpx.AsyncClient(headers=headers, timeout=10) as client:

            async def every_project_has_one_case() -> bool:
                for project_id in project_ids:
                    resp = await client.get(f"{intake}/cases", params={"project_id": project_id})
                    if resp.status_code != 200 or len(resp.json()) != 1:
                        return False
                return True

            await eventually(every_project_has_one_case, timeout=60, interval=0.5)
            await asyncio.sleep(2)  # re-published events keep arriving: still one case each
            assert await every_project_has_one_case()

            async def every_project_transferred() -> bool:  # intake's answer came back too
                for project_id in project_ids:
                    project = (await client.get(f"{incubation}/projects/{project_id}")).json()
                    if project["stage"] != "transferred":
                        return False
                return True

            await eventually(every_project_transferred, timeout=30, interval=0.5)
    finally:
        if system.poll() is None:
            system.send_signal(signal.SIGINT)
            system.wait(60)
