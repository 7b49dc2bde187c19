"""The hotline's settings: categories and SLAs are configuration, checked at start-up."""

from __future__ import annotations

from datetime import time

import pytest
from pydantic import ValidationError

from services.hotline.config import HotlineSettings


def test_defaults_cover_every_category():
    settings = HotlineSettings(service="hotline")
    assert "other" in settings.categories and len(settings.categories) == 8
    assert settings.sla_for("utilities").resolve.days == 2
    assert settings.sla_for("utilities").sign.hours == 4
    assert settings.sla_for("tax") == settings.default_sla
    assert settings.name_of("tax").startswith("Tax")


def test_categories_and_slas_from_the_environment(monkeypatch):
    monkeypatch.setenv("HOTLINE_CATEGORIES", '["tax", "land", "other"]')
    monkeypatch.setenv(
        "HOTLINE_SLA",
        '{"land": {"accept": {"hours": 1}, "sign": {"hours": 2}, "resolve": {"hours": 24}}}',
    )
    monkeypatch.setenv("HOTLINE_OFFICE_HOURS", '[["09:00", "12:00"], ["13:30", "18:00"]]')
    monkeypatch.setenv("HOTLINE_ESCALATION_HOURS", "[3, 14, 35]")
    monkeypatch.setenv("HOTLINE_RED_CASE_DAYS", "45")
    settings = HotlineSettings(service="hotline")
    assert settings.categories == ["tax", "land", "other"]
    assert settings.sla_for("land").resolve.hours == 24 and settings.red_case_days == 45
    assert settings.office_hours[1] == (time(13, 30), time(18, 0))
    assert settings.escalation_hours == [3, 14, 35]
    assert settings.name_of("land").startswith("Land")


LIMITS = {"accept": {"hours": 1}, "sign": {"hours": 2}, "resolve": {"days": 2}}


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"categories": ["tax"]}, "'other'"),
        ({"categories": ["tax", "tax", "other"]}, "duplicates"),
        ({"sla": {"astrology": LIMITS}}, "astrology"),
        ({"sla": {"tax": {**LIMITS, "accept": {"hours": 1, "days": 2}}}}, "hours or days"),
        ({"sla": {"tax": {**LIMITS, "accept": {"hours": 0}}}}, "accept.hours"),
        ({"sla": {"tax": {"accept": {"hours": 1}}}}, "sign"),
        ({"escalation_hours": [14, 7]}, "HOTLINE_ESCALATION_HOURS"),
        ({"reminder_share": 1}, "reminder_share"),
        ({"red_case_days": 0}, "red_case_days"),
    ],
)
def test_inconsistent_configuration_is_refused(values, words):
    with pytest.raises(ValidationError) as err:
        HotlineSettings(service="hotline", **values)
    assert words in str(err.value)
