"""Registry forms: creating and editing through the pages, permissions, stale edits, the actor picker."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from citydiplo.accounts.records import Origin, Visibility
from citydiplo.registry import services
from citydiplo.registry.models import (
    Actor,
    Agreement,
    AgreementNote,
    Contact,
    Event,
    Membership,
    Project,
    ProjectPartner,
)
from tests.factories import AgreementFactory, CityFactory, NetworkFactory


@pytest.fixture
def cities(db) -> tuple[Actor, Actor]:
    return (
        CityFactory(name="Montevideo", slug="montevideo-uy", country="UY"),
        CityFactory(name="Rosario", slug="rosario-ar", country="AR"),
    )


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _agreement_data(cast, cities, **overrides) -> dict:
    data = {
        "kind": "cooperation",
        "parties": [cities[0].pk, cities[1].pk],
        "title": "Water cooperation",
        "signed": "2019/5",
        "ended": "",
        "status": "active",
        "description": "",
        "owner": cast.office_a.pk,
        "visibility": "private",
    }
    data.update(overrides)
    return data


def test_editor_creates_an_agreement_and_finds_it_in_the_list(cast, cities):
    client = _client(cast.editor)
    assert client.get(reverse("registry:agreement-create")).status_code == 200
    response = client.post(reverse("registry:agreement-create"), _agreement_data(cast, cities))
    agreement = Agreement.objects.get(title="Water cooperation")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:agreement-detail", args=[agreement.pk])
    assert agreement.owner == cast.office_a
    assert agreement.signed == "2019-05"  # a month, with no invented day
    assert set(agreement.parties.all()) == set(cities)
    assert agreement.created_by == cast.editor
    listing = client.get(reverse("registry:agreement-list")).content.decode()
    assert "Water cooperation" in listing
    assert "May 2019" in listing


def test_agreement_shared_with_another_office_is_visible_to_it(cast, cities):
    data = _agreement_data(cast, cities, visibility="shared", shared_with=[cast.office_b.pk])
    _client(cast.editor).post(reverse("registry:agreement-create"), data)
    agreement = Agreement.objects.get(title="Water cooperation")
    assert agreement.visibility == Visibility.SHARED
    assert (
        _client(cast.other_owner).get(reverse("registry:agreement-detail", args=[agreement.pk])).status_code
        == 200
    )


def test_shared_visibility_needs_someone_to_share_with(cast, cities):
    response = _client(cast.editor).post(
        reverse("registry:agreement-create"), _agreement_data(cast, cities, visibility="shared")
    )
    assert response.status_code == 400
    assert "Choose the organisations to share with" in response.content.decode()
    assert not Agreement.objects.exists()


def test_agreement_needs_two_parties(cast, cities):
    response = _client(cast.editor).post(
        reverse("registry:agreement-create"), _agreement_data(cast, cities, parties=[cities[0].pk])
    )
    assert response.status_code == 400
    assert "at least two different parties" in response.content.decode()


def test_a_malformed_partial_date_is_explained(cast, cities):
    response = _client(cast.editor).post(
        reverse("registry:agreement-create"), _agreement_data(cast, cities, signed="May 2019")
    )
    assert response.status_code == 400
    assert "use YYYY, YYYY-MM or YYYY-MM-DD" in response.content.decode()


def test_viewer_gets_403_on_create(cast, cities):
    client = _client(cast.viewer)
    for name in (
        "agreement-create",
        "project-create",
        "event-create",
        "contact-create",
        "actor-create",
        "membership-create",
    ):
        assert client.get(reverse(f"registry:{name}")).status_code == 403, name
    response = client.post(reverse("registry:agreement-create"), _agreement_data(cast, cities))
    assert response.status_code == 403
    assert not Agreement.objects.exists()


def test_editor_cannot_file_a_record_under_another_office(cast, cities):
    response = _client(cast.editor).post(
        reverse("registry:agreement-create"), _agreement_data(cast, cities, owner=cast.office_b.pk)
    )
    assert response.status_code == 400
    assert not Agreement.objects.exists()


def test_anonymous_create_goes_to_login(cities):
    response = _client().get(reverse("registry:agreement-create"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_viewer_cannot_edit(cast, cities):
    agreement = services.agreement_create(
        user=cast.editor, owner=cast.office_a, kind="mou", parties=list(cities)
    )
    assert (
        _client(cast.viewer).get(reverse("registry:agreement-edit", args=[agreement.pk])).status_code == 403
    )


def test_editor_edits_an_agreement(cast, cities):
    agreement = services.agreement_create(
        user=cast.editor, owner=cast.office_a, kind="mou", parties=list(cities), title="Old title"
    )
    third = CityFactory(name="Asunción", country="PY")
    client = _client(cast.editor)
    form = client.get(reverse("registry:agreement-edit", args=[agreement.pk])).content.decode()
    assert 'name="version" value="1"' in form
    data = _agreement_data(cast, cities, title="New title", parties=[cities[0].pk, third.pk], version=1)
    del data["owner"]
    response = client.post(reverse("registry:agreement-edit", args=[agreement.pk]), data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "New title"
    assert agreement.version == 2
    assert set(agreement.parties.all()) == {cities[0], third}


def test_stale_edit_shows_the_conflict_and_keeps_the_newer_value(cast, cities):
    agreement = services.agreement_create(
        user=cast.editor, owner=cast.office_a, kind="mou", parties=list(cities), title="First"
    )
    # Ana saves while Eduardo still has version 1 open in his browser.
    services.record_update(
        user=cast.owner, record=agreement, expected_version=1, changes={"title": "Ana's title"}
    )
    data = _agreement_data(cast, cities, title="Eduardo's title", version=1)
    del data["owner"]
    response = _client(cast.editor).post(reverse("registry:agreement-edit", args=[agreement.pk]), data)
    assert response.status_code == 409
    text = response.content.decode()
    assert "changed by someone else" in text
    assert "Open the current version" in text
    assert "Eduardo&#x27;s title" in text  # the user's input is not lost
    agreement.refresh_from_db()
    assert agreement.title == "Ana's title"
    assert agreement.version == 2


def test_curator_corrects_a_reference_agreement(cast, cities):
    agreement = AgreementFactory(parties=list(cities), title="Twinning")
    client = _client(cast.curator)
    form = client.get(reverse("registry:agreement-edit", args=[agreement.pk])).content.decode()
    assert 'name="visibility"' not in form  # reference facts are public by nature
    data = _agreement_data(cast, cities, title="Twinning (corrected)", version=1, signed="1995")
    del data["owner"], data["visibility"]
    assert client.post(reverse("registry:agreement-edit", args=[agreement.pk]), data).status_code == 302
    agreement.refresh_from_db()
    assert (agreement.title, agreement.origin, agreement.owner_id) == (
        "Twinning (corrected)",
        Origin.MANUAL,
        None,
    )
    assert _client(cast.owner).get(reverse("registry:agreement-edit", args=[agreement.pk])).status_code == 403


def test_office_adds_a_note_on_a_reference_agreement(cast, cities):
    agreement = AgreementFactory(parties=list(cities))
    response = _client(cast.editor).post(
        reverse("registry:agreement-note-create", args=[agreement.pk]),
        {
            "why_signed": "Port cooperation after the 1994 floods",
            "notes": "",
            "owner": cast.office_a.pk,
            "visibility": "private",
        },
    )
    assert response.status_code == 302
    note = AgreementNote.objects.get()
    assert note.owner == cast.office_a
    detail = reverse("registry:agreement-detail", args=[agreement.pk])
    assert "1994 floods" in _client(cast.viewer).get(detail).content.decode()
    assert "1994 floods" not in _client(cast.other_owner).get(detail).content.decode()


# --- Other records ------------------------------------------------------------------------------------


def test_editor_records_a_project_with_partners_and_budget(cast, cities):
    data = {
        "title": "Flood early warning",
        "modality": "south_south",
        "status": "implementation",
        "partners_funding": [cities[0].pk],
        "partners_implementing": [cities[1].pk],
        "start": "2023",
        "end": "",
        "budget": "150000.50",
        "currency": "EUR",
        "description": "",
        "iati_identifier": "",
        "owner": cast.office_a.pk,
        "visibility": "private",
    }
    response = _client(cast.editor).post(reverse("registry:project-create"), data)
    assert response.status_code == 302, response.content.decode()
    project = Project.objects.get()
    assert str(project.budget) == "150000.50"
    roles = set(ProjectPartner.objects.values_list("actor__name", "role"))
    assert roles == {("Montevideo", "funding"), ("Rosario", "implementing")}
    detail = _client(cast.editor).get(reverse("registry:project-detail", args=[project.pk])).content.decode()
    assert "€150,000.50" in detail

    data.update(version=1, partners_funding=[cities[1].pk], partners_implementing=[])
    del data["owner"]
    response = _client(cast.editor).post(reverse("registry:project-edit", args=[project.pk]), data)
    assert response.status_code == 302
    assert set(ProjectPartner.objects.values_list("actor__name", "role")) == {("Rosario", "funding")}


def test_budget_needs_a_currency(cast):
    response = _client(cast.editor).post(
        reverse("registry:project-create"),
        {
            "title": "X",
            "modality": "decentralised",
            "status": "pipeline",
            "budget": "10",
            "currency": "",
            "owner": cast.office_a.pk,
            "visibility": "private",
        },
    )
    assert response.status_code == 400
    assert "Give the currency of the budget." in response.content.decode()


def test_editor_records_an_event_and_edits_it(cast, cities):
    network = NetworkFactory(name="Mercociudades")
    data = {
        "kind": "summit",
        "title": "Mercociudades summit",
        "start_date": "2024-11-27",
        "end_date": "2024-11-29",
        "place": cities[0].pk,
        "network": network.pk,
        "participants": [cities[1].pk],
        "owner": cast.office_a.pk,
        "visibility": "public",
    }
    assert _client(cast.editor).post(reverse("registry:event-create"), data).status_code == 302
    event = Event.objects.get()
    assert (event.place, event.network, list(event.participants.all())) == (cities[0], network, [cities[1]])
    assert "Nov 27, 2024" in _client().get(reverse("registry:event-detail", args=[event.pk])).content.decode()

    data.update(version=1, end_date="2024-11-26")  # before the start: refused by the model constraint
    del data["owner"]
    response = _client(cast.editor).post(reverse("registry:event-edit", args=[event.pk]), data)
    assert response.status_code == 400
    event.refresh_from_db()
    assert str(event.end_date) == "2024-11-29"


def test_a_network_field_only_accepts_networks(cast, cities):
    data = {
        "kind": "summit",
        "title": "T",
        "start_date": "2024-01-01",
        "network": cities[0].pk,
        "owner": cast.office_a.pk,
        "visibility": "private",
    }
    assert _client(cast.editor).post(reverse("registry:event-create"), data).status_code == 400


def test_editor_records_a_contact(cast, cities):
    response = _client(cast.editor).post(
        reverse("registry:contact-create"),
        {
            "full_name": "Lucía Pérez",
            "institution": cities[1].pk,
            "position": "Director of international relations",
            "email": "lucia@example.org",
            "since": "2021-03",
            "lawful_basis": "consent",
            "consent_given_on": "2021-03-05",
            "owner": cast.office_a.pk,
            "visibility": "private",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.institution, contact.since) == (cities[1], "2021-03")


def test_editor_adds_a_university_as_the_office_own_actor(cast):
    response = _client(cast.editor).post(
        reverse("registry:actor-create"),
        {
            "name": "Universidad de la República",
            "kind": "university",
            "country": "UY",
            "owner": cast.office_a.pk,
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    actor = Actor.objects.get(kind="university")
    assert response["Location"] == reverse("registry:actor-detail", args=[actor.slug])
    assert actor.owner == cast.office_a


def test_only_curators_may_add_reference_actors(cast):
    data = {"name": "Salto", "kind": "municipality", "country": "UY", "owner": "", "visibility": "public"}
    assert _client(cast.editor).post(reverse("registry:actor-create"), data).status_code == 400
    assert _client(cast.curator).post(reverse("registry:actor-create"), data).status_code == 302
    assert Actor.objects.get(name="Salto").owner_id is None


def test_curator_records_a_reference_membership_with_roles(cast, cities):
    network = NetworkFactory(name="Mercociudades")
    data = {
        "member": cities[0].pk,
        "network": network.pk,
        "since": "1995",
        "owner": "",
        "visibility": "public",
        "roles-TOTAL_FORMS": "4",
        "roles-INITIAL_FORMS": "0",
        "roles-0-role": "board",
        "roles-0-since": "2017",
        "roles-0-until": "2020",
        "roles-1-role": "co-president",
        "roles-1-since": "2020",
        "roles-1-until": "2023",
    }
    response = _client(cast.curator).post(reverse("registry:membership-create"), data)
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert membership.owner_id is None
    page = _client().get(reverse("registry:actor-detail", args=[cities[0].slug])).content.decode()
    assert "Board 2017–2020, Co-president 2020–2023" in page


def test_office_records_its_own_membership(cast, cities):
    network = NetworkFactory(name="Eurocities")
    cast.office_a.place = cities[0]
    cast.office_a.save()
    client = _client(cast.editor)
    form = client.get(reverse("registry:membership-create")).content.decode()
    assert f'name="member" value="{cities[0].pk}" checked' in form  # starts from the office's own city
    data = {
        "member": cities[0].pk,
        "network": network.pk,
        "owner": cast.office_a.pk,
        "visibility": "private",
        "roles-TOTAL_FORMS": "4",
        "roles-INITIAL_FORMS": "0",
    }
    assert client.post(reverse("registry:membership-create"), data).status_code == 302
    membership = Membership.objects.get()
    assert membership.owner == cast.office_a
    assert [p.role for p in membership.role_periods.all()] == ["member"]


# --- The actor picker -----------------------------------------------------------------------------------


def test_actor_search_lists_matches_to_add(cast, cities):
    response = _client(cast.editor).get(
        reverse("registry:actor-search"),
        {"_name": "parties", "_chosen": "id_parties_chosen", "_multiple": "1", "parties_search": "rosa"},
    )
    text = response.content.decode()
    assert "Rosario" in text and "Montevideo" not in text
    assert 'hx-target="#id_parties_chosen"' in text
    assert f"_pick={cities[1].pk}" in text


def test_actor_search_needs_two_letters(cast, cities):
    text = _client().get(reverse("registry:actor-search"), {"q": "r"}).content.decode()
    assert "Rosario" not in text
    assert "at least two letters" in text


def test_actor_search_can_be_limited_to_networks(cast, cities):
    NetworkFactory(name="Montevideo Club")
    results = (
        _client()
        .get(reverse("registry:actor-search"), {"q": "montevideo", "_kind": "network", "format": "json"})
        .json()["results"]
    )
    assert [r["name"] for r in results] == ["Montevideo Club"]


def test_actor_pick_adds_to_the_chosen_list_once(cast, cities):
    response = _client(cast.editor).get(
        reverse("registry:actor-pick"),
        {"_name": "parties", "_multiple": "1", "parties": [cities[0].pk], "_pick": cities[0].pk},
    )
    text = response.content.decode()
    assert text.count('name="parties"') == 1
    response = _client(cast.editor).get(
        reverse("registry:actor-pick"),
        {"_name": "parties", "_multiple": "1", "parties": [cities[0].pk], "_pick": cities[1].pk},
    )
    text = response.content.decode()
    assert text.count("checked") == 2 and "Rosario" in text


def test_search_without_javascript_shows_the_form_again_without_saving(cast, cities):
    data = _agreement_data(
        cast, cities, parties=[cities[0].pk], parties_search="Rosa", _actor_search="parties"
    )
    response = _client(cast.editor).post(reverse("registry:agreement-create"), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert f'name="parties" value="{cities[1].pk}">' in text  # offered, unticked
    assert f'name="parties" value="{cities[0].pk}" checked' in text  # still chosen
    assert "at least two different parties" not in text  # not an attempt to save: no errors yet
    assert not Agreement.objects.exists()


# --- Every form page and the admin render ----------------------------------------------------------


def test_every_form_page_renders_for_an_editor(cast, cities):
    agreement = services.agreement_create(
        user=cast.editor, owner=cast.office_a, kind="mou", parties=list(cities)
    )
    project = services.project_create(
        user=cast.editor, owner=cast.office_a, title="P", modality="decentralised"
    )
    event = services.event_create(
        user=cast.editor, owner=cast.office_a, kind="visit", title="E", start_date="2024-01-01"
    )
    contact = services.contact_create(user=cast.editor, owner=cast.office_a, full_name="C")
    actor = services.actor_create(user=cast.editor, owner=cast.office_a, name="Acme", kind="company")
    urls = [
        reverse(f"registry:{name}")
        for name in ("agreement-create", "project-create", "event-create", "contact-create", "actor-create")
    ] + [
        reverse("registry:membership-create"),
        reverse("registry:agreement-edit", args=[agreement.pk]),
        reverse("registry:agreement-note-create", args=[agreement.pk]),
        reverse("registry:project-edit", args=[project.pk]),
        reverse("registry:event-edit", args=[event.pk]),
        reverse("registry:contact-edit", args=[contact.pk]),
        reverse("registry:actor-edit", args=[actor.slug]),
    ]
    client = _client(cast.editor)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert " style=" not in text and "<style" not in text, url
        assert "<script>" not in text, url


def test_admin_lists_every_registry_model_for_a_superuser(cast, cities):
    from django.contrib import admin

    from citydiplo.registry import models

    AgreementFactory(parties=list(cities))
    services.agreement_create(user=cast.editor, owner=cast.office_a, kind="mou", parties=list(cities))
    superuser = type(cast.owner).objects.create_superuser("root", "root@example.org", "correct horse battery")
    client = _client(superuser)
    registered = [m for m in admin.site._registry if m._meta.app_label == "registry"]
    assert {m.__name__ for m in registered} >= {
        "Theme",
        "Actor",
        "Membership",
        "Agreement",
        "AgreementNote",
        "Project",
        "Event",
        "Contact",
        "Document",
    }
    for model in registered:
        url = reverse(f"admin:registry_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    agreement = models.Agreement.objects.first()
    assert client.get(reverse("admin:registry_agreement_change", args=[agreement.pk])).status_code == 200


def test_admin_hides_an_office_private_records_from_curators(cast, cities):
    services.agreement_create(
        user=cast.editor, owner=cast.office_a, kind="mou", parties=list(cities), title="Secret MoU"
    )
    cast.curator.is_superuser = False
    cast.curator.save()
    from django.contrib.auth.models import Permission

    cast.curator.user_permissions.add(Permission.objects.get(codename="view_agreement"))
    text = _client(cast.curator).get(reverse("admin:registry_agreement_changelist")).content.decode()
    assert "Secret MoU" not in text


def test_picker_follows_its_own_urls_from_search_to_chosen(cast, cities):
    """Follow the URLs the form page renders, as htmx would: search box, then a match's Add button."""
    import html
    import re

    client = _client(cast.editor)
    page = client.get(reverse("registry:agreement-create") + f"?party={cities[0].pk}").content.decode()
    search_url = html.unescape(re.search(r'id="id_parties_search"[^>]*hx-get="([^"]+)"', page, re.S).group(1))
    # htmx appends the input's value to the URL's own query string.
    results = client.get(f"{search_url}&parties_search=Rosa").content.decode()
    pick_url = html.unescape(re.search(r'hx-get="([^"]+_pick=\d+)"', results).group(1))
    assert 'hx-include="#id_parties_chosen"' in results
    chosen = client.get(f"{pick_url}&parties={cities[0].pk}").content.decode()
    assert f'name="parties" value="{cities[0].pk}" checked' in chosen
    assert f'name="parties" value="{cities[1].pk}" checked' in chosen
