"""`citydiplo import memberships|agreements FILE`: whole files or nothing, every error named by file, row,
column and reason, and private records that stay private.

Cities resolve against the real GeoNames gazetteer (loaded once per test process).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import xlsxwriter
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from citydiplo.accounts.records import Origin, Visibility
from citydiplo.interchange.models import ImportRun
from citydiplo.interchange.services import import_file
from citydiplo.registry import services
from citydiplo.registry.models import Actor, ActorKind, Agreement, AgreementKind, Membership, RolePeriod
from tests.factories import AgreementFactory, CityFactory, MembershipFactory, NetworkFactory
from tests.places.shared_data import shared_data_file

MONTEVIDEO_GEONAMES_ID = 3441575


def registry_counts() -> dict[str, int]:
    """Rows in every registry table, join tables included: "nothing was written" means all equal."""
    models = apps.get_app_config("registry").get_models(include_auto_created=True)
    return {model._meta.db_table: model._default_manager.count() for model in models}


def write_csv(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.write_text(text.lstrip("\n"), encoding=encoding)
    return path


def run_import(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import", *args, stdout=out, stderr=StringIO(), verbosity=0)
    return out.getvalue()


@pytest.fixture
def networks(db: None) -> dict[str, Actor]:
    return {
        "mercociudades": NetworkFactory(name="Mercociudades", slug="mercociudades"),
        "c40": NetworkFactory(name="C40 Cities Climate Leadership Group", slug="c40", acronym="C40"),
    }


GOOD_MEMBERSHIPS = """
network,city,country,role,since,until,source
mercociudades,Montevideo,UY,founder,1995,,https://mercociudades.org
mercociudades,Rosario,Argentina,member,1995-03,,
Mercociudades,Porto Alegre,BR,board,1995,2020-11,
c40,Montevideo,URY,member,,,
"""


# --- memberships -------------------------------------------------------------------------------------


def test_good_memberships_file_imports_as_reference_facts(networks, tmp_path):
    path = write_csv(tmp_path / "memberships.csv", GOOD_MEMBERSHIPS)

    output = run_import("memberships", str(path))

    assert "memberships: 4 added" in output
    assert Membership.objects.count() == 4
    porto_alegre = Membership.objects.get(member__name="Porto Alegre", network=networks["mercociudades"])
    assert (porto_alegre.since, porto_alegre.until) == ("1995", "2020-11")
    assert porto_alegre.owner is None and porto_alegre.visibility == Visibility.PUBLIC
    assert porto_alegre.origin == Origin.IMPORT
    assert [(p.role, p.since, p.until) for p in porto_alegre.role_periods.all()] == [
        ("board", "1995", "2020-11")
    ]
    rosario = Membership.objects.get(member__name="Rosario")
    assert rosario.since == "1995-03" and rosario.member.country == "AR"
    assert rosario.source == "memberships.csv"  # no source given: the file is the source
    montevideo = Actor.objects.get(geonames_id=MONTEVIDEO_GEONAMES_ID)
    assert montevideo.memberships.count() == 2  # one place, whether written UY or URY
    assert RolePeriod.objects.filter(membership__member=montevideo, role="founder").exists()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.counts["memberships"] == {"added": 4}
    assert run.counts["places"] == {"added": 3}
    assert run.total_rows == run.processed_rows == 4


def test_existing_membership_is_reported_unchanged_not_an_error(networks, tmp_path):
    montevideo = CityFactory(name="Montevideo", country="UY", geonames_id=MONTEVIDEO_GEONAMES_ID)
    MembershipFactory(member=montevideo, network=networks["c40"], since="2010")
    path = write_csv(tmp_path / "memberships.csv", GOOD_MEMBERSHIPS)

    output = run_import("memberships", str(path))

    assert "memberships: 3 added, 1 unchanged" in output
    assert (
        Membership.objects.get(member=montevideo, network=networks["c40"]).since == "2010"
    )  # left as it was


def test_dry_run_reports_counts_and_writes_nothing(networks, tmp_path):
    path = write_csv(tmp_path / "memberships.csv", GOOD_MEMBERSHIPS)
    before = registry_counts()

    output = run_import("memberships", str(path), "--dry-run")

    assert "Dry run" in output and "memberships: 4 added" in output and "places: 3 added" in output
    assert registry_counts() == before
    assert ImportRun.objects.get().status == ImportRun.Status.DRY_RUN


def test_column_names_of_the_city_networks_file_are_accepted(networks, tmp_path):
    path = write_csv(
        tmp_path / "memberships.csv",
        """
