"""The README matches the code: every event type and every platform setting is documented."""

from __future__ import annotations

from pathlib import Path

from enclave_shared import catalog
from enclave_shared.settings import ServiceSettings

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
