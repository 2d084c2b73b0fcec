from __future__ import annotations

import datetime as dt

import pytest

from citydiplo.indicators.models import disaggregation_key
from citydiplo.indicators.periods import PeriodError, period_parse


@pytest.mark.parametrize(
    ("text", "canonical", "start", "end"),
    [
        ("2024", "2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2024-q3", "2024-Q3", dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
        ("2024-02", "2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2024-07-15", "2024-07-15", dt.date(2024, 7, 15), dt.date(2024, 7, 15)),
        (2024.0, "2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        (dt.date(2024, 7, 15), "2024-07-15", dt.date(2024, 7, 15), dt.date(2024, 7, 15)),
    ],
)
def test_iso_periods_parse(text, canonical, start, end):
    period = period_parse(text)
    assert (period.text, period.start, period.end) == (canonical, start, end)


def test_period_keys_sort_in_time_order_whatever_the_length():
    written = ["2025", "2024-Q3", "2024-07-15", "2024-08", "2023"]
    in_time = ["2023", "2024-Q3", "2024-07-15", "2024-08", "2025"]
    assert sorted(written, key=lambda p: period_parse(p).key) == in_time


@pytest.mark.parametrize("bad", ["24", "2024-13", "2024-Q5", "2024-02-30", "July 2024", "", "1800"])
def test_bad_periods_say_why(bad):
    with pytest.raises(PeriodError):
        period_parse(bad)


def test_disaggregation_key_is_canonical_and_escaped():
    assert disaggregation_key({}) == ""
    assert disaggregation_key({"sex": "female", "department": "culture"}) == "department=culture|sex=female"
    assert disaggregation_key({"a": "x|y=z"}) == "a=x%7Cy%3Dz"
