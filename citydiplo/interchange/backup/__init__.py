"""Backup and restore of a whole installation as one portable archive.

``citydiplo backup FILE.zip`` writes, and ``citydiplo restore FILE.zip [--force]`` reads, a zip archive:

    manifest.json                           format, versions, migrations, per-table counts and hashes
    tables/<app_label>.<model>.jsonl        one per table, one canonical JSON object per row, by primary key
    media/<stored name>                     every file a row refers to (documents, import uploads)

The archive is independent of the database vendor (see ``canonical``): the same data gives the same
bytes whether it was read from SQLite or PostgreSQL, so a backup of a SQLite installation restored into
PostgreSQL (or back) is checked table by table against the hashes it was made with. That is how an
installation moves from SQLite to PostgreSQL.

Which tables (``tables``): every concrete, managed model from ``django.apps``, auto-created many-to-many
tables included, except
* ``sessions.session``: transient, and dangerous to carry over (a session names a user id);
* the finished results of the background-task queue (``django_tasks_database.dbtaskresult`` rows that
  SUCCEEDED or FAILED): a transient log; waiting and running tasks are kept.
A database cache table (``CACHE_URL=db://...``) is not a model, so it is not backed up: it holds only
counters rebuilt on demand. The migration records (``django_migrations``) are not data: they are
compared, not copied.

The manifest records, per app, the migrations applied; per table, the row count and the SHA-256 of its
JSONL file (= of its canonical rows in primary-key order); per stored file, its size and SHA-256.

Backup reads everything in one read-only snapshot transaction (REPEATABLE READ on PostgreSQL, a deferred
transaction on SQLite in WAL mode), so the archive is consistent while the site keeps running; tables
are streamed with ``iterator(chunk_size=...)`` and never held in memory; the archive is written next to
its final name and moved into place when complete.

Restore (``restore``) refuses a database holding data unless ``force`` (which empties every table
first). "Holding data" ignores the rows ``migrate`` itself creates in an empty database (content types,
permissions and the themes installed by a data migration: ``tables.SEEDED_BY_MIGRATE``); those are
replaced by the archive's, whose ids the other rows point to. It also refuses when the migrations
applied differ from the archive's, naming the app. It checks every hash before writing, then in one
transaction with foreign-key checks deferred (PostgreSQL ``SET CONSTRAINTS ALL DEFERRED``, SQLite
``PRAGMA defer_foreign_keys``) and tables in parent-before-child order: empties the tables, inserts the
rows with their primary keys, resets the PostgreSQL sequences, checks the foreign keys, reads every
table back and compares count and hash with the manifest, and writes the stored files. Any failure rolls
the transaction back and removes the files written; nothing is half-restored.
"""

from __future__ import annotations

from citydiplo.interchange.backup.create import BackupResult, Progress, backup_create
from citydiplo.interchange.backup.errors import ArchiveCorrupt, BackupError, RestoreRefused
from citydiplo.interchange.backup.restore import RestoreResult, backup_restore

__all__ = [
    "ArchiveCorrupt",
    "BackupError",
    "BackupResult",
    "Progress",
    "RestoreRefused",
    "RestoreResult",
    "backup_create",
    "backup_restore",
]
