"""The REST API at /api/v1/: visibility, permissions, safe editing and formats as a client sees them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from citydiplo.accounts.records import Origin, Visibility
from citydiplo.registry import services
from citydiplo.registry.api import Page
from citydiplo.registry.models import Actor, Agreement, Project, RolePeriod
from tests.factories import AgreementFactory, CityFactory, MembershipFactory, NetworkFactory

API = "/api/v1"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The cast's seven users would otherwise go through PBKDF2 at full strength: seconds per test.
    (Autouse, so it is in place before the `cast` fixture creates them.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", data, content_type="application/json")


def patch(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.patch(f"{API}{path}", data, content_type="application/json")


@pytest.fixture
def cities(db: None) -> tuple[Actor, Actor]:
    return (
        CityFactory(name="Montevideo", slug="montevideo-uy", country="UY"),
        CityFactory(name="Rosario", slug="rosario-ar", country="AR"),
    )


@pytest.fixture
def secret_agreement(cast: Any, cities: tuple[Actor, Actor]) -> Agreement:
    """Office A's private MoU between the two cities, beside a public reference twinning of the same pair."""
    AgreementFactory(title="Public twinning", parties=list(cities))
    return services.agreement_create(
        user=cast.editor, owner=cast.office_a, kind="cooperation", parties=list(cities), title="Secret MoU"
    )


# --- Anonymous reading ----------------------------------------------------------------------------------


def test_anonymous_reads_networks_with_reference_and_public_data_only(cast, client):
    network = NetworkFactory(name="Mercociudades", slug="mercociudades")
    MembershipFactory(network=network, member=CityFactory(country="UY"))
    MembershipFactory(network=network, member=CityFactory(country="AR"))
    MembershipFactory(network=network, member=CityFactory(country="BR"), until="2019")  # former member
    # Office A's own, private knowledge: a network and a membership nobody else may count.
    NetworkFactory(
        slug="office-a-club", owner=cast.office_a, visibility=Visibility.PRIVATE, origin=Origin.MANUAL
    )
    MembershipFactory(
        network=network, member=CityFactory(country="CL"), owner=cast.office_a, visibility=Visibility.PRIVATE
    )
    NetworkFactory(
        slug="public-club", owner=cast.office_a, visibility=Visibility.PUBLIC, origin=Origin.MANUAL
    )

    response = client.get(f"{API}/networks")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_slug = {item["slug"]: item for item in body["items"]}
    assert set(by_slug) == {"mercociudades", "public-club"}
    assert by_slug["mercociudades"]["member_count"] == 2
    assert by_slug["mercociudades"]["country_count"] == 2
    assert by_slug["mercociudades"]["owner"] is None
    assert by_slug["public-club"]["owner"] == "montevideo-office"
    # The office's own people see its private network and count its private membership.
    mine = as_user(cast.viewer).get(f"{API}/networks").json()
    assert mine["count"] == 3
    assert {i["slug"]: i["member_count"] for i in mine["items"]}["mercociudades"] == 3


def test_network_detail_shows_members_with_role_periods(cast, client):
    network = NetworkFactory(name="Mercociudades", slug="mercociudades")
    city = CityFactory(name="Montevideo", slug="montevideo-uy", country="UY")
    membership = MembershipFactory(network=network, member=city, since="1995")
    RolePeriod.objects.create(membership=membership, role="member", since="1995")
    RolePeriod.objects.create(membership=membership, role="board", since="2017", until="2020")
    hidden = CityFactory(slug="hidden-member")
    MembershipFactory(network=network, member=hidden, owner=cast.office_a, visibility=Visibility.PRIVATE)

    response = client.get(f"{API}/networks/mercociudades")

    assert response.status_code == 200
    body = response.json()
    assert [m["member"]["slug"] for m in body["members"]] == ["montevideo-uy"]
    member = body["members"][0]
    assert member["member"]["country"] == "UY"
    assert member["since"] == "1995"
    assert member["current"] is True
    assert member["roles"] == [
        {"role": "member", "since": "1995", "until": ""},
        {"role": "board", "since": "2017", "until": "2020"},
    ]
    assert body["member_count"] == 1


