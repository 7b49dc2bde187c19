"""Clients nobody here wrote, generated from a service's OpenAPI document, get typed errors:
a Python client (openapi-python-client) and a TypeScript one (openapi-typescript types,
openapi-fetch, checked by `tsc --strict`) each read a 404 as the document's `Problem`."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from enclave_shared.auth import Role, issue_token

from services.incubation.main import SPEC as INCUBATION
from tests.support import serve_http

# The document and its 404 are the same on either profile: run once (Makefile)
pytestmark = pytest.mark.embedded_pass

HERE = Path(__file__).parent / "clients"
NPM_DIR = Path(__file__).parents[2] / ".build" / "npm-clients"


async def run(*command: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    text = out.decode(errors="replace")
    assert process.returncode == 0, f"{' '.join(command)} failed:\n{text[-4000:]}"
    return text


async def document(base: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base) as client:
        answer = await client.get("/openapi.json")
    return dict(answer.json())


async def test_a_generated_python_client_reads_a_problem(
    make_settings: Any, tmp_path: Path
) -> None:
    settings = await make_settings("incubation", settings_class=INCUBATION.settings_class)
    async with serve_http(INCUBATION, settings) as base:
        (tmp_path / "incubation.json").write_text(json.dumps(await document(base)))
        generator = Path(sys.executable).with_name("openapi-python-client")
        await run(
            str(generator),
            "generate",
            "--path",
            "incubation.json",
            "--meta",
            "none",
            "--output-path",
            "incubation_client",
            cwd=tmp_path,
            env={"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
        )
        sys.path.insert(0, str(tmp_path))
        try:
            client_module = importlib.import_module("incubation_client.client")
            problem_module = importlib.import_module("incubation_client.models.problem")
            get_project = importlib.import_module(
                "incubation_client.api.projects.get_project_api_v1_projects_project_id_get"
            )
            token = issue_token(settings.signing_key(), Role.ENCLAVE_OPERATOR, sub="gen-py")
            client = client_module.AuthenticatedClient(base_url=base, token=token)
            async with client:
                answer = await get_project.asyncio_detailed(project_id="no-such", client=client)
        finally:
            sys.path.remove(str(tmp_path))
            for name in [m for m in sys.modules if m.startswith("incubation_client")]:
                del sys.modules[name]
    assert answer.status_code == 404
    assert isinstance(answer.parsed, problem_module.Problem)
    assert answer.parsed.status == 404 and "no-such" in answer.parsed.detail


async def test_a_generated_typescript_client_reads_a_problem(make_settings: Any) -> None:
    settings = await make_settings("incubation", settings_class=INCUBATION.settings_class)
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "problem.ts", "tsconfig.json"):
        shutil.copy(HERE / name, NPM_DIR / name)
    await run("npm", "install", "--no-audit", "--no-fund", "--silent", cwd=NPM_DIR)
    bin_dir = NPM_DIR / "node_modules" / ".bin"
    async with serve_http(INCUBATION, settings) as base:
        (NPM_DIR / "incubation.json").write_text(json.dumps(await document(base)))
        await run(
            str(bin_dir / "openapi-typescript"),
            "incubation.json",
            "-o",
            "incubation.d.ts",
            cwd=NPM_DIR,
        )
        await run(str(bin_dir / "tsc"), "-p", "tsconfig.json", cwd=NPM_DIR)  # the types hold
        token = issue_token(settings.signing_key(), Role.ENCLAVE_OPERATOR, sub="gen-ts")
        out = await run(
            "node", "out/problem.js", cwd=NPM_DIR, env={"BASE_URL": base, "TOKEN": token}
        )
    answer = json.loads(out.strip().splitlines()[-1])
    assert answer["status"] == 404 and answer.get("title") is None
    assert answer["problem"]["status"] == 404 and "no-such-project" in answer["problem"]["detail"]
