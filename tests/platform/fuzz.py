"""The four services' OpenAPI documents, fuzzed as every role by an outside client that
nobody here wrote (Schemathesis, property-based, every check but the two that judge which
inputs a rule may refuse): no server error, no answer that breaks its own documented schema,
no status code, content type or header the document does not declare, a 405's `Allow` that
names every documented method.

Slow (every role, every operation): it runs once, in CI's PostgreSQL pass, where odd input
(a NUL byte, a huge number) meets the stricter database; one test file a service
(tests/platform/test_fuzz_<service>.py), so that `make test` spreads the four over its
workers. `FUZZ_EXAMPLES` (default 5 per operation and role) and `FUZZ_ROLES`
(comma-separated) narrow or widen a run by hand."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from enclave_shared.app import ServiceSpec
from enclave_shared.auth import Role, issue_token

from tests.support import serve_http

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))  # per operation and role
SCHEMATHESIS = Path(sys.executable).with_name("st")


async def fuzz(base: str, token: str) -> tuple[int, str]:
    """Schemathesis over the service's document with one token: its exit code and report."""
    process = await asyncio.create_subprocess_exec(
        str(SCHEMATHESIS),
        "run",
        f"{base}/openapi.json",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance,negative_data_rejection",
        "--phases",
        "examples,fuzzing",
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        "20211",
        "--generation-deterministic",
        "--continue-on-failure",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode(errors="replace")


async def holds_for_every_role(make_settings: Any, spec: ServiceSpec) -> None:
    """The service served on its own database, fuzzed as every role at once: no failure."""
    settings = await make_settings(spec.name, settings_class=spec.settings_class)
    async with serve_http(spec, settings) as base:
        roles = [Role(r) for r in os.environ.get("FUZZ_ROLES", ",".join(Role)).split(",")]
        runs = await asyncio.gather(
            *(
                fuzz(base, issue_token(settings.signing_key(), role, sub=f"fuzz-{role.value}"))
                for role in roles
            )
        )
        failures = []
        for role, (code, out) in zip(roles, runs, strict=True):
            if code != 0:
                failures.append(f"--- as {role.value} ---\n{out[-6000:]}")
        assert failures == [], "\n".join(failures)
