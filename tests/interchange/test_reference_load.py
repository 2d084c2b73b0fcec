"""The reference load on the real shared data: one full load for the whole module, then what users see.

The load runs once, in a transaction the module-scoped fixture opens and rolls back at the end (each test's
own transaction nests inside it), so the module costs one full load plus one reload, not one per test.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from citydiplo.interchange.models import ImportRun
from citydiplo.interchange.reference import LoadReport, reference_load
from citydiplo.registry.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Membership,
    NetworkKind,
    Role,
    RolePeriod,
)
from tests.places.shared_data import shared_data_required

DATA_DIR = Path(settings.CITYDIPLO_REFERENCE_DATA or "/nonexistent")
MONTEVIDEO_GEONAMES_ID = 3441575
AMSTERDAM_GEONAMES_ID = 2759794


@pytest.fixture(autouse=True)
def _reference_data_present() -> None:
    shared_data_required(DATA_DIR / "wikidata-sister-cities")


def _rows(*parts: str) -> list[dict[str, str]]:
    with (DATA_DIR.joinpath(*parts)).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker) -> Iterator[LoadReport]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield reference_load(data_dir=DATA_DIR)
        transaction.set_rollback(True)


def test_every_network_and_every_membership_row_is_loaded(loaded, db):
    networks = _rows("city-networks", "networks.csv")
    rows = _rows("city-networks", "memberships.csv")
    assert Actor.objects.filter(kind=ActorKind.NETWORK).count() == len(networks) == 11
    expected = Counter(row["network_key"] for row in rows)
    loaded_counts = Counter(Membership.objects.values_list("network__slug", flat=True))
    assert loaded_counts == expected
    assert loaded_counts["c40"] == 97
    assert loaded_counts["eurocities"] == 226
    assert "iclei" not in loaded_counts  # a catalogue entry with no member rows
    # One role period per membership, with the row's role.
    assert RolePeriod.objects.count() == len(rows)
    london = Membership.objects.get(reference_key="c40/London/GB")
    assert [(p.role, p.since) for p in london.role_periods.all()] == [(Role.CO_PRESIDENT, "")]


def test_montevideo_is_one_actor_with_its_memberships_and_twins(loaded, db):
    montevideo = Actor.objects.get(name="Montevideo", country="UY")
    assert montevideo.geonames_id == MONTEVIDEO_GEONAMES_ID
    assert montevideo.wikidata_id == "Q1335"
    assert montevideo.verified

    by_network = {m.network.slug: m for m in montevideo.memberships.select_related("network")}
    assert {"mercociudades", "al-las", "metropolis", "ucci"} <= set(by_network)
    mercociudades = by_network["mercociudades"]
    assert mercociudades.since == "1995"
    assert [(p.role, p.since) for p in mercociudades.role_periods.all()] == [(Role.SECRETARIAT, "1995")]
    assert mercociudades.network.secretariat == montevideo

    partners_in_file = {
        edge["target_wikidata_id"] if edge["source_wikidata_id"] == "Q1335" else edge["source_wikidata_id"]
        for edge in _rows("wikidata-sister-cities", "edges.csv")
        if "Q1335" in (edge["source_wikidata_id"], edge["target_wikidata_id"])
    }
    agreements = Agreement.objects.filter(parties=montevideo, kind=AgreementKind.TWINNING)
    partners = {
        actor.wikidata_id
        for agreement in agreements
        for actor in agreement.parties.all()
        if actor != montevideo
    }
    assert partners == partners_in_file
    assert len(partners) == 21


def test_amsterdam_is_one_actor_with_the_second_qid_in_other_ids(loaded, db):
    amsterdam = Actor.objects.get(geonames_id=AMSTERDAM_GEONAMES_ID)
    assert amsterdam.wikidata_id == "Q727"
    assert amsterdam.other_ids["wikidata"] == ["Q9899"]
    assert Actor.objects.filter(name="Amsterdam", country="NL").count() == 1
    assert not Actor.objects.filter(wikidata_id="Q9899").exists()
    # The memberships file reaches the same actor as the Wikidata file.
    assert set(amsterdam.memberships.values_list("network__slug", flat=True)) >= {"c40", "eurocities", "u20"}
    # Q9899's twinnings now belong to the kept actor.
    q9899_partners = {
        e["target_wikidata_id"] if e["source_wikidata_id"] == "Q9899" else e["source_wikidata_id"]
        for e in _rows("wikidata-sister-cities", "edges.csv")
        if "Q9899" in (e["source_wikidata_id"], e["target_wikidata_id"])
    } - {"Q727"}
    kept_partners = set(
        Actor.objects.filter(agreements__parties=amsterdam)
        .exclude(pk=amsterdam.pk)
        .values_list("wikidata_id", flat=True)
    )
    assert q9899_partners <= kept_partners
    merged = [m.merged for m in loaded.merges]
    assert {"Q9899", "Q7473516", "Q2680952", "Q774015"} <= set(merged)  # Amsterdam, Tokyo, Rotterdam, Leeds


def test_members_that_are_not_towns_get_their_own_kind(loaded, db):
    assert Actor.objects.get(name="Lyon Metropolis").kind == ActorKind.METROPOLITAN_BODY
    assert Actor.objects.get(name="Lyon", country="FR").kind == ActorKind.MUNICIPALITY
    brussels_region = Actor.objects.get(name="Brussels-Capital Region")
    assert brussels_region.kind == ActorKind.REGION
    assert brussels_region.wikidata_id == "Q240"  # the Wikidata item, not a second actor
    assert brussels_region.geonames_id is None
    assert Actor.objects.get(name="State of Minas Gerais").kind == ActorKind.REGION
    famsi = Actor.objects.get(acronym="FAMSI")
    assert famsi.kind == ActorKind.ASSOCIATION_OF_MUNICIPALITIES
    assert famsi.name == "Fondo Andaluz de Municipios para la Solidaridad Internacional"


def test_unresolved_places_are_kept_unverified_and_reported(loaded, db):
    rio_grande = Actor.objects.get(name="Río Grande")
    assert rio_grande.country == ""
    assert rio_grande.geonames_id is None
    assert not rio_grande.verified
    assert rio_grande.memberships.get().network.slug == "cities-for-housing"
    reported = {(n.category, n.name.split(" (")[0]) for n in loaded.notices}
    assert ("no_country", "Río Grande") in reported
    assert ("unresolved", "Ekurhuleni") in reported
    assert ("ambiguous", "San Justo") in reported
    ekurhuleni = Actor.objects.get(name="Ekurhuleni")
    assert ekurhuleni.geonames_id is None and not ekurhuleni.verified


def test_every_wikidata_pair_becomes_one_twinning_agreement(loaded, db):
    edges = _rows("wikidata-sister-cities", "edges.csv")
    joined = sum(1 for n in loaded.notices if n.category in ("joined_edges", "twinned_with_itself"))
    assert Agreement.objects.count() == len(edges) - joined
    assert not Agreement.objects.exclude(
        kind=AgreementKind.TWINNING, status=AgreementStatus.UNKNOWN, signed=""
    ).exists()
    # edges.csv has "Q84,Q60"; the key orders the QIDs by number.
    london_new_york = Agreement.objects.get(reference_key="wikidata:Q60-Q84")
    assert set(london_new_york.parties.values_list("wikidata_id", flat=True)) == {"Q84", "Q60"}
    assert london_new_york.source == "Wikidata P190 via albertoursino/graphs-comparison (CC0)"
    assert london_new_york.as_of == "2022-01"
    assert london_new_york.owner is None and london_new_york.visibility == "public"
    assert AgreementParty.objects.count() == 2 * Agreement.objects.count()


def test_networks_carry_acronym_kind_themes_and_secretariat(loaded, db):
    c40 = Actor.objects.get(slug="c40")
    assert (c40.acronym, c40.network_kind, c40.founded, c40.as_of) == (
        "C40",
        NetworkKind.THEMATIC_NETWORK,
        "2005",
        "2025",
    )
    assert c40.secretariat.geonames_id == 2643743  # London, GB
    ucci = Actor.objects.get(slug="ucci")
    assert (ucci.name, ucci.acronym, ucci.network_kind) == (
        "Unión de Ciudades Capitales Iberoamericanas",
        "UCCI",
        NetworkKind.REGIONAL_NETWORK,
    )
    assert Actor.objects.get(slug="u20").network_kind == NetworkKind.POLITICAL_ALLIANCE
    assert Actor.objects.get(slug="climate-mayors").network_kind == NetworkKind.POLITICAL_ALLIANCE
    assert set(Actor.objects.get(slug="strong-cities").themes.values_list("key", flat=True)) == {
        "peace",
        "security",
    }
    assert Actor.objects.get(slug="iclei").founded == ""
    assert ImportRun.objects.get(pk=loaded.run_id).status == ImportRun.Status.SUCCEEDED


def test_a_second_load_adds_and_changes_nothing(loaded, db):
    again = reference_load(data_dir=DATA_DIR)
    for record_type, counts in again.counts.items():
        assert counts.added == 0, record_type
        assert counts.changed == 0, record_type
    assert again.counts["agreements"].unchanged == Agreement.objects.count()
    assert again.counts["memberships"].unchanged == Membership.objects.count()
    assert not again.merges
