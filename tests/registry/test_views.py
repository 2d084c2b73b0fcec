"""Registry pages: lists and details for each kind of reader, privacy between offices, the city map."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from citydiplo.accounts.records import Visibility
from citydiplo.registry import services
from citydiplo.registry.models import Actor, Agreement, Contact, Event, Project, RolePeriod
from tests.factories import AgreementFactory, CityFactory, MembershipFactory, NetworkFactory


@dataclass
class World:
    montevideo: Actor
    rosario: Actor
    porto_alegre: Actor
    mercociudades: Actor
    twinning: Agreement
    secret: Agreement
    project: Project
    event: Event
    contact: Contact


@pytest.fixture
def world(cast) -> World:
    """Reference places and a network, plus office A's private records that office B must never see."""
    montevideo = CityFactory(
        name="Montevideo",
        slug="montevideo-uy",
        country="UY",
        latitude=-34.9033,
        longitude=-56.1882,
        population=1319108,
    )
    rosario = CityFactory(
        name="Rosario", slug="rosario-ar", country="AR", latitude=-32.9468, longitude=-60.6393
    )
    porto_alegre = CityFactory(name="Porto Alegre", slug="porto-alegre-br", country="BR")  # no coordinates
    mercociudades = NetworkFactory(name="Mercociudades", slug="mercociudades", acronym="MC")
    membership = MembershipFactory(member=montevideo, network=mercociudades, since="1995")
    RolePeriod.objects.create(membership=membership, role="member", since="1995")
    RolePeriod.objects.create(membership=membership, role="board", since="2017", until="2020")
    RolePeriod.objects.create(membership=membership, role="co-president", since="2020", until="2023")
    MembershipFactory(member=rosario, network=mercociudades, since="1995")
    twinning = AgreementFactory(
        title="Montevideo – Rosario twinning", parties=[montevideo, rosario], signed="1995-05"
    )
    AgreementFactory(
        title="Montevideo – Porto Alegre friendship", kind="friendship", parties=[montevideo, porto_alegre]
    )
    secret = services.agreement_create(
        user=cast.editor,
        owner=cast.office_a,
        kind="mou",
        parties=[montevideo, porto_alegre],
        title="Secret desalination MoU",
    )
    project = services.project_create(
        user=cast.editor, owner=cast.office_a, title="Water for Rosario", modality="decentralised"
    )
    event = services.event_create(
        user=cast.editor, owner=cast.office_a, kind="summit", title="Private summit", start_date="2024-03-01"
    )
    contact = services.contact_create(user=cast.editor, owner=cast.office_a, full_name="Lucía Pérez")
    return World(montevideo, rosario, porto_alegre, mercociudades, twinning, secret, project, event, contact)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


LIST_URLS = [
    "registry:network-list",
    "registry:actor-list",
    "registry:agreement-list",
    "registry:project-list",
    "registry:event-list",
    "registry:contact-list",
]


@pytest.mark.parametrize("name", LIST_URLS)
def test_lists_render_for_anonymous_readers(world, name):
    response = _client().get(reverse(name))
    assert response.status_code == 200
    text = _text(response)
    assert "Secret desalination MoU" not in text
    assert "Water for Rosario" not in text
    assert "Lucía Pérez" not in text


@pytest.mark.parametrize("name", LIST_URLS)
def test_lists_render_for_signed_in_editors(world, cast, name):
    response = _client(cast.editor).get(reverse(name))
    assert response.status_code == 200


def test_anonymous_lists_show_reference_facts_with_their_badge(world):
    text = _text(_client().get(reverse("registry:agreement-list")))
    assert "Montevideo – Rosario twinning" in text
    assert 'class="badge reference"' in text
    assert 'class="badge private"' not in text


def test_owner_sees_own_private_records_marked_private(world, cast):
    text = _text(_client(cast.owner).get(reverse("registry:agreement-list")))
    assert "Secret desalination MoU" in text
    assert 'class="badge private"' in text
    assert "Water for Rosario" in _text(_client(cast.owner).get(reverse("registry:project-list")))
    assert "Lucía Pérez" in _text(_client(cast.viewer).get(reverse("registry:contact-list")))


def test_illustrative_owner_is_flagged(world, cast):
    cast.office_a.is_illustrative = True
    cast.office_a.save()
    text = _text(_client(cast.owner).get(reverse("registry:project-list")))
    assert 'class="badge illustrative"' in text


