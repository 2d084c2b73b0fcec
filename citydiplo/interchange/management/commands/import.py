"""`citydiplo import memberships|agreements|observations FILE [--org SLUG --user NAME] [--create-missing] [--dry-run]`.

Without --org the rows become reference facts (for platform operators and curators); with --org they are
that organisation's records, private unless --visibility public, and --user must be an owner or editor
there. Every row is checked before anything is written; any error exits non-zero with every error listed
(file, row, column, reason) and the database untouched.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from citydiplo.accounts.models import Organisation
from citydiplo.interchange.importers import IMPORTERS, VALIDATE
from citydiplo.interchange.models import ImportRun
from citydiplo.interchange.services import ImportResult, import_file

PHASE_LABELS = {VALIDATE: "Checking rows", "write": "Writing"}


class _Bars:
    """One tqdm bar per phase, on the terminal only (tqdm hides itself when stderr is not a TTY)."""

    def __init__(self, stream: Any, enabled: bool) -> None:
        self.stream, self.enabled = stream, enabled
        self.bar: tqdm | None = None
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = tqdm(
                total=total,
                desc=PHASE_LABELS.get(phase, phase),
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


def _summary(counts: dict[str, dict[str, int]]) -> str:
    parts = [
        f"{record_type}: " + ", ".join(f"{number} {what}" for what, number in values.items())
        for record_type, values in counts.items()
    ]
    return "; ".join(parts) or "nothing to do"


class Command(BaseCommand):
    help = "Import network memberships or agreements from a CSV or XLSX file: every row, or none."
    # Django's system checks load every URL pattern and API schema (about 2 s); they guard a server's
    # start-up, `citydiplo check` runs them on demand, and an import needs none of what they check.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS), help="What the file holds.")
        parser.add_argument(
            "file", help="A .csv (UTF-8, with or without BOM) or .xlsx file; row 1 names the columns."
        )
        parser.add_argument(
            "--org", metavar="SLUG", help="Import as this organisation's records (needs --user)."
        )
        parser.add_argument(
            "--user", metavar="USERNAME", help="The acting user: an owner or editor of --org, or a curator."
        )
        parser.add_argument(
            "--visibility", choices=["private", "public"], help="For --org imports (default private)."
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Add networks that are not in the catalogue as reference networks instead of reporting them.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report the counts; write nothing."
        )
        observations = parser.add_argument_group("observations")
        observations.add_argument(
            "--mode",
            choices=["add", "upsert"],
            default="add",
            help="add: keep values already stored; upsert: overwrite them (key: indicator, period, disaggregation).",
        )
        observations.add_argument(
            "--add-dimensions",
            action="store_true",
            help="Declare unknown disaggregation columns on the indicator instead of reporting them.",
        )
        observations.add_argument(
            "--indicator",
            metavar="CODE",
            help="The indicator of an Open SDG file (default: from its file name).",
        )
        observations.add_argument(
            "--state",
            choices=["draft", "submitted", "approved"],
            default="submitted",
            help="Review state of the imported values (default submitted).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        organisation = self._organisation(options["org"])
        user = self._user(options["user"])
        if organisation is not None and user is None:
            raise CommandError(
                "--user is required with --org: the records are written by one of its owners or editors."
            )
        if organisation is None and options["visibility"]:
            raise CommandError(
                "--visibility applies to an organisation's records (--org); reference facts are public."
            )

        bars = _Bars(getattr(self.stderr, "_out", sys.stderr), enabled=options["verbosity"] >= 1)
        try:
            result = import_file(
                kind=options["kind"],
                source=path,
                file_name=path.name,
                user=user,
                organisation=organisation,
                visibility=options["visibility"],
                dry_run=options["dry_run"],
                create_missing=options["create_missing"],
                operator=True,
                progress=bars,
                importer_options=self._importer_options(options),
            )
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        finally:
            bars.close()
        self._report(result)

    @staticmethod
    def _importer_options(options: dict[str, Any]) -> dict[str, Any] | None:
        if options["kind"] != "observations":
            return None
        return {
            "mode": options["mode"],
            "add_dimensions": options["add_dimensions"],
            "indicator": options["indicator"] or "",
            "review_state": options["state"],
        }

    def _report(self, result: ImportResult) -> None:
        run = result.run
        if not result.ok:
            lines = [str(error) for error in result.errors]
            raise CommandError(
                "\n".join(lines)
                + f"\n{len(lines)} error(s) in {run.file_name}: nothing was written (import run {run.pk})."
            )
        if run.status == ImportRun.Status.DRY_RUN:
            self.stdout.write(
                f"Dry run of {run.file_name}, nothing written. Would do: {_summary(result.counts)} (import run {run.pk})."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {run.file_name}: {_summary(result.counts)} (import run {run.pk})."
                )
            )

    @staticmethod
    def _organisation(slug: str | None) -> Organisation | None:
        if not slug:
            return None
        try:
            return Organisation.objects.get(slug=slug)
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"No organisation with the slug {slug!r}.") from exc

    @staticmethod
    def _user(username: str | None) -> Any:
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user {username!r}.") from exc
