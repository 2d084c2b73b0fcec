"""Locate the read-only reference data that sits beside the repository.

The data live in ``shared/data`` next to the work tree (``/work/shared/data``
on developer machines; CI clones the repository with ``shared/`` beside it).
``CITYDIPLO_SHARED_DATA`` overrides the location.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path:
    explicit = os.environ.get("CITYDIPLO_SHARED_DATA")
    if explicit:
        return Path(explicit)
    return REPO_ROOT.parent / "shared" / "data"


def shared_data_file(relative: str) -> Path:
    """Path of a shared data file; skips the test (loudly) when it is absent."""
    return shared_data_required(shared_data_dir() / relative)


def shared_data_required(path: Path) -> Path:
    """`path` (a file or folder of the shared data) if it exists; else the test is skipped with the
    reason, or fails under CI, where the data sits beside the clone and a silent skip would hide it."""
    if not path.exists():
        reason = f"shared reference data not found: {path} (set CITYDIPLO_SHARED_DATA)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path
