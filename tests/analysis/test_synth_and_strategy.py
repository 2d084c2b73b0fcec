"""The synthetic registry (labelled, exact counts, skewed) and the strategy-driven parts of a portfolio."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from citydiplo.accounts.records import Visibility
from citydiplo.analysis import selectors
from citydiplo.analysis.metrics import ecosystem_compute
from citydiplo.analysis.synth import synth_ecosystem
from citydiplo.registry.models import Actor, Agreement, Membership, Theme
from citydiplo.strategy.models import Axis, Objective, Strategy
from tests.conftest import Cast
from tests.factories import AgreementFactory, CityFactory, MembershipFactory, NetworkFactory


def test_synthetic_registry_has_the_requested_counts_and_a_heavy_tail() -> None:
    registry = synth_ecosystem(places=2_000, networks=40, memberships=12_000, twinnings=5_000, seed=1)
    assert len(registry.memberships) == 12_000
    assert len(np.unique(registry.memberships, axis=0)) == 12_000
    assert len(registry.twinnings) == 5_000 and (registry.twinnings[:, 0] < registry.twinnings[:, 1]).all()
    sizes = np.bincount(registry.memberships[:, 1])
    assert sizes.max() > 4 * np.median(sizes)  # a few very large networks, many small ones
    again = synth_ecosystem(places=2_000, networks=40, memberships=12_000, twinnings=5_000, seed=1)
    assert (again.memberships == registry.memberships).all()
    result = ecosystem_compute(registry.to_snapshot(), exact_max=0, k=64)
    assert result["summary"]["betweenness_method"] == "sampled"
    assert all(p["name"].startswith("SYNTH ") for p in result["places"])


def _synth_small() -> None:
    sizes = {"--places": 60, "--networks": 4, "--memberships": 90, "--twinnings": 40}
    call_command("synth", "ecosystem", *[str(x) for pair in sizes.items() for x in pair], stderr=StringIO())


def test_synth_command_writes_a_labelled_registry_once(db: None) -> None:
    _synth_small()
    actors = Actor.objects.filter(source="synthetic")
    assert actors.count() == 64 and not actors.exclude(name__startswith="SYNTH ").exists()
    assert Membership.objects.filter(source="synthetic").count() == 90
    assert Agreement.objects.filter(source="synthetic", kind="twinning").count() == 40
    with pytest.raises(CommandError, match="already holds a synthetic registry"):
        _synth_small()


@pytest.fixture
def office_strategy(cast: Cast) -> dict:
    montevideo = CityFactory(name="Montevideo", slug="montevideo-uy", country="UY")
    rosario = CityFactory(name="Rosario", slug="rosario-ar", country="AR")
    nairobi = CityFactory(name="Nairobi", slug="nairobi-ke", country="KE")
    mercociudades = NetworkFactory(name="Mercociudades", slug="mercociudades")
    climate = NetworkFactory(name="Climate net", slug="climate-net")
    climate.themes.set([Theme.objects.get(key="climate")])
    MembershipFactory(member=montevideo, network=mercociudades)
    MembershipFactory(member=rosario, network=mercociudades)
    MembershipFactory(member=rosario, network=climate)
    MembershipFactory(member=nairobi, network=climate)
    AgreementFactory(parties=[montevideo, rosario])
    cast.office_a.place = montevideo
    cast.office_a.save(update_fields=["place"])
    a = cast.office_a
    strategy = Strategy.objects.create(owner=a, title="Internationalisation 2025-2030")
    thematic = Axis.objects.create(
        owner=a, kind="thematic", name="Climate action", theme=Theme.objects.get(key="climate")
    )
    geographic = Axis.objects.create(owner=a, kind="geographic", name="Africa", region="africa")
    southern_cone = Axis.objects.create(owner=a, kind="geographic", name="Southern Cone", countries=["AR"])
    objective = Objective.objects.create(
        owner=a, strategy=strategy, family="knowledge", title="Learn on climate"
    )
    objective.axes.add(thematic)
    return {"montevideo": montevideo, "axes": (thematic, geographic, southern_cone), "objective": objective}


def test_gaps_against_strategy_axes_name_the_networks_that_would_cover_them(
    cast: Cast, office_strategy: dict
) -> None:
    gaps = {
        g.name: g
        for g in selectors.strategy_gaps(
            user=cast.viewer, organisation=cast.office_a, actor_id=office_strategy["montevideo"].pk
        )
    }
    assert gaps["Climate action"].gap and [o["key"] for o in gaps["Climate action"].options] == [
        "climate-net"
    ]
    assert gaps["Africa"].gap and gaps["Africa"].options[0]["key"] == "climate-net"  # Nairobi is a member
    assert not gaps["Southern Cone"].gap  # Rosario: a twinning partner and a fellow member
    # Office B sees none of office A's private axes.
    assert (
        selectors.strategy_gaps(
            user=cast.other_owner, organisation=cast.office_a, actor_id=office_strategy["montevideo"].pk
        )
        == []
    )


def test_suggestions_for_an_objective_use_its_thematic_axes(cast: Cast, office_strategy: dict) -> None:
    keys = selectors.objective_theme_keys(user=cast.editor, objective_id=office_strategy["objective"].pk)
    assert keys == ["climate"]
    found = selectors.partner_suggestions(
        user=cast.editor, actor_id=office_strategy["montevideo"].pk, theme_keys=keys
    )
    assert [s.path_text for s in found][-1] == "Montevideo → Rosario → Climate net → Nairobi"
    with pytest.raises(Objective.DoesNotExist):
        selectors.objective_theme_keys(user=cast.other_owner, objective_id=office_strategy["objective"].pk)


def test_portfolio_page_shows_gaps_peers_and_redundancy(client, cast: Cast, office_strategy: dict) -> None:
    client.force_login(cast.viewer)
    page = client.get("/analysis/portfolio/").content.decode()
    assert "Climate action" in page and "gap" in page and "Rosario" in page
    # The objective on climate gets its suggestions, with the path to Nairobi.
    assert "Learn on climate" in page and "Montevideo → Rosario → Climate net → Nairobi" in page
    api = client.get(
        f"/api/v1/analysis/places/montevideo-uy/suggestions?objective={office_strategy['objective'].pk}"
    )
    assert api.status_code == 200 and api.json()[-1]["path"][-1] == "Nairobi"


def test_private_axis_of_a_public_strategy_stays_private(cast: Cast, office_strategy: dict) -> None:
    Axis.objects.create(
        owner=cast.office_a, visibility=Visibility.PRIVATE, kind="thematic", name="Secret axis"
    )
    names = [
        g.name
        for g in selectors.strategy_gaps(
            user=cast.viewer, organisation=cast.office_a, actor_id=office_strategy["montevideo"].pk
        )
    ]
    assert "Secret axis" in names
