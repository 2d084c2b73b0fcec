"""API rate limits: anonymous callers per address, signed-in callers per user; over the limit, 429."""

from __future__ import annotations

from django.test import Client

from citydiplo.accounts import services
from tests.accounts.conftest import API, as_user, bearer


def test_default_limits_are_60_anonymous_and_600_per_user_a_minute(settings):
    assert settings.CITYDIPLO_API_RATE_ANON == "60/min"
    assert settings.CITYDIPLO_API_RATE_USER == "600/min"


def test_anonymous_caller_over_the_limit_gets_429(db, settings):
    settings.CITYDIPLO_API_RATE_ANON = "3/min"
    client = Client()
    statuses = [client.get(f"{API}/themes").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(f"{API}/networks")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Another address has its own allowance.
    assert Client(REMOTE_ADDR="198.51.100.7").get(f"{API}/themes").status_code == 200


def test_sixty_first_anonymous_request_in_a_minute_is_refused(db):
    """The real default, once: 60 pass, the 61st does not."""
    client = Client()
    statuses = [client.get(f"{API}/themes").status_code for _ in range(61)]
    assert statuses.count(200) == 60
    assert statuses[-1] == 429


def test_signed_in_callers_have_their_own_per_user_limit(cast, settings):
    settings.CITYDIPLO_API_RATE_ANON = "1/min"
    settings.CITYDIPLO_API_RATE_USER = "3/min"
    anonymous = Client()
    assert anonymous.get(f"{API}/themes").status_code == 200
    assert anonymous.get(f"{API}/themes").status_code == 429

    # Same address, but signed in: counted per user, not with the anonymous callers.
    session = as_user(cast.owner)
    raw = services.api_token_create(user=cast.owner, name="script", scope="read")[1]
    token = Client()
    # The session and the token are the same user: they share one allowance.
    assert session.get(f"{API}/themes").status_code == 200
    assert token.get(f"{API}/themes", **bearer(raw)).status_code == 200
    assert session.get(f"{API}/themes").status_code == 200
    assert token.get(f"{API}/themes", **bearer(raw)).status_code == 429
    # Another user is unaffected.
    assert as_user(cast.editor).get(f"{API}/themes").status_code == 200


def test_forged_forwarded_for_header_does_not_escape_the_limit(db, settings):
    """Without a proxy in front (CITYDIPLO_PROXY_COUNT=0) X-Forwarded-For is the client's own claim."""
    settings.CITYDIPLO_API_RATE_ANON = "2/min"
    client = Client()
    statuses = [
        client.get(f"{API}/themes", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_behind_one_proxy_the_forwarded_address_is_counted(db, settings):
    settings.CITYDIPLO_PROXY_COUNT = 1
    settings.CITYDIPLO_API_RATE_ANON = "1/min"
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    assert proxy.get(f"{API}/themes", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 200
    assert proxy.get(f"{API}/themes", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 200
    # A client prepending its own claim is still counted by the address the proxy saw.
    assert proxy.get(f"{API}/themes", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.1").status_code == 429


def test_an_empty_setting_switches_the_limit_off(db, settings):
    settings.CITYDIPLO_API_RATE_ANON = ""
    client = Client()
    assert all(client.get(f"{API}/themes").status_code == 200 for _ in range(5))
