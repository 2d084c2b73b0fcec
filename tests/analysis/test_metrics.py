"""The ecosystem metrics against a reference computation with NetworkX (and plain Python sets for the
overlap), on a factory-built registry. Tolerances: 1e-9 absolute for betweenness (exact and sampled: the
same arithmetic in another order), 1e-6 for eigenvector centrality (two eigen-solvers); overlap, Jaccard,
degrees and counts exactly."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms.centrality.betweenness import _accumulate_basic, _single_source_shortest_path_basic

from citydiplo.analysis.graphs import combined_graph, snapshot_load
from citydiplo.analysis.metrics import ecosystem_compute, sample_sources
from tests.analysis.conftest import SmallRegistry
from tests.factories import AgreementFactory, MembershipFactory

BETWEENNESS_TOLERANCE = 1e-8  # relative
EIGENVECTOR_TOLERANCE = 1e-6


def reference_graph(registry: SmallRegistry) -> nx.Graph:
    """The combined graph rebuilt by hand from what the factories created, keyed by actor pk."""
    graph = nx.Graph()
    graph.add_edges_from(registry.memberships)
    graph.add_edges_from(tuple(pair) for pair in registry.twinnings)
    return graph


def by_id(result: dict) -> dict[int, dict]:
    return {p["id"]: p for p in result["places"]}


def test_overlap_and_jaccard_are_exact(small_registry: SmallRegistry) -> None:
    result = ecosystem_compute(snapshot_load(user=None))
    members = {
        n.slug: {c for c, net in small_registry.memberships if net == n.pk} for n in small_registry.networks
    }
    expected = {}
    for a, b in itertools.combinations(sorted(members), 2):
        shared = len(members[a] & members[b])
        if shared:
            expected[(a, b)] = (shared, len(members[a] & members[b]) / len(members[a] | members[b]))
    got = {tuple(sorted((o["a"], o["b"]))): (o["shared"], o["jaccard"]) for o in result["overlap"]}
    assert got.keys() == expected.keys()
    for pair, (shared, jaccard) in expected.items():
        assert got[pair][0] == shared
        assert got[pair][1] == pytest.approx(jaccard, abs=1e-6)  # rounded to 6 decimals in the output
    assert {n["key"]: n["members"] for n in result["networks"]} == {k: len(v) for k, v in members.items()}


def test_exact_betweenness_degree_and_eigenvector_agree_with_networkx(small_registry: SmallRegistry) -> None:
    result = ecosystem_compute(snapshot_load(user=None))
    assert result["summary"]["betweenness_method"] == "exact"
    graph = reference_graph(small_registry)
    assert nx.is_connected(graph)
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    eigen = nx.eigenvector_centrality_numpy(graph)
    top = max(eigen.values())
    places = by_id(result)
    assert set(places) == {c.pk for c in small_registry.cities}
    for pk, place in places.items():
        assert place["degree"] == graph.degree(pk)
        assert place["betweenness"] == pytest.approx(betweenness[pk], rel=BETWEENNESS_TOLERANCE, abs=1e-15)
        assert place["eigenvector"] == pytest.approx(eigen[pk] / top, abs=EIGENVECTOR_TOLERANCE)
        assert place["memberships"] == sum(1 for c, _ in small_registry.memberships if c == pk)
        assert place["twinning_degree"] == sum(1 for pair in small_registry.twinnings if pk in pair)


def test_sampled_betweenness_is_seeded_and_agrees_with_networkx_on_the_same_sources(
    small_registry: SmallRegistry,
) -> None:
    snapshot = snapshot_load(user=None)
    k = 8
    first = ecosystem_compute(snapshot, exact_max=0, k=k)
    second = ecosystem_compute(snapshot, exact_max=0, k=k)
    assert first["summary"]["betweenness_method"] == "sampled"
    assert first["summary"]["betweenness_sources"] == k
    assert [p["betweenness"] for p in first["places"]] == [p["betweenness"] for p in second["places"]]

    # NetworkX's own sampling loop (betweenness_centrality with k=...), fed the same source vertices.
    combined = combined_graph(snapshot)
    n = combined.graph.vcount()
    pk_of_vertex = snapshot.actor_ids[combined.actor_of_vertex]
    graph = reference_graph(small_registry)
    totals = dict.fromkeys(graph, 0.0)
    for vertex in sample_sources(n, k):
        s, p, sigma, _ = _single_source_shortest_path_basic(graph, int(pk_of_vertex[vertex]))
        totals, _ = _accumulate_basic(totals, s, p, sigma, int(pk_of_vertex[vertex]))
    scale = 0.5 * n / k / ((n - 1) * (n - 2) / 2)  # undirected halving, n/k, then normalisation
    for pk, place in by_id(first).items():
        assert place["betweenness"] == pytest.approx(totals[pk] * scale, rel=BETWEENNESS_TOLERANCE, abs=1e-15)


def test_bridging_is_one_minus_the_mean_jaccard_of_a_members_networks(small_registry: SmallRegistry) -> None:
    result = ecosystem_compute(snapshot_load(user=None))
    members = {
        n.pk: {c for c, net in small_registry.memberships if net == n.pk} for n in small_registry.networks
    }
    for pk, place in by_id(result).items():
        mine = [net for c, net in small_registry.memberships if c == pk]
        if len(mine) < 2:
            assert place["bridging"] == 0
            continue
        jaccards = [
            len(members[a] & members[b]) / len(members[a] | members[b])
            for a, b in itertools.combinations(mine, 2)
        ]
        assert place["bridging"] == pytest.approx(1 - sum(jaccards) / len(jaccards), abs=1e-6)


def test_leiden_communities_are_reproducible_and_a_real_partition(small_registry: SmallRegistry) -> None:
    snapshot = snapshot_load(user=None)
    runs = [[p["community"] for p in ecosystem_compute(snapshot)["places"]] for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    result = ecosystem_compute(snapshot)
    graph = reference_graph(small_registry)
    combined = combined_graph(snapshot)
    from citydiplo.analysis.metrics import communities

    labels = communities(combined.graph)
    pk_of_vertex = snapshot.actor_ids[combined.actor_of_vertex]
    groups: dict[int, set[int]] = {}
    for vertex, label in enumerate(labels):
        groups.setdefault(int(label), set()).add(int(pk_of_vertex[vertex]))
    assert nx.community.modularity(graph, groups.values()) > 0.2
    assert result["summary"]["communities"] == len(groups) > 1


def test_network_table_counts_regions_south_founders_board_and_fatigue(small_registry: SmallRegistry) -> None:
    result = ecosystem_compute(snapshot_load(user=None))
    networks = {n["key"]: n for n in result["networks"]}
    south = {"UY", "AR", "BR", "KE", "IN"}
    by_pk = {c.pk: c for c in small_registry.cities}
    climate_networks = {small_registry.networks[j].pk for j in (0, 1, 2)}
    for network in small_registry.networks:
        row = networks[network.slug]
        countries = [by_pk[c].country for c, n in small_registry.memberships if n == network.pk]
        assert row["countries"] == len(set(countries))
        assert row["global_south_share"] == pytest.approx(
            sum(c in south for c in countries) / len(countries), abs=1e-4
        )
        assert sum(row["regions"].values()) == len(countries)
    # Fatigue: members of all three climate networks are flagged in each of them.
    in_all = [c for c in by_pk if all((c, n) in small_registry.memberships for n in climate_networks)]
    assert networks["network-0"]["fatigue_members"] == len(in_all)
    founder = small_registry.cities[0].memberships.first()
    assert small_registry.cities[0].name in networks[founder.network.slug]["founders"]


def test_empty_registry_gives_empty_tables(db: None) -> None:
    result = ecosystem_compute(snapshot_load(user=None))
    assert result["networks"] == result["overlap"] == result["places"] == []
    assert np.isfinite(result["summary"]["vertices"])


def test_a_network_that_is_a_member_of_another_is_one_node_with_simple_ties(
    small_registry: SmallRegistry,
) -> None:
    inner, outer = small_registry.networks[0], small_registry.networks[1]
    MembershipFactory(member=inner, network=outer)
    AgreementFactory(parties=[inner, outer])  # the same pair once more, as a twinning
    snapshot = snapshot_load(user=None)
    graph = combined_graph(snapshot).graph
    assert graph.is_simple()
    assert graph.vcount() == len(small_registry.cities) + len(small_registry.networks)
    result = ecosystem_compute(snapshot)
    assert inner.slug not in {p["slug"] for p in result["places"]}  # networks are not listed as places
