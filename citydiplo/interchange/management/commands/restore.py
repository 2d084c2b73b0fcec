"""`citydiplo restore FILE.zip [--force]`: put a backup archive back, into SQLite or PostgreSQL.

The database must be migrated to the same migrations as the archive. Without --force a database holding
data is refused; --force empties it first. Everything is checked before and after writing, in one
transaction: a failure leaves the database and the documents as they were.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from citydiplo.interchange.backup import BackupError, backup_restore
from citydiplo.interchange.backup.bars import StepBars


class Command(BaseCommand):
    help = (
        "Restore a backup archive made by `citydiplo backup` into this installation's database (SQLite or "
        "PostgreSQL) and media directory. Refuses a database that already holds data unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive written by `citydiplo backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Empty the database first (every record, user and login session is replaced by the archive's).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        with StepBars(getattr(self.stderr, "_out", sys.stderr), enabled=verbosity >= 1) as bars:
            try:
                result = backup_restore(path=options["file"], force=options["force"], progress=bars)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            except OSError as exc:  # reading the archive or writing a document: disk full, permissions
                raise CommandError(f"{exc}. Nothing was restored.") from exc
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {result.path}: {len(manifest['tables'])} tables, {result.row_count} rows, "
                f"{result.media_count} documents; every count and hash matches the archive "
                f"(made {manifest['created_at']} on {manifest['source']['vendor']}, citydiplo "
                f"{manifest['citydiplo_version']})."
            )
        )
