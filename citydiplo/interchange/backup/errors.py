"""Why a backup or a restore stopped. Every message says what is wrong and what to do about it."""

from __future__ import annotations


class BackupError(Exception):
    """A backup or restore that cannot go on; nothing was changed."""


class RestoreRefused(BackupError):
    """The target database is not one this archive may be restored into (it holds data, or it has other
    migrations applied)."""


class ArchiveCorrupt(BackupError):
    """The archive is damaged or was altered: a hash, a count or a row does not match its manifest."""
