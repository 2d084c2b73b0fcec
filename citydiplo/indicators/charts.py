"""The Vega-Lite spec of an indicator's time series, with its targets and baseline.

The spec is rendered into the page as JSON (json_script) and drawn by static/js/charts.js: no inline
script, no CDN. Values are plain numbers and ISO dates; labels come translated from the server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from citydiplo.indicators.models import Baseline, Indicator, Target
from citydiplo.indicators.status import as_number


def series_chart(
    indicator: Indicator,
    series: Sequence[tuple[dt.date, str, Decimal]],
    targets: Sequence[Target],
    *,
    baseline: Baseline | None = None,
) -> dict[str, Any] | None:
    """A line of the observed values, a dashed line from the baseline (or first value) to each target,
    and the targets as marked points. None when there is nothing to draw."""
    scale = indicator.scale or None
    values = [
        {"date": d.isoformat(), "period": p, "value": float(v), "series": _("Observed")} for d, p, v in series
    ]
    goal_points = []
    for target in targets:
        number = as_number(target.value, target.text_value, scale=scale)
        if number is not None:
            goal_points.append({"date": target.date.isoformat(), "value": number, "series": _("Target")})
    start = None
    if baseline is not None:
        number = as_number(baseline.value, baseline.text_value, scale=scale)
        if number is not None:
            start = {"date": baseline.date.isoformat(), "value": number, "series": _("Target")}
    if start is None and values:
        start = {"date": values[0]["date"], "value": values[0]["value"], "series": _("Target")}
    if not values and not goal_points:
        return None
    path = ([start] if start and goal_points else []) + goal_points
    unit = indicator.unit_label
    y_title = f"{indicator.name} ({unit})" if unit else indicator.name
    y_axis: dict[str, Any] = {"title": y_title}
    if scale:
        # Positions 1..n labelled with the scale's words.
        quoted = [label.replace("\\", "\\\\").replace("'", "\\'") for label in scale]
        expression = (
            " : ".join(f"datum.value == {i + 1} ? '{label}'" for i, label in enumerate(quoted)) + " : ''"
        )
        y_axis = {"title": indicator.name, "tickMinStep": 1, "labelExpr": expression}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": _("Values of %(name)s over time, with targets") % {"name": indicator.name},
        "width": "container",
        "height": 260,
        "autosize": {"type": "fit", "contains": "padding"},
        "layer": [
            {
                "data": {"values": path},
                "mark": {"type": "line", "strokeDash": [6, 4], "point": {"shape": "diamond", "size": 80}},
                "encoding": {
                    "x": {"field": "date", "type": "temporal", "title": _("Period")},
                    "y": {"field": "value", "type": "quantitative", "axis": y_axis},
                    "color": {"field": "series", "type": "nominal", "title": None},
                },
            },
            {
                "data": {"values": values},
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "x": {"field": "date", "type": "temporal", "title": _("Period")},
                    "y": {"field": "value", "type": "quantitative", "axis": y_axis},
                    "color": {"field": "series", "type": "nominal", "title": None},
                    "tooltip": [
                        {"field": "period", "type": "nominal", "title": _("Period")},
                        {"field": "value", "type": "quantitative", "title": _("Value")},
                    ],
                },
            },
        ],
    }
