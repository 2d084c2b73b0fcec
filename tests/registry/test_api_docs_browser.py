"""The API docs page renders in a real browser under our Content-Security-Policy, with no other origin."""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser.new_page()
        browser.close()


def test_swagger_ui_renders_the_operations_from_local_assets(live_server, browser_page):
    errors: list[str] = []
    hosts: set[str] = set()
    browser_page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    browser_page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))

    browser_page.goto(f"{live_server.url}/api/v1/docs")
    browser_page.wait_for_selector(".opblock", timeout=15000)

    assert browser_page.locator(".opblock").count() >= 20
    assert hosts == {urlsplit(live_server.url).netloc}
    assert errors == []  # a CSP violation would show here
