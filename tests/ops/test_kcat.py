"""The README's kcat lines, run against a plaintext Apache Kafka (the real profile with
`KAFKA_SECURITY=plaintext`): a service's events and its dead letters come out with their
headers. Not on the embedded broker (librdkafka cannot read Tansu's ApiVersions answer), nor
on the SASL broker of CI's real pass (Debian's librdkafka 2.0 fails SCRAM-SHA-512 against
Apache Kafka 4 with the right credentials): the README says both."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from typing import Any

import pytest

from tests.ops.conftest import ROOT
from tests.platform.sample import consumer_spec, producer_spec
from tests.support import eventually, read_topic, run_service

README = (ROOT / "README.md").read_text()


def readme_kcat_lines() -> list[str]:
    return [m.strip() for m in re.findall(r"^\s*(kcat -b .+)$", README, flags=re.M)]


pytestmark = [
    pytest.mark.real_only,
    pytest.mark.skipif(
        bool(os.environ.get("KAFKA_SASL_CREDENTIALS_DIR")),
        reason="Debian's kcat (librdkafka 2.0) fails SCRAM against Apache Kafka 4: needs a "
        "plaintext Apache Kafka (KAFKA_SECURITY=plaintext scripts/kafka.sh start)",
    ),
]


def kcat(tool: str, line: str, bootstrap: str, topics: dict[str, str]) -> str:
    """Run a README line on this test's broker and topics, reading to the end and exiting."""
    args = shlex.split(line)
    assert args[:3] == ["kcat", "-b", "$KAFKA_BOOTSTRAP_SERVERS"]
    args[0], args[2] = tool, bootstrap
    topic = args.index("-t") + 1
    args[topic] = topics[args[topic]]
    if "-o" in args and args[args.index("-o") + 1] == "end":
        args[args.index("-o") + 1] = "beginning"  # the tail, but from the start and ending
    if "-e" not in args:
        args.append("-e")
    args += sasl_options()
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def sasl_options() -> list[str]:
    """The suite's credentials when its broker wants SASL (as the README says to add)."""
    user = os.environ.get("KAFKA_SASL_USERNAME")
    if not user:
        return []
    password = os.environ.get("KAFKA_SASL_PASSWORD")
    if password is None:
        with open(os.environ["KAFKA_SASL_PASSWORD_FILE"]) as f:
            password = f.read().strip()
    mechanism = os.environ.get("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    options = {
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanisms": mechanism,
        "sasl.username": user,
        "sasl.password": password,
    }
    return [arg for k, v in options.items() for arg in ("-X", f"{k}={v}")]


async def test_readme_kcat_lines_show_events_and_dead_letters_with_headers(
    ops_tool: Any, make_settings, kafka_bootstrap
):
    tool = ops_tool("kcat")
    tail, dead_letters = readme_kcat_lines()
    producer = await make_settings("incubation")
    consumer = await make_settings("intake")
    topics = {"enclave.intake": producer.topic, "enclave.intake.dlq": consumer.dead_letter_topic}
    async with run_service(producer_spec, producer) as prod, run_service(consumer_spec, consumer):
        ids = []
        for title in ("fine", "bad title"):  # the sample's consumer refuses a 'bad' title
            resp = await prod.client.post(
                "/notes", json={"project_id": "p9", "title": title}, headers=prod.auth("admin")
            )
            assert resp.status_code == 201, resp.text
            ids.append(resp.json()["event_id"])
        await read_topic(kafka_bootstrap, consumer.dead_letter_topic, 1)

        async def dead_lettered() -> bool:
            return ids[1] in kcat(tool, dead_letters, kafka_bootstrap, topics)

        await eventually(dead_lettered)
    events = kcat(tool, tail, kafka_bootstrap, topics)
    assert all(i in events for i in ids)
    assert "key=p9" in events
    assert "content-type=application/cloudevents+json; charset=UTF-8" in events
    letters = kcat(tool, dead_letters, kafka_bootstrap, topics)
    assert ids[0] not in letters
    assert f"dlq.original.topic={producer.topic}" in letters and "dlq.error=" in letters
    assert "bad title" in letters
