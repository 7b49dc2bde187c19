"""The lock files: every package pinned with its hashes, what pyproject.toml asks for, and
what `make`, CI (through `make test`) and the image install from; the image runs unprivileged."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.ops.conftest import DEPLOY, ROOT

# the same on either profile: run once (Makefile)
pytestmark = [pytest.mark.embedded_pass, pytest.mark.long]

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+?)(?: ;[^\\]*)? \\$", re.M)


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    found = {canonicalize_name(n): v for n, v in PIN.findall(text)}
    entries = [e for e in re.split(r"\n(?=\S)", text) if e and not e.startswith("#")]
    assert len(entries) == len(found), "every entry is one `name==version` pin"
    for entry in entries:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]
    return found


def wanted(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(r) for r in listed]


def test_every_dependency_is_pinned_with_hashes_and_allowed_by_pyproject():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    for lock, reqs in ((runtime, wanted()), (dev, wanted() + wanted("dev"))):
        for req in reqs:
            name = canonicalize_name(req.name)
            assert name in lock, f"{req.name} is not in the lock: run `make lock`"
            assert req.specifier.contains(lock[name], prereleases=True), (req, lock[name])
    assert {n: dev[n] for n in runtime} == runtime, "the image's versions are the tests' versions"


def test_the_runtime_lock_is_complete_and_its_hashes_match(tmp_path):
    """pip in --require-hashes mode refuses a lock that misses a dependency or whose files
    do not match their hashes (resolved here without installing)."""
    pip = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet"]
    done = subprocess.run(
        [
            *pip,
            "--require-hashes",
            "-r",
            str(ROOT / "requirements.lock"),
            "--target",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_make_and_the_image_install_from_the_locks():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install -q --require-hashes -r requirements-dev.lock" in makefile
    assert "pip install -q --no-deps -e ." in makefile
    assert re.search(r"^\$\(STAMP\): pyproject.toml requirements-dev.lock$", makefile, re.M)
    # `make lock` needs only uv, itself from the lock with its hashes checked (not the old
    # lock's install, which an edited pyproject.toml may no longer satisfy)
    assert re.search(r"^lock:  ##", makefile, re.M)
    assert "sed -n '/^uv==/,/^[^ ]/p' requirements-dev.lock" in makefile
    assert "pip install -q --no-deps --require-hashes -r $(VENV)/uv.req" in makefile
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "COPY requirements.lock ./" in dockerfile
    assert "pip install --no-cache-dir --require-hashes -r requirements.lock" in dockerfile
    assert "pip install --no-cache-dir --no-deps ." in dockerfile


def test_the_image_runs_as_the_unprivileged_user_kubernetes_expects():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    users = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert users == ["10001:10001"], "the last USER is a numbered non-root one"
    assert "useradd --system --uid 10001" in dockerfile
    assert dockerfile.index("USER") > dockerfile.rindex("RUN "), "nothing runs as root after"
    k8s = (DEPLOY / "k8s" / "base" / "incubation.yaml").read_text()
    assert "runAsUser: 10001" in k8s and "runAsNonRoot: true" in k8s
