"""`citydiplo synth places --rows N [--seed S] --output FILE.csv`: LABELLED SYNTHETIC test data.

`citydiplo synth observations --indicators 500 --rows 1000000 --org SLUG -o FILE.csv`: synthetic
indicators (added to the organisation, marked illustrative) and their observations; see
citydiplo.indicators.synth.

Rows are drawn from real GeoNames names and written the ways imported lists write them (case, accents,
exonyms, typing errors, admin words, country codes and names in several languages); every row carries
synthetic=yes and the GeoNames id it was drawn from. For benchmarks and load tests only, never as data
about real places. See citydiplo.registry.resolution.synth for how rows are made.

`citydiplo synth ecosystem [--places N --networks N --memberships N --twinnings N] [--seed S]` writes a
synthetic registry of city networks straight into the database (every actor named "SYNTH ...", source
"synthetic"): see citydiplo.analysis.synth. Point DATABASE_URL or CITYDIPLO_DATA_DIR at a scratch database.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from citydiplo.registry.resolution.synth import synth_places_write


class Command(BaseCommand):
    help = "Write labelled synthetic data for benchmarks (kinds: places, observations, ecosystem)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["places", "observations", "ecosystem"], help="What to generate.")
        parser.add_argument("--places", type=int, default=20_000, help="ecosystem: places (default 20000).")
        parser.add_argument("--networks", type=int, default=300, help="ecosystem: networks (default 300).")
        parser.add_argument(
            "--memberships", type=int, default=150_000, help="ecosystem: memberships (default 150000)."
        )
        parser.add_argument(
            "--twinnings", type=int, default=60_000, help="ecosystem: twinnings (default 60000)."
        )
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
        if options["kind"] == "ecosystem":
            self._ecosystem(options)
            return
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

    def _ecosystem(self, options: dict[str, Any]) -> None:
        from citydiplo.analysis.synth import synth_ecosystem, synth_ecosystem_write

        try:
            registry = synth_ecosystem(
                places=options["places"],
                networks=options["networks"],
                memberships=options["memberships"],
                twinnings=options["twinnings"],
                seed=options["seed"],
            )
            counts = synth_ecosystem_write(registry)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(
            "Synthetic registry written (seed {seed}): {places} places, {networks} networks, "
            "{memberships} memberships, {twinnings} twinnings.".format(seed=options["seed"], **counts)
        )
