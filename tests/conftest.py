"""Shared fixtures: two organisations with named people in each role, a curator and an outsider.

Office A ("montevideo-office") has an owner, an editor and a viewer; office B ("rosario-office") has its
own owner. Tests use these names so a reader knows at once who is acting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from citydiplo.accounts.models import Organisation, OrganisationMember, User
from tests.factories import OrganisationFactory, SeatFactory, UserFactory


@dataclass
class Cast:
    office_a: Organisation
    office_b: Organisation
    owner: User
    editor: User
    viewer: User
    other_owner: User
    outsider: User
    curator: User


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """PBKDF2 costs ~1 s per user on this machine; tests check behaviour, not hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The API's rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """A request to a /es/ page leaves Spanish active in the worker's thread (LocaleMiddleware activates the
    language and nothing deactivates it), so a later test would read translated text and reverse() would
    carry the /es/ prefix: back to the default language after each test."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def cast(db: None) -> Cast:
    office_a = OrganisationFactory(slug="montevideo-office", name="Montevideo international office")
    office_b = OrganisationFactory(slug="rosario-office", name="Rosario international office")
    owner = SeatFactory(
        organisation=office_a, user=UserFactory(username="ana"), role=OrganisationMember.Role.OWNER
    ).user
    editor = SeatFactory(
        organisation=office_a, user=UserFactory(username="eduardo"), role=OrganisationMember.Role.EDITOR
    ).user
    viewer = SeatFactory(
        organisation=office_a, user=UserFactory(username="valeria"), role=OrganisationMember.Role.VIEWER
    ).user
    other_owner = SeatFactory(
        organisation=office_b, user=UserFactory(username="bruno"), role=OrganisationMember.Role.OWNER
    ).user
    outsider = UserFactory(username="olga")
    curator = UserFactory(username="carla", is_staff=True)
    return Cast(office_a, office_b, owner, editor, viewer, other_owner, outsider, curator)
