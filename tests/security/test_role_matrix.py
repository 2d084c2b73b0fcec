"""Every page and API operation, asked by each of the six principals: the answer its role allows, and never
a record of an organisation it does not belong to.

One test per probe of tests/security/expectations.py; inside it the six principals ask in turn (office A's
writers first, so an edit refused to a later principal is checked against a record that really changed).
Every mismatch of every principal is collected and reported together, as a table a reader can act on.
"""

from __future__ import annotations

import json
from urllib.parse import unquote, urlsplit

import pytest
from django.http import HttpResponse
from django.test import Client

from tests.security.expectations import LOGIN, PROBES, Probe
from tests.security.world import PRINCIPALS, SECRET_SLUGS, World, forbidden_groups


def send(world: World, probe: Probe, principal: str) -> tuple[str, HttpResponse]:
    """The probe's request as this principal: a bearer token for the API, a signed-in session for pages."""
    client = Client()
    user = world.users[principal]
    headers = dict(probe.headers)
    if user is not None:
        if probe.api:
            headers["Authorization"] = f"Bearer {world.tokens[principal]}"
        else:
            client.force_login(user)
    url = probe.url(world, principal)
    data = probe.data(world, principal) if probe.data else None
    if probe.method == "GET":
        return url, client.get(url, headers=headers)
    if probe.api:
        body = json.dumps(data or {})
        return url, client.generic(probe.method, url, body, content_type="application/json", headers=headers)
    return url, client.post(url, data or {}, headers=headers)


def body_text(response: HttpResponse) -> str:
    """Everything the caller receives as text: the body (streamed or not) and the headers that carry
    names (a download's file name, a redirect's target)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    headers = " ".join(
        f"{k}: {v}" for k, v in response.items() if k.lower() in {"content-disposition", "location"}
    )
    return content.decode("utf-8", errors="replace") + "\n" + headers


def leaks(principal: str, url: str, text: str) -> list[str]:
    """Markers and slugs of groups the principal may not see, found in the answer. A slug the caller
    itself put in the address does not count (a login redirect echoes it)."""
    asked = unquote(url)
    found = []
    for group in forbidden_groups(principal):
        start = text.find(group)
        if start >= 0:
            found.append(text[start : start + 40].split('"')[0].split("<")[0])
        found += [slug for slug in SECRET_SLUGS[group] if slug in text and slug not in asked]
    return found


def status_matches(expected: int | str, response: HttpResponse) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and urlsplit(response["Location"]).path.endswith("/login/")
    return response.status_code == expected


def describe(response: HttpResponse) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code} → {response['Location']}"
    return str(response.status_code)


@pytest.mark.parametrize("probe", PROBES, ids=[probe.id for probe in PROBES])
def test_each_principal_gets_what_its_role_allows(world: World, probe: Probe) -> None:
    problems: list[str] = []
    for principal in PRINCIPALS:
        expected = probe.expect[principal]
        url, response = send(world, probe, principal)
        text = body_text(response)
        if not status_matches(expected, response):
            problems.append(f"{principal:>10}: expected {expected}, got {describe(response)}")
        if found := leaks(principal, url, text):
            problems.append(f"{principal:>10}: LEAK of {sorted(set(found))} (status {response.status_code})")
        if status_matches(expected, response):
            missing = [m for m in probe.shows.get(principal, ()) if m not in text]
            if missing:
                problems.append(f"{principal:>10}: should see {missing} but does not")
        if probe.landed is not None:
            landed = probe.landed(world, principal)
            if landed != (principal in probe.lands):
                verb = "landed although it must not" if landed else "did not land"
                problems.append(f"{principal:>10}: the write {verb} (status {describe(response)})")
    assert not problems, f"{probe.method} {probe.route} ({probe.what}):\n" + "\n".join(problems)


def test_every_principal_is_in_every_expectation() -> None:
    incomplete = [probe.id for probe in PROBES if set(probe.expect) != set(PRINCIPALS)]
    assert not incomplete


def test_every_write_probe_says_what_lands() -> None:
    """A write probe without a `landed` check could pass while the write went through for a viewer."""
    unchecked = [probe.id for probe in PROBES if probe.method != "GET" and probe.landed is None]
    exempt = {  # per-user settings and the session's chosen organisation: nothing of an organisation changes
        "accounts:totp-enrol-start",
        "accounts:totp-disable",
        "accounts:organisation-switch",
    }
    assert [probe for probe in unchecked if probe.split()[0] not in exempt] == []
