"""The demo office's dashboard is populated, marked illustrative, and shows every status."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse

from citydiplo.accounts.models import Organisation, User
from citydiplo.demo.credentials import DEMO_USERNAME
from citydiplo.demo.loader import MAIN_OFFICE_SLUG
from citydiplo.indicators.selectors import dashboard
from tests.factories import CityFactory


def test_demo_dashboard_shows_every_status(db, client):
    CityFactory(name="Montevideo", slug="montevideo-uy", country="UY", geonames_id=3441575)
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    office = Organisation.objects.get(slug=MAIN_OFFICE_SLUG)
    user = User.objects.get(username=DEMO_USERNAME)
    rows = dashboard(user=user, organisation=office)
    statuses = {row.indicator.code: row.assessment.status for row in rows}
    assert set(statuses.values()) == {"on_track", "at_risk", "off_track", "no_data"}
    assert statuses["IA-01"] == "on_track"
    assert statuses["IA-03"] == "at_risk"
    assert statuses["EX-01"] == "off_track"
    assert statuses["EX-02"] == "no_data"
    assert all(row.indicator.is_illustrative for row in rows)
    # The public sees the same (the demo values are approved and the indicators public).
    page = client.get(reverse("indicators:organisation-dashboard", args=[office.slug])).content.decode()
    for css in ("status-on_track", "status-at_risk", "status-off_track", "status-no_data"):
        assert css in page
    assert "illustrative" in page