network_key,network_name,city,country_iso2,role,since_year,source
c40,C40 Cities Climate Leadership Group,Rosario,AR,member,2018,https://www.c40.org/
""",
    )

    run_import("memberships", str(path))

    membership = Membership.objects.get()
    assert (membership.network, membership.member.name, membership.since) == (
        networks["c40"],
        "Rosario",
        "2018",
    )
    assert membership.source == "https://www.c40.org/"


def test_utf8_with_bom_and_semicolons_from_excel_is_read(networks, tmp_path):
    path = write_csv(
        tmp_path / "excel.csv",
        "Network;City;Country;Role\nmercociudades;São Paulo;Brasil;member\n",
        encoding="utf-8-sig",
    )

    run_import("memberships", str(path))

    assert Membership.objects.get().member.name == "São Paulo"


def test_xlsx_file_imports_with_typed_cells(networks, tmp_path):
    path = tmp_path / "memberships.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["network", "city", "country", "role", "since"])
    sheet.write_row(1, 0, ["mercociudades", "Montevideo", "UY", "founder"])
    sheet.write_number(1, 4, 1995)  # a number cell, read back as 1995.0
    sheet.write_row(2, 0, ["c40", "Rosario", "AR", "member", "2018-05"])
    workbook.close()

    output = run_import("memberships", str(path))

    assert "memberships: 2 added" in output
    assert Membership.objects.get(member__name="Montevideo").since == "1995"
    assert Membership.objects.get(member__name="Rosario").since == "2018-05"


def test_ambiguous_city_is_resolved_by_an_admin1_column(networks, tmp_path):
    path = write_csv(tmp_path / "m.csv", "network,city,country,admin1\nc40,Portland,US,OR\n")

    run_import("memberships", str(path))

    assert Membership.objects.get().member.admin_area == "OR"


def test_create_missing_adds_a_reference_network_once(db, tmp_path):
    path = write_csv(
        tmp_path / "m.csv",
        """
network_key,network_name,city,country_iso2
u20,Urban 20,Montevideo,UY
u20,Urban 20,Rosario,AR
""",
    )
    with pytest.raises(CommandError, match=r"row 2, column 'network': Network 'u20' is not in the catalogue"):
        run_import("memberships", str(path))

    output = run_import("memberships", str(path), "--create-missing")

    network = Actor.objects.get(kind=ActorKind.NETWORK)
    assert (network.name, network.slug, network.owner, network.origin) == (
        "Urban 20",
        "u20",
        None,
        Origin.IMPORT,
    )
    assert "networks: 1 added" in output
    assert network.network_memberships.count() == 2


# --- every malformed case: non-zero exit, every error named, nothing written ---------------------------

MALFORMED = {
    "unknown_country": (
        "network,city,country\nc40,Montevideo,Narnia\n",
        [("row 2, column 'country'", "Unknown country 'Narnia'")],
    ),
    "bad_date": (
        "network,city,country,since\nc40,Montevideo,UY,1995-13\n",
        [("row 2, column 'since'", "month 13 does not exist")],
    ),
    "until_before_since": (
        "network,city,country,since,until\nc40,Montevideo,UY,2000,1999\n",
        [("row 2, column 'until'", "1999 is before 2000")],
    ),
    "missing_column": (
        "network,city\nc40,Montevideo\n",
        [("row 1, column 'country'", "Missing required column country (also accepted: country_iso2")],
    ),
    "duplicate_row": (
        "network,city,country\nc40,Montevideo,UY\nmercociudades,Rosario,AR\nC40,montevideo,uy\n",
        [("row 4, column 'city'", "Rows 2 and 4 are the same membership")],
    ),
    "duplicate_by_place": (
        "network,city,country\nmercociudades,Sevilla,ES\nmercociudades,Seville,Spain\n",
        [("row 3, column 'city'", "Rows 2 and 3 are the same membership")],
    ),
    "unknown_network": (
        "network,city,country\nnot-a-network,Montevideo,UY\n",
        [("row 2, column 'network'", "Network 'not-a-network' is not in the catalogue")],
    ),
    "unknown_role": (
        "network,city,country,role\nc40,Montevideo,UY,chair\n",
        [("row 2, column 'role'", "Unknown role 'chair'; allowed: member, founder, board, co-president")],
    ),
    "ambiguous_city": (
        "network,city,country\nc40,Portland,US\n",
        [
            ("row 2, column 'city'", "'Portland' (US) is ambiguous: Portland (US-OR"),
            ("", "Add an admin1 column"),
        ],
    ),
    "city_not_in_gazetteer": (
        "network,city,country\nc40,Atlantis Nowhere,UY\n",
        [("row 2, column 'city'", "not found in the gazetteer")],
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_memberships_exit_nonzero_name_every_error_and_write_nothing(case, networks, tmp_path):
    content, expected = MALFORMED[case]
    path = write_csv(tmp_path / f"{case}.csv", content)
    before = registry_counts()

    with pytest.raises(CommandError) as raised:
        run_import("memberships", str(path))

    message = str(raised.value)
    for where, reason in expected:
        assert f"{case}.csv, {where}" in message if where else True
        assert reason in message
    assert "nothing was written" in message
    assert registry_counts() == before
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and run.errors


def test_all_errors_of_a_file_are_reported_not_just_the_first(networks, tmp_path):
    path = write_csv(
        tmp_path / "many.csv",
        """