@pytest.mark.parametrize("reader", ["anonymous", "editor"])
def test_reference_details_render_for_everyone(world, cast, reader):
    client = _client(None if reader == "anonymous" else cast.editor)
    urls = [
        reverse("registry:network-detail", args=[world.mercociudades.slug]),
        reverse("registry:actor-detail", args=[world.montevideo.slug]),
        reverse("registry:agreement-detail", args=[world.twinning.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_owned_details_render_for_their_office_and_404_for_anonymous(world, cast):
    urls = [
        reverse("registry:agreement-detail", args=[world.secret.pk]),
        reverse("registry:project-detail", args=[world.project.pk]),
        reverse("registry:event-detail", args=[world.event.pk]),
        reverse("registry:contact-detail", args=[world.contact.pk]),
    ]
    for url in urls:
        assert _client(cast.viewer).get(url).status_code == 200, url
        assert _client().get(url).status_code == 404, url


def test_public_record_of_an_office_is_readable_by_anyone(world, cast):
    project = services.project_create(
        user=cast.editor,
        owner=cast.office_a,
        title="Open data portal",
        modality="technical_assistance",
        visibility=Visibility.PUBLIC,
    )
    response = _client().get(reverse("registry:project-detail", args=[project.pk]))
    assert response.status_code == 200
    assert 'class="badge public"' in _text(response)


# --- Privacy between offices -----------------------------------------------------------------------


def test_other_office_never_sees_a_private_agreement(world, cast):
    client = _client(cast.other_owner)
    listing = _text(client.get(reverse("registry:agreement-list")))
    assert "Secret desalination MoU" not in listing
    assert "2 results" in listing  # the two reference agreements only
    searched = _text(client.get(reverse("registry:agreement-list"), {"q": "desalination"}))
    assert "Secret desalination MoU" not in searched
    assert "0 results" in searched
    assert client.get(reverse("registry:agreement-detail", args=[world.secret.pk])).status_code == 404
    assert client.get(reverse("registry:agreement-edit", args=[world.secret.pk])).status_code == 404
    city = _text(client.get(reverse("registry:actor-detail", args=[world.montevideo.slug])))
    assert "Secret desalination MoU" not in city
    # Its own office counts it.
    own = _text(_client(cast.owner).get(reverse("registry:agreement-list")))
    assert "3 results" in own


def test_private_membership_counts_only_for_its_office(world, cast):
    salto = CityFactory(name="Salto", country="UY")
    services.membership_create(
        user=cast.editor, owner=cast.office_a, member=salto, network=world.mercociudades
    )
    url = reverse("registry:network-detail", args=[world.mercociudades.slug])
    mine = _text(_client(cast.owner).get(url))
    theirs = _text(_client(cast.other_owner).get(url))
    assert "Salto" in mine
    assert "Salto" not in theirs
    assert re.search(r"<dt>Members</dt><dd>3</dd>", mine)
    assert re.search(r"<dt>Members</dt><dd>2</dd>", theirs)
    assert re.search(r"<dt>Countries</dt><dd>2</dd>", theirs)
    listing = _text(_client(cast.other_owner).get(reverse("registry:network-list")))
    assert re.search(r'<td class="num">2</td>\s*<td class="num">2</td>', listing)


def test_actor_search_hides_other_offices_private_actors(world, cast):
    services.actor_create(
        user=cast.editor, owner=cast.office_a, name="Montevideo Port Authority", kind="other"
    )
    url = reverse("registry:actor-search")
    theirs = _client(cast.other_owner).get(url, {"q": "Montevideo", "format": "json"}).json()
    mine = _client(cast.editor).get(url, {"q": "Montevideo", "format": "json"}).json()
    assert [r["name"] for r in theirs["results"]] == ["Montevideo"]
    assert {r["name"] for r in mine["results"]} == {"Montevideo", "Montevideo Port Authority"}


# --- HTMX lists ------------------------------------------------------------------------------------------


def test_filters_answer_htmx_with_the_table_only(world):
    response = _client().get(
        reverse("registry:agreement-list"), {"kind": "friendship"}, headers={"HX-Request": "true"}
    )
    text = _text(response)
    assert "<html" not in text
    assert "Montevideo – Porto Alegre friendship" in text
    assert "Montevideo – Rosario twinning" not in text
    assert "HX-Request" in response["Vary"]


def test_filters_work_without_javascript(world):
    text = _text(_client().get(reverse("registry:actor-list"), {"country": "AR"}))
    assert "<html" in text
    assert 'hx-get="/registry/actors/"' in text
    assert "Rosario" in text
    assert "Porto Alegre" not in text


def test_lists_are_paginated_by_fifty(db):
    for n in range(55):
        CityFactory(name=f"Town {n:02d}", country="PY")
    first = _text(_client().get(reverse("registry:actor-list"), {"country": "PY"}))
    second = _text(_client().get(reverse("registry:actor-list"), {"country": "PY", "page": 2}))
    assert "Town 49" in first and "Town 50" not in first
    assert "Town 50" in second and "Page 2 of 2" in second


def test_agreements_filter_by_year_of_signing(world):
    text = _text(_client().get(reverse("registry:agreement-list"), {"year": 1995}))
    assert "Montevideo – Rosario twinning" in text
    assert "friendship" not in text.split("<tbody>")[1]


# --- Pages ------------------------------------------------------------------------------------------------


def test_city_page_map_has_partners_with_coordinates(world):
    text = _text(_client().get(reverse("registry:actor-detail", args=[world.montevideo.slug])))
    match = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', text, re.S)
    assert match
    data = json.loads(match.group(1))
    assert data["origin"]["name"] == "Montevideo"
    assert data["connect"] is True
    assert data["points"] == [
        {
            "name": "Rosario",
            "url": reverse("registry:actor-detail", args=[world.rosario.slug]),
            "lat": -32.9468,
            "lng": -60.6393,
            "detail": "Twinning / sister city · May 1995",
        }
    ]
    # Porto Alegre has no coordinates: listed in the table, not drawn.
    assert "Porto Alegre" in text and "no coordinates" in text
    assert 'data-geojson-url="/static/vendor/world-atlas/countries-110m.json"' in text
    assert "/static/js/map.js" in text
    assert "<style" not in text and " style=" not in text


def test_city_page_shows_role_periods_and_facts(world):
    text = _text(_client().get(reverse("registry:actor-detail", args=[world.montevideo.slug])))
    assert "Member 1995–, Board 2017–2020, Co-president 2020–2023" in text
    assert "Uruguay" in text
    assert "1,319,108" in text


def test_city_page_names_the_country_in_the_active_language(world):
    with translation.override("es"):
        url = reverse("registry:actor-detail", args=[world.porto_alegre.slug])
    assert url.startswith("/es/")
    assert "Brasil" in _text(_client().get(url))
    with translation.override("fr"):
        url = reverse("registry:actor-detail", args=[world.porto_alegre.slug])
    assert "Brésil" in _text(_client().get(url))


def test_network_page_lists_members_with_current_roles_and_a_map(world):
    text = _text(_client().get(reverse("registry:network-detail", args=[world.mercociudades.slug])))
    assert "Montevideo" in text and "Rosario" in text
    assert "Member 1995–" in text
    assert "Earlier: Board 2017–2020, Co-president 2020–2023" in text
    data = json.loads(
        re.search(r'<script id="map-data" type="application/json">(.*?)</script>', text, re.S).group(1)
    )
    assert {p["name"] for p in data["points"]} == {"Montevideo", "Rosario"}
    assert data["connect"] is False


def test_network_at_actor_address_redirects_to_network_page(world):
    response = _client().get(reverse("registry:actor-detail", args=[world.mercociudades.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:network-detail", args=[world.mercociudades.slug])


def test_viewers_and_anonymous_see_no_edit_buttons(world, cast):
    url = reverse("registry:agreement-detail", args=[world.secret.pk])
    edit = reverse("registry:agreement-edit", args=[world.secret.pk])
    assert edit not in _text(_client(cast.viewer).get(url))
    assert edit in _text(_client(cast.editor).get(url))
    create = reverse("registry:agreement-create")
    assert create not in _text(_client().get(reverse("registry:agreement-list")))
    assert create not in _text(_client(cast.viewer).get(reverse("registry:agreement-list")))
    assert create in _text(_client(cast.editor).get(reverse("registry:agreement-list")))


# --- Documents ------------------------------------------------------------------------------------------


@pytest.fixture
def document(world, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return services.document_attach(
        user=cast.editor,
        owner=cast.office_a,
        title="Signed MoU",
        file=SimpleUploadedFile("mou.pdf", b"%PDF-1.4 secret", content_type="application/pdf"),
        agreement=world.secret,
    )


def test_document_download_streams_the_file_to_its_office(document, cast):
    response = _client(cast.viewer).get(reverse("registry:document-download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"
    assert "attachment" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]


def test_document_download_is_refused_to_another_office(document, cast):
    url = reverse("registry:document-download", args=[document.pk])
    assert _client(cast.other_owner).get(url).status_code == 404
    assert _client().get(url).status_code == 404


def test_documents_are_listed_only_for_readers_who_may_see_them(document, world, cast):
    world.secret.visibility = Visibility.PUBLIC
    world.secret.save()
    url = reverse("registry:agreement-detail", args=[world.secret.pk])
    assert "Signed MoU" in _text(_client(cast.owner).get(url))
    assert "Signed MoU" not in _text(_client(cast.other_owner).get(url))