def test_a_city_is_not_a_network(client, cities):
    assert client.get(f"{API}/networks/montevideo-uy").status_code == 404


def test_themes_are_listed_for_everyone(client, db):
    response = client.get(f"{API}/themes")
    assert response.status_code == 200
    assert "climate" in [theme["key"] for theme in response.json()]


# --- One office's private records never reach another -----------------------------------------------------


def test_private_agreement_of_office_a_never_reaches_office_b(cast, cities, secret_agreement):
    office_b = as_user(cast.other_owner)
    missing_id = Agreement.objects.order_by("-pk").first().pk + 100

    listing = office_b.get(f"{API}/agreements").json()
    assert listing["count"] == 1
    assert [a["title"] for a in listing["items"]] == ["Public twinning"]
    for query in ("q=Secret", "kind=cooperation", "owner=montevideo-office", "country=UY&kind=cooperation"):
        assert office_b.get(f"{API}/agreements?{query}").json()["count"] == 0, query
    assert office_b.get(f"{API}/agreements?actor=montevideo-uy").json()["count"] == 1

    detail = office_b.get(f"{API}/agreements/{secret_agreement.pk}")
    assert detail.status_code == 404
    # The same answer as for an agreement that does not exist: existence is not revealed.
    assert detail.json() == office_b.get(f"{API}/agreements/{missing_id}").json()
    assert office_b.get(f"{API}/agreements/{secret_agreement.pk}/notes").status_code == 404
    assert (
        patch(office_b, f"/agreements/{secret_agreement.pk}", {"version": 1, "title": "Mine"}).status_code
        == 404
    )

    partners = office_b.get(f"{API}/actors/montevideo-uy").json()["partners"]
    assert [p["agreement"]["title"] for p in partners] == ["Public twinning"]

    # Office A's own viewer, by contrast, sees it everywhere.
    office_a = as_user(cast.viewer)
    assert office_a.get(f"{API}/agreements").json()["count"] == 2
    assert office_a.get(f"{API}/agreements?q=Secret").json()["count"] == 1
    assert office_a.get(f"{API}/agreements/{secret_agreement.pk}").json()["owner"] == "montevideo-office"


def test_anonymous_sees_neither_private_agreements_nor_contacts(cast, client, cities, secret_agreement):
    services.contact_create(
        user=cast.editor, owner=cast.office_a, full_name="María Pérez", email="m@example.org"
    )
    assert client.get(f"{API}/agreements").json()["count"] == 1
    assert client.get(f"{API}/agreements/{secret_agreement.pk}").status_code == 404
    assert client.get(f"{API}/contacts").json() == {"items": [], "count": 0}


# --- Writing ---------------------------------------------------------------------------------------------


def test_editor_creates_and_edits_an_agreement(cast, cities):
    editor = as_user(cast.editor)
    created = post(
        editor,
        "/agreements",
        {
            "owner": "montevideo-office",
            "kind": "cooperation",
            "parties": ["montevideo-uy", "rosario-ar"],
            "signed": "2017-05",
            "themes": ["climate", "water"],
        },
    )
    assert created.status_code == 201, created.content
    agreement = created.json()
    assert agreement["owner"] == "montevideo-office"
    assert agreement["visibility"] == "private"
    assert agreement["origin"] == "manual"
    assert agreement["version"] == 1
    assert agreement["title"] == "Montevideo – Rosario"
    assert sorted(p["slug"] for p in agreement["parties"]) == ["montevideo-uy", "rosario-ar"]

    edited = patch(
        editor, f"/agreements/{agreement['id']}", {"version": 1, "title": "Climate MoU", "status": "active"}
    )

    assert edited.status_code == 200, edited.content
    body = edited.json()
    assert (body["title"], body["status"], body["version"]) == ("Climate MoU", "active", 2)
    # Relations not sent are left alone.
    assert body["themes"] == ["climate", "water"]
    assert len(body["parties"]) == 2
    assert body["signed"] == "2017-05"


