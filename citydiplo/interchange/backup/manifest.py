"""The manifest: ``manifest.json`` at the root of the archive, the table of contents and its checksums."""

from __future__ import annotations

import json
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import PurePosixPath
from typing import Any

from citydiplo.interchange.backup.errors import ArchiveCorrupt

FORMAT = "citydiplo-backup"
# Raised when the layout changes in a way an older citydiplo cannot read; restore refuses newer formats.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"


def citydiplo_version() -> str:
    try:
        return version("citydiplo")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def manifest_read(archive: zipfile.ZipFile, *, name: str) -> dict[str, Any]:
    """The archive's manifest, after checking it is a citydiplo backup this version can read."""
    try:
        with archive.open(MANIFEST) as stream:
            manifest = json.load(stream)
    except KeyError as exc:
        raise ArchiveCorrupt(f"{name} has no {MANIFEST}: it is not a citydiplo backup.") from exc
    except (ValueError, zipfile.BadZipFile) as exc:
        raise ArchiveCorrupt(f"{name}: {MANIFEST} cannot be read ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveCorrupt(f"{name} is not a citydiplo backup (its {MANIFEST} has another format).")
    made_with = manifest.get("format_version")
    if not isinstance(made_with, int) or made_with > FORMAT_VERSION:
        raise ArchiveCorrupt(
            f"{name} is in backup format {made_with}, written by citydiplo "
            f"{manifest.get('citydiplo_version', '?')}; this citydiplo reads format {FORMAT_VERSION} and "
            "older. Restore it with that citydiplo version or a newer one."
        )
    for key in ("tables", "media", "migrations"):
        if key not in manifest:
            raise ArchiveCorrupt(f"{name}: {MANIFEST} lacks its {key!r} section.")
    return manifest


def media_member(name: str) -> str:
    """The archive member holding a stored file, refusing names that would escape the media directory."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise ArchiveCorrupt(
            f"Refusing the stored file name {name!r}: it points outside the media directory."
        )
    return MEDIA_PREFIX + name
