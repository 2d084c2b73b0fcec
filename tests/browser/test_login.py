"""Logging in through the real form, as a person would."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_console_errors, assert_no_request_left_the_machine, log_in

pytestmark = pytest.mark.browser


def test_owner_logs_in_and_sees_name_and_office(page, page_log, live_server, owner):
    log_in(page, "ana")
    assert "/accounts/login/" not in page.url
    header = page.locator("header")
    assert "ana" in header.inner_text()
    assert "Montevideo international office" in header.inner_text()
    assert_no_request_left_the_machine(page_log, live_server.url)
    assert_no_console_errors(page_log)


def test_wrong_password_keeps_the_person_on_the_login_page(page, owner):
    log_in(page, "ana", password="not the password")
    assert "/accounts/login/" in page.url
    assert page.locator(".errorlist").is_visible()
    assert page.locator("header").get_by_role("link", name="Log in").is_visible()