network,city,country,role,since
c40,Montevideo,UY,member,1995
c40,Rosario,Narnia,member,1995
nowhere,Salto,UY,member,1995
c40,Salto,UY,chair,1995
c40,Córdoba,AR,member,soon
""",
    )
    before = registry_counts()

    with pytest.raises(CommandError) as raised:
        run_import("memberships", str(path))

    message = str(raised.value)
    for where in (
        "row 3, column 'country'",
        "row 4, column 'network'",
        "row 5, column 'role'",
        "row 6, column 'since'",
    ):
        assert f"many.csv, {where}" in message
    assert "row 2" not in message
    assert "4 error(s)" in message
    assert registry_counts() == before
    assert [e["row"] for e in ImportRun.objects.get().errors] == [3, 4, 5, 6]


def test_a_row_refused_while_writing_rolls_back_every_row(networks, tmp_path, monkeypatch):
    """Validation catches what it can; should a service still refuse a row, the earlier rows go too."""
    from citydiplo.registry import services as registry_services

    original = registry_services.membership_create

    def refuse_rosario(**kwargs):
        if kwargs["member"].name == "Rosario":
            from django.core.exceptions import ValidationError

            raise ValidationError("refused for the test")
        return original(**kwargs)

    monkeypatch.setattr(registry_services, "membership_create", refuse_rosario)
    path = write_csv(tmp_path / "memberships.csv", GOOD_MEMBERSHIPS)
    before = registry_counts()

    with pytest.raises(CommandError, match=r"memberships.csv, row 3: refused for the test"):
        run_import("memberships", str(path))

    assert registry_counts() == before


# --- organisations' records ----------------------------------------------------------------------------


def test_org_import_makes_private_records_invisible_to_another_organisation(cast, networks, tmp_path):
    path = write_csv(tmp_path / "ours.csv", "network,city,country,role\nc40,Rosario,AR,board\n")

    run_import("memberships", str(path), "--org", "montevideo-office", "--user", "eduardo")

    membership = Membership.objects.get()
    assert membership.owner == cast.office_a and membership.visibility == Visibility.PRIVATE
    assert membership.origin == Origin.IMPORT and membership.created_by == cast.editor
    assert Membership.objects.visible_to(cast.viewer).filter(pk=membership.pk).exists()
    assert not Membership.objects.visible_to(cast.other_owner).filter(pk=membership.pk).exists()
    assert not Membership.objects.visible_to(None).filter(pk=membership.pk).exists()
    # The place itself is a shared fact, visible to everyone.
    assert Actor.objects.visible_to(cast.other_owner).filter(pk=membership.member_id).exists()
    assert ImportRun.objects.get().organisation == cast.office_a


def test_org_import_can_be_public(cast, networks, tmp_path):
    path = write_csv(tmp_path / "ours.csv", "network,city,country\nc40,Rosario,AR\n")

    run_import(
        "memberships", str(path), "--org", "montevideo-office", "--user", "ana", "--visibility", "public"
    )

    assert Membership.objects.visible_to(cast.other_owner).count() == 1


def test_viewer_and_outsider_cannot_import_for_the_organisation(cast, networks, tmp_path):
    path = write_csv(tmp_path / "ours.csv", "network,city,country\nc40,Rosario,AR\n")
    before = registry_counts()

    for username in ("valeria", "olga", "bruno"):
        with pytest.raises(CommandError, match="owner or editor"):
            run_import("memberships", str(path), "--org", "montevideo-office", "--user", username)
    with pytest.raises(PermissionDenied):
        import_file(
            kind="memberships",
            source=path,
            file_name="ours.csv",
            user=cast.viewer,
            organisation=cast.office_a,
        )

    assert registry_counts() == before
    assert not ImportRun.objects.exists()


def test_org_import_needs_a_user(cast, networks, tmp_path):
    path = write_csv(tmp_path / "ours.csv", "network,city,country\nc40,Rosario,AR\n")
    with pytest.raises(CommandError, match="--user is required with --org"):
        run_import("memberships", str(path), "--org", "montevideo-office")


def test_only_curators_import_reference_facts_as_a_user(cast, networks, tmp_path):
    path = write_csv(tmp_path / "ref.csv", "network,city,country\nc40,Rosario,AR\n")
    with pytest.raises(CommandError, match="curators"):
        run_import("memberships", str(path), "--user", "eduardo")

    run_import("memberships", str(path), "--user", "carla")

    assert Membership.objects.get().created_by == cast.curator


def test_an_existing_reference_membership_does_not_stop_an_office_recording_its_own(cast, networks, tmp_path):
    rosario = CityFactory(name="Rosario", country="AR")
    MembershipFactory(member=rosario, network=networks["c40"])
    path = write_csv(tmp_path / "ours.csv", "network,city,country\nc40,Rosario,AR\n")

    output = run_import("memberships", str(path), "--org", "montevideo-office", "--user", "ana")

    assert "memberships: 1 added" in output
    assert Membership.objects.filter(member=rosario).count() == 2


# --- agreements -------------------------------------------------------------------------------------


def test_agreements_file_imports(db, tmp_path):
    path = write_csv(
        tmp_path / "agreements.csv",
        """
