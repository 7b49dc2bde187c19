"""The Prometheus config, alert rules and Grafana dashboard: promtool checks and unit tests,
and every metric they name exists in a running service's /metrics."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from enclave_shared import catalog
from enclave_shared.launcher import SERVICES, load_spec
from prometheus_client.parser import text_string_to_metric_families

from tests.ops.conftest import DEPLOY
from tests.support import run_service

PROMETHEUS = DEPLOY / "prometheus"
GRAFANA = DEPLOY / "grafana"
RULES = PROMETHEUS / "rules" / "enclave.rules.yml"
DASHBOARD = GRAFANA / "dashboards" / "enclave.json"
# Series Prometheus makes itself, not the services.
PROMETHEUS_OWN = {"up"}


def promtool(ops_tool: Any, *args: str, cwd: Path = PROMETHEUS) -> str:
    done = subprocess.run(
        [ops_tool("promtool"), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def rule_exprs() -> list[str]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [r["expr"] for g in groups for r in g["rules"]]


def dashboard() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return data


def dashboard_exprs() -> list[str]:
    return [t["expr"] for p in dashboard()["panels"] for t in p.get("targets", [])]


@pytest.mark.embedded_pass  # files and promtool: run once (Makefile)
def test_config_and_rules_pass_promtool_check(ops_tool):
    out = promtool(ops_tool, "check", "config", "prometheus.yml")
    assert "1 rule files found" in out and "11 rules found" in out


@pytest.mark.embedded_pass
def test_alert_rules_unit_tests_pass(ops_tool):
    promtool(ops_tool, "test", "rules", "tests/enclave.test.yml")


@pytest.mark.embedded_pass
def test_every_alert_has_a_unit_test():
    groups = yaml.safe_load(RULES.read_text())["groups"]
    alerts = {r["alert"] for g in groups for r in g["rules"]}
    cases = yaml.safe_load((PROMETHEUS / "tests" / "enclave.test.yml").read_text())["tests"]
    tested = {a["alertname"] for c in cases for a in c["alert_rule_test"] if a["exp_alerts"]}
    assert alerts == tested


@pytest.mark.embedded_pass
def test_scrape_config_names_all_five_services():
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    targets = {
        t for sc in config["scrape_configs"] for s in sc["static_configs"] for t in s["targets"]
    }
    assert targets == {f"{name}:8000" for name in SERVICES}


@pytest.mark.embedded_pass
def test_dashboard_queries_are_valid_promql(ops_tool, tmp_path):
    """promtool parses every panel's query, written out as recording rules ($service and
    Grafana's interval filled in as Grafana does)."""
    exprs = dashboard_exprs()
    assert len(exprs) >= 12
    filled = [e.replace("$service", ".*").replace("$__rate_interval", "1m") for e in exprs]
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:query{i}", "expr": e} for i, e in enumerate(filled)
    ]}]}  # fmt: skip
    (tmp_path / "dashboard.rules.yml").write_text(yaml.safe_dump(rules))
    out = promtool(ops_tool, "check", "rules", "dashboard.rules.yml", cwd=tmp_path)
    assert f"{len(exprs)} rules found" in out


@pytest.mark.embedded_pass
def test_dashboard_shows_what_operators_watch():
    board = dashboard()
    titles = " | ".join(p["title"] for p in board["panels"])
    wanted = ["published", "consumed", "Dead-lettered", "lag", "Outbox backlog"]
    wanted += ["Requests /s by route", "Latency p95 by route", "Errors", "SLA breaches"]
    wanted += ["Readiness by check"]
    for what in wanted:
        assert what in titles, what
    uid = yaml.safe_load((GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text())
    assert board["templating"]["list"][0]["current"]["value"] == uid["datasources"][0]["uid"]


@pytest.mark.embedded_pass
def test_event_types_the_queries_name_are_in_the_catalog():
    types = set(re.findall(r'type="([^"]+)"', "\n".join(rule_exprs() + dashboard_exprs())))
    known = {m.event_type for m in catalog.ALL_EVENTS}
    assert types and types <= known, types - known


@pytest.mark.embedded_pass
def test_sla_and_readiness_alerts_watch_the_exact_series():
    exprs = {r["alert"]: r["expr"] for g in yaml.safe_load(RULES.read_text())["groups"]
             for r in g["rules"]}  # fmt: skip
    assert "enclave_sla_breaches_total" in exprs["EnclaveHotlineSlaBreached"]
    assert "enclave_ready" in exprs["EnclaveNotReady"]


def names_in(exprs: list[str]) -> set[str]:
    return set(re.findall(r"\b(enclave_[a-z_]+)\b", "\n".join(exprs)))


def exposed_names(text: str) -> set[str]:
    """Every series name the exposition declares, labelled families without samples too."""
    names: set[str] = set()
    for family in text_string_to_metric_families(text):
        names.update(s.name for s in family.samples)
        if family.type == "counter":
            names.add(f"{family.name}_total")
        elif family.type == "histogram":
            names.update(f"{family.name}_{s}" for s in ("bucket", "count", "sum"))
        else:
            names.add(family.name)
    return names


async def test_every_metric_named_exists_in_a_running_services_metrics(make_settings):
    spec = load_spec("hotline")
    settings = await make_settings("hotline", settings_class=spec.settings_class)
    async with run_service(spec, settings) as svc:
        assert (await svc.client.get("/healthz")).status_code == 200
        resp = await svc.client.get("/metrics")
        assert resp.status_code == 200
    exposed = exposed_names(resp.text)
    named = names_in(rule_exprs()) | names_in(dashboard_exprs())
    assert len(named) >= 9
    assert named - exposed == set()
    others = set(re.findall(r"\b([a-z_]+)\{", "\n".join(rule_exprs() + dashboard_exprs())))
    assert others - named <= PROMETHEUS_OWN
