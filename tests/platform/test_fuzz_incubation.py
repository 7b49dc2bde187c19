"""Incubation's OpenAPI document fuzzed as every role (tests/platform/fuzz.py)."""

from __future__ import annotations

from typing import Any

import pytest

from services.incubation.main import SPEC
from tests.platform.fuzz import holds_for_every_role

pytestmark = pytest.mark.long


@pytest.mark.postgres_pass
async def test_the_openapi_document_holds_for_every_role(make_settings: Any) -> None:
    await holds_for_every_role(make_settings, SPEC)
