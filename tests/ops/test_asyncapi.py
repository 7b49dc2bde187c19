"""The AsyncAPI documents: servers and Kafka bindings (partitions, keys, group ids), valid
for the AsyncAPI project's own parser (npm), and docs/events as `make docs` writes them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from enclave_shared.app import create_app
from enclave_shared.asyncapi import asyncapi_document
from enclave_shared.launcher import SERVICES, load_spec
from enclave_shared.settings import ServiceSettings

from tests.ops.conftest import ROOT
from tests.support import run_service

pytestmark = pytest.mark.long

EVENTS = ROOT / "docs" / "events"


@pytest.fixture(scope="module")
def parse(ops_tool: Any):
    """Parse documents with @asyncapi/parser: {file name: (ok, errors, warnings)}."""
    folder = Path(ops_tool("asyncapi-parser"))
    script = folder / "validate.mjs"
    shutil.copyfile(Path(__file__).with_name("asyncapi_validate.mjs"), script)

    def run(paths: list[Path]) -> dict[str, dict[str, Any]]:
        done = subprocess.run(
            ["node", str(script), *map(str, paths)], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        results = [json.loads(line) for line in done.stdout.splitlines()]
        return {Path(r["file"]).name: r for r in results}

    return run


@pytest.mark.embedded_pass  # files and a broker-less app: run once (Makefile)
def test_every_document_in_docs_is_what_make_docs_writes(tmp_path):
    out = tmp_path / "events"
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "enclave"), "asyncapi", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for name in SERVICES:
        file = f"{name}.asyncapi.json"
        assert json.loads((out / file).read_text()) == json.loads((EVENTS / file).read_text()), (
            f"docs/events/{file} is stale: run `make docs`"
        )


@pytest.mark.embedded_pass
def test_the_asyncapi_parser_accepts_every_document(parse):
    results = parse([EVENTS / f"{name}.asyncapi.json" for name in SERVICES])
    assert len(results) == len(SERVICES)
    for name, result in results.items():
        assert result["ok"] and not result["errors"] and not result["warnings"], (name, result)


@pytest.mark.embedded_pass
def test_the_parser_checks_the_kafka_bindings(parse, tmp_path):
    doc = json.loads((EVENTS / "hotline.asyncapi.json").read_text())
    doc["channels"]["enclave.hotline"]["bindings"]["kafka"]["partitions"] = 0
    receive = next(o for o in doc["operations"].values() if o["action"] == "receive")
    receive["bindings"]["kafka"]["groupid"] = "misspelt"
    (tmp_path / "broken.json").write_text(json.dumps(doc))
    result = parse([tmp_path / "broken.json"])["broken.json"]
    assert not result["ok"]
    said = " | ".join(result["errors"])
    assert "partitions" in said and "groupid" in said


@pytest.mark.embedded_pass
@pytest.mark.parametrize("name", sorted(SERVICES))
def test_servers_and_bindings_say_what_the_platform_does(name):
    doc = json.loads((EVENTS / f"{name}.asyncapi.json").read_text())
    settings = ServiceSettings(service=name)
    assert {s["protocol"] for s in doc["servers"].values()} == {"kafka"}
    assert "127.0.0.1:9092" in {s["host"] for s in doc["servers"].values()}
    for channel in doc["channels"].values():
        kafka = channel["bindings"]["kafka"]
        assert kafka["topic"] == channel["address"]
        assert kafka["partitions"] == settings.topic_partitions
        assert kafka["topicConfiguration"]["retention.ms"] == -1
    receives = [o for o in doc["operations"].values() if o["action"] == "receive"]
    assert bool(receives) == bool(load_spec(name).handlers)
    for op in receives:
        assert op["bindings"]["kafka"]["groupId"]["enum"] == [settings.consumer_group]
    for channel in doc["channels"].values():
        for message in channel["messages"].values():
            assert message["bindings"]["kafka"]["key"]["type"] == "string"
            assert "content-type" in message["headers"]["properties"]


async def test_a_running_service_serves_a_valid_document_for_its_own_topics(
    make_settings, parse, tmp_path
):
    spec = load_spec("intake")
    settings = await make_settings("intake", settings_class=spec.settings_class, topic_partitions=2)
    async with run_service(spec, settings) as svc:
        doc = (await svc.client.get("/asyncapi.json")).json()
    assert settings.topic in doc["channels"]
    (tmp_path / "served.json").write_text(json.dumps(doc))
    result = parse([tmp_path / "served.json"])["served.json"]
    assert result["ok"], result
    expected = asyncapi_document("intake", list(spec.handlers), settings.topic_prefix, partitions=2)
    assert doc == json.loads(json.dumps(expected, default=str))
    assert {c["bindings"]["kafka"]["partitions"] for c in doc["channels"].values()} == {2}


@pytest.mark.embedded_pass
async def test_the_served_document_has_the_topic_sizes_of_the_services_settings():
    """A cluster's settings (replication 3, min.insync.replicas 2) go into the document the
    service serves, as `make docs` writes the defaults (the route needs no broker)."""
    spec = load_spec("hotline")
    settings = spec.settings_class(
        service="hotline",
        topic_partitions=6,
        kafka_replication_factor=3,
        kafka_min_insync_replicas=2,
    )
    app = create_app(spec, settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        doc = (await client.get("/asyncapi.json")).json()
    for channel in doc["channels"].values():
        kafka = channel["bindings"]["kafka"]
        assert (kafka["partitions"], kafka["replicas"]) == (6, 3)
        assert kafka["topicConfiguration"]["min.insync.replicas"] == 2
