"""Reference data loads: the city-network catalogue and the Wikidata sister-city graph as reference facts.

`reference_load(data_dir=..., only=..., dry_run=..., progress=...)` runs the steps of `loader.STEPS`
and returns a `LoadReport`; `citydiplo load-reference` is its command-line edge. The rules the loader
applies (kinds, themes, countries, links to GeoNames) are stated in `rules.py`, `twinning.py` and
`memberships.py`.
"""

from __future__ import annotations

from citydiplo.interchange.reference.loader import GROUPS, STEPS, Step, default_data_dir, reference_load
from citydiplo.interchange.reference.report import LoadReport, render_text

__all__ = ["GROUPS", "STEPS", "LoadReport", "Step", "default_data_dir", "reference_load", "render_text"]
