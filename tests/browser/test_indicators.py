"""The indicators dashboard and an indicator's chart in a real browser: the Vega-Lite chart is drawn under
the strict Content-Security-Policy (no eval, no inline script or style), nothing leaves the machine, and
the dashboard reads on a phone-sized screen."""

from __future__ import annotations

import datetime as dt

import pytest

from citydiplo.indicators import services
from tests.browser.conftest import assert_no_console_errors, assert_no_request_left_the_machine, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def visits(owner):
    office = owner.organisation_seats.get().organisation
    indicator = services.indicator_create(
        user=owner,
        owner=office,
        code="VIS-1",
        name="International visits received",
        unit="visits",
        is_key=True,
        dimensions=["sex"],
    )
    services.baseline_set(user=owner, indicator=indicator, value="20", date=dt.date(2020, 12, 31))
    services.target_set(user=owner, indicator=indicator, value="60", date=dt.date(2026, 12, 31))
    for period, value in (("2022", "25"), ("2023", "31"), ("2024", "38")):
        observation = services.observation_save(user=owner, indicator=indicator, period=period, value=value)
        services.observation_review(user=owner, observation=observation, action="approve")
    return indicator


def test_chart_is_drawn_under_the_csp_and_the_dashboard_fits_a_phone(
    page, page_log, live_server, owner, visits
):
    log_in(page, "ana")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/indicators/")
    card = page.locator(".indicator-card", has_text="International visits received")
    assert "At risk" in card.inner_text()
    # One column on a phone: the card is about as wide as the screen, and nothing scrolls sideways.
    box = card.bounding_box()
    assert box is not None and box["width"] > 300
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    card.get_by_role("link").first.click()
    page.wait_for_url(f"**/indicators/{visits.pk}/")
    chart = page.locator("[data-chart=indicator-chart]")
    chart.locator("svg").first.wait_for()
    # Three observed points and the target line were drawn.
    assert chart.locator("svg .mark-symbol path, svg .mark-line path").count() >= 2
    assert_no_request_left_the_machine(page_log, live_server.url)
    assert_no_console_errors(page_log)
