"""Writing a backup archive: every table as canonical JSONL, the stored files, then the manifest."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from citydiplo.interchange.backup.errors import BackupError
from citydiplo.interchange.backup.manifest import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    citydiplo_version,
    media_member,
)
from citydiplo.interchange.backup.tables import (
    EXCLUDED,
    PARTIAL,
    SEEDED_BY_MIGRATE,
    Table,
    backed_up_tables,
    migration_state,
    migrations_pending,
    storage_of,
)

logger = logging.getLogger(__name__)

# progress(step, done, total): step names the table or phase ("registry.actor", "documents").
Progress = Callable[[str, int, int], None]
PROGRESS_EVERY = 500
COPY_CHUNK = 1024 * 1024


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    # Stored names that rows refer to but the storage does not have: the rows are kept, the files cannot be.
    missing_media: list[str] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(table["rows"] for table in self.manifest["tables"])

    @property
    def media_count(self) -> int:
        return len(self.manifest["media"])


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One read transaction around the whole backup, so every table is read as of the same moment and
    the archive's foreign keys hold together even while the site keeps working.

    PostgreSQL: REPEATABLE READ, READ ONLY. SQLite (in WAL mode): a DEFERRED transaction is a snapshot
    that does not block writers, whereas citydiplo's IMMEDIATE mode would take the write lock for the
    whole backup. Inside a caller's transaction (tests) that transaction is the snapshot.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    mode = getattr(connection, "transaction_mode", None)
    if connection.vendor == "sqlite":
        connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
    try:
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    finally:
        if connection.vendor == "sqlite":
            connection.transaction_mode = mode  # type: ignore[attr-defined]


def _table_write(
    table: Table,
    archive: zipfile.ZipFile,
    *,
    using: str,
    media: dict[str, set[str]],
    progress: Progress | None,
    chunk_size: int,
) -> dict[str, Any]:
    total = table.queryset(using).count()
    digest = hashlib.sha256()
    rows = 0
    file_fields = table.file_fields
    with archive.open(table.file, "w", force_zip64=True) as out:
        for line, row in table.lines(using, chunk_size):
            out.write(line)
            digest.update(line)
            rows += 1
            for attname in file_fields:
                if row[attname]:
                    media.setdefault(row[attname], set()).add(f"{table.label}.{attname}")
            if progress is not None and rows % PROGRESS_EVERY == 0:
                progress(table.label, rows, total)
    if progress is not None:
        progress(table.label, rows, rows)
    return {
        "model": table.label,
        "db_table": table.db_table,
        "file": table.file,
        "columns": sorted(table.columns),
        "rows": rows,
        "sha256": digest.hexdigest(),
    }


def _media_write(
    archive: zipfile.ZipFile, media: dict[str, set[str]], *, progress: Progress | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Copy every stored file a row refers to, through the storage of the field that refers to it."""
    entries: list[dict[str, Any]] = []
    missing: list[str] = []
    for done, name in enumerate(sorted(media), start=1):
        fields = sorted(media[name])
        storage = storage_of(fields)
        member = media_member(name)
        if not storage.exists(name):
            missing.append(name)
            continue
        digest = hashlib.sha256()
        size = 0
        with storage.open(name, "rb") as source, archive.open(member, "w", force_zip64=True) as out:
            while chunk := source.read(COPY_CHUNK):
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        entries.append(
            {"name": name, "file": member, "size": size, "sha256": digest.hexdigest(), "fields": fields}
        )
        if progress is not None:
            progress("documents", done, len(media))
    return entries, missing


def backup_create(
    *,
    path: Path | str,
    using: str = DEFAULT_DB_ALIAS,
    progress: Progress | None = None,
    chunk_size: int = 2000,
) -> BackupResult:
    """Write the whole installation (database and stored files) to a zip archive at `path`.

    The archive is written to a temporary file next to `path` and moved into place at the end: a
    failed or interrupted backup never leaves a truncated archive under the requested name.
    """
    path = Path(path)
    if path.is_dir():
        raise BackupError(
            f"{path} is a directory: name the archive file to write, e.g. {path / 'backup.zip'}"
        )
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent}: no such directory")
    pending = migrations_pending(using)
    if pending:
        raise BackupError(
            f"This database lacks {len(pending)} migration(s) of this citydiplo ({', '.join(pending[:5])}"
            f"{', ...' if len(pending) > 5 else ''}): run `citydiplo migrate` first, then back up."
        )
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    connection = connections[using]
    media: dict[str, set[str]] = {}
    try:
        with (
            zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive,
            _snapshot(using),
        ):
            created_at = timezone.now()
            migrations = migration_state(using)
            tables = [
                _table_write(
                    table, archive, using=using, media=media, progress=progress, chunk_size=chunk_size
                )
                for table in backed_up_tables(using)
            ]
            media_entries, missing = _media_write(archive, media, progress=progress)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "citydiplo_version": citydiplo_version(),
                "created_at": created_at.isoformat(timespec="seconds"),
                "source": {
                    "vendor": connection.vendor,
                    "version": ".".join(map(str, connection.get_database_version())),
                },
                "migrations": migrations,
                "tables": tables,
                "media": media_entries,
                "missing_media": missing,
                "excluded": {
                    **{label: why for label, why in EXCLUDED.items()},
                    **{f"{label} (some rows)": why for label, (_, why) in PARTIAL.items()},
                },
                "seeded_by_migrate": sorted(SEEDED_BY_MIGRATE),
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    result = BackupResult(path=path, manifest=manifest, missing_media=missing)
    logger.debug(
        "Backup %s: %d tables, %d rows, %d files", path, len(tables), result.row_count, result.media_count
    )
    return result
