"""The README matches the code: every event type and every platform setting is documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from enclave_shared import catalog
from enclave_shared.settings import ServiceSettings

pytestmark = pytest.mark.embedded_pass  # the same on either profile: run once (Makefile)

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_readme_lists_every_event_type_of_the_catalog():
    missing = [m.event_type for m in catalog.ALL_EVENTS if f"`{m.event_type}`" not in README]
    assert missing == []


def test_readme_documents_every_platform_setting():
    aliases = {f.validation_alias for f in ServiceSettings.model_fields.values()}
    assert [a for a in aliases if f"`{a}`" not in README] == []


def test_readme_starts_with_the_two_commands():
    head = "\n".join(README.splitlines()[:12])
    assert "make run" in head and "make test" in head


GUIDE = (Path(__file__).resolve().parents[2] / "docs" / "SERVICE-GUIDE.md").read_text()
SERVICES_DIR = Path(__file__).resolve().parents[2] / "services"


def test_every_domain_service_has_only_the_modules_the_service_guide_names():
    table = GUIDE.split("## Files of a service", 1)[1].split("\n## ", 1)[0]
    roles = {
        cell.split("`")[1].removesuffix(".py").rstrip("/")
        for cell in (line.split("|")[1] for line in table.splitlines() if line.startswith("| `"))
    }
    assert {"main", "domain", "models", "schemas", "handlers", "api"} <= roles
    strays = {
        f"{service}/{entry.name}"
        for service in ("incubation", "intake", "hotline", "assessment")
        for entry in (SERVICES_DIR / service).iterdir()
        if (entry.suffix == ".py" or (entry.is_dir() and entry.name != "__pycache__"))
        and entry.name != "__init__.py"
        and entry.name.removesuffix(".py") not in roles
    }
    assert strays == set(), "modules the guide's table does not name"
