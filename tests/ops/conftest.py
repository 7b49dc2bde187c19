"""Fixtures for the operators' tools: each tool installed on first use by scripts/ops-tools.sh."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="session")
def ops_tool() -> Callable[[str], str]:
    """Install a tool of scripts/ops-tools.sh when missing; return its path."""
    found: dict[str, str] = {}

    def get(name: str) -> str:
        if name not in found:
            done = subprocess.run(
                [str(ROOT / "scripts" / "ops-tools.sh"), name],
                capture_output=True,
                text=True,
                timeout=900,
            )
            assert done.returncode == 0, f"installing {name} failed:\n{done.stderr}"
            found[name] = done.stdout.strip().splitlines()[-1]
        return found[name]

    return get
