"""Reading a number typed by a person or found in a file, with the reason when it is not one."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

MAX_VALUE = Decimal("1e18")
SIX_PLACES = Decimal("0.000001")


def number_parse(raw: Any) -> Decimal | str:
    """A Decimal, or why the cell is not a number. Accepts a decimal comma ("12,5") as spreadsheets in
    Spanish, French and Portuguese write it; refuses thousands separators, which are ambiguous."""
    if isinstance(raw, float) and not math.isfinite(raw):
        return _("%(text)r is not a number, and this indicator is numeric.") % {"text": str(raw)}
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        # A spreadsheet's float (0.1 + 0.2 = 0.30000000000000004) is rounded to the six places kept.
        value = Decimal(repr(raw)).quantize(SIX_PLACES) if isinstance(raw, float) else Decimal(raw)
    else:
        text = raw.strip() if isinstance(raw, str) else _text(raw)
        if not text:
            return _("A value is required.")
        if "," in text:
            if "." in text or text.count(",") > 1:
                return _("%(text)r: write numbers without thousands separators (12500.5 or 12500,5).") % {
                    "text": text
                }
            text = text.replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            return _("%(text)r is not a number, and this indicator is numeric.") % {"text": text}
    if not value.is_finite():  # "NaN", "Infinity"
        return _("%(text)r is not a number, and this indicator is numeric.") % {"text": _text(raw)}
    if abs(value) >= MAX_VALUE:
        return _("%(text)r is too large.") % {"text": _text(raw)}
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6:
        return _("%(text)r has more than 6 decimal places.") % {"text": _text(raw)}
    return value


def _text(value: Any) -> str:
    """The text a person sees in a cell (a spreadsheet's 12.0 is "12")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
