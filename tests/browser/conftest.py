"""Browser tests: Playwright for Python drives Debian's Chromium against pytest-django's live server.

Never `playwright install`: these machines cannot download a browser, and Debian's /usr/bin/chromium is
the one we test with. Every page records the requests it makes and the console errors it logs, so a test
can assert that nothing left the machine (no CDN, no tracker) and that the Content-Security-Policy was
not violated (Chromium reports violations as console errors).

Run with `make test-browser` (it installs Debian's chromium when missing). Without Chromium the tests
are skipped with a reason, except under CI=true where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("CITYDIPLO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
TEST_PASSWORD = "correct horse battery"


@dataclass
class PageLog:
    """What a page did: every request's URL, console errors, uncaught exceptions."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)


def assert_no_request_left_the_machine(log: PageLog, live_server_url: str) -> None:
    """Every http(s)/ws(s) request went to the live server itself: nothing from a CDN or elsewhere."""
    origin = urlsplit(live_server_url)
    allowed = {(origin.hostname, origin.port)}
    outside = []
    for url in log.requests:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"}:
            continue
        if (parts.hostname, parts.port) not in allowed:
            outside.append(url)
    assert not outside, f"requests left the machine (only {live_server_url} is allowed): {outside}"
    assert log.requests, "the page made no request at all: the log is not recording"


def assert_no_console_errors(log: PageLog) -> None:
    """No console error (CSP violations, failed resource loads, script errors) and no uncaught exception."""
    assert not log.console_errors, f"console errors: {log.console_errors}"
    assert not log.page_errors, f"uncaught page errors: {log.page_errors}"


# Module scope, not session: Playwright's sync API allows one running instance per thread, so ours is
# closed after each module and a browser test elsewhere in the suite can start its own.
@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (make test-browser does it as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; Django then refuses ORM calls from it
    # ("You cannot call this from an async context") unless told the thread really is synchronous code.
    # Set only while the browser runs, so the rest of the suite keeps Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_settings(settings: Any) -> Any:
    """Django settings for a browser test (the root conftest already makes password hashing fast).

    Kept because modules outside tests/browser import it by name."""
    return settings


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(chromium_browser: Any, live_server: Any, transactional_db: None, page_log: PageLog) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the live server, English UI, recording into page_log."""
    context = chromium_browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("request", lambda request: page_log.requests.append(request.url))
    page.on(
        "requestfailed", lambda request: page_log.failed_requests.append(f"{request.url} {request.failure}")
    )

    def on_console(message: Any) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            # Chromium asks for /favicon.ico on its own, at a moment that varies, so its 404 would make
            # tests flaky; test_smoke checks the icon deterministically instead.
            if where.endswith("/favicon.ico"):
                return
            page_log.console_errors.append(f"{message.text} [{where}]" if where else message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: page_log.page_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def owner(browser_settings: Any, transactional_db: None) -> Any:
    """An owner of the Montevideo office, with a password to type into the login form."""
    from citydiplo.accounts.models import OrganisationMember
    from tests.factories import OrganisationFactory, SeatFactory, UserFactory

    office = OrganisationFactory(slug="montevideo-office", name="Montevideo international office")
    user = UserFactory(username="ana")
    SeatFactory(organisation=office, user=user, role=OrganisationMember.Role.OWNER)
    return user


def log_in(page: Any, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").click()
