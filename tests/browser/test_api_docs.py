"""The API docs page renders in a real browser under our Content-Security-Policy, with no other origin."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_console_errors, assert_no_request_left_the_machine

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_the_operations_from_local_assets(page, page_log, live_server):
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 20
    assert_no_request_left_the_machine(page_log, live_server.url)
    assert_no_console_errors(page_log)  # a CSP violation would show here
