"""The rules that need no database: colours, quiet days, three-ones periods, settings."""

from __future__ import annotations

from datetime import date

import pytest
from enclave_shared.catalog.intake import MeetingKind
from pydantic import ValidationError

from services.intake.config import IntakeSettings
from services.intake.domain import Color, color_of, owed_slots, quiet_day_rule, slot_containing


def test_colour_follows_the_milestones_and_can_be_read_as_of_a_date():
    assert color_of(None, None) is Color.RED
    assert color_of(date(2021, 5, 1), None) is Color.YELLOW
    assert color_of(date(2021, 5, 1), date(2021, 9, 1)) is Color.BLUE
    assert color_of(date(2021, 5, 1), date(2021, 9, 1), as_of=date(2021, 6, 1)) is Color.YELLOW
    assert color_of(date(2021, 5, 1), date(2021, 9, 1), as_of=date(2021, 4, 1)) is Color.RED


@pytest.mark.parametrize(
    ("kind", "day", "start", "due"),
    [
        (MeetingKind.INSPECTION, date(2024, 2, 15), date(2024, 2, 1), date(2024, 2, 15)),
        (MeetingKind.INSPECTION, date(2024, 2, 16), date(2024, 2, 16), date(2024, 2, 29)),
        (MeetingKind.COORDINATION, date(2021, 2, 3), date(2021, 2, 1), date(2021, 2, 28)),
        (MeetingKind.OBSERVATION, date(2021, 11, 30), date(2021, 10, 1), date(2021, 12, 31)),
        (MeetingKind.OBSERVATION, date(2021, 4, 1), date(2021, 4, 1), date(2021, 6, 30)),
    ],
)
def test_three_ones_periods(kind, day, start, due):
    slot = slot_containing(kind, day)
    assert (slot.start, slot.due_on) == (start, due)


def test_owed_slots_run_from_opening_until_production():
    dues = [
        s.due_on
        for s in owed_slots(
            MeetingKind.COORDINATION, date(2021, 1, 20), date(2021, 12, 31), date(2021, 4, 10)
        )
    ]
    assert dues == [date(2021, 1, 31), date(2021, 2, 28), date(2021, 3, 31)]
    across_year = [
        s.due_on
        for s in owed_slots(MeetingKind.OBSERVATION, date(2021, 12, 1), date(2022, 1, 1), None)
    ]
    assert across_year == [date(2021, 12, 31), date(2022, 3, 31)]


def test_quiet_day_rules():
    settings = IntakeSettings(
        quiet_weekdays=[1], quiet_month_days=[31], quiet_dates=[date(2021, 10, 1)]
    )
    assert "Mondays" in (quiet_day_rule(settings, date(2021, 3, 1)) or "")
    assert "day 31" in (quiet_day_rule(settings, date(2021, 3, 31)) or "")
    assert "2021-10-01" in (quiet_day_rule(settings, date(2021, 10, 1)) or "")
    assert quiet_day_rule(settings, date(2021, 3, 2)) is None
    assert quiet_day_rule(IntakeSettings(), date(2021, 3, 1)) is None  # none by default


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quiet_weekdays", [0]),
        ("quiet_month_days", [32]),
        ("time_zone", "Mars/Olympus"),
        ("baseline_days_to_construction", 0),
        ("missed_meeting_lookback_days", 0),
    ],
)
def test_bad_settings_are_refused_naming_the_field(field, value):
    with pytest.raises(ValidationError, match=field):
        IntakeSettings(**{field: value})


def test_default_baseline_is_about_twice_the_reported_thirty_days():
    assert IntakeSettings().baseline_days_to_construction == 60


def test_the_sweep_looks_back_a_quarter_by_default():
    assert IntakeSettings().missed_meeting_lookback_days == 92
