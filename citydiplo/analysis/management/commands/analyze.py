"""`citydiplo analyze ...`: the ecosystem of city networks from the command line.

    citydiplo analyze ecosystem --format json|csv [--output FILE_OR_DIR] [--org SLUG]
    citydiplo analyze place SLUG [--org SLUG]
    citydiplo analyze suggest --org SLUG --theme KEY [--theme KEY ...] [--place SLUG]

Without --org the analysis reads what an anonymous visitor sees (reference facts and public records);
with --org it also reads that organisation's own records and those shared with it. Progress goes to
stderr (a tqdm bar on a terminal); data goes to stdout or --output. See docs/en/ecosystem.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from citydiplo.accounts.models import Organisation
from citydiplo.analysis import export, selectors
from citydiplo.analysis.services import ecosystem_compute_for
from citydiplo.registry.models import Actor, Theme


class Command(BaseCommand):
    help = "Analyse the ecosystem of city networks: centralities, overlap, peers, partner suggestions."
    # A read-only command run from scripts and benchmarks: Django's system checks (a second and more
    # on this machine) belong to `manage.py check` and to deployments, not to every analysis.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        eco = sub.add_parser("ecosystem", help="Networks, their overlap and every place's centralities.")
        eco.add_argument("--format", choices=["json", "csv"], default="json")
        eco.add_argument(
            "--output",
            "-o",
            metavar="FILE_OR_DIR",
            help="JSON: a file or directory (ecosystem.json); CSV: a directory (networks.csv, overlap.csv, "
            "places.csv). Default: stdout.",
        )
        eco.add_argument("--org", metavar="SLUG", help="Include this organisation's own records.")
        place = sub.add_parser("place", help="One place: its metrics, networks, peers.")
        place.add_argument("slug", help="The place's short name in addresses (e.g. montevideo-uy).")
        place.add_argument("--org", metavar="SLUG", help="Include this organisation's own records.")
        suggest = sub.add_parser("suggest", help="Partner suggestions for a theme, with the connecting path.")
        suggest.add_argument("--org", metavar="SLUG", required=True, help="The organisation asking.")
        suggest.add_argument(
            "--theme", metavar="KEY", action="append", required=True, help="A theme key (repeatable)."
        )
        suggest.add_argument(
            "--place", metavar="SLUG", help="Start from this place (default: the org's place)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = self._organisation(options.get("org"))
        reader = selectors.reader_for(organisation)
        {"ecosystem": self._ecosystem, "place": self._place, "suggest": self._suggest}[options["what"]](
            reader, organisation, options
        )

    def _organisation(self, slug: str | None) -> Organisation | None:
        if not slug:
            return None
        try:
            return Organisation.objects.get(slug=slug)
        except Organisation.DoesNotExist:
            raise CommandError(f"--org {slug}: no organisation with this short name") from None

    def _ecosystem(self, reader: Any, organisation: Organisation | None, options: dict[str, Any]) -> None:
        with tqdm(total=100, desc="ecosystem", unit="%", file=sys.stderr, disable=None) as bar:

            def progress(percent: int, stage: str) -> None:
                bar.set_postfix_str(stage)
                bar.update(max(0, percent - bar.n))

            result = ecosystem_compute_for(user=reader, progress=progress)
            progress(100, "written")
        output = Path(options["output"]) if options.get("output") else None
        try:
            if options["format"] == "json":
                if output is None:
                    self.stdout.write(export.to_json(result), ending="")
                else:
                    self.stderr.write(f"wrote {export.write_json(result, output)}")
            elif output is None:
                self.stdout.write(export.all_tables_csv(result), ending="")
            else:
                for path in export.write_csv(result, output):
                    self.stderr.write(f"wrote {path}")
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        summary = result["summary"]
        self.stderr.write(
            f"{summary['places']} places, {summary['networks']} networks, {summary['memberships']} memberships, "
            f"{summary['twinning_links']} twinning links; betweenness {summary['betweenness_method']}"
            f" ({summary['betweenness_sources']} sources)."
        )

    def _actor(self, reader: Any, slug: str) -> Actor:
        try:
            return Actor.objects.visible_to(reader).get(slug=slug)
        except Actor.DoesNotExist:
            raise CommandError(f"{slug}: no place with this short name (or not visible)") from None

    def _place(self, reader: Any, organisation: Organisation | None, options: dict[str, Any]) -> None:
        actor = self._actor(reader, options["slug"])
        result = ecosystem_compute_for(user=reader)
        place = selectors.result_place(result, actor.pk)
        if place is None:
            raise CommandError(f"{actor.slug}: no current membership or twinning, nothing to analyse")
        peers = selectors.peers_of(user=reader, actor_id=actor.pk)
        out = {
            **place,
            "networks": selectors.place_networks(user=reader, actor_id=actor.pk),
            "peers": [
                {
                    "slug": p.slug,
                    "name": p.name,
                    "country": p.country,
                    "score": p.score,
                    "shared_networks": p.shared_networks,
                    "their_networks": [n["key"] for n in p.their_networks],
                }
                for p in peers
            ],
            "redundancy": [
                {
                    "theme": r.theme_key,
                    "networks": [n["key"] for n in r.networks],
                    "shared_members": r.shared_members,
                }
                for r in selectors.portfolio_redundancy(user=reader, actor_id=actor.pk)
            ],
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))

    def _suggest(self, reader: Any, organisation: Organisation | None, options: dict[str, Any]) -> None:
        assert organisation is not None  # --org is required by the parser
        known = set(Theme.objects.values_list("key", flat=True))
        unknown = [k for k in options["theme"] if k not in known]
        if unknown:
            raise CommandError(
                f"--theme {', '.join(unknown)}: unknown theme (known: {', '.join(sorted(known))})"
            )
        if options.get("place"):
            actor = self._actor(reader, options["place"])
        elif organisation.place_id:
            actor = self._actor(reader, organisation.place.slug)
        else:
            raise CommandError(f"--org {organisation.slug} names no place it represents: give --place SLUG")
        suggestions = selectors.partner_suggestions(
            user=reader, actor_id=actor.pk, theme_keys=options["theme"]
        )
        if not suggestions:
            self.stderr.write("No place on these themes is reachable through existing relations.")
        for s in suggestions:
            self.stdout.write(f"{s.name} ({s.country})\tscore {s.score:.3f}\t{s.hops} steps\t{s.path_text}")
