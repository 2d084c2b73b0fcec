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
    path = shared_data_dir() / relative
    if not path.is_file():
        reason = f"shared reference data not found: {path} (set CITYDIPLO_SHARED_DATA)"
        # Under CI the data sits beside the clone: a missing file is a failure, never a silent skip.
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path