def test_viewer_may_read_but_not_write(cast, cities, secret_agreement):
    viewer = as_user(cast.viewer)
    refused = post(
        viewer,
        "/agreements",
        {"owner": "montevideo-office", "kind": "mou", "parties": ["montevideo-uy", "rosario-ar"]},
    )
    assert refused.status_code == 403
    assert "editor" in refused.json()["detail"]

    edit = patch(viewer, f"/agreements/{secret_agreement.pk}", {"version": 1, "title": "Viewer was here"})
    assert edit.status_code == 403
    assert Agreement.objects.get(pk=secret_agreement.pk).title == "Secret MoU"


def test_editor_of_one_office_cannot_write_for_another(cast, cities):
    response = post(
        as_user(cast.editor),
        "/agreements",
        {"owner": "rosario-office", "kind": "mou", "parties": ["montevideo-uy", "rosario-ar"]},
    )
    assert response.status_code == 403


def test_only_curators_create_reference_facts(cast, cities):
    payload = {"owner": None, "name": "Eurocities", "kind": "network", "network_kind": "regional_network"}
    assert post(as_user(cast.owner), "/actors", payload).status_code == 403
    created = post(as_user(cast.curator), "/actors", payload)
    assert created.status_code == 201
    assert (created.json()["owner"], created.json()["visibility"]) == (None, "public")


def test_anonymous_cannot_write(client, cities):
    response = post(
        client, "/agreements", {"owner": None, "kind": "mou", "parties": ["montevideo-uy", "rosario-ar"]}
    )
    assert response.status_code == 401
    assert not Agreement.objects.exists()


def test_session_writes_need_the_csrf_token(cast, cities):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.editor)
    payload = {"owner": "montevideo-office", "full_name": "Ana Gómez", "lawful_basis": "public_task"}

    assert post(browser, "/contacts", payload).status_code == 403

    browser.get(f"{API}/docs")  # any page that renders a token sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        f"{API}/contacts", payload, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201


def test_stale_edit_is_refused_with_409_and_the_newer_value_kept(cast):
    project = services.project_create(
        user=cast.editor, owner=cast.office_a, title="Water", modality="decentralised"
    )
    editor, owner = as_user(cast.editor), as_user(cast.owner)
    assert patch(editor, f"/projects/{project.pk}", {"version": 1, "title": "Water v2"}).status_code == 200

    stale = patch(owner, f"/projects/{project.pk}", {"version": 1, "title": "Older edit"})

    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert Project.objects.get(pk=project.pk).title == "Water v2"


def test_patch_refuses_null_for_a_field_that_cannot_be_empty(cast, cities, secret_agreement):
    response = patch(as_user(cast.editor), f"/agreements/{secret_agreement.pk}", {"version": 1, "kind": None})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["kind"]


def test_patch_needs_a_version(cast):
    project = services.project_create(
        user=cast.editor, owner=cast.office_a, title="Water", modality="decentralised"
    )
    response = patch(as_user(cast.editor), f"/projects/{project.pk}", {"title": "No version"})
    assert response.status_code == 422
    assert "version" in response.json()["errors"]


# --- Formats: partial dates, money ---------------------------------------------------------------------


