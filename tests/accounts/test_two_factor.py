"""Optional two-step verification (TOTP, django-otp): enrol, log in with the second step, turn it off."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from citydiplo.accounts import services
from citydiplo.accounts.views import PENDING_LOGIN
from tests.accounts.conftest import API, PASSWORD, as_user


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The app's code now (or one 30-second step later: a code is accepted once, so a second use in the
    same step needs the next one; django-otp tolerates one step of drift)."""
    device.refresh_from_db()
    return (
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead):06d}"
    )


@pytest.fixture
def owner_with_app(cast: Any) -> TOTPDevice:
    services.totp_enrolment_start(user=cast.owner)
    device = services.totp_enrolment_pending(user=cast.owner)
    assert device is not None
    return services.totp_enrolment_confirm(user=cast.owner, token=code(device))


def test_nobody_needs_a_second_step_by_default(cast, client):
    response = client.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_owner_enrols_an_authenticator_app(cast, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no back-off after the deliberate wrong code
    client = as_user(cast.owner)
    assert "Set up two-step verification" in client.get("/accounts/security/").content.decode()

    started = client.post("/accounts/security/two-step/start/")
    assert started.status_code == 302
    page = client.get("/accounts/security/two-step/")
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=cast.owner)
    assert not device.confirmed
    # The set-up link and the secret as text, and a QR code drawn locally as an SVG data URI.
    assert "otpauth://totp/citydiplo%3Aana?secret=" in html
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")
    assert f"secret={secret}" in html
    assert 'src="data:image/svg+xml;base64,' in html

    wrong = client.post("/accounts/security/two-step/", {"token": "000000"})
    assert "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    confirmed = client.post("/accounts/security/two-step/", {"token": code(device)})
    assert confirmed.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "Two-step verification is on" in client.get("/accounts/security/").content.decode()


def test_login_asks_for_the_code_after_the_password(cast, owner_with_app, private_contact):
    client = Client()
    first = client.post(
        "/accounts/login/?next=/accounts/organisation/", {"username": "ana", "password": PASSWORD}
    )
    assert first.status_code == 302
    assert first["Location"] == "/accounts/login/verify/"

    # Between the two steps Ana is not signed in: no page, no private API data.
    assert client.get("/accounts/organisation/").status_code == 302
    assert client.get(f"{API}/contacts").json()["count"] == 0
    assert "One more step" in client.get("/accounts/login/verify/").content.decode()

    done = client.post("/accounts/login/verify/", {"token": code(owner_with_app, steps_ahead=1)})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/organisation/"
    assert client.get("/accounts/organisation/").status_code == 200
    assert client.get(f"{API}/contacts").json()["count"] == 1
    assert PENDING_LOGIN not in client.session
    assert client.session["otp_device_id"] == owner_with_app.persistent_id


def test_wrong_codes_keep_the_user_out_and_five_send_them_back_to_the_password(cast, owner_with_app):
    client = Client()
    client.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    for _ in range(4):
        response = client.post("/accounts/login/verify/", {"token": "123456"})
        assert response.status_code == 200
        assert "That code is not right" in response.content.decode()
    assert client.get("/accounts/organisation/").status_code == 302
    last = client.post("/accounts/login/verify/", {"token": "123456"})
    assert last["Location"] == "/accounts/login/"
    assert client.get("/accounts/login/verify/")["Location"] == "/accounts/login/"


def test_an_abandoned_second_step_expires(cast, owner_with_app):
    client = Client()
    client.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    session = client.session
    session[PENDING_LOGIN] = {**session[PENDING_LOGIN], "started": time.time() - 301}
    session.save()
    response = client.post("/accounts/login/verify/", {"token": code(owner_with_app, steps_ahead=1)})
    assert response["Location"] == "/accounts/login/"
    assert client.get("/accounts/organisation/").status_code == 302


def test_the_second_step_cannot_be_reached_without_the_password(cast, owner_with_app):
    response = Client().post("/accounts/login/verify/", {"token": code(owner_with_app, steps_ahead=1)})
    assert response["Location"] == "/accounts/login/"


def test_turning_it_off_needs_a_current_code(cast, owner_with_app, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no back-off after the deliberate wrong code
    client = as_user(cast.owner)
    client.post("/accounts/security/two-step/off/", {"token": "000000"})
    assert TOTPDevice.objects.filter(user=cast.owner, confirmed=True).exists()

    client.post("/accounts/security/two-step/off/", {"token": code(owner_with_app, steps_ahead=1)})
    assert not TOTPDevice.objects.filter(user=cast.owner).exists()
    # And logging in is one step again.
    response = Client().post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    assert response["Location"] == "/"


def test_each_user_enrols_only_themselves(cast, owner_with_app):
    """Another user's security page knows nothing of Ana's device."""
    html = as_user(cast.editor).get("/accounts/security/").content.decode()
    assert "Set up two-step verification" in html
    assert not TOTPDevice.objects.filter(user=cast.editor).exists()
