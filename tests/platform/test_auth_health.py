"""Auth (401/403), the token CLI, settings refusals, and /readyz when a dependency is down."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import jwt
import pytest
from enclave_shared.auth import ISSUER, Role, issue_token
from enclave_shared.deps import PageDep
from enclave_shared.kafka import EmbeddedBroker, free_port
from enclave_shared.keys import public_key_of, read_or_create_private_key
from enclave_shared.launcher import load_spec
from enclave_shared.settings import EMBEDDED_KEY_FILE, ServiceSettings
from fastapi import FastAPI
from pydantic import ValidationError

from tests.platform.sample import producer_spec
from tests.support import database_outage, eventually, run_service

NOTE = {"project_id": "p1", "title": "t"}


async def test_missing_invalid_expired_token_401_and_wrong_role_403(make_settings, tmp_path):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        post = svc.client.post
        key = settings.signing_key()
        missing = await post("/notes", json=NOTE)
        assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
        garbage = await post("/notes", json=NOTE, headers={"Authorization": "Bearer nonsense"})
        assert garbage.status_code == 401
        other_key = read_or_create_private_key(tmp_path / "other.pem")
        forged = issue_token(other_key, Role.ENCLAVE_OPERATOR)
        assert (await post("/notes", json=NOTE, headers=_bearer(forged))).status_code == 401
        expired = issue_token(key, Role.ENCLAVE_OPERATOR, ttl_s=-10)
        resp = await post("/notes", json=NOTE, headers=_bearer(expired))
        assert resp.status_code == 401 and "expired" in resp.json()["detail"]
        wrong = await post("/notes", json=NOTE, headers=svc.auth("hotline_agent"))
        assert wrong.status_code == 403 and "hotline_agent" in resp_detail(wrong)
        assert (await post("/notes", json=NOTE, headers=svc.auth("admin"))).status_code == 201
        assert (
            await post("/notes", json=NOTE, headers=svc.auth("enclave_operator"))
        ).status_code == 201


async def test_tokens_not_signed_with_the_private_key_are_refused(make_settings):
    """HS256 with any secret (the public key itself included: the classic algorithm
    confusion) and `alg: none` are 401, though their claims are perfect."""
    settings = await make_settings("incubation")
    claims = {"role": "admin", "iss": ISSUER, "exp": int(time.time()) + 600}
    public_pem = settings.verifying_key()
    unsigned = jwt.encode(claims, None, algorithm="none")
    tokens = {
        "HS256, a secret": jwt.encode(claims, "s" * 40, algorithm="HS256"),
        "none": unsigned,
    }
    _, payload, _ = jwt.encode(claims, "s" * 40, algorithm="HS256").split(".")
    # PyJWT refuses to HMAC-sign with a PEM key; forge that token by hand.
    signing_input = f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{payload}"
    mac = hmac.new(public_pem.encode(), signing_input.encode(), hashlib.sha256).digest()
    tokens["HS256, the public key"] = f"{signing_input}.{_b64_bytes(mac)}"
    async with run_service(producer_spec, settings) as svc:
        for name, token in tokens.items():
            resp = await svc.client.post("/notes", json=NOTE, headers=_bearer(token))
            assert resp.status_code == 401, name
        signed = issue_token(settings.signing_key(), Role.ADMIN)
        assert (
            await svc.client.post("/notes", json=NOTE, headers=_bearer(signed))
        ).status_code == 201


def _b64(value: dict[str, str]) -> str:
    return _b64_bytes(json.dumps(value, separators=(",", ":")).encode())


def _b64_bytes(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def test_district_leader_reads_but_writes_nothing(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        leader = svc.auth("district_leader")
        assert (await svc.client.get("/notes/titles", headers=leader)).status_code == 200
        resp = await svc.client.post("/notes", json=NOTE, headers=leader)
        assert resp.status_code == 403 and "district_leader" in resp_detail(resp)


def resp_detail(resp) -> str:
    return str(resp.json()["detail"])


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_cli_signs_with_the_data_folder_key(tmp_path):
    env = {"ENCLAVE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [
            str(Path(sys.executable).parent / "enclave"),
            "token",
            "--role",
            "zone_officer",
            "--sub",
            "ent-7",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    from enclave_shared.auth import decode_token

    key = (tmp_path / EMBEDDED_KEY_FILE).read_text()
    assert (tmp_path / EMBEDDED_KEY_FILE).stat().st_mode & 0o777 == 0o600
    principal = decode_token(public_key_of(key), out.stdout.strip())
    assert principal.role is Role.ZONE_OFFICER and principal.sub == "ent-7"


def test_real_profile_refuses_to_start_without_a_key(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("ENCLAVE_JWT_PUBLIC_KEY_FILE", raising=False)
    monkeypatch.delenv("ENCLAVE_JWT_PRIVATE_KEY_FILE", raising=False)
    with pytest.raises(ValidationError, match="ENCLAVE_JWT_PUBLIC_KEY_FILE"):
        ServiceSettings(profile="real", database_url="postgresql+asyncpg://x/y")
    with pytest.raises(ValidationError, match="DATABASE_URL"):
        ServiceSettings(profile="real", jwt_public_key_file=tmp_path / "k.pub")
    empty = tmp_path / "empty.pub"
    empty.write_text("")
    real = ServiceSettings(
        profile="real", database_url="postgresql+asyncpg://x/y", jwt_public_key_file=empty
    )
    with pytest.raises(ValueError, match="ENCLAVE_JWT_PUBLIC_KEY_FILE holds no PEM public key"):
        real.verifying_key()
    with pytest.raises(ValueError, match="ENCLAVE_JWT_PRIVATE_KEY_FILE is required"):
        real.signing_key()  # a service of the real profile cannot mint tokens


def test_the_embedded_key_is_made_once_and_shared(tmp_path):
    settings = [ServiceSettings(data_dir=tmp_path / "data") for _ in range(2)]
    first, second = (s.signing_key() for s in settings)
    assert first == second and "PRIVATE KEY" in first
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == [EMBEDDED_KEY_FILE]


async def test_readyz_reports_database_down(make_settings):
    settings = await make_settings("incubation", sqlite_busy_timeout_ms=50)
    async with run_service(producer_spec, settings) as svc:
        assert (await svc.client.get("/readyz")).status_code == 200
        async with database_outage(settings.database_url):
            resp = await svc.client.get("/readyz")
            assert resp.status_code == 503
            assert resp.json()["checks"]["database"].startswith("unavailable")
            assert resp.json()["checks"]["broker"] == "ok"
        assert (await svc.client.get("/readyz")).status_code == 200


async def test_readyz_reports_broker_down(make_settings):
    broker = EmbeddedBroker(port=free_port())  # a broker of this test's own, to stop
    broker.start()
    settings = await make_settings(
        "incubation", kafka_bootstrap_servers=broker.bootstrap_servers, kafka_idempotence=False
    )
    try:
        async with run_service(producer_spec, settings) as svc:
            assert (await svc.client.get("/readyz")).status_code == 200
            broker.stop()

            async def not_ready() -> bool:
                resp = await svc.client.get("/readyz")
                return resp.status_code == 503 and resp.json()["checks"]["broker"] != "ok"

            await eventually(not_ready, timeout=20)
            broker.start()
    finally:
        broker.stop()


async def test_health_metrics_and_asyncapi(make_settings):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        assert (await svc.client.get("/healthz")).json()["status"] == "ok"
        await svc.client.post("/notes", json=NOTE, headers=svc.auth("admin"))
        metrics = (await svc.client.get("/metrics")).text
        assert 'method="POST",route="/notes",service="incubation",status="201"' in metrics
        doc = (await svc.client.get("/asyncapi.json")).json()
        assert doc["asyncapi"] == "3.0.0"
        assert settings.dead_letter_topic in doc["channels"]
        assert any(m == "project_matured_v1" for m in doc["channels"][settings.topic]["messages"])


async def test_pagination_bounds_are_checked_at_the_edge():

    app = FastAPI()

    @app.get("/items")
    async def items(page: PageDep) -> dict[str, int]:
        return {"limit": page.limit, "offset": page.offset}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/items")).json() == {"limit": 50, "offset": 0}
        for query in ("offset=100000000000000000000", "offset=-1", "limit=0", "limit=501"):
            resp = await client.get(f"/items?{query}")
            assert resp.status_code == 422, query
            assert query.split("=")[0] in str(resp.json()["detail"])


@pytest.mark.parametrize(
    ("service", "read"),
    [
        ("incubation", "/api/v1/projects"),
        ("intake", "/api/v1/cases"),
        ("hotline", "/api/v1/tickets"),
        ("assessment", "/api/v1/schemes/2021/versions"),
    ],
)
async def test_every_service_refuses_a_token_the_console_did_not_sign(make_settings, service, read):
    """HS256 (any secret), `alg: none` and another Ed25519 key are 401 at each service; the
    console's own token reads."""
    spec = load_spec(service)
    settings = await make_settings(service, settings_class=spec.settings_class)
    claims = {"role": "admin", "iss": ISSUER, "exp": int(time.time()) + 600}
    other_key = read_or_create_private_key(settings.data_dir / "other.pem")
    forged = [
        jwt.encode(claims, "s" * 40, algorithm="HS256"),
        jwt.encode(claims, None, algorithm="none"),
        issue_token(other_key, Role.ADMIN),
    ]
    async with run_service(spec, settings) as svc:
        for token in forged:
            assert (await svc.client.get(read, headers=_bearer(token))).status_code == 401
        assert (await svc.client.get(read, headers=svc.auth("admin"))).status_code == 200