@pytest.mark.parametrize("signed", ["2017-13", "17/05/2017", "2017-02-30", "May 2017"])
def test_invalid_partial_date_is_refused_naming_the_field(cast, cities, signed):
    response = post(
        as_user(cast.editor),
        "/agreements",
        {
            "owner": "montevideo-office",
            "kind": "mou",
            "parties": ["montevideo-uy", "rosario-ar"],
            "signed": signed,
        },
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["signed"]
    assert not Agreement.objects.exists()


def test_invalid_date_in_a_role_period_names_the_nested_field(cast, cities):
    NetworkFactory(slug="mercociudades")
    response = post(
        as_user(cast.curator),
        "/memberships",
        {
            "owner": None,
            "member": "montevideo-uy",
            "network": "mercociudades",
            "roles": [{"role": "member", "since": "1995"}, {"role": "board", "since": "2017-00"}],
        },
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["roles.1.since"]


def test_partial_date_patch_is_checked_too(cast, cities, secret_agreement):
    response = patch(
        as_user(cast.editor), f"/agreements/{secret_agreement.pk}", {"version": 1, "ended": "2020-1"}
    )
    assert response.status_code == 422
    assert "ended" in response.json()["errors"]
    assert Agreement.objects.get(pk=secret_agreement.pk).ended == ""


def test_money_travels_as_decimal_strings_with_a_currency(cast, cities):
    editor = as_user(cast.editor)
    created = post(
        editor,
        "/projects",
        {
            "owner": "montevideo-office",
            "title": "Resilient water",
            "modality": "decentralised",
            "budget": {"amount": "250000.10", "currency": "eur"},
            "partners": [{"actor": "rosario-ar", "role": "implementing"}],
        },
    )
    assert created.status_code == 201, created.content
    project = created.json()
    assert project["budget"] == {"amount": "250000.10", "currency": "EUR"}
    assert project["partners"] == [
        {
            "actor": {"slug": "rosario-ar", "name": "Rosario", "kind": "municipality", "country": "AR"},
            "role": "implementing",
        }
    ]

    txn = post(
        editor,
        f"/projects/{project['id']}/transactions",
        {"kind": "disbursement", "date": "2024-03-01", "amount": {"amount": "0.30", "currency": "EUR"}},
    )
    assert txn.status_code == 201, txn.content
    detail = editor.get(f"{API}/projects/{project['id']}").json()
    assert [t["amount"] for t in detail["transactions"]] == [{"amount": "0.30", "currency": "EUR"}]
    # The raw JSON carries strings, never a JSON number that a client would read as a float.
    assert '"amount": "0.30"' in json.dumps(detail)


@pytest.mark.parametrize(
    ("budget", "field"),
    [
        ({"amount": 1200.5, "currency": "EUR"}, "budget.amount"),
        ({"amount": "12.345", "currency": "EUR"}, "budget.amount"),
        ({"amount": "12", "currency": "EURO"}, "budget.currency"),
        ({"amount": "12"}, "budget.currency"),
    ],
)
def test_money_must_be_a_decimal_string_and_an_iso_currency(cast, budget, field):
    response = post(
        as_user(cast.editor),
        "/projects",
        {"owner": "montevideo-office", "title": "T", "modality": "decentralised", "budget": budget},
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_patch_clears_a_budget_with_null(cast):
    project = services.project_create(
        user=cast.editor,
        owner=cast.office_a,
        title="Water",
        modality="decentralised",
        budget="10.00",
        currency="EUR",
    )
    response = patch(as_user(cast.editor), f"/projects/{project.pk}", {"version": 1, "budget": None})
    assert response.status_code == 200
    assert response.json()["budget"] is None


# --- Slugs that name records --------------------------------------------------------------------------


def test_a_hidden_actor_cannot_be_named_and_is_reported_like_a_missing_one(cast, cities):
    services.actor_create(user=cast.owner, owner=cast.office_a, name="Secret partner", kind="civil_society")
    office_b = as_user(cast.other_owner)
    hidden = post(
        office_b,
        "/agreements",
        {"owner": "rosario-office", "kind": "mou", "parties": ["rosario-ar", "secret-partner"]},
    )
    missing = post(
        office_b,
        "/agreements",
        {"owner": "rosario-office", "kind": "mou", "parties": ["rosario-ar", "no-such-actor"]},
    )
    assert hidden.status_code == missing.status_code == 422
    assert hidden.json()["errors"]["parties"] == [
        m.replace("no-such-actor", "secret-partner") for m in missing.json()["errors"]["parties"]
    ]


def test_unknown_owner_and_theme_are_field_errors(cast, cities):
    editor = as_user(cast.editor)
    parties = ["montevideo-uy", "rosario-ar"]
    no_owner = post(editor, "/agreements", {"owner": "nowhere", "kind": "mou", "parties": parties})
    assert "owner" in no_owner.json()["errors"]
    no_theme = post(
        editor,
        "/agreements",
        {"owner": "montevideo-office", "kind": "mou", "parties": parties, "themes": ["jazz"]},
    )
    assert "themes" in no_theme.json()["errors"]


# --- Actors, memberships, events, contacts ---------------------------------------------------------------


def test_actor_page_shows_memberships_and_partners(cast, client, cities):
    network = NetworkFactory(name="Mercociudades", slug="mercociudades")
    membership = MembershipFactory(network=network, member=cities[0], since="1995")
    RolePeriod.objects.create(membership=membership, role="co-president", since="2020", until="2023")
    AgreementFactory(title="Twinning", parties=list(cities), signed="1991")

    body = client.get(f"{API}/actors/montevideo-uy").json()

    assert body["slug"] == "montevideo-uy"
    assert [(m["network"]["slug"], [r["role"] for r in m["roles"]]) for m in body["memberships"]] == [
        ("mercociudades", ["co-president"])
    ]
    assert [(p["partner"]["slug"], p["agreement"]["signed"]) for p in body["partners"]] == [
        ("rosario-ar", "1991")
    ]


def test_actor_create_and_patch(cast, cities):
    editor = as_user(cast.editor)
    created = post(
        editor,
        "/actors",
        {
            "owner": "montevideo-office",
            "name": "Intendencia de Canelones",
            "kind": "municipality",
            "country": "uy",
        },
    )
    assert created.status_code == 201, created.content
    actor = created.json()
    assert (actor["slug"], actor["country"], actor["visibility"]) == (
        "intendencia-de-canelones-uy",
        "UY",
        "private",
    )

    edited = patch(
        editor,
        f"/actors/{actor['slug']}",
        {"version": 1, "population": 520187, "parent": "montevideo-uy", "themes": ["water"]},
    )
    assert edited.status_code == 200, edited.content
    assert (edited.json()["population"], edited.json()["parent"], edited.json()["themes"]) == (
        520187,
        "montevideo-uy",
        ["water"],
    )
    # Another office does not see it at all.
    assert as_user(cast.other_owner).get(f"{API}/actors/{actor['slug']}").status_code == 404


def test_a_duplicate_external_id_is_a_field_error_not_a_crash(cast, cities):
    cities[0].wikidata_id = "Q1335"
    cities[0].save()
    response = patch(as_user(cast.curator), "/actors/rosario-ar", {"version": 1, "wikidata_id": "Q1335"})
    assert response.status_code == 422
    assert Actor.objects.get(slug="rosario-ar").wikidata_id is None


def test_reference_facts_stay_public(cast, cities):
    response = patch(as_user(cast.curator), "/actors/montevideo-uy", {"version": 1, "visibility": "private"})
    assert response.status_code == 422
    assert "visibility" in response.json()["errors"]


def test_memberships_are_created_with_role_periods_and_filtered(cast, client, cities):
    NetworkFactory(slug="mercociudades")
    created = post(
        as_user(cast.curator),
        "/memberships",
        {
            "owner": None,
            "member": "montevideo-uy",
            "network": "mercociudades",
            "since": "1995",
            "roles": [
                {"role": "member", "since": "1995"},
                {"role": "board", "since": "2017", "until": "2020"},
            ],
            "annual_fee": {"amount": "1500.00", "currency": "USD"},
        },
    )
    assert created.status_code == 201, created.content
    assert [r["role"] for r in created.json()["roles"]] == ["member", "board"]
    assert created.json()["annual_fee"] == {"amount": "1500.00", "currency": "USD"}

    assert client.get(f"{API}/memberships?network=mercociudades").json()["count"] == 1
    assert client.get(f"{API}/memberships?member=rosario-ar").json()["count"] == 0
    assert client.get(f"{API}/memberships?member=no-such-city").json()["count"] == 0
    duplicate = post(
        as_user(cast.curator),
        "/memberships",
        {"owner": None, "member": "montevideo-uy", "network": "mercociudades"},
    )
    assert duplicate.status_code == 422


def test_events_are_created_and_edited(cast, cities):
    editor = as_user(cast.editor)
    created = post(
        editor,
        "/events",
        {
            "owner": "montevideo-office",
            "kind": "outgoing_delegation",
            "title": "Mission to Rosario",
            "start_date": "2024-05-02",
            "end_date": "2024-05-04",
            "place": "rosario-ar",
            "participants": ["montevideo-uy", "rosario-ar"],
            "cost": {"amount": "3400.00", "currency": "UYU"},
        },
    )
    assert created.status_code == 201, created.content
    event = created.json()
    assert event["place"]["slug"] == "rosario-ar"
    assert event["cost"] == {"amount": "3400.00", "currency": "UYU"}

    backwards = patch(editor, f"/events/{event['id']}", {"version": 1, "end_date": "2024-05-01"})
    assert backwards.status_code == 422

    edited = patch(
        editor, f"/events/{event['id']}", {"version": 1, "participants": ["montevideo-uy"], "place": None}
    )
    assert edited.status_code == 200, edited.content
    assert [p["slug"] for p in edited.json()["participants"]] == ["montevideo-uy"]
    assert edited.json()["place"] is None


def test_contacts_are_private_to_their_office(cast, cities):
    created = post(
        as_user(cast.editor),
        "/contacts",
        {
            "owner": "montevideo-office",
            "full_name": "Ana Gómez",
            "institution": "rosario-ar",
            "since": "2021",
            "lawful_basis": "legitimate_interests",
        },
    )
    assert created.status_code == 201, created.content
    contact = created.json()
    assert contact["visibility"] == "private"
    assert as_user(cast.other_owner).get(f"{API}/contacts/{contact['id']}").status_code == 404
    assert as_user(cast.other_owner).get(f"{API}/contacts?institution=rosario-ar").json()["count"] == 0

    edited = patch(as_user(cast.owner), f"/contacts/{contact['id']}", {"version": 1, "position": "Director"})
    assert (edited.status_code, edited.json()["position"]) == (200, "Director")


def test_agreement_notes_belong_to_the_office_that_wrote_them(cast, cities):
    agreement = AgreementFactory(parties=list(cities))
    written = post(
        as_user(cast.editor),
        f"/agreements/{agreement.pk}/notes",
        {"owner": "montevideo-office", "why_signed": "Ports"},
    )
    assert written.status_code == 201, written.content
    assert as_user(cast.viewer).get(f"{API}/agreements/{agreement.pk}/notes").json()["count"] == 1
    assert as_user(cast.other_owner).get(f"{API}/agreements/{agreement.pk}/notes").json()["count"] == 0


# --- Pagination -----------------------------------------------------------------------------------------


def test_lists_page_with_limit_and_offset_up_to_500(client, db):
    for n in range(5):
        CityFactory(name="Same name", slug=f"same-{n}")
    first = client.get(f"{API}/actors?limit=2").json()
    second = client.get(f"{API}/actors?limit=2&offset=2").json()
    third = client.get(f"{API}/actors?limit=2&offset=4").json()
    assert first["count"] == 5
    # Names tie; the order still is total, so the pages neither skip nor repeat an actor.
    slugs = [a["slug"] for page in (first, second, third) for a in page["items"]]
    assert sorted(slugs) == [f"same-{n}" for n in range(5)]

    # SQLite happens to return ties in a stable order; PostgreSQL does not, hence the explicit pk.
    page = Page().paginate_queryset(Actor.objects.order_by("name"), Page.Input(limit=2), request=None)
    assert list(page["items"].query.order_by)[-1] == "pk"

    too_many = client.get(f"{API}/actors?limit=501")
    assert too_many.status_code == 422
    assert "limit" in too_many.json()["errors"]


# --- Schema and docs -----------------------------------------------------------------------------------


def test_openapi_schema_is_valid_json_with_the_paths_and_unique_operation_ids(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in (
        "/networks",
        "/networks/{slug}",
        "/actors",
        "/actors/{slug}",
        "/memberships",
        "/agreements",
        "/agreements/{id}",
        "/agreements/{id}/notes",
        "/projects",
        "/projects/{id}",
        "/events",
        "/events/{id}",
        "/contacts",
        "/contacts/{id}",
        "/themes",
    ):
        assert f"{API}{path}" in schema["paths"], path
    operation_ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
    assert {"agreement_list", "agreement_update", "network_detail"} <= set(operation_ids)
    assert set(schema["paths"][f"{API}/agreements/{{id}}"]) == {"get", "patch"}


def test_docs_page_loads_swagger_from_our_own_static_files(client, db):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    # No CDN host anywhere (a bare "cdn" would also match inside the page's random CSRF token).
    assert not re.search(r"cdn\.|//cdn|unpkg|jsdelivr", html.lower())
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    for url in assets:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not in any static directory"
    assert '"validatorUrl": null' in html  # no badge fetched from validator.swagger.io
