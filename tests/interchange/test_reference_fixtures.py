"""The reference load on small hand-made files: reloads, curator corrections, bad files, dry runs, the CLI.

Each test writes a data folder laid out like the shared one into tmp_path, with a few real places (so
the GeoNames links are real) and the awkward cases: a Wikidata city listed twice, a prefecture, a row
with no country, a metropolitan body, a name no gazetteer knows.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from citydiplo.accounts.records import Origin
from citydiplo.cli import main as citydiplo_main
from citydiplo.interchange.errors import ImportFailed
from citydiplo.interchange.models import ImportRun
from citydiplo.interchange.reference import reference_load
from citydiplo.registry import services
from citydiplo.registry.models import Actor, ActorKind, Agreement, Membership, Role

NETWORKS = [
    ["network_key", "name", "founded_year", "secretariat_city", "scope", "theme", "website"],
    [
        "mercociudades",
        "Mercociudades",
        "1995",
        "Montevideo",
        "regional",
        "local government cooperation",
        "https://mercociudades.org",
    ],
    [
        "eurocities",
        "Eurocities",
        "1986",
        "Brussels",
        "regional",
        "urban policy; EU advocacy",
        "https://eurocities.eu",
    ],
]
MEMBERSHIPS = [
    ["network_key", "network_name", "city", "country_iso2", "role", "since_year", "source"],
    [
        "mercociudades",
        "Mercociudades",
        "Montevideo",
        "UY",
        "secretariat",
        "1995",
        "https://mercociudades.org",
    ],
    ["mercociudades", "Mercociudades", "Buenos Aires", "AR", "founder", "1995", "https://mercociudades.org"],
    ["mercociudades", "Mercociudades", "Río Grande", "", "member", "", "https://example.org/housing"],
    ["eurocities", "Eurocities", "Amsterdam", "NL", "member", "", "https://eurocities.eu"],
    ["eurocities", "Eurocities", "Lyon Metropolis", "FR", "member", "", "https://eurocities.eu"],
    ["eurocities", "Eurocities", "Qwxzville", "FR", "member", "", "https://eurocities.eu"],
]
NODES = [
    ["wikidata_id", "label", "country", "lat", "lon", "population", "degree"],
    ["Q1335", "Montevideo", "Uruguay", "-34.866666666", "-56.166666666", "1319108", "3"],
    ["Q1486", "Buenos Aires", "Argentina", "-34.599722222", "-58.381944444", "3063728", "2"],
    ["Q727", "Amsterdam", "Netherlands", "52.383333333", "4.9", "860124", "2"],
    ["Q9899", "Amsterdam", "Netherlands", "52.366666666", "4.883333333", "862965", "2"],
    ["Q80434", "Aichi Prefecture", "Japan", "35.180166666", "136.906666666", "7535266", "1"],
    ["Q41211", "San Juan", "United States of America", "18.4222581", "-66.0683255", "355074", "1"],
]
EDGES = [
    ["source_wikidata_id", "target_wikidata_id"],
    ["Q1335", "Q1486"],
    ["Q727", "Q1335"],
    ["Q9899", "Q1335"],  # the same pair as the row above once the two Amsterdams are one actor
    ["Q727", "Q9899"],  # Amsterdam with itself once merged
    ["Q80434", "Q41211"],
]


def _write(path: Path, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    _write(tmp_path / "city-networks" / "networks.csv", NETWORKS)
    _write(tmp_path / "city-networks" / "memberships.csv", MEMBERSHIPS)
    _write(tmp_path / "wikidata-sister-cities" / "nodes.csv", NODES)
    _write(tmp_path / "wikidata-sister-cities" / "edges.csv", EDGES)
    return tmp_path


def _replace(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_small_load_links_places_merges_duplicates_and_reports(db, data_dir):
    report = reference_load(data_dir=data_dir)

    assert report.counts["networks"].added == 2
    assert report.counts["memberships"].added == 6
    amsterdam = Actor.objects.get(name="Amsterdam")
    assert (amsterdam.wikidata_id, amsterdam.other_ids["wikidata"]) == ("Q727", ["Q9899"])
    assert [m.merged for m in report.merges] == ["Q9899"]
    # Two Amsterdam-Montevideo pairs became one agreement; Amsterdam-Amsterdam became none.
    assert Agreement.objects.count() == 3
    categories = {n.category for n in report.notices}
    assert {
        "joined_edges",
        "twinned_with_itself",
        "no_country",
        "unresolved",
        "body",
        "node_body",
        "node_country",
    } <= categories
    assert Actor.objects.get(wikidata_id="Q80434").kind == ActorKind.REGION
    assert Actor.objects.get(wikidata_id="Q41211").country == "PR"  # GeoNames files San Juan under PR
    assert Actor.objects.get(name="Lyon Metropolis").kind == ActorKind.METROPOLITAN_BODY
    unresolved = Actor.objects.get(name="Qwxzville")
    assert unresolved.geonames_id is None and not unresolved.verified
    montevideo = Actor.objects.get(wikidata_id="Q1335")
    secretariat = Membership.objects.get(member=montevideo, network__slug="mercociudades")
    assert [(p.role, p.since) for p in secretariat.role_periods.all()] == [(Role.SECRETARIAT, "1995")]
    assert Actor.objects.get(slug="mercociudades").secretariat == montevideo


def test_changed_rows_update_their_records_and_bump_the_version(db, data_dir):
    reference_load(data_dir=data_dir)
    before = Actor.objects.get(wikidata_id="Q1335").version
    _replace(data_dir / "wikidata-sister-cities" / "nodes.csv", "1319108", "1400000")
    _replace(
        data_dir / "city-networks" / "memberships.csv",
        "Buenos Aires,AR,founder,1995",
        "Buenos Aires,AR,board,1996",
    )

    again = reference_load(data_dir=data_dir)

    assert again.counts["actors"].changed == 1
    assert again.counts["memberships"].changed == 1
    assert again.counts["agreements"].changed == 0
    montevideo = Actor.objects.get(wikidata_id="Q1335")
    assert (montevideo.population, montevideo.version) == (1400000, before + 1)
    buenos_aires = Membership.objects.get(reference_key="mercociudades/Buenos Aires/AR")
    assert buenos_aires.since == "1996" and buenos_aires.version == 2
    assert [(p.role, p.since) for p in buenos_aires.role_periods.all()] == [(Role.BOARD, "1996")]


def test_a_curators_correction_survives_a_reload(db, cast, data_dir):
    reference_load(data_dir=data_dir)
    montevideo = Actor.objects.get(wikidata_id="Q1335")
    services.record_update(
        user=cast.curator,
        record=montevideo,
        expected_version=montevideo.version,
        changes={"population": 1381000},
    )
    membership = Membership.objects.get(reference_key="mercociudades/Montevideo/UY")
    services.record_update(
        user=cast.curator, record=membership, expected_version=membership.version, changes={"since": "1994"}
    )
    agreement = Agreement.objects.get(reference_key="wikidata:Q1335-Q1486")
    services.record_update(
        user=cast.curator, record=agreement, expected_version=agreement.version, changes={"status": "active"}
    )
    _replace(data_dir / "wikidata-sister-cities" / "nodes.csv", "1319108", "1400000")

    again = reference_load(data_dir=data_dir)

    assert again.counts["actors"].left_alone == 1
    assert again.counts["memberships"].left_alone == 1
    assert again.counts["agreements"].left_alone == 1
    montevideo.refresh_from_db()
    membership.refresh_from_db()
    agreement.refresh_from_db()
    assert (montevideo.population, montevideo.origin) == (1381000, Origin.MANUAL)
    assert membership.since == "1994"
    assert agreement.status == "active"
    # The corrected actor still takes part in the twinning agreements.
    assert Agreement.objects.filter(parties=montevideo).count() == 2


def test_a_missing_column_fails_naming_file_row_and_column_and_writes_nothing(db, data_dir):
    memberships = data_dir / "city-networks" / "memberships.csv"
    _write(memberships, [[cell for i, cell in enumerate(row) if i != 4] for row in MEMBERSHIPS])  # no "role"

    with pytest.raises(ImportFailed) as failure:
        reference_load(data_dir=data_dir)

    [error] = failure.value.errors
    assert (error.file, error.row, error.column) == (str(memberships), 1, "role")
    assert not Actor.objects.exists()
    assert not Membership.objects.exists()
    assert not Agreement.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_a_bad_value_is_reported_with_its_row_and_column(db, data_dir):
    _replace(data_dir / "wikidata-sister-cities" / "nodes.csv", "52.383333333", "north")
    _replace(
        data_dir / "city-networks" / "memberships.csv",
        "eurocities,Eurocities,Amsterdam",
        "eurocitie,Eurocities,Amsterdam",
    )

    with pytest.raises(ImportFailed) as failure:
        reference_load(data_dir=data_dir)

    found = {(Path(e.file).name, e.row, e.column) for e in failure.value.errors}
    assert found == {("nodes.csv", 4, "lat"), ("memberships.csv", 5, "network_key")}
    assert not Actor.objects.exists()


def test_a_dry_run_reports_the_counts_and_writes_nothing(db, data_dir):
    report = reference_load(data_dir=data_dir, dry_run=True)

    assert report.counts["agreements"].added == 3
    assert not Actor.objects.exists()
    assert not Agreement.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.DRY_RUN


def test_without_a_city_networks_folder_the_seed_catalogue_is_loaded(db, tmp_path):
    report = reference_load(data_dir=tmp_path, only=["networks"])

    assert report.counts["networks"].added == 11
    assert Actor.objects.get(slug="al-las").acronym == "AL-LAs"


def test_twinning_without_its_folder_is_skipped_unless_asked_for(db, tmp_path):
    report = reference_load(data_dir=tmp_path)
    assert "twinning-nodes" not in report.steps
    assert [n.category for n in report.notices if n.category == "skipped"] == ["skipped"]
    assert Membership.objects.count() == 558

    with pytest.raises(ImportFailed) as failure:
        reference_load(data_dir=tmp_path, only=["twinning"])
    assert "wikidata-sister-cities" in str(failure.value)


def test_the_command_prints_a_summary_and_json(db, data_dir, capsys):
    call_command("load_reference", "--from", str(data_dir), "--only", "networks,memberships")
    summary = capsys.readouterr().out
    assert "left alone" in summary
    assert "memberships" in summary

    citydiplo_main(["load-reference", "--from", str(data_dir), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["memberships"] == {"added": 0, "changed": 0, "unchanged": 6, "left_alone": 0}
    assert report["counts"]["agreements"]["added"] == 3
