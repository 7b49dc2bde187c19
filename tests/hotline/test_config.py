"""The hotline's settings: categories and SLAs are configuration, checked at start-up."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.hotline.config import HotlineSettings


def test_defaults_cover_every_category():
    settings = HotlineSettings(service="hotline")
    assert "other" in settings.categories and len(settings.categories) == 8
    assert settings.sla_for("utilities").resolve_hours == 48
    assert settings.sla_for("tax") == settings.default_sla
    assert settings.name_of("tax").startswith("Tax")


def test_categories_and_slas_from_the_environment(monkeypatch):
    monkeypatch.setenv("HOTLINE_CATEGORIES", '["tax", "land", "other"]')
    monkeypatch.setenv("HOTLINE_SLA", '{"land": {"accept_hours": 1, "resolve_hours": 24}}')
    monkeypatch.setenv("HOTLINE_RED_CASE_DAYS", "45")
    settings = HotlineSettings(service="hotline")
    assert settings.categories == ["tax", "land", "other"]
    assert settings.sla_for("land").resolve_hours == 24 and settings.red_case_days == 45
    assert settings.name_of("land").startswith("Land")


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"categories": ["tax"]}, "'other'"),
        ({"categories": ["tax", "tax", "other"]}, "duplicates"),
        ({"sla": {"astrology": {"accept_hours": 1, "resolve_hours": 2}}}, "astrology"),
        ({"sla": {"tax": {"accept_hours": 5, "resolve_hours": 2}}}, "accept_hours"),
        ({"sla": {"tax": {"accept_hours": 0, "resolve_hours": 2}}}, "accept_hours"),
        ({"red_case_days": 0}, "red_case_days"),
    ],
)
def test_inconsistent_configuration_is_refused(values, words):
    with pytest.raises(ValidationError) as err:
        HotlineSettings(service="hotline", **values)
    assert words in str(err.value)
