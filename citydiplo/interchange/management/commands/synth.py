"""`citydiplo synth places --rows N [--seed S] --output FILE.csv`: LABELLED SYNTHETIC test data.

`citydiplo synth observations --indicators 500 --rows 1000000 --org SLUG -o FILE.csv`: synthetic
indicators (added to the organisation, marked illustrative) and their observations; see
citydiplo.indicators.synth.

Rows are drawn from real GeoNames names and written the ways imported lists write them (case, accents,
exonyms, typing errors, admin words, country codes and names in several languages); every row carries
synthetic=yes and the GeoNames id it was drawn from. For benchmarks and load tests only, never as data
about real places. See citydiplo.registry.resolution.synth for how rows are made.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from citydiplo.registry.resolution.synth import synth_places_write


class Command(BaseCommand):
    help = "Write labelled synthetic data for benchmarks (kinds: places, observations)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["places", "observations"], help="What to generate.")
        parser.add_argument("--rows", type=int, default=100_000, help="How many rows (default 100000).")
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed: the same seed, the same file."
        )
        parser.add_argument("--indicators", type=int, default=500, help="observations: how many indicators.")
        parser.add_argument("--org", metavar="SLUG", help="observations: the organisation that gets them.")
        parser.add_argument(
            "--output", "-o", default="-", metavar="FILE.csv", help="Where to write (- for stdout)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rows"] < 1:
            raise CommandError("--rows must be at least 1.")
        if options["kind"] == "observations":
            self._observations(options)
            return
        if options["output"] == "-":
            count = synth_places_write(sys.stdout, options["rows"], seed=options["seed"])
            return
        path = Path(options["output"])
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as fh:
            count = synth_places_write(fh, options["rows"], seed=options["seed"])
        self.stderr.write(f"{count} synthetic rows written to {path} (seed {options['seed']}).")

    def _observations(self, options: dict[str, Any]) -> None:
        from citydiplo.accounts.models import Organisation
        from citydiplo.indicators.synth import synth_indicators, synth_observations_write

        organisation = Organisation.objects.filter(slug=options["org"] or "").first()
        if organisation is None or options["indicators"] < 1 or options["output"] == "-":
            raise CommandError(
                "observations need --org SLUG (an existing organisation), --indicators N >= 1 and -o FILE.csv."
            )
        codes = [i.code for i in synth_indicators(organisation=organisation, count=options["indicators"])]
        path = Path(options["output"])
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as fh:
            count = synth_observations_write(fh, codes=codes, rows=options["rows"], seed=options["seed"])
        self.stderr.write(
            f"{count} synthetic observation rows for {len(codes)} synthetic indicators written to {path}."
        )
