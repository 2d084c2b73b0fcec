"""A person records an agreement through the registry pages, with the HTMX party picker."""

from __future__ import annotations

import re

import pytest

from citydiplo.registry.models import Agreement
from tests.browser.conftest import assert_no_console_errors, assert_no_request_left_the_machine, log_in
from tests.factories import CityFactory

pytestmark = pytest.mark.browser

TITLE = "Cooperation on urban drainage"


def _add_party(page, name: str) -> None:
    """Type part of the name into the picker's search box, then press the match's "Add" button."""
    parties = page.locator("fieldset", has=page.locator("legend", has_text="Parties"))
    parties.get_by_role("searchbox").fill(name[:5])
    parties.get_by_role("button", name=f"Add {name}").click()
    # The chosen list is swapped in by HTMX: a ticked box for the new party.
    parties.get_by_role("checkbox", name=re.compile(name)).first.wait_for()


def test_owner_logs_in_creates_an_agreement_and_sees_it_in_the_list(page, page_log, live_server, owner):
    CityFactory(name="Montevideo", country="UY")
    CityFactory(name="Rosario", country="AR")

    log_in(page, "ana")
    page.goto("/registry/agreements/")
    page.get_by_role("link", name="New agreement").click()
    page.wait_for_url("**/registry/agreements/new/")

    page.locator("select[name=kind]").select_option("cooperation")
    _add_party(page, "Montevideo")
    _add_party(page, "Rosario")
    page.locator("input[name=title]").fill(TITLE)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    assert re.search(r"/registry/agreements/\d+/$", page.url), page.url
    assert page.get_by_text("The agreement was recorded.").is_visible()

    page.goto("/registry/agreements/")
    row = page.locator("tr", has=page.get_by_role("link", name=TITLE))
    assert row.count() == 1
    assert "Montevideo" in row.inner_text() and "Rosario" in row.inner_text()

    agreement = Agreement.objects.get(title=TITLE)
    assert agreement.owner.slug == "montevideo-office"
    assert sorted(agreement.parties.values_list("name", flat=True)) == ["Montevideo", "Rosario"]
    assert_no_request_left_the_machine(page_log, live_server.url)
    assert_no_console_errors(page_log)
