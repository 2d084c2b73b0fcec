"""Who sees what in an analysis, stored runs per scope, peers and partner suggestions, and the CLI."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from citydiplo.accounts.records import Visibility
from citydiplo.analysis import selectors, services
from citydiplo.analysis.models import EcosystemRun, RunStatus
from citydiplo.registry import services as registry_services
from citydiplo.registry.models import Theme
from tests.analysis.conftest import assert_issue_keys
from tests.conftest import Cast
from tests.factories import AgreementFactory, CityFactory, MembershipFactory, NetworkFactory


@pytest.fixture
def region(cast: Cast) -> dict:
    """Montevideo and Rosario in Mercociudades; Rosario also in a climate network with Quito; office A
    privately records its own actor as a member of Mercociudades."""
    montevideo = CityFactory(name="Montevideo", slug="montevideo-uy", country="UY", population=1_300_000)
    rosario = CityFactory(name="Rosario", slug="rosario-ar", country="AR", population=1_200_000)
    quito = CityFactory(name="Quito", slug="quito-ec", country="EC", population=1_800_000)
    mercociudades = NetworkFactory(name="Mercociudades", slug="mercociudades")
    climate = NetworkFactory(name="Climate net", slug="climate-net")
    climate.themes.set([Theme.objects.get(key="climate")])
    MembershipFactory(member=montevideo, network=mercociudades)
    MembershipFactory(member=rosario, network=mercociudades)
    MembershipFactory(member=rosario, network=climate)
    MembershipFactory(member=quito, network=climate)
    AgreementFactory(parties=[montevideo, quito], title="ended twinning", status="ended")
    private = registry_services.actor_create(
        user=cast.editor,
        owner=cast.office_a,
        name="PRIVATE-A-actor",
        kind="company",
        slug="zq-a",
        country="UY",
    )
    registry_services.membership_create(
        user=cast.editor, owner=cast.office_a, member=private, network=mercociudades
    )
    cast.office_a.place = montevideo
    cast.office_a.save(update_fields=["place"])
    return {"montevideo": montevideo, "rosario": rosario, "quito": quito, "private": private}


def names(result: dict) -> set[str]:
    return {p["name"] for p in result["places"]}


def test_private_membership_counts_only_in_its_offices_analysis(cast: Cast, region: dict) -> None:
    own = services.ecosystem_compute_for(user=cast.viewer)
    other = services.ecosystem_compute_for(user=cast.other_owner)
    anonymous = services.ecosystem_compute_for(user=None)
    assert "PRIVATE-A-actor" in names(own)
    assert "PRIVATE-A-actor" not in names(other) | names(anonymous)
    members = {n["key"]: n["members"] for n in own["networks"]}
    assert members["mercociudades"] == 3
    assert {n["key"]: n["members"] for n in anonymous["networks"]}["mercociudades"] == 2
    # The ended twinning is not a current relation.
    assert next(p for p in anonymous["places"] if p["name"] == "Quito")["twinning_degree"] == 0


def test_stored_result_is_read_back_only_for_the_same_scope(cast: Cast, region: dict) -> None:
    state = services.ecosystem_ensure(user=cast.owner)
    assert state.result is not None and "PRIVATE-A-actor" in names(state.result)
    assert EcosystemRun.objects.get().scope == f"orgs:{cast.office_a.pk}"
    other = services.ecosystem_ensure(user=cast.other_owner)
    assert "PRIVATE-A-actor" not in names(other.result)
    assert EcosystemRun.objects.count() == 2
    # A second page view reuses the stored result; a change in the registry makes it stale.
    assert services.ecosystem_ensure(user=cast.owner).run.pk == state.run.pk
    MembershipFactory(member=region["quito"], network=NetworkFactory(slug="new-net"))
    fresh = selectors.ecosystem_state(user=cast.owner)
    assert fresh.stale


def test_a_run_requested_from_the_page_is_computed_by_the_task(
    cast: Cast, region: dict, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
    with django_capture_on_commit_callbacks(execute=True):
        run = services.ecosystem_run_request(user=cast.editor)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100
    assert "PRIVATE-A-actor" in names(run.result)
    with pytest.raises(EcosystemRun.DoesNotExist):
        selectors.run_get(user=cast.other_owner, pk=run.pk)


def test_peers_and_suggestions_with_the_connecting_path(cast: Cast, region: dict) -> None:
    peers = selectors.peers_of(user=None, actor_id=region["montevideo"].pk)
    assert peers[0].name == "Rosario"
    assert peers[0].their_networks == [{"key": "climate-net", "name": "Climate net"}]
    suggestions = selectors.partner_suggestions(
        user=None, actor_id=region["montevideo"].pk, theme_keys=["climate"]
    )
    # Rosario works on climate through its network and is a fellow member of Mercociudades (2 steps);
    # Quito is 4 steps away. Closer and more similar first.
    assert [(s.name, s.hops, s.path_text) for s in suggestions] == [
        ("Rosario", 2, "Montevideo → Mercociudades → Rosario"),
        ("Quito", 4, "Montevideo → Mercociudades → Rosario → Climate net → Quito"),
    ]
    # Nobody else is on housing: no suggestion rather than an unrelated one.
    assert (
        selectors.partner_suggestions(user=None, actor_id=region["montevideo"].pk, theme_keys=["housing"])
        == []
    )


def test_redundancy_lists_networks_sharing_a_theme(cast: Cast, region: dict) -> None:
    second = NetworkFactory(name="Climate two", slug="climate-two")
    second.themes.set([Theme.objects.get(key="climate")])
    MembershipFactory(member=region["rosario"], network=second)
    MembershipFactory(member=region["quito"], network=second)
    found = selectors.portfolio_redundancy(user=None, actor_id=region["rosario"].pk)
    assert [(r.theme_key, sorted(n["key"] for n in r.networks), r.shared_members) for r in found] == [
        ("climate", ["climate-net", "climate-two"], 1)
    ]


def test_cli_json_has_the_documented_keys(cast: Cast, region: dict) -> None:
    out = StringIO()
    call_command("analyze", "ecosystem", "--format", "json", stdout=out, stderr=StringIO())
    data = json.loads(out.getvalue())
    assert_issue_keys(data)
    assert "PRIVATE-A-actor" not in out.getvalue()
    out = StringIO()
    call_command("analyze", "ecosystem", "--org", cast.office_a.slug, stdout=out, stderr=StringIO())
    assert "PRIVATE-A-actor" in out.getvalue()


def test_cli_csv_writes_three_tables(cast: Cast, region: dict, tmp_path: Path) -> None:
    call_command("analyze", "ecosystem", "--format", "csv", "--output", str(tmp_path), stderr=StringIO())
    with (tmp_path / "places.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert {r["name"] for r in rows} == {"Montevideo", "Rosario", "Quito"}
    assert (tmp_path / "overlap.csv").read_text().startswith("a,b,shared,jaccard\n")
    with pytest.raises(CommandError, match="must be a directory"):
        call_command(
            "analyze", "ecosystem", "--format", "csv", "--output", str(tmp_path / "x.csv"), stderr=StringIO()
        )


def test_cli_errors_name_what_is_wrong(cast: Cast, region: dict) -> None:
    with pytest.raises(CommandError, match="--org nowhere: no organisation"):
        call_command("analyze", "ecosystem", "--org", "nowhere")
    with pytest.raises(CommandError, match="unknown theme"):
        call_command("analyze", "suggest", "--org", cast.office_a.slug, "--theme", "nonsense")
    out = StringIO()
    call_command("analyze", "suggest", "--org", cast.office_a.slug, "--theme", "climate", stdout=out)
    assert "Montevideo → Mercociudades → Rosario → Climate net → Quito" in out.getvalue()
    with pytest.raises(CommandError, match="not visible"):
        call_command("analyze", "place", "zq-a")
    out = StringIO()
    call_command("analyze", "place", "zq-a", "--org", cast.office_a.slug, stdout=out)
    assert json.loads(out.getvalue())["name"] == "PRIVATE-A-actor"


def test_public_record_of_office_b_is_seen_by_everyone(cast: Cast, region: dict) -> None:
    public = registry_services.actor_create(
        user=cast.other_owner,
        owner=cast.office_b,
        name="Public B city",
        kind="municipality",
        slug="pub-b",
        visibility=Visibility.PUBLIC,
    )
    AgreementFactory(parties=[public, region["rosario"]])
    assert "Public B city" in names(services.ecosystem_compute_for(user=None))
