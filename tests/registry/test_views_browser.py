# ruff: noqa: F811
"""The registry pages in Debian's Chromium: the map component and the HTMX filters, under the real CSP."""

from __future__ import annotations

import re

import pytest

# The browser fixtures live in tests/browser/conftest.py; importing them makes them available here
# (pytest injects them by name, so ruff's F811 on the test arguments is expected).
from tests.browser.conftest import (  # noqa: F401
    assert_no_console_errors,
    assert_no_request_left_the_machine,
    browser_settings,
    chromium_browser,
    page,
    page_log,
)
from tests.factories import AgreementFactory, CityFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def twinnings(transactional_db: None):
    montevideo = CityFactory(
        name="Montevideo", slug="montevideo-uy", country="UY", latitude=-34.9, longitude=-56.19
    )
    rosario = CityFactory(name="Rosario", slug="rosario-ar", country="AR", latitude=-32.95, longitude=-60.64)
    porto_alegre = CityFactory(name="Porto Alegre", slug="porto-alegre-br", country="BR")  # no coordinates
    AgreementFactory(title="Montevideo – Rosario", parties=[montevideo, rosario], signed="1995")
    AgreementFactory(title="Montevideo – Porto Alegre", kind="friendship", parties=[montevideo, porto_alegre])
    network = NetworkFactory(name="Mercociudades", slug="mercociudades")
    MembershipFactory(member=montevideo, network=network)
    MembershipFactory(member=rosario, network=network)
    return montevideo


def test_city_map_draws_the_world_the_place_and_partners_with_coordinates(
    page, page_log, live_server, twinnings
):  # noqa: F811
    page.goto("/registry/actors/montevideo-uy/")
    map_box = page.locator("[data-map]")
    # The countries come from the bundled TopoJSON, in their own pane under the markers.
    page.wait_for_function("document.querySelectorAll('.leaflet-basemap-pane path').length > 100")
    assert map_box.locator(".leaflet-marker-icon").count() == 1  # Montevideo
    overlay = map_box.locator(".leaflet-overlay-pane path")
    assert overlay.count() == 2  # Rosario's circle and the line to it; Porto Alegre has no coordinates
    map_box.locator(".leaflet-overlay-pane path.leaflet-interactive").click()
    link = map_box.locator(".leaflet-popup-content a")
    assert link.inner_text() == "Rosario"
    assert link.get_attribute("href") == "/registry/actors/rosario-ar/"
    assert page.get_by_role("cell", name="Porto Alegre", exact=True).is_visible()
    assert_no_request_left_the_machine(page_log, live_server.url)
    assert_no_console_errors(page_log)


def test_network_map_shows_members_without_lines(page, page_log, live_server, twinnings):  # noqa: F811
    page.goto("/registry/networks/mercociudades/")
    page.wait_for_function("document.querySelectorAll('.leaflet-basemap-pane path').length > 100")
    assert page.locator("[data-map] .leaflet-overlay-pane path.leaflet-interactive").count() == 2
    assert page.locator("[data-map] .leaflet-marker-icon").count() == 0
    assert_no_console_errors(page_log)


def test_list_filters_replace_the_table_and_the_address(page, page_log, live_server, twinnings):  # noqa: F811
    page.goto("/registry/agreements/")
    assert page.locator("tbody tr").count() == 2
    with page.expect_response(re.compile(r"/registry/agreements/\?.*kind=friendship")):
        page.locator("select[name=kind]").select_option("friendship")
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length === 1")
    assert "Porto Alegre" in page.locator("#results tbody").inner_text()
    assert "kind=friendship" in page.url  # hx-push-url: the filtered list can be bookmarked
    assert page.locator("h1").count() == 1  # only the table was swapped in, not a whole page
    assert_no_console_errors(page_log)
