"""`citydiplo backup FILE.zip`: the whole installation (database and uploaded documents) in one archive.

See citydiplo.interchange.backup for the layout; `citydiplo restore FILE.zip` reads it back, into the same
kind of database or the other one (SQLite ↔ PostgreSQL).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from citydiplo.interchange.backup import BackupError, backup_create
from citydiplo.interchange.backup.bars import StepBars


class Command(BaseCommand):
    help = (
        "Write the database and the uploaded documents to a portable zip archive (one JSONL file per "
        "table, the documents, a manifest of counts and hashes). The site can keep running meanwhile."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="The archive to write, e.g. citydiplo-2025-06-01.zip (replaced if it exists)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        with StepBars(getattr(self.stderr, "_out", sys.stderr), enabled=verbosity >= 1) as bars:
            try:
                result = backup_create(path=options["file"], progress=bars)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            except OSError as exc:  # disk full, permissions: no archive was left behind
                raise CommandError(f"{exc}. No archive was written.") from exc
        if verbosity >= 2:
            for table in result.manifest["tables"]:
                self.stdout.write(f"  {table['model']}: {table['rows']} rows")
        for name in result.missing_media:
            self.stderr.write(
                self.style.WARNING(
                    f"Missing file {name}: a record refers to it, the storage does not have it."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.path}: {len(result.manifest['tables'])} tables, "
                f"{result.row_count} rows, {result.media_count} documents."
            )
        )
