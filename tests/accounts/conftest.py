"""Fixtures of the security tests: a clean rate-limit cache, a client per person, a contact to find."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from citydiplo.registry import services
from citydiplo.registry.models import Contact

API = "/api/v1"
PASSWORD = "correct horse battery"  # tests/factories.py UserFactory's password


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are asserted in English, whatever language an earlier test left active in this process."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    """API rate-limit counters live in the process's cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def private_contact(cast: Any) -> Contact:
    """Office A's contact: private by default, so only office A's people (and their tokens) see it."""
    return services.contact_create(user=cast.editor, owner=cast.office_a, full_name="Lucía Pereira")
