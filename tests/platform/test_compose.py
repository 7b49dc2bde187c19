"""deploy/docker-compose.yml, checked against the code (no container engine runs here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from enclave_shared.launcher import SERVICES, load_spec

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
SECRETS = {"POSTGRES_PASSWORD": "pw", "ENCLAVE_JWT_PUBLIC_KEY_FILE": "token.pub"}


def _interpolate(value: str) -> str:
    """What compose makes of ${VAR:?message} with the secrets set."""
    return re.sub(r"\$\{(\w+)(:\?[^}]*)?\}", lambda m: SECRETS[m.group(1)], value)


def test_compose_has_the_broker_the_database_and_the_four_services():
    services = COMPOSE["services"]
    assert set(services) == {"kafka", "kafka-acls", "postgres", *SERVICES, "prometheus", "grafana"}
    assert services["kafka"]["image"].startswith("apache/kafka:4.")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert services["postgres"]["image"].startswith("postgres:")
    for infra in ("kafka", "postgres"):
        assert services[infra]["healthcheck"]["test"]
        assert services[infra]["volumes"], f"{infra} keeps its data in a volume"
    init = (DEPLOY / "postgres-init.sql").read_text()
    for name in SERVICES:
        assert f"CREATE DATABASE {name};" in init


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_each_service_is_wired_like_its_settings_class(name):
    service = COMPOSE["services"][name]
    spec = load_spec(name)
    assert service["build"]["dockerfile"] == "deploy/Dockerfile"
    assert service["ports"] == [f"{SERVICES[name]}:8000"]
    assert "/readyz" in " ".join(service["healthcheck"]["test"])
    assert service["depends_on"] == {
        "kafka-acls": {"condition": "service_completed_successfully"},  # after the ACLs
        "postgres": {"condition": "service_healthy"},
    }
    env = {key: _interpolate(str(value)) for key, value in service["environment"].items()}
    known = {f.validation_alias for f in spec.settings_class.model_fields.values()}
    assert set(env) - {"SERVICE", "PORT"} <= known, "every variable is one the code reads"
    signs = name == "console"  # the one service given the private key
    assert env["ENCLAVE_JWT_PUBLIC_KEY_FILE"] == "/run/secrets/token_public_key"
    assert service["secrets"] == ["token_public_key"] + (["token_private_key"] if signs else []) + [
        f"kafka_{name}"  # its own Kafka user's password, nobody else's
    ]
    assert env["KAFKA_SASL_USERNAME"] == name
    assert env["KAFKA_SASL_PASSWORD_FILE"] == f"/run/secrets/kafka_{name}"
    assert "/run/secrets" not in str(COMPOSE["services"]["kafka"]["environment"])
    assert ("ENCLAVE_JWT_PRIVATE_KEY_FILE" in env) is signs, "no service but the console signs"
    assert "${ENCLAVE_JWT_PUBLIC_KEY_FILE" in COMPOSE["secrets"]["token_public_key"]["file"]
    settings = spec.settings_class(**{k: v for k, v in env.items() if k in known})
    assert settings.service == name == env["SERVICE"]
    assert settings.profile == "real" and settings.kafka_idempotence
    assert settings.database_url.endswith(f"@postgres:5432/{name}")
    kafka_host = COMPOSE["services"]["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"]
    assert kafka_host.endswith(settings.kafka_bootstrap_servers)


def test_dockerfile_runs_the_service_named_by_the_environment():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "services.${SERVICE}.main:create --factory" in dockerfile


def test_compose_kafka_requires_sasl_with_a_user_per_service_and_acls():
    services = COMPOSE["services"]
    script = (DEPLOY / "kafka/compose-broker.sh").read_text()
    assert (
        "./kafka/compose-broker.sh:/opt/enclave/compose-broker.sh:ro"
        in services["kafka"]["volumes"]
    )
    assert (
        "listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,BROKER:SASL_PLAINTEXT" in script
    )
    assert "allow.everyone.if.no.acl.found=false" in script and "StandardAuthorizer" in script
    users = {"admin", *SERVICES}
    for user in users:
        assert f"kafka_{user}" in services["kafka"]["secrets"]
        assert COMPOSE["secrets"][f"kafka_{user}"]["file"].endswith(f"/{user}.password")
    assert "for user in " + " ".join(["admin", *SERVICES]) in script  # its SCRAM users
    acls = services["kafka-acls"]
    assert acls["command"][:4] == ["python", "-m", "enclave_shared.kafka", "acls"]
    assert acls["environment"]["KAFKA_SASL_USERNAME"] == "admin"
    assert acls["depends_on"] == {"kafka": {"condition": "service_healthy"}}
    assert not re.search(r"password=\w", yaml.safe_dump(COMPOSE)), "no literal password"
