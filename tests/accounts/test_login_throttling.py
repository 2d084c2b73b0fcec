"""Log-in throttling with django-axes: 5 wrong passwords for one username from one address lock that
pair out for 15 minutes; other addresses and other usernames are unaffected."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from tests.accounts.conftest import PASSWORD

LOGIN = "/accounts/login/"


def _attempt(client: Client, username: str, password: str, **extra: str):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_settings_lock_out_username_and_address_together_after_five_failures_for_15_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == dt.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_right_password_signs_in_through_the_axes_backend(cast, client):
    response = _attempt(client, "ana", PASSWORD)
    assert response.status_code == 302
    assert client.get("/accounts/organisation/").status_code == 200


def test_four_wrong_passwords_still_allow_the_right_one(cast, client):
    for _ in range(4):
        assert _attempt(client, "ana", "wrong password").status_code == 200
    assert _attempt(client, "ana", PASSWORD).status_code == 302


def test_fifth_wrong_password_locks_the_account_from_that_address(cast, client):
    responses = [_attempt(client, "ana", "wrong password") for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    page = responses[-1].content.decode()
    assert "Logging in is paused" in page
    assert "15 minutes" in page
    assert responses[-1]["Retry-After"] == "900"

    # Even the right password is refused now, and nobody is signed in.
    locked = _attempt(client, "ana", PASSWORD)
    assert locked.status_code == 429
    assert client.get("/accounts/organisation/").status_code == 302


def test_lockout_is_per_username_and_address(cast, client):
    for _ in range(5):
        _attempt(client, "ana", "wrong password")
    # Ana from another address, and another user from the same address, still get in.
    assert _attempt(Client(), "ana", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302
    assert _attempt(Client(), "eduardo", PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(cast, client):
    for _ in range(5):
        _attempt(client, "ana", "wrong password")
    assert _attempt(client, "ana", PASSWORD).status_code == 429
    # 16 minutes later (moving the recorded attempts back rather than waiting).
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert _attempt(client, "ana", PASSWORD).status_code == 302


def test_admin_login_form_is_replaced_by_ours(cast, client):
    """The admin's own form would skip the lockout's page and the second step: it redirects to ours."""
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
