"""The public pages load in a real browser with everything served by the app itself."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_console_errors, assert_no_request_left_the_machine

pytestmark = pytest.mark.browser


def test_home_page_loads_with_nothing_from_outside_and_no_console_errors(page, page_log, live_server):
    response = page.goto("/")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert "citydiplo" in page.title()
    # The vendored htmx ran: served locally, and allowed by the Content-Security-Policy.
    assert page.evaluate("typeof window.htmx") == "object"
    assert_no_request_left_the_machine(page_log, live_server.url)
    assert_no_console_errors(page_log)
    assert not page_log.failed_requests, page_log.failed_requests


def test_the_icon_the_browser_asks_for_exists(page):
    """Browsers fetch the page's icon (or /favicon.ico) by themselves; a 404 there is a console error."""
    page.goto("/")
    icon = page.locator("link[rel~=icon]").first
    href = icon.get_attribute("href") if icon.count() else "/favicon.ico"
    if href and href.startswith("data:"):
        return
    response = page.request.get(href or "/favicon.ico")
    assert response.status == 200, f"{href} answered {response.status}"


def test_request_recorder_catches_a_request_to_another_host(page, page_log, live_server):
    """The guard itself can fail. The other host is answered by Playwright, so nothing really leaves."""
    page.route("http://cdn.invalid/**", lambda route: route.fulfill(status=200, body="<p>elsewhere</p>"))
    page.goto("http://cdn.invalid/lib.html")
    with pytest.raises(AssertionError, match="cdn.invalid"):
        assert_no_request_left_the_machine(page_log, live_server.url)


def test_content_security_policy_violation_is_caught_as_a_console_error(page, page_log, live_server):
    """A script fetching from another origin is refused by the CSP, and the refusal fails the check."""
    page.goto("/")
    page.route("http://cdn.invalid/**", lambda route: route.abort())
    page.evaluate("fetch('http://cdn.invalid/lib.js').catch(() => null)")
    page.wait_for_timeout(300)
    with pytest.raises(AssertionError, match="Content Security Policy"):
        assert_no_console_errors(page_log)
