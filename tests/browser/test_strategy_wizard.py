"""A new office with no strategy builds its first one with the guided start, in Spanish, with HTMX.

And the demo office's SDG alignment matrix renders with its chart, under the strict CSP.
"""

from __future__ import annotations

import re
import time

import pytest

from citydiplo.strategy.models import Axis, ObjectiveFamily, Stakeholder, StakeholderGroup, Strategy
from tests.browser.conftest import assert_no_console_errors, assert_no_request_left_the_machine, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def sdg_loaded(transactional_db):
    """The SDG framework from the shared reference data (fails under CI=true when it is missing)."""
    from citydiplo.interchange.reference import reference_load
    from tests.places.shared_data import shared_data_file

    data_dir = shared_data_file("sdg/un-framework-2025/sdg_indicators_2025.csv").parents[2]
    reference_load(data_dir=data_dir, only=["sdg"])


def test_an_empty_office_completes_the_guided_start(page, page_log, live_server, owner, sdg_loaded):
    assert not Strategy.objects.exists()
    log_in(page, "ana")
    started = time.perf_counter()
    page.goto("/es/strategy/")
    page.get_by_role("link", name="Inicio guiado").click()
    page.wait_for_url("**/es/strategy/start/")
    assert page.get_by_text("Paso 1 de 5").is_visible()

    # Step 1: the strategy (the thesis prompt is prefilled in Spanish).
    assert "En los próximos 12 a 18 meses" in page.locator("textarea[name=thesis]").input_value()
    page.locator("textarea[name=vision]").fill("Una ciudad abierta al mundo")
    page.get_by_role("button", name="Siguiente").click()
    page.get_by_text("Paso 2 de 5").wait_for()
    assert re.search(r"/es/strategy/start/\d+/objectives/$", page.url), page.url  # HTMX pushed the address

    # Step 2: one template objective per family is ticked; add a second projection one.
    page.get_by_label(re.compile("Construir una imagen internacional")).check()
    page.get_by_role("button", name="Siguiente").click()
    page.get_by_text("Paso 3 de 5").wait_for()

    # Step 3: axes (the common thematic ones are ticked) and one priority country.
    page.locator("select[name=country]").select_option(["BR"])
    page.get_by_role("button", name="Siguiente").click()
    page.get_by_text("Paso 4 de 5").wait_for()

    # Step 4: the six stakeholder groups, each with an example to keep or edit.
    page.locator("textarea[name=group-academia]").fill("Universidad de la República\nUniversidad Católica")
    page.get_by_role("button", name="Siguiente").click()
    page.get_by_text("Paso 5 de 5").wait_for()
    assert page.get_by_text("Su primera estrategia está lista").is_visible()
    elapsed = time.perf_counter() - started

    strategy = Strategy.objects.get()
    assert strategy.owner.slug == "montevideo-office" and strategy.title.startswith("Estrategia internacional")
    assert set(strategy.objectives.values_list("family", flat=True)) == set(ObjectiveFamily.values)
    assert strategy.objectives.count() == 6
    assert strategy.objectives.filter(sdg_targets__isnull=False).distinct().count() == 6
    assert set(Stakeholder.objects.filter(owner=strategy.owner).values_list("group", flat=True)) == set(
        StakeholderGroup.values
    )
    assert Axis.objects.filter(owner=strategy.owner, name="Países prioritarios", countries=["BR"]).exists()

    # The summary links to the strategy page, which lists the five families.
    page.get_by_role("link", name="Abrir la estrategia").click()
    page.wait_for_url(f"**/strategy/{strategy.pk}/")
    assert page.get_by_role("heading", name="Incidencia e influencia global").is_visible()
    assert_no_request_left_the_machine(page_log, live_server.url)
    assert_no_console_errors(page_log)
    print(f"guided start completed in {elapsed:.1f} s of browser time")  # noqa: T201


def test_the_demo_alignment_matrix_renders_with_its_chart(page, page_log, live_server, sdg_loaded):
    from citydiplo.demo.loader import MAIN_OFFICE_SLUG, demo_load
    from tests.factories import CityFactory

    CityFactory(name="Montevideo", slug="montevideo-uy", country="UY", geonames_id=3441575)
    demo_load()
    strategy = Strategy.objects.get(owner__slug=MAIN_OFFICE_SLUG)

    page.goto(f"/strategy/{strategy.pk}/")
    page.get_by_role("link", name="SDG alignment matrix").click()
    page.wait_for_url(f"**/strategy/{strategy.pk}/alignment/")
    matrix = page.locator("#alignment-matrix")
    assert matrix.locator("thead th").count() == 18  # the objective column and the 17 goals
    assert matrix.locator("tbody tr").count() == strategy.objectives.count()
    assert matrix.locator("td.hit").count() >= 6
    assert "11.2" in matrix.inner_text()
    # The Vega-Lite chart is drawn (an SVG inside the chart container) without breaking the CSP.
    page.locator("[data-strategy-chart=alignment-chart] svg").first.wait_for()
    assert_no_request_left_the_machine(page_log, live_server.url)
    assert_no_console_errors(page_log)
