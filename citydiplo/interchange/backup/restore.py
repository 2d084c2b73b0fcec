"""Restoring a backup archive into a migrated database: all of it, or nothing.

Order of work (the module docstring of citydiplo.interchange.backup explains why):

1. read the manifest; check the migrations match and (without ``force``) that the database is empty;
2. check every table file and stored file against the manifest's hashes: a damaged archive is refused
   before anything is touched;
3. in one transaction, with foreign-key checks deferred to its end: empty the tables, insert every row
   with its primary key, reset the PostgreSQL sequences, check the foreign keys, read every table back
   and compare its count and hash with the manifest, write the stored files;
4. commit. If anything fails, the transaction rolls back and the files written so far are removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, transaction

from citydiplo.interchange.backup.create import COPY_CHUNK, Progress
from citydiplo.interchange.backup.errors import ArchiveCorrupt, BackupError, RestoreRefused
from citydiplo.interchange.backup.manifest import manifest_read, media_member
from citydiplo.interchange.backup.tables import (
    Table,
    all_tables,
    migration_state,
    migrations_pending,
    storage_of,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000


@dataclass
class RestoreResult:
    path: Path
    manifest: dict[str, Any]

    @property
    def row_count(self) -> int:
        return sum(table["rows"] for table in self.manifest["tables"])

    @property
    def media_count(self) -> int:
        return len(self.manifest["media"])


# --- Checks before anything is written ----------------------------------------------------------------


def _migrations_check(manifest: dict[str, Any], using: str) -> None:
    here = migration_state(using)
    if not here:
        raise RestoreRefused(
            "This database has no migrations applied: run `citydiplo migrate` on it first, then restore."
        )
    pending = migrations_pending(using)
    if pending:
        raise RestoreRefused(
            f"This database lacks {len(pending)} migration(s) of this citydiplo ({', '.join(pending[:5])}"
            f"{', ...' if len(pending) > 5 else ''}): run `citydiplo migrate` first, then restore."
        )
    archived: dict[str, list[str]] = manifest["migrations"]
    problems = []
    for app_label in sorted(set(here) | set(archived)):
        theirs, ours = set(archived.get(app_label, [])), set(here.get(app_label, []))
        if theirs == ours:
            continue
        parts = []
        if theirs - ours:
            parts.append(f"the archive has {', '.join(sorted(theirs - ours))} which this database lacks")
        if ours - theirs:
            parts.append(f"this database has {', '.join(sorted(ours - theirs))} which the archive lacks")
        problems.append(f"app {app_label!r}: " + "; ".join(parts))
    if problems:
        raise RestoreRefused(
            "The archive and this database have different migrations applied:\n  "
            + "\n  ".join(problems)
            + f"\nRestore into an installation of the citydiplo version that made the backup "
            f"({manifest.get('citydiplo_version', '?')}), migrated with `citydiplo migrate`; upgrade "
            "afterwards."
        )


def _tables_check(manifest: dict[str, Any], tables: list[Table]) -> dict[str, dict[str, Any]]:
    """The manifest's entry for each table, after checking both sides have the same tables and columns."""
    entries = {entry["model"]: entry for entry in manifest["tables"]}
    here = {table.label: table for table in tables if not table.excluded}
    problems = [
        f"the archive has table {label} which this installation lacks"
        for label in sorted(set(entries) - set(here))
    ]
    problems += [
        f"this installation has table {label} which the archive lacks"
        for label in sorted(set(here) - set(entries))
    ]
    for label in sorted(set(entries) & set(here)):
        theirs, ours = set(entries[label]["columns"]), set(here[label].columns)
        if theirs != ours:
            problems.append(
                f"table {label}: columns differ (archive only: {sorted(theirs - ours)}, "
                f"this installation only: {sorted(ours - theirs)})"
            )
    if problems:
        raise RestoreRefused(
            "The archive does not fit this installation's tables:\n  " + "\n  ".join(problems)
        )
    return entries


def _tables_with_data(tables: list[Table], using: str) -> list[str]:
    """The tables holding rows that `migrate` did not put there (transient tables do not count)."""
    return [
        table.label
        for table in tables
        if not table.seeded and not table.excluded and table.model._base_manager.using(using).exists()
    ]


def _refuse_if_not_empty(tables: list[Table], using: str) -> None:
    found = _tables_with_data(tables, using)
    if found:
        shown = ", ".join(found[:8]) + (f" and {len(found) - 8} more" if len(found) > 8 else "")
        raise RestoreRefused(
            f"This database already holds data (in {shown}). Restore replaces everything in it: run it "
            "again with --force to empty the database first, or restore into a new database (create it, "
            "run `citydiplo migrate`, then restore)."
        )


