"""`citydiplo load_demo`: the illustrative dataset loads, loads again without duplicates, and shows the
visibility rules (a record shared with the second office, a private one it cannot see)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from citydiplo.accounts.models import Organisation, OrganisationMember, TermOfGovernment, User
from citydiplo.demo.credentials import DEMO_PASSWORD, DEMO_SECOND_USERNAME, DEMO_USERNAME
from citydiplo.registry.models import (
    Actor,
    Agreement,
    AgreementNote,
    AgreementParty,
    Contact,
    Event,
    Project,
    ProjectPartner,
    ProjectTransaction,
)
from tests.factories import CityFactory

COUNTED = [
    Organisation,
    User,
    OrganisationMember,
    TermOfGovernment,
    Actor,
    Project,
    ProjectPartner,
    ProjectTransaction,
    Event,
    Contact,
    Agreement,
    AgreementParty,
    AgreementNote,
    Project.shared_with.through,
]


@pytest.fixture
def montevideo(db: None) -> Actor:
    # Only the Montevideo place the reference load would create; every other place the demo needs is
    # then made as a demo-owned actor.
    return CityFactory(name="Montevideo", slug="montevideo-uy", country="UY", geonames_id=3441575)


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in COUNTED}


def test_load_demo_twice_creates_everything_once(montevideo):
    call_command("load_demo", stdout=io.StringIO())
    first = _counts()
    assert first["accounts.Organisation"] == 2
    assert first["registry.Project"] >= 3
    assert first["registry.ProjectTransaction"] >= 5
    assert first["registry.Event"] >= 3
    assert first["registry.Contact"] >= 3
    assert first["registry.AgreementNote"] == 1

    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == first


def test_second_run_says_nothing_changed(montevideo, capsys):
    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Created: nothing." in out
    assert "nothing changed" in out


def test_demo_offices_are_illustrative_and_montevideo_is_the_reference_place(montevideo):
    call_command("load_demo", stdout=io.StringIO())
    office = Organisation.objects.get(slug="demo-montevideo")
    assert office.is_illustrative
    assert office.place == montevideo
    assert (office.language, office.currency, office.kind) == ("es", "UYU", "local_government_office")
    assert "(illustrative)" in office.name
    assert Organisation.objects.filter(is_illustrative=False).count() == 0
    assert office.terms.filter(end__isnull=True).count() == 1
    # Every project and event says in its description that it is invented.
    for record in [*Project.objects.all(), *Event.objects.all()]:
        assert "Illustrative" in record.description


def test_demo_login_works_and_a_changed_password_survives_a_reload(montevideo):
    call_command("load_demo", stdout=io.StringIO())
    demo = User.objects.get(username=DEMO_USERNAME)
    assert demo.check_password(DEMO_PASSWORD)
    assert demo.organisation_seats.get().role == OrganisationMember.Role.OWNER
    demo.set_password("a password the developer chose")
    demo.save()
    call_command("load_demo", stdout=io.StringIO())
    demo.refresh_from_db()
    assert demo.check_password("a password the developer chose")


def test_second_office_sees_the_shared_project_but_not_the_private_agreement(montevideo):
    call_command("load_demo", stdout=io.StringIO())
    demo = User.objects.get(username=DEMO_USERNAME)
    rosario = User.objects.get(username=DEMO_SECOND_USERNAME)
    shared = Project.objects.get(shared_with__slug="demo-rosario")
    assert Project.objects.visible_to(rosario).filter(pk=shared.pk).exists()
    private_agreement = Agreement.objects.get(owner__slug="demo-montevideo")
    assert Agreement.objects.visible_to(demo).filter(pk=private_agreement.pk).exists()
    assert not Agreement.objects.visible_to(rosario).filter(pk=private_agreement.pk).exists()
    assert not Agreement.objects.visible_to(None).filter(pk=private_agreement.pk).exists()
    rosario_private = Project.objects.get(owner__slug="demo-rosario")
    assert not Project.objects.visible_to(demo).filter(pk=rosario_private.pk).exists()


def test_load_demo_without_reference_data_says_to_load_it_first(db):
    with pytest.raises(CommandError, match="load-reference"):
        call_command("load_demo")
    assert not Organisation.objects.exists()


def test_load_demo_refuses_to_run_in_production(montevideo, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_the_demo_records_pages_show_their_change_history(montevideo):
    """Every kind of record page, in every app, carries the change history panel (citydiplo/history)."""
    from citydiplo.accounts.models import User
    from citydiplo.indicators.models import Indicator
    from citydiplo.strategy.models import Objective, Stakeholder, Strategy

    call_command("load_demo", stdout=io.StringIO())
    client = Client()
    client.force_login(User.objects.get(username="demo"))
    office = Organisation.objects.get(slug="demo-montevideo")
    records = [
        Strategy.objects.filter(owner=office).first(),
        Objective.objects.filter(owner=office).first(),
        Stakeholder.objects.filter(owner=office).first(),
        Indicator.objects.filter(owner=office).first(),
        Project.objects.filter(owner=office).first(),
        Contact.objects.filter(owner=office).first(),
    ]
    for record in records:
        page = client.get(record.get_absolute_url())
        assert page.status_code == 200, record
        assert "Change history" in page.content.decode(), record
