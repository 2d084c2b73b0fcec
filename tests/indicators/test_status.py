"""The progress status method (citydiplo.indicators.status): one test per branch, both directions,
compound and straight-line rates, qualitative scales and free text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from citydiplo.indicators.status import Point, Status, as_number, assess, scale_position


@pytest.fixture(autouse=True)
def _english():
    """Reasons are lazy translations: read them in English whatever an earlier test left active."""
    with translation.override("en"):
        yield


def d(year: int, month: int = 12, day: int = 31) -> dt.date:
    return dt.date(year, month, day)


def test_no_observation_is_no_data():
    assert assess(current=None, base=None, targets=[]).status == Status.NO_DATA


def test_free_text_has_no_status():
    result = assess(current=Point(d(2024), 1), base=None, targets=[], text_only=True)
    assert result.status == Status.NO_DATA
    assert "Free-text" in result.reason


def test_reached_target_is_on_track_even_with_one_value():
    result = assess(current=Point(d(2024), 12), base=None, targets=[Point(d(2027), 10)])
    assert result.status == Status.ON_TRACK
    assert result.target == Point(d(2027), 10)


def test_one_value_without_reached_target_is_no_data():
    assert assess(current=Point(d(2024), 5), base=None, targets=[Point(d(2027), 10)]).status == Status.NO_DATA


def test_passed_target_date_not_reached_is_off_track():
    result = assess(current=Point(d(2024), 5), base=Point(d(2020), 1), targets=[Point(d(2023), 10)])
    assert result.status == Status.OFF_TRACK
    assert "passed" in result.reason


def test_fast_enough_compound_growth_is_on_track():
    # 100 -> 150 in 2 years needs 100 -> 200 in 4: observed CAGR 22.5 %, required 18.9 %: ratio 1.19.
    result = assess(current=Point(d(2022), 150), base=Point(d(2020), 100), targets=[Point(d(2024), 200)])
    assert result.status == Status.ON_TRACK
    assert result.ratio == pytest.approx(1.19, abs=0.01)


def test_moderate_progress_is_at_risk():
    # 100 -> 125 in 2 years, 200 needed in 4: ratio 0.627.
    result = assess(current=Point(d(2022), 125), base=Point(d(2020), 100), targets=[Point(d(2024), 200)])
    assert result.status == Status.AT_RISK
    assert 0.6 <= result.ratio < 0.95


def test_slow_progress_is_off_track():
    result = assess(current=Point(d(2022), 105), base=Point(d(2020), 100), targets=[Point(d(2024), 200)])
    assert result.status == Status.OFF_TRACK
    assert 0 <= result.ratio < 0.6


def test_moving_away_from_target_is_off_track_with_negative_ratio():
    result = assess(current=Point(d(2022), 90), base=Point(d(2020), 100), targets=[Point(d(2024), 200)])
    assert result.status == Status.OFF_TRACK
    assert result.ratio < 0
    assert "away" in result.reason


def test_lower_is_better_going_down_fast_is_on_track():
    # Emissions 1000 -> 760 in 2 years (-12.8 % a year), 600 needed by 4 years (-12.0 % a year).
    result = assess(
        current=Point(d(2022), 760),
        base=Point(d(2020), 1000),
        targets=[Point(d(2024), 600)],
        higher_is_better=False,
    )
    assert result.status == Status.ON_TRACK


def test_lower_is_better_going_up_is_off_track():
    result = assess(
        current=Point(d(2022), 1100),
        base=Point(d(2020), 1000),
        targets=[Point(d(2024), 600)],
        higher_is_better=False,
    )
    assert result.status == Status.OFF_TRACK
    assert result.ratio < 0


def test_lower_is_better_target_reached():
    result = assess(
        current=Point(d(2022), 590),
        base=Point(d(2020), 1000),
        targets=[Point(d(2024), 600)],
        higher_is_better=False,
    )
    assert result.status == Status.ON_TRACK


def test_zero_base_uses_straight_line_rates():
    # 0 -> 5 in 1 year, 10 needed in 2: exactly on pace (ratio 1.0); a compound rate cannot start at 0.
    result = assess(current=Point(d(2021), 5), base=Point(d(2020), 0), targets=[Point(d(2022), 10)])
    assert result.status == Status.ON_TRACK
    assert result.ratio == pytest.approx(1.0, abs=0.01)


def test_nearest_future_target_is_used():
    targets = [Point(d(2030), 1000), Point(d(2024), 120)]
    result = assess(current=Point(d(2022), 110), base=Point(d(2020), 100), targets=targets)
    assert result.target == Point(d(2024), 120)


def test_baseline_already_past_target_but_slipped_back_is_off_track():
    result = assess(current=Point(d(2022), 8), base=Point(d(2020), 12), targets=[Point(d(2024), 10)])
    assert result.status == Status.OFF_TRACK
    assert "slipped" in result.reason


def test_base_on_or_after_current_is_ignored():
    result = assess(current=Point(d(2022), 5), base=Point(d(2022), 1), targets=[Point(d(2024), 10)])
    assert result.status == Status.NO_DATA


@pytest.mark.parametrize(
    ("current", "expected"),
    [(110, Status.ON_TRACK), (101, Status.AT_RISK), (100, Status.OFF_TRACK), (95, Status.OFF_TRACK)],
)
def test_without_target_the_growth_rate_decides(current, expected):
    # Over 1 year from 100: +10 % on track, +1 % at risk, 0 % and falling off track.
    assert assess(current=Point(d(2021), current), base=Point(d(2020), 100), targets=[]).status == expected


def test_without_target_lower_is_better_falling_is_on_track():
    result = assess(current=Point(d(2021), 90), base=Point(d(2020), 100), targets=[], higher_is_better=False)
    assert result.status == Status.ON_TRACK


def test_without_target_and_zero_base_is_no_data():
    assert assess(current=Point(d(2021), 3), base=Point(d(2020), 0), targets=[]).status == Status.NO_DATA


def test_qualitative_scale_counts_positions_in_straight_lines():
    scale = ["none", "drafted", "approved", "funded"]
    assert scale_position(scale, "Approved") == 3
    assert as_number(None, "drafted", scale=scale) == 2
    # drafted (2) -> approved (3) in one year; funded (4) needed in two: on pace.
    result = assess(
        current=Point(d(2021), 3), base=Point(d(2020), 2), targets=[Point(d(2022), 4)], qualitative=True
    )
    assert result.status == Status.ON_TRACK
    assert result.ratio == pytest.approx(1.0, abs=0.01)


def test_label_off_the_scale_has_no_position():
    assert scale_position(["low", "high"], "medium") is None
