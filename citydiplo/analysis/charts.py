"""Vega-Lite specs of the analysis pages (drawn by static/js/charts.js, no inline script)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

# A heat-map cell per pair: beyond ~40 networks the labels stop being readable, so the map shows the
# largest HEATMAP_MAX_NETWORKS networks (the table below it lists every overlapping pair).
HEATMAP_MAX_NETWORKS = 40


def overlap_heatmap(result: dict[str, Any]) -> dict[str, Any]:
    """Jaccard index of every pair of the largest networks (colour), shared members in the tooltip."""
    networks = sorted(result["networks"], key=lambda n: (-n["members"], n["name"]))[:HEATMAP_MAX_NETWORKS]
    label = {n["key"]: n["acronym"] or n["name"][:40] for n in networks}
    shown = set(label)
    cells = {(n["key"], n["key"]): (n["members"], 1.0) for n in networks}
    for pair in result["overlap"]:
        if pair["a"] in shown and pair["b"] in shown:
            cells[(pair["a"], pair["b"])] = cells[(pair["b"], pair["a"])] = (pair["shared"], pair["jaccard"])
    values = [
        {
            "a": label[a["key"]],
            "b": label[b["key"]],
            "shared": cells.get((a["key"], b["key"]), (0, 0.0))[0],
            "jaccard": cells.get((a["key"], b["key"]), (0, 0.0))[1],
        }
        for a in networks
        for b in networks
    ]
    order = [label[n["key"]] for n in networks]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": _("Overlap between networks: Jaccard index of their member sets"),
        "data": {"values": values},
        # vega-embed reads these options from the spec: its tooltip would otherwise inject a <style>
        # element, which the Content-Security-Policy (style-src 'self') blocks; analysis.css styles it.
        "usermeta": {"embedOptions": {"tooltip": {"disableDefaultStyle": True}}},
        "mark": {"type": "rect"},
        "width": {"step": 18},
        "height": {"step": 18},
        "encoding": {
            "x": {"field": "a", "type": "nominal", "sort": order, "title": None, "axis": {"labelAngle": -45}},
            "y": {"field": "b", "type": "nominal", "sort": order, "title": None},
            "color": {
                "field": "jaccard",
                "type": "quantitative",
                "title": _("Jaccard index"),
                "scale": {"scheme": "blues", "domain": [0, 1]},
            },
            "tooltip": [
                {"field": "a", "title": _("Network")},
                {"field": "b", "title": _("Network")},
                {"field": "shared", "type": "quantitative", "title": _("Shared members")},
                {"field": "jaccard", "type": "quantitative", "title": _("Jaccard index"), "format": ".3f"},
            ],
        },
    }
