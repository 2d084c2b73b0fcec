"""Dates that may be known only to the year or the month.

Sources rarely give full dates: "member since 1995", "signed in May 2017", "date unknown". A partial date
is stored as an ISO 8601 prefix string: "" (unknown), "1995", "2017-05" or "2017-05-03". Such strings sort
in time order as plain text, so the database can order and compare them without a second column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PRECISION_UNKNOWN, PRECISION_YEAR, PRECISION_MONTH, PRECISION_DAY = "unknown", "year", "month", "day"


class PartialDateError(ValueError):
    pass


@dataclass(frozen=True)
class PartialDate:
    text: str

    @property
    def precision(self) -> str:
        return {0: PRECISION_UNKNOWN, 4: PRECISION_YEAR, 7: PRECISION_MONTH, 10: PRECISION_DAY}[
            len(self.text)
        ]

    @property
    def year(self) -> int | None:
        return int(self.text[:4]) if self.text else None

    def earliest(self) -> dt.date | None:
        """First day the partial date may mean (1995 -> 1995-01-01)."""
        if not self.text:
            return None
        parts = [int(p) for p in self.text.split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)

    def latest(self) -> dt.date | None:
        """Last day the partial date may mean (1995 -> 1995-12-31)."""
        if not self.text:
            return None
        parts = [int(p) for p in self.text.split("-")]
        if len(parts) == 3:
            return dt.date(*parts)
        if len(parts) == 2:
            next_month = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return next_month - dt.timedelta(days=1)
        return dt.date(parts[0], 12, 31)

    def __str__(self) -> str:
        return self.text


def partial_date_parse(value: object) -> str:
    """Normalise user or file input to the stored form, or raise PartialDateError saying why.

    Accepts "", None, an int year, a date, "1995", "1995.0" (spreadsheets), "2017-5", "2017/05", "2017-05-03".
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            value = str(int(value))
        else:
            raise PartialDateError(gettext("%(value)r is not a year") % {"value": value})
    text = str(value).strip()
    if text.lower() in {"", "unknown", "n/a", "na", "-", "?"}:
        return ""
    if re.fullmatch(r"\d{4}\.0+", text):
        text = text.split(".")[0]
    pieces = re.split(r"[-/.]", text)
    if not 1 <= len(pieces) <= 3 or not all(p.isdigit() for p in pieces) or len(pieces[0]) != 4:
        raise PartialDateError(
            gettext("%(text)r is not a date: use YYYY, YYYY-MM or YYYY-MM-DD") % {"text": text}
        )
    year = int(pieces[0])
    if not 1000 <= year <= 2200:
        raise PartialDateError(
            gettext("%(text)r: year %(year)s is out of range") % {"text": text, "year": year}
        )
    normalised = pieces[0]
    if len(pieces) >= 2:
        month = int(pieces[1])
        if not 1 <= month <= 12:
            raise PartialDateError(
                gettext("%(text)r: month %(month)s does not exist") % {"text": text, "month": month}
            )
        normalised += f"-{month:02d}"
    if len(pieces) == 3:
        day = int(pieces[2])
        try:
            dt.date(year, int(pieces[1]), day)
        except ValueError as exc:
            raise PartialDateError(gettext("%(text)r: that day does not exist") % {"text": text}) from exc
        normalised += f"-{day:02d}"
    return normalised


def validate_partial_date(value: str) -> None:
    if value and not _PATTERN.match(value):
        raise ValidationError(_("Use YYYY, YYYY-MM or YYYY-MM-DD."), code="partial_date")
    try:
        partial_date_parse(value)
    except PartialDateError as exc:
        raise ValidationError(str(exc), code="partial_date") from exc


def partial_date_display(value: str) -> str:
    """Human form used in lists: the year or year-month as given, never a made-up day."""
    return value or "—"