kind,city_a,country_a,city_b,country_b,signed,ended,title
twinning,Montevideo,UY,Rosario,AR,1990,,
sister city,Córdoba,Argentina,Valencia,ES,2001-04,2015,Córdoba–Valencia
mou,Salto,UY,Santa Fe,AR,,,
""",
    )

    output = run_import("agreements", str(path))

    assert "agreements: 3 added" in output
    twinning = Agreement.objects.get(kind=AgreementKind.TWINNING, title="Córdoba–Valencia")
    assert (twinning.signed, twinning.ended, twinning.status) == ("2001-04", "2015", "ended")
    assert twinning.owner is None and twinning.origin == Origin.IMPORT
    first = Agreement.objects.get(signed="1990")
    assert sorted(first.parties.values_list("name", flat=True)) == ["Montevideo", "Rosario"]
    assert first.status == "unknown"


def test_existing_agreement_is_unchanged_and_reversed_duplicate_is_an_error(db, tmp_path):
    montevideo = CityFactory(name="Montevideo", country="UY", geonames_id=MONTEVIDEO_GEONAMES_ID)
    rosario = CityFactory(name="Rosario", country="AR")
    AgreementFactory(kind=AgreementKind.TWINNING, parties=[montevideo, rosario])
    ok = write_csv(
        tmp_path / "ok.csv", "kind,city_a,country_a,city_b,country_b\ntwinning,Rosario,AR,Montevideo,UY\n"
    )
    assert "agreements: 1 unchanged" in run_import("agreements", str(ok))

    dup = write_csv(
        tmp_path / "dup.csv",
        "kind,city_a,country_a,city_b,country_b\nfriendship,Montevideo,UY,Salto,UY\nfriendship,Salto,UY,Montevideo,UY\n",
    )
    before = registry_counts()
    with pytest.raises(
        CommandError, match=r"dup.csv, row 3, column 'city_b': Rows 2 and 3 are the same friendship"
    ):
        run_import("agreements", str(dup))
    assert registry_counts() == before


@pytest.mark.parametrize(
    ("content", "where", "reason"),
    [
        (
            "kind,city_a,country_a,city_b,country_b\nalliance,Montevideo,UY,Rosario,AR\n",
            "row 2, column 'kind'",
            "Unknown kind 'alliance'; allowed: twinning, friendship, cooperation, mou",
        ),
        (
            "kind,city_a,country_a,city_b\ntwinning,Montevideo,UY,Rosario\n",
            "row 1, column 'country_b'",
            "Missing required column country_b",
        ),
        (
            "kind,city_a,country_a,city_b,country_b,signed\ntwinning,Montevideo,UY,Rosario,AR,1990-02-30\n",
            "row 2, column 'signed'",
            "that day does not exist",
        ),
        (
            "kind,city_a,country_a,city_b,country_b\ntwinning,Montevideo,UY,Montevideo,URY\n",
            "row 2, column 'city_b'",
            "Both parties are the same place",
        ),
        (
            "kind,city_a,country_a,city_b,country_b\ntwinning,Montevideo,UY,Portland,US\n",
            "row 2, column 'city_b'",
            "ambiguous",
        ),
    ],
)
def test_malformed_agreements_exit_nonzero_and_write_nothing(db, tmp_path, content, where, reason):
    path = write_csv(tmp_path / "a.csv", content)
    before = registry_counts()

    with pytest.raises(CommandError) as raised:
        run_import("agreements", str(path))

    assert f"a.csv, {where}" in str(raised.value) and reason in str(raised.value)
    assert registry_counts() == before


def test_org_agreements_are_private_to_the_organisation(cast, tmp_path):
    path = write_csv(
        tmp_path / "ours.csv",
        "kind,city_a,country_a,city_b,country_b\ncooperation,Montevideo,UY,Rosario,AR\n",
    )

    run_import("agreements", str(path), "--org", "montevideo-office", "--user", "eduardo")

    agreement = Agreement.objects.get()
    assert agreement.owner == cast.office_a and agreement.visibility == Visibility.PRIVATE
    assert not Agreement.objects.visible_to(cast.other_owner).filter(pk=agreement.pk).exists()


def test_unsupported_file_type_is_refused(db, tmp_path):
    path = write_csv(tmp_path / "memberships.txt", "network,city,country\n")
    with pytest.raises(CommandError, match=r"Only \.csv and \.xlsx files"):
        run_import("memberships", str(path))


# --- the real city-networks file -------------------------------------------------------------------


def test_real_city_networks_file_reports_the_rows_to_fix_then_imports_the_rest(db, tmp_path):
    real_memberships = shared_data_file("city-networks/memberships.csv")
    before = registry_counts()
    with pytest.raises(CommandError) as raised:
        run_import("memberships", str(real_memberships), "--create-missing")
    message = str(raised.value)
    # The file itself says Río Grande's country is unknown, and Portland needs its state.
    assert "memberships.csv, row 552, column 'country': A value is required." in message
    assert "memberships.csv, row 26, column 'city': 'Portland' (US) is ambiguous" in message
    assert registry_counts() == before
    bad_rows = {e["row"] for e in ImportRun.objects.get().errors}
    assert 20 < len(bad_rows) < 80

    # The rows the importer accepts land whole, with their networks.
    with real_memberships.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    kept = [rows[0]] + [r for number, r in enumerate(rows[1:], start=2) if number not in bad_rows]
    clean = tmp_path / "memberships-clean.csv"
    with clean.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(kept)

    output = run_import("memberships", str(clean), "--create-missing")

    assert f"memberships: {len(kept) - 1} added" in output
    assert Membership.objects.count() == len(kept) - 1
    assert Actor.objects.filter(kind=ActorKind.NETWORK).count() == 10
    freetown = Membership.objects.get(network__slug="c40", member__name="Freetown")
    assert freetown.role_periods.get().role == "co-president"


def test_an_import_is_one_run_in_the_history_not_a_row_per_line(networks, tmp_path):
    from citydiplo.interchange.models import ImportRun

    path = write_csv(tmp_path / "memberships.csv", GOOD_MEMBERSHIPS)
    actors_before = Actor.history.count()

    run_import("memberships", str(path))

    assert Membership.objects.count() == 4
    assert Membership.history.count() == 0
    assert Actor.history.count() == actors_before  # the places the import added: no row each either
    assert ImportRun.objects.filter(kind="memberships", status="succeeded").count() == 1
    # An edit made afterwards by hand is recorded as usual.
    membership = Membership.objects.first()
    services.record_update(
        user=None, record=membership, expected_version=membership.version, changes={}, origin="reference_load"
    )
    assert Membership.history.count() == 1