def _stream_digest(archive: zipfile.ZipFile, member: str) -> tuple[str, int, int]:
    """(SHA-256, size in bytes, number of lines) of one archive member, read in chunks."""
    digest = hashlib.sha256()
    size = lines = 0
    with archive.open(member) as stream:
        while chunk := stream.read(COPY_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            lines += chunk.count(b"\n")
    return digest.hexdigest(), size, lines


def _member_digest(archive: zipfile.ZipFile, member: str, *, name: str) -> tuple[str, int, int]:
    try:
        return _stream_digest(archive, member)
    except KeyError as exc:
        raise ArchiveCorrupt(f"{name} lacks {member}, which its manifest lists.") from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        # zipfile checks each member's CRC-32 while reading: damage shows up here or as a hash mismatch.
        raise ArchiveCorrupt(f"{name}: {member} is damaged ({exc}).") from exc


def _archive_check(
    archive: zipfile.ZipFile, manifest: dict[str, Any], *, name: str, progress: Progress | None
) -> None:
    """Every table file and stored file against its manifest entry, before anything is written."""
    for number, entry in enumerate(manifest["tables"], start=1):
        digest, _, lines = _member_digest(archive, entry["file"], name=name)
        if digest != entry["sha256"] or lines != entry["rows"]:
            raise ArchiveCorrupt(
                f"{name} is damaged or was altered: {entry['file']} has {lines} rows and SHA-256 "
                f"{digest}, its manifest says {entry['rows']} rows and {entry['sha256']}. Nothing was "
                "restored."
            )
        if progress is not None:
            progress("checking the archive", number, len(manifest["tables"]))
    for number, entry in enumerate(manifest["media"], start=1):
        digest, size, _ = _member_digest(archive, media_member(entry["name"]), name=name)
        if digest != entry["sha256"] or size != entry["size"]:
            raise ArchiveCorrupt(
                f"{name} is damaged or was altered: the stored file {entry['name']} does not match its "
                "manifest hash. Nothing was restored."
            )
        if progress is not None:
            progress("checking the documents", number, len(manifest["media"]))


# --- The transaction ----------------------------------------------------------------------------------


def _defer_constraints(using: str) -> None:
    """Foreign keys checked at the end of the transaction, not per row: rows pointing at later rows of
    the same table (Actor.parent) or across a cycle of tables insert in any order."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA defer_foreign_keys = ON")


def _tables_empty(tables: list[Table], using: str) -> None:
    """Plain DELETEs, children first: no model signals, no cascades in Python, nothing but the rows."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in reversed(tables):
            cursor.execute(f"DELETE FROM {quote(table.db_table)}")  # noqa: S608 (a quoted table name)


def _table_insert(
    table: Table,
    entry: dict[str, Any],
    archive: zipfile.ZipFile,
    *,
    using: str,
    progress: Progress | None,
    batch_size: int,
) -> None:
    """Insert the table's rows as they are, primary keys included.

    Raw INSERTs rather than the ORM's save() or bulk_create(): those would run pre_save and so stamp
    auto_now fields (updated_at, created_at) with the time of the restore.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    fields = table.fields
    decoders = table.decoders()
    expected = set(table.columns)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (quoted names, values as parameters)
        quote(table.db_table),
        ", ".join(quote(str(field.column)) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    batch: list[list[Any]] = []
    done = 0

    def flush() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.executemany(sql, batch)
        except DatabaseError as exc:
            raise ArchiveCorrupt(f"Table {table.label}: a row could not be inserted ({exc}).") from exc
        batch.clear()

    with archive.open(entry["file"]) as stream:
        for line_number, line in enumerate(stream, start=1):
            row = json.loads(line)
            if not isinstance(row, dict) or set(row) != expected:
                raise ArchiveCorrupt(f"{entry['file']}, line {line_number}: not a row of {table.label}.")
            batch.append(
                [
                    field.get_db_prep_save(decode(row[attname]), connection)
                    for field, (attname, decode) in zip(fields, decoders, strict=True)
                ]
            )
            done += 1
            if len(batch) >= batch_size:
                flush()
                if progress is not None:
                    progress(table.label, done, entry["rows"])
    if batch:
        flush()
    if progress is not None:
        progress(table.label, done, entry["rows"])


def _sequences_reset(tables: list[Table], using: str) -> None:
    """PostgreSQL's id sequences past the restored ids, so the next new row does not collide.
    (SQLite needs nothing: it continues after the largest id.)"""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), [table.model for table in tables])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _constraints_check(tables: list[Table], using: str) -> None:
    """Every deferred foreign key now, so a broken archive fails here with a message, not at COMMIT."""
    try:
        connections[using].check_constraints(table_names=[table.db_table for table in tables])
    except IntegrityError as exc:
        raise ArchiveCorrupt(f"The archive's rows do not hold together: {exc}") from exc


def _database_verify(
    tables: list[Table], entries: dict[str, dict[str, Any]], *, using: str, progress: Progress | None
) -> None:
    """Read every table back as a backup would and compare with the manifest: proves that the rows made
    the trip through this database (and its vendor's types) unchanged."""
    for number, table in enumerate(tables, start=1):
        entry = entries[table.label]
        digest = hashlib.sha256()
        rows = 0
        for line, _ in table.lines(using):
            digest.update(line)
            rows += 1
        if rows != entry["rows"] or digest.hexdigest() != entry["sha256"]:
            raise BackupError(
                f"Table {table.label} reads back differently from the archive ({rows} rows, SHA-256 "
                f"{digest.hexdigest()}; the archive has {entry['rows']} rows, {entry['sha256']}). "
                "Nothing was restored. Please report this: a value did not survive this database."
            )
        if progress is not None:
            progress("verifying", number, len(tables))


def _media_restore(
    archive: zipfile.ZipFile,
    manifest: dict[str, Any],
    *,
    written: list[tuple[Storage, str]],
    progress: Progress | None,
) -> None:
    """Write each stored file under its own name (replacing a different file of that name); files
    already there with the same content are left alone. `written` collects what to remove on failure."""
    entries = manifest["media"]
    for number, entry in enumerate(entries, start=1):
        name = entry["name"]
        storage = storage_of(entry.get("fields", []))
        if storage.exists(name):
            with storage.open(name, "rb") as current:
                same = hashlib.file_digest(current, "sha256").hexdigest() == entry["sha256"]
            if same:
                continue
            storage.delete(name)
        written.append((storage, name))  # before saving: a save failing half-way may leave a partial file
        with archive.open(media_member(name)) as stream:
            saved = storage.save(name, File(stream, name=name))
        if saved != name:
            written.append((storage, saved))
            raise BackupError(f"The storage saved {name} as {saved}; restore needs the exact name.")
        if progress is not None:
            progress("documents", number, len(entries))


def backup_restore(
    *,
    path: Path | str,
    force: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> RestoreResult:
    """Replace the database's contents and the stored files with the archive's.

    Preconditions: the database is migrated to exactly the archive's migrations; without `force` it
    holds no data beyond what `migrate` creates. Raises a BackupError subclass, having changed nothing,
    when a check fails.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ArchiveCorrupt(f"{path} is not a zip archive (or is truncated): {exc}") from exc
    with archive:
        manifest = manifest_read(archive, name=path.name)
        tables = all_tables(using)
        _migrations_check(manifest, using)
        entries = _tables_check(manifest, tables)
        if not force:
            _refuse_if_not_empty(tables, using)
        _archive_check(archive, manifest, name=path.name, progress=progress)

        restored = [table for table in tables if not table.excluded]
        written: list[tuple[Storage, str]] = []
        try:
            with transaction.atomic(using=using):
                _defer_constraints(using)
                if not force:  # again, now that the transaction holds the write lock
                    _refuse_if_not_empty(tables, using)
                _tables_empty(tables, using)
                for table in restored:
                    _table_insert(
                        table,
                        entries[table.label],
                        archive,
                        using=using,
                        progress=progress,
                        batch_size=batch_size,
                    )
                _sequences_reset(tables, using)
                _constraints_check(tables, using)
                _database_verify(restored, entries, using=using, progress=progress)
                _media_restore(archive, manifest, written=written, progress=progress)
        except BaseException:
            for storage, name in reversed(written):
                try:
                    storage.delete(name)
                except OSError:
                    logger.exception("Could not remove %s after the failed restore", name)
            raise

    _caches_clear()
    result = RestoreResult(path=path, manifest=manifest)
    logger.debug("Restored %s: %d rows, %d files", path, result.row_count, result.media_count)
    return result


def _caches_clear() -> None:
    """Content type ids may have changed under Django's in-process cache."""
    from django.apps import apps

    if apps.is_installed("django.contrib.contenttypes"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
