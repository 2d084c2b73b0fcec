"""Fixtures of the isolation tests: no rate limits, uploads in a temporary folder, the seeded world."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from tests.conftest import Cast
from tests.security.world import World, build_world


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    """The matrix sends hundreds of requests per person; the limits themselves are tested in tests/accounts."""
    settings.CITYDIPLO_API_RATE_ANON = ""
    settings.CITYDIPLO_API_RATE_USER = ""


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def world(cast: Cast, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return build_world(cast)
