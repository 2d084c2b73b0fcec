"""The ecosystem pages in a real browser: the relations map, the network graph and the overlap heat-map
render from the site's own files (no request leaves 127.0.0.1), without console or CSP errors, and a
click on a graph node opens its card."""

from __future__ import annotations

import pytest

from citydiplo.registry.models import Theme
from tests.browser.conftest import assert_no_console_errors, assert_no_request_left_the_machine, log_in
from tests.factories import AgreementFactory, CityFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def ecosystem(transactional_db: None) -> None:
    montevideo = CityFactory(
        name="Montevideo", slug="montevideo-uy", country="UY", latitude=-34.9, longitude=-56.19
    )
    rosario = CityFactory(name="Rosario", slug="rosario-ar", country="AR", latitude=-32.95, longitude=-60.64)
    quito = CityFactory(name="Quito", slug="quito-ec", country="EC", latitude=-0.22, longitude=-78.5)
    madrid = CityFactory(name="Madrid", slug="madrid-es", country="ES", latitude=40.4, longitude=-3.7)
    mercociudades = NetworkFactory(name="Mercociudades", slug="mercociudades")
    ucci = NetworkFactory(name="UCCI", slug="ucci", acronym="UCCI")
    climate = NetworkFactory(name="Climate alliance", slug="climate-alliance")
    # transactional_db empties the tables between tests, themes included.
    climate.themes.set([Theme.objects.get_or_create(key="climate", defaults={"name": "Climate"})[0]])
    for city, network in [
        (montevideo, mercociudades),
        (rosario, mercociudades),
        (montevideo, ucci),
        (quito, ucci),
        (madrid, ucci),
        (quito, climate),
        (madrid, climate),
    ]:
        MembershipFactory(member=city, network=network)
    AgreementFactory(parties=[montevideo, madrid])
    AgreementFactory(parties=[montevideo, rosario])


def test_place_map_renders_offline(page, page_log, live_server, ecosystem) -> None:
    page.goto("/analysis/places/montevideo-uy/")
    page.locator(".map.leaflet-container").wait_for()
    # The twinning lines and markers are SVG paths in Leaflet's overlay pane; the countries come from the
    # bundled TopoJSON, drawn in the base-map pane.
    page.locator(".leaflet-overlay-pane svg path").first.wait_for(state="attached")
    assert page.locator(".leaflet-overlay-pane svg path").count() >= 3
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Montevideo in the ecosystem").first.is_visible()
    assert_no_request_left_the_machine(page_log, live_server.url)
    assert_no_console_errors(page_log)


def test_network_map_renders_offline(page, page_log, live_server, ecosystem) -> None:
    page.goto("/analysis/networks/ucci/")
    page.locator(".leaflet-overlay-pane svg path").first.wait_for(state="attached")
    assert page.locator(".leaflet-overlay-pane svg path").count() >= 3
    page.wait_for_load_state("networkidle")
    assert_no_request_left_the_machine(page_log, live_server.url)
    assert_no_console_errors(page_log)


def test_graph_draws_and_a_click_on_a_node_opens_its_card(page, page_log, live_server, ecosystem) -> None:
    page.goto("/analysis/graph/")
    graph = page.locator(".graph[data-graph-nodes]")
    graph.wait_for()
    assert graph.get_attribute("data-graph-nodes") == "7"  # four places and three networks
    assert page.locator(".graph canvas").count() >= 1
    point = page.evaluate(
        """() => {
            const container = document.querySelector('.graph');
            const renderer = container.sigmaRenderer;
            const key = renderer.getGraph().findNode((_, attributes) => attributes.label === 'Quito');
            const position = renderer.framedGraphToViewport(renderer.getNodeDisplayData(key));
            const box = container.getBoundingClientRect();
            return {x: box.left + position.x, y: box.top + position.y};
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    card = page.locator("[data-graph-card]")
    card.wait_for(state="visible")
    assert card.locator("[data-field=label]").inner_text() == "Quito"
    assert card.locator("[data-field=memberships]").inner_text() == "2"
    assert card.locator("[data-field=url]").get_attribute("href") == "/analysis/places/quito-ec/"
    # Filtering by network keeps that network and its members only.
    page.goto("/analysis/graph/?network=climate-alliance")
    page.locator(".graph[data-graph-nodes]").wait_for()
    assert page.locator(".graph").get_attribute("data-graph-nodes") == "3"
    assert_no_request_left_the_machine(page_log, live_server.url)
    assert_no_console_errors(page_log)


def test_overlap_heatmap_renders_with_vega_under_the_csp(page, page_log, live_server, ecosystem) -> None:
    page.goto("/analysis/overlap/")
    chart = page.locator("[data-chart=overlap-heatmap] svg")
    chart.wait_for()
    # One rectangle per pair of the three networks.
    assert page.locator("[data-chart=overlap-heatmap] svg .mark-rect.role-mark path").count() == 9
    # Mercociudades {Montevideo, Rosario} and UCCI {Montevideo, Quito, Madrid}: 1 shared of 4.
    assert page.get_by_role("cell", name="0.250").count() == 1
    assert_no_request_left_the_machine(page_log, live_server.url)
    assert_no_console_errors(page_log)


def test_signed_in_user_computes_the_analysis_from_the_page(
    page, page_log, live_server, ecosystem, owner, settings, monkeypatch
) -> None:
    """A registry too large to analyse inside a page view (the limit lowered here): the overview offers the
    button; the run goes through the task queue (immediate backend here, a db_worker in production)."""
    monkeypatch.setattr("citydiplo.analysis.services.INLINE_MAX_RELATIONS", 0)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
    log_in(page, "ana")
    page.goto("/analysis/")
    assert page.get_by_text("has not been computed yet").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Compute the analysis").click()
    page.get_by_role("heading", name="Brokers: highest betweenness").wait_for()
    assert page.get_by_role("link", name="Montevideo").first.is_visible()
    assert page.get_by_role("button", name="Recompute the analysis").is_visible()
    assert_no_request_left_the_machine(page_log, live_server.url)
    assert_no_console_errors(page_log)
