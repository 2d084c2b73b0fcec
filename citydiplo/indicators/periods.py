"""Reporting periods written the ISO way: a year `2024`, a quarter `2024-Q3`, a month `2024-07`, a day
`2024-07-15`.

Each period is stored three ways: as written (canonical form), as start and end dates (for charts and the
status method), and as a sort key that orders periods in time whatever their length: the start date
followed by a letter for the length (`2024-07-01M`). The key is part of the observation's unique key, so a
quarter and the month it starts with are two different periods.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_PATTERN = re.compile(r"^(\d{4})(?:-(?:[Qq]([1-4])|(\d{2})(?:-(\d{2}))?))?$")
YEAR, QUARTER, MONTH, DAY = "Y", "Q", "M", "D"


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    text: str
    key: str
    start: dt.date
    end: dt.date
    length: str


def period_parse(value: object) -> Period:
    """Parse a period; raise PeriodError with a reason a person can act on.

    A spreadsheet's year cell arrives as 2024.0 and a date cell as a date: both are accepted.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _day(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    match = _PATTERN.match(text)
    if match is None:
        raise PeriodError(
            _("%(text)r is not a period: write 2024, 2024-Q3, 2024-07 or 2024-07-15.") % {"text": text}
        )
    year_text, quarter, month, day = match.groups()
    year = int(year_text)
    if year < 1900 or year > 2200:
        raise PeriodError(_("%(text)r: the year is out of range (1900-2200).") % {"text": text})
    if quarter:
        first_month = (int(quarter) - 1) * 3 + 1
        last_month = first_month + 2
        start = dt.date(year, first_month, 1)
        end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        return Period(f"{year}-Q{quarter}", f"{start.isoformat()}{QUARTER}", start, end, QUARTER)
    if month:
        month_number = int(month)
        if not 1 <= month_number <= 12:
            raise PeriodError(_("%(text)r: there is no month %(month)s.") % {"text": text, "month": month})
        if day:
            try:
                return _day(dt.date(year, month_number, int(day)))
            except ValueError as exc:
                raise PeriodError(_("%(text)r is not a real day.") % {"text": text}) from exc
        start = dt.date(year, month_number, 1)
        end = dt.date(year, month_number, calendar.monthrange(year, month_number)[1])
        return Period(f"{year}-{month_number:02d}", f"{start.isoformat()}{MONTH}", start, end, MONTH)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return Period(str(year), f"{start.isoformat()}{YEAR}", start, end, YEAR)


def _day(day: dt.date) -> Period:
    text = day.isoformat()
    return Period(text, f"{text}{DAY}", day, day, DAY)
