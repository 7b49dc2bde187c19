"""The README's kcat lines, run against Apache Kafka (the real profile): a service's events
and its dead letters come out with their headers. On the SASL broker of CI's real pass kcat
signs in with the settings file the README's lines write (SASL/PLAIN as `admin`: Debian's
librdkafka 2.0 cannot do SCRAM with Apache Kafka 4, see scripts/kafka.sh). Not on the
embedded broker (librdkafka cannot read Tansu's ApiVersions answer): the README says so."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.ops.conftest import ROOT
from tests.platform.sample import consumer_spec, producer_spec
from tests.support import eventually, read_topic, run_service

README = (ROOT / "README.md").read_text()


def readme_kcat_lines() -> list[str]:
    return [m.strip() for m in re.findall(r"^\s*(kcat -b .+)$", README, flags=re.M)]


def readme_config_line() -> str:
    """The README's line that writes kcat's settings for the SASL broker."""
    (line,) = re.findall(r"^\s*(printf .+>\"\$KCAT_CONFIG\")$", README, flags=re.M)
    return line.strip()


pytestmark = pytest.mark.real_only


def kcat_config(path: Path) -> Path:
    """kcat's settings as the README writes them when the broker wants SASL (the suite's
    credentials folder, scripts/kafka.sh's); none (an empty file) on a plaintext broker."""
    path.write_text("")
    if os.environ.get("KAFKA_SASL_CREDENTIALS_DIR"):
        env = {**os.environ, "KCAT_CONFIG": str(path)}
        done = subprocess.run(
            ["bash", "-c", readme_config_line()], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    return path


def kcat(tool: str, line: str, bootstrap: str, topics: dict[str, str], config: Path) -> str:
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
    env = {**os.environ, "KCAT_CONFIG": str(config)}
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_readme_kcat_lines_show_events_and_dead_letters_with_headers(
    ops_tool: Any, make_settings, kafka_bootstrap, tmp_path: Path
):
    tool = ops_tool("kcat")
    config = kcat_config(tmp_path / "kcat.conf")
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
            return ids[1] in kcat(tool, dead_letters, kafka_bootstrap, topics, config)

        await eventually(dead_lettered)
    events = kcat(tool, tail, kafka_bootstrap, topics, config)
    assert all(i in events for i in ids)
    assert "key=p9" in events
    assert "content-type=application/cloudevents+json; charset=UTF-8" in events
    letters = kcat(tool, dead_letters, kafka_bootstrap, topics, config)
    assert ids[0] not in letters
    assert f"dlq.original.topic={producer.topic}" in letters and "dlq.error=" in letters
    assert "bad title" in letters
