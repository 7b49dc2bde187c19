"""deploy/k8s: the kustomize base renders (kustomize from the Go module proxy) and every
object validates offline against the Kubernetes JSON schemas (kubernetes-validate ships
them), wired as the services need; the migration Job's command migrates a database."""

from __future__ import annotations

import copy
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from enclave_shared.kafka import client_kwargs
from enclave_shared.launcher import SERVICES
from enclave_shared.settings import KafkaClientSettings

from tests.ops.conftest import DEPLOY, ROOT

pytestmark = pytest.mark.embedded_pass  # the same on either profile: run once (Makefile)

KUBERNETES = "1.30.0"
ENCLAVE = Path(sys.executable).parent / "enclave"
SECRETS = {
    "enclave-database-urls",
    "enclave-token-public-key",
    "enclave-token-private-key",
    "enclave-kafka-passwords",
}


@pytest.fixture(scope="module")
def objects(ops_tool: Any) -> list[dict[str, Any]]:
    done = subprocess.run(
        [ops_tool("kustomize"), "build", str(DEPLOY / "k8s" / "base")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return [d for d in yaml.safe_load_all(done.stdout) if d]


def of_kind(objects: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def test_every_object_validates_against_the_kubernetes_schemas(objects):
    assert len(objects) == 3 + 3 * len(SERVICES)
    for obj in objects:
        kubernetes_validate.validate(obj, KUBERNETES, strict=True)
        assert obj["metadata"]["labels"]["app.kubernetes.io/part-of"] == "talent-enclave"
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == "talent-enclave"


def test_the_validation_refuses_a_misspelt_field(objects):
    broken = copy.deepcopy(of_kind(objects, "Deployment")["intake"])
    container = broken["spec"]["template"]["spec"]["containers"][0]
    container["readinessProbee"] = container.pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_each_service_has_a_deployment_service_and_disruption_budget(objects, name):
    deployment = of_kind(objects, "Deployment")[name]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert set(container["resources"]["requests"]) == {"cpu", "memory"}
    assert pod["securityContext"]["runAsNonRoot"] is True
    env = {e["name"]: e for e in container["env"]}
    assert env["SERVICE"]["value"] == env["ENCLAVE_SERVICE"]["value"] == name
    assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
        "name": "enclave-database-urls",
        "key": name,
    }
    assert container["envFrom"] == [{"configMapRef": {"name": "enclave-config"}}]
    assert "enclave-config" in of_kind(objects, "ConfigMap")
    signs = "ENCLAVE_JWT_PRIVATE_KEY_FILE" in env
    assert signs is (name == "console"), "no service but the console holds the private key"
    mounted = {v["secret"]["secretName"] for v in pod["volumes"]}
    assert mounted == {"enclave-token-public-key", "enclave-kafka-passwords"} | (
        {"enclave-token-private-key"} if signs else set()
    )
    for var in env.values():
        assert "value" in var or set(var["valueFrom"]) == {"secretKeyRef"}
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert of_kind(objects, "Service")[name]["spec"]["selector"] == selector
    pdb = of_kind(objects, "PodDisruptionBudget")[name]
    assert pdb["spec"]["selector"]["matchLabels"] == selector
    assert pdb["spec"]["minAvailable"] < deployment["spec"]["replicas"]


def test_no_literal_secret_and_only_the_documented_ones_referred_to(objects):
    assert "Secret" not in {o["kind"] for o in objects}
    text = yaml.safe_dump_all(objects)
    referred = {ref["name"] for o in objects for ref in _find(o, "secretKeyRef")} | {
        v["secretName"] for o in objects for v in _find(o, "secret")
    }
    assert referred == SECRETS
    # the only passwords named are files, mounted from a Secret (the Kafka user's)
    assert "password" not in text.lower().replace("kafka_sasl_password_file", "").replace(
        "sasl-password", ""
    ).replace("enclave-kafka-passwords", "")
    for name in SECRETS:
        assert name in (DEPLOY / "k8s" / "base" / "kustomization.yaml").read_text()


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_each_service_authenticates_to_kafka_as_its_own_user(objects, name, tmp_path, monkeypatch):
    """The Deployment's environment (with the ConfigMap) and the password file its Secret
    mounts give the platform's settings a SASL/SCRAM client as the service's own user."""
    pod = of_kind(objects, "Deployment")[name]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    env = {e["name"]: e["value"] for e in container["env"] if "value" in e}
    path = Path(env["KAFKA_SASL_PASSWORD_FILE"])
    [mount] = [m for m in container["volumeMounts"] if path.parent == Path(m["mountPath"])]
    [volume] = [v for v in pod["volumes"] if v["name"] == mount["name"]]
    assert volume["secret"]["secretName"] == "enclave-kafka-passwords"
    assert volume["secret"]["items"] == [{"key": name, "path": path.name}]
    assert mount["readOnly"] is True
    secret_file = tmp_path / path.name
    secret_file.write_text(f"{name}-secret\n")
    config = of_kind(objects, "ConfigMap")["enclave-config"]["data"]
    for key, value in {**config, **env, "KAFKA_SASL_PASSWORD_FILE": str(secret_file)}.items():
        monkeypatch.setenv(key, value)
    kwargs = client_kwargs(KafkaClientSettings())
    assert kwargs["security_protocol"] == "SASL_PLAINTEXT"
    assert kwargs["sasl_mechanism"] == "SCRAM-SHA-512"
    assert kwargs["sasl_plain_username"] == name
    assert kwargs["sasl_plain_password"] == f"{name}-secret"
    assert kwargs["bootstrap_servers"] == config["KAFKA_BOOTSTRAP_SERVERS"]


def test_the_migration_job_migrates_every_service_in_turn(objects):
    job = of_kind(objects, "Job")["enclave-migrate"]
    pod = job["spec"]["template"]["spec"]
    steps = pod["initContainers"] + pod["containers"]
    assert sorted(c["command"][-1] for c in steps) == sorted(SERVICES)
    for c in steps:
        assert c["command"][:2] == ["enclave", "migrate"]
        assert "ENCLAVE_JWT_PRIVATE_KEY_FILE" not in {e["name"] for e in c["env"]}


def test_the_migrate_command_creates_the_services_tables(tmp_path):
    env = {**os.environ, "ENCLAVE_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("ENCLAVE_PROFILE", None)
    cmd = [str(ENCLAVE), "migrate", "intake"]
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    db = sqlite3.connect(tmp_path / "intake.db")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"alembic_version", "outbox_events", "inbox_events"} <= tables


def _find(node: Any, key: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and isinstance(v, dict):
                found.append(v)
            found.extend(_find(v, key))
    elif isinstance(node, list):
        for item in node:
            found.extend(_find(item, key))
    return found
