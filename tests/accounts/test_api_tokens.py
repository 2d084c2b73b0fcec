"""API tokens: created on the account page and shown once, stored hashed, scoped to reading or writing,
revocable; a script's bearer token reads and writes as its user."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from citydiplo.accounts import services
from citydiplo.accounts.models import ApiToken
from citydiplo.registry.models import Contact
from tests.accounts.conftest import API, as_user, bearer


def _token(user, scope: str = "read", **kwargs) -> str:
    return services.api_token_create(user=user, name="script", scope=scope, **kwargs)[1]


def _new_contact(client: Client, raw: str | None = None, **extra):
    headers = bearer(raw) if raw else {}
    return client.post(
        f"{API}/contacts",
        {"owner": "montevideo-office", "full_name": "Marta Gómez", "lawful_basis": "public_task"},
        content_type="application/json",
        **headers,
        **extra,
    )


def test_tokens_page_shows_a_new_token_once_and_stores_only_its_hash(cast):
    client = as_user(cast.owner)
    created = client.post("/accounts/tokens/", {"name": "weekly report", "scope": "read", "lifetime": "90"})
    assert created.status_code == 200
    html = created.content.decode()
    assert "it will not be shown again" in html
    raw = html.split('<code class="secret" id="new-token">')[1].split("</code>")[0]
    assert raw.startswith("cdp_")

    token = ApiToken.objects.get(user=cast.owner)
    assert token.name == "weekly report"
    assert token.scope == "read"
    assert token.secret_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.prefix, token.secret_hash, token.name}
    assert token.expires_at is not None and token.expires_at > timezone.now() + dt.timedelta(days=89)
    assert "no-store" in created["Cache-Control"]

    # Listed afterwards by name and prefix, never in full.
    listing = client.get("/accounts/tokens/").content.decode()
    assert "weekly report" in listing
    assert f"cdp_{token.prefix}" in listing
    assert raw not in listing


def test_read_token_reads_its_organisations_private_records(cast, private_contact):
    raw = _token(cast.viewer)
    response = Client().get(f"{API}/contacts", **bearer(raw))
    assert response.status_code == 200
    assert [c["full_name"] for c in response.json()["items"]] == ["Lucía Pereira"]
    assert Client().get(f"{API}/contacts/{private_contact.pk}", **bearer(raw)).status_code == 200
    # Without the token the same request is anonymous and sees nothing private.
    assert Client().get(f"{API}/contacts").json()["count"] == 0
    assert ApiToken.objects.get().last_used_at is not None


def test_token_of_another_office_does_not_see_the_private_record(cast, private_contact):
    raw = _token(cast.other_owner)
    assert Client().get(f"{API}/contacts", **bearer(raw)).json()["count"] == 0
    assert Client().get(f"{API}/contacts/{private_contact.pk}", **bearer(raw)).status_code == 404


def test_read_token_cannot_write(cast):
    response = _new_contact(Client(), _token(cast.editor, scope="read"))
    assert response.status_code == 403
    assert "only read" in response.json()["detail"]
    assert not Contact.objects.exists()


def test_write_token_writes_without_csrf(cast):
    client = Client(enforce_csrf_checks=True)
    response = _new_contact(client, _token(cast.editor, scope="write"))
    assert response.status_code == 201, response.content
    assert Contact.objects.get().owner == cast.office_a


def test_write_token_of_a_viewer_still_obeys_the_role(cast):
    response = _new_contact(Client(), _token(cast.viewer, scope="write"))
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_session_write_still_needs_csrf(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.editor)
    assert _new_contact(client).status_code == 403
    assert not Contact.objects.exists()


def test_revoked_token_gets_401_even_on_public_reads(cast, private_contact):
    client = as_user(cast.owner)
    raw = _token(cast.owner)
    assert Client().get(f"{API}/contacts", **bearer(raw)).json()["count"] == 1
    token = ApiToken.objects.get()

    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    for path in ("/contacts", "/networks"):
        response = Client().get(f"{API}{path}", **bearer(raw))
        assert response.status_code == 401
        assert "revoked" in response.json()["detail"]
    assert "revoked" in client.get("/accounts/tokens/").content.decode()


@pytest.mark.parametrize(
    "raw",
    ["cdp_nothing_here", "not-even-ours", "cdp_", ""],
)
def test_wrong_tokens_get_401(cast, raw):
    _token(cast.owner)
    assert Client().get(f"{API}/networks", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_forged_secret_with_a_real_prefix_gets_401(cast):
    raw = _token(cast.owner)
    forged = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    assert Client().get(f"{API}/networks", **bearer(forged)).status_code == 401


def test_expired_token_gets_401(cast):
    raw = _token(cast.owner, expires_at=timezone.now() + dt.timedelta(days=1))
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client().get(f"{API}/networks", **bearer(raw)).status_code == 401


def test_token_of_a_deactivated_user_gets_401(cast):
    raw = _token(cast.owner)
    cast.owner.is_active = False
    cast.owner.save()
    assert Client().get(f"{API}/networks", **bearer(raw)).status_code == 401


def test_nobody_revokes_someone_elses_token(cast):
    _token(cast.owner)
    token = ApiToken.objects.get()
    assert as_user(cast.editor).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_tokens_page_needs_a_signed_in_user(db):
    assert Client().get("/accounts/tokens/").status_code == 302
