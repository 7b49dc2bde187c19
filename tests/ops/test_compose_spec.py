"""deploy/docker-compose.yml against the compose specification's JSON schema (the copy
check-jsonschema ships), and the monitoring services wired to the files in deploy/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.ops.conftest import DEPLOY

pytestmark = pytest.mark.embedded_pass  # the same on either profile: run once (Makefile)

COMPOSE_FILE = DEPLOY / "docker-compose.yml"


SCHEMA_CHECK = [sys.executable, "-m", "check_jsonschema", "--builtin-schema"]


def check_compose(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SCHEMA_CHECK, "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_compose_file_follows_the_compose_specification():
    done = check_compose(COMPOSE_FILE)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_refuses_what_the_specification_does_not_allow(tmp_path):
    broken = yaml.safe_load(COMPOSE_FILE.read_text())
    broken["services"]["prometheus"]["restartt"] = "always"
    (tmp_path / "compose.yml").write_text(yaml.safe_dump(broken))
    done = check_compose(tmp_path / "compose.yml")
    assert done.returncode == 1 and "restartt" in done.stdout


def test_prometheus_and_grafana_use_the_files_in_deploy():
    services = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    prometheus, grafana = services["prometheus"], services["grafana"]
    assert "./prometheus:/etc/prometheus:ro" in prometheus["volumes"]
    assert "--config.file=/etc/prometheus/prometheus.yml" in prometheus["command"]
    mounts = dict(v.split(":")[:2] for v in grafana["volumes"])
    provider = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "dashboards" / "enclave.yml").read_text()
    )["providers"][0]
    assert mounts["./grafana/dashboards"] == provider["options"]["path"]
    assert (DEPLOY / "grafana" / "dashboards" / "enclave.json").exists()
    assert mounts["./grafana/provisioning"] == "/etc/grafana/provisioning"
    # no default password: compose refuses to start without one from the environment
    assert grafana["environment"]["GF_SECURITY_ADMIN_PASSWORD"].startswith(
        "${GRAFANA_ADMIN_PASSWORD:?"
    )
