"""`citydiplo load-reference [--from DIR] [--only networks,memberships,twinning,sdg] [--dry-run] [--json]`.

Loads the city-network catalogue (DIR/city-networks/, else the seed catalogue shipped with citydiplo),
the Wikidata sister-city graph (DIR/wikidata-sister-cities/) and the UN SDG framework with its titles in
English, Spanish and French (DIR/sdg/, see citydiplo/interchange/reference/sdg.py) as reference facts. DIR defaults to
settings.CITYDIPLO_REFERENCE_DATA. Safe to re-run: it adds nothing new, reports what changed, and leaves
alone what curators corrected. A wrong file stops the load before any write, naming file, row and column.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from citydiplo.interchange.errors import ImportFailed
from citydiplo.interchange.reference import GROUPS, default_data_dir, reference_load, render_text

MAX_ERRORS_SHOWN = 50


class _Bars:
    """One tqdm bar per step, on the terminal only (tqdm hides itself when stderr is not a TTY)."""

    def __init__(self, stream: Any, enabled: bool) -> None:
        self.stream, self.enabled = stream, enabled
        self.bar: tqdm | None = None
        self.label = ""

    def __call__(self, label: str, done: int, total: int) -> None:
        if label != self.label:
            self.close()
            self.label = label
            self.bar = tqdm(
                total=total,
                desc=label,
                unit="row",
                file=self.stream,
                disable=None if self.enabled else True,
                leave=True,
            )
        if self.bar is not None:
            self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = "Load the reference data (city networks, memberships, Wikidata twinning, the SDG framework)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from",
            dest="data_dir",
            metavar="DIR",
            help="Folder laid out like the shared data (city-networks/, wikidata-sister-cities/); "
            "default: the CITYDIPLO_REFERENCE_DATA setting.",
        )
        parser.add_argument(
            "--only",
            metavar="GROUPS",
            help=f"Comma-separated groups to load, among {', '.join(GROUPS)} (default: all).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Run every step, report, then write nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print the report as JSON (for scripts).")

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = Path(options["data_dir"]) if options["data_dir"] else default_data_dir()
        if data_dir is not None and not data_dir.is_dir():
            raise CommandError(f"{data_dir}: no such folder")
        only = [g.strip() for g in options["only"].split(",") if g.strip()] if options["only"] else None
        if only is not None:
            unknown = sorted(set(only) - set(GROUPS))
            if unknown or not only:
                raise CommandError(f"--only takes groups among {', '.join(GROUPS)}; got {options['only']!r}")

        bars = _Bars(
            getattr(self.stderr, "_out", sys.stderr),
            enabled=options["verbosity"] >= 1 and not options["json"],
        )
        try:
            report = reference_load(data_dir=data_dir, only=only, dry_run=options["dry_run"], progress=bars)
        except ImportFailed as exc:
            bars.close()
            if options["json"]:
                self.stdout.write(
                    json.dumps({"errors": [e.as_dict() for e in exc.errors]}, ensure_ascii=False, indent=2)
                )
            lines = [str(error) for error in exc.errors[:MAX_ERRORS_SHOWN]]
            if len(exc.errors) > MAX_ERRORS_SHOWN:
                lines.append(f"… and {len(exc.errors) - MAX_ERRORS_SHOWN} more (--json lists all)")
            raise CommandError(
                "\n".join(lines) + f"\n{len(exc.errors)} error(s): nothing was written."
            ) from exc
        finally:
            bars.close()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_text(report))
