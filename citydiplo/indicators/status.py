"""Progress status of an indicator: on track, at risk, off track or no data.

The method follows the progress measure of Open SDG (sdg-build's `ProgressMeasure`, itself taken from
the UN ESCAP / UN Statistics Division SDG progress assessment): compare the rate of change observed since
the baseline with the rate needed to reach the target by its date.

1. Points. The *current* point is the latest observation of the indicator's total (no disaggregation),
   dated at the end of its period. The *base* point is the indicator's baseline (value and date) when it
   is earlier than the current point, else the earliest observation. Qualitative scales count by the
   position of the label on the scale (first label = 1); free-text indicators have no status.
2. Target. The nearest target whose date is not before the current point; when every target date has
   passed, the last one.
3. Target achieved: the current value is at or beyond the target in the indicator's direction (at or
   above for "higher is better", at or below for "lower is better") → **on track**.
4. Target date passed and not achieved → **off track**.
5. Rates, per year (time in days / 365.25). When base, current and target are all positive numbers (or
   all negative), compound annual growth rates as Open SDG does: `(current / base) ** (1 / years) - 1`
   observed and `(target / base) ** (1 / years_to_target) - 1` required. Otherwise (a zero or a change of
   sign, and always for scales) straight-line rates: `(current - base) / years`. The progress ratio is
   `observed / required`; with "lower is better" both rates are negative when things go well, so the
   ratio is positive in both directions.
6. Thresholds (Open SDG's defaults for a quantitative target): ratio ≥ 0.95 **on track** (substantial
   progress), 0.6 ≤ ratio < 0.95 **at risk** (moderate progress, acceleration needed), ratio < 0.6
   **off track** (limited progress or deterioration).
7. No target: the observed rate alone, in the indicator's direction (Open SDG's method 1): growth of at
   least 1.5 % a year **on track**, 0.5 % to 1.5 % **at risk**, less **off track** (for straight-line
   rates, the change per year relative to the base value).
8. **No data**: no observation; a single point and the target not achieved; two points on the same day;
   a free-text indicator; a base value of zero with no target.

If the baseline already met the target and the current value no longer does, the indicator is off
track: it has slipped back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

ON_TRACK_RATIO, AT_RISK_RATIO = 0.95, 0.6
ON_TRACK_GROWTH, AT_RISK_GROWTH = 0.015, 0.005
DAYS_PER_YEAR = 365.25


class Status(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("No data")


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: float


@dataclass(frozen=True)
class Assessment:
    status: str
    # A lazy translation: turned into text in the reader's language when shown (str() it for JSON).
    reason: Any
    ratio: float | None = None
    base: Point | None = None
    current: Point | None = None
    target: Point | None = None

    @property
    def label(self) -> str:
        return str(Status(self.status).label)


def scale_position(scale: Sequence[str], label: str) -> float | None:
    """1 for the first (worst) label of the scale, 2 for the next...; None for a label not on it."""
    lowered = [str(item).strip().lower() for item in scale]
    try:
        return float(lowered.index(label.strip().lower()) + 1)
    except ValueError:
        return None


def as_number(value: Decimal | float | None, text: str, *, scale: Sequence[str] | None) -> float | None:
    """The number the method works with: the value, or the position of a scale label."""
    if scale:
        return scale_position(scale, text) if text else (float(value) if value is not None else None)
    return float(value) if value is not None else None


def _years(start: dt.date, end: dt.date) -> float:
    return (end - start).days / DAYS_PER_YEAR


def _same_sign_nonzero(*values: float) -> bool:
    return all(v > 0 for v in values) or all(v < 0 for v in values)


def _rate(base: float, later: float, years: float, compound: bool) -> float:
    if compound:
        return (later / base) ** (1 / years) - 1
    return (later - base) / years


def _achieved(current: float, target: float, higher_is_better: bool) -> bool:
    return current >= target if higher_is_better else current <= target


def assess(
    *,
    current: Point | None,
    base: Point | None,
    targets: Sequence[Point],
    higher_is_better: bool = True,
    qualitative: bool = False,
    text_only: bool = False,
) -> Assessment:
    """The status of one indicator from its points (see the module docstring for the method).

    `base` is the baseline or, failing one, the earliest observation; `qualitative` forces straight-line
    rates (positions on a scale are ranks, not quantities that grow by a percentage).
    """
    if text_only:
        return Assessment(Status.NO_DATA, (_("Free-text indicators have no computed status.")))
    if current is None:
        return Assessment(Status.NO_DATA, (_("No observation yet.")))
    ordered = sorted(targets, key=lambda t: t.date)
    target = next((t for t in ordered if t.date >= current.date), ordered[-1] if ordered else None)
    if base is not None and base.date >= current.date:
        base = None
    if target is not None and _achieved(current.value, target.value, higher_is_better):
        return Assessment(
            Status.ON_TRACK, (_("The target is reached.")), base=base, current=current, target=target
        )
    if target is not None and target.date < current.date:
        return Assessment(
            Status.OFF_TRACK,
            (_("The target date has passed and the target was not reached.")),
            base=base,
            current=current,
            target=target,
        )
    if base is None:
        return Assessment(
            Status.NO_DATA,
            (_("One value only: a baseline or an earlier observation is needed to see progress.")),
            current=current,
            target=target,
        )
    sign = 1.0 if higher_is_better else -1.0
    years = _years(base.date, current.date)
    if target is not None:
        years_needed = _years(base.date, target.date)
        if years_needed <= 0 or sign * (target.value - base.value) <= 0:
            return Assessment(
                Status.OFF_TRACK,
                (_("The baseline met the target, but the current value has slipped back.")),
                base=base,
                current=current,
                target=target,
            )
        compound = not qualitative and _same_sign_nonzero(base.value, current.value, target.value)
        observed = _rate(base.value, current.value, years, compound)
        required = _rate(base.value, target.value, years_needed, compound)
        ratio = observed / required
        if ratio >= ON_TRACK_RATIO:
            status, reason = (
                Status.ON_TRACK,
                _("Progress since the baseline is fast enough to reach the target."),
            )
        elif ratio >= AT_RISK_RATIO:
            status, reason = Status.AT_RISK, _("Progressing, but too slowly: the target needs acceleration.")
        elif ratio >= 0:
            status, reason = Status.OFF_TRACK, _("Progress is far too slow to reach the target.")
        else:
            status, reason = Status.OFF_TRACK, _("Moving away from the target.")
        return Assessment(status, reason, ratio=ratio, base=base, current=current, target=target)
    # No target: judge the direction and pace of change alone.
    if not qualitative and _same_sign_nonzero(base.value, current.value):
        growth = sign * _rate(base.value, current.value, years, True)
    elif base.value != 0:
        growth = sign * _rate(base.value, current.value, years, False) / abs(base.value)
    else:
        return Assessment(
            Status.NO_DATA,
            (_("No target, and a base value of zero: set a target to see progress.")),
            base=base,
            current=current,
        )
    if growth >= ON_TRACK_GROWTH:
        status, reason = Status.ON_TRACK, _("No target set; improving by at least 1.5 per cent a year.")
    elif growth >= AT_RISK_GROWTH:
        status, reason = Status.AT_RISK, _("No target set; improving slowly (0.5 to 1.5 per cent a year).")
    else:
        status, reason = Status.OFF_TRACK, _("No target set; not improving.")
    return Assessment(status, reason, ratio=growth, base=base, current=current)
