"""`citydiplo resolve places FILE.csv --output OUT.csv [--org SLUG]`: the place resolution engine on a file.

Input columns name and country (required), admin1, lat, lon (optional); every other column is kept.
The output is every input row, in order, with status, confidence, geonames_id, wikidata_id,
resolved_name, country_code, lat, lon and reason added (an added column whose name the input already
uses is written resolved_<name>). With --org, the organisation's remembered aliases are used and its
ambiguous rows are queued for review (the "Place names to review" page), once per name and country.

A missing column stops the run before anything is written (file, row, column, reason); unreadable
coordinates are warnings, and the row is resolved without them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from citydiplo.accounts.models import Organisation
from citydiplo.interchange.errors import ImportFailed
from citydiplo.registry.resolution.files import read_places, resolve_places, write_places
from citydiplo.registry.resolution.selectors import resolver_for
from citydiplo.registry.resolution.services import place_reviews_queue


class Command(BaseCommand):
    help = "Resolve free-text place names in a CSV file to GeoNames places (and registry actors)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["places"], help="What to resolve (places).")
        parser.add_argument("file", help="A UTF-8 CSV file; row 1 names the columns.")
        parser.add_argument(
            "--output", "-o", required=True, metavar="OUT.csv", help="Where to write the result."
        )
        parser.add_argument(
            "--org",
            metavar="SLUG",
            help="Use this organisation's aliases and queue its ambiguous rows for review.",
        )
        parser.add_argument(
            "--no-registry",
            action="store_true",
            help="Use the gazetteer and aliases only, not the registry's actors (no Wikidata ids then).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        output = Path(options["output"])
        if output.resolve() == path.resolve():
            raise CommandError("--output must not be the input file.")
        organisation = self._organisation(options["org"])
        started = time.perf_counter()
        try:
            data = read_places(path)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        for warning in data.warnings[:100]:
            self.stderr.write(f"warning: {warning}")
        if len(data.warnings) > 100:
            self.stderr.write(f"warning: … and {len(data.warnings) - 100} more")
        resolver = resolver_for(organisation=organisation, registry=not options["no_registry"])
        stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(
            total=len(data.queries),
            desc="Resolving places",
            unit="row",
            file=stream,
            disable=None if options["verbosity"] >= 1 else True,
        ) as bar:
            resolve_places(data, resolver, progress=bar.update)
        written = write_places(data, output)
        counts = data.counts
        summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("resolved", "ambiguous", "unresolved"))
        queued = ""
        if organisation is not None:
            created = place_reviews_queue(
                organisation=organisation, rows=data.numbered(), source_file=path.name
            )
            queued = f"; {created} new review(s) queued for {organisation.slug}"
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"{written} rows written to {output}: {summary}{queued} ({elapsed:.1f} s).")
        )

    @staticmethod
    def _organisation(slug: str | None) -> Organisation | None:
        if not slug:
            return None
        try:
            return Organisation.objects.get(slug=slug)
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"No organisation with the slug {slug!r}.") from exc
