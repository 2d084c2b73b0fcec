"""The ecosystem pages and API on a small registry: what a reader sees on each page."""

from __future__ import annotations

import json

import pytest

from citydiplo.analysis.models import EcosystemRun, RunStatus
from citydiplo.analysis.services import INLINE_MAX_RELATIONS
from tests.analysis.conftest import SmallRegistry, assert_issue_keys


def test_overview_ranks_places_and_networks_for_an_anonymous_reader(
    client, small_registry: SmallRegistry
) -> None:
    page = client.get("/analysis/").content.decode()
    assert "Brokers: highest betweenness" in page and "Network 4" in page
    assert EcosystemRun.objects.get().status == RunStatus.DONE  # computed once, then read back
    client.get("/analysis/overlap/")
    assert EcosystemRun.objects.count() == 1


def test_heatmap_spec_has_a_cell_per_pair(client, small_registry: SmallRegistry) -> None:
    response = client.get("/analysis/overlap/")
    spec = response.context["heatmap"]
    assert len(spec["data"]["values"]) == 25  # five networks
    assert spec["usermeta"]["embedOptions"]["tooltip"]["disableDefaultStyle"] is True


def test_graph_filters_narrow_the_nodes(client, small_registry: SmallRegistry) -> None:
    everything = client.get("/analysis/graph/").context["graph_data"]
    assert len(everything["nodes"]) == 35
    one = client.get("/analysis/graph/?network=network-0").context["graph_data"]
    assert {n["kind"] for n in one["nodes"]} == {"network", "place"}
    assert sum(n["kind"] == "network" for n in one["nodes"]) == 1
    assert len(one["nodes"]) == 1 + 6  # the network and its six members
    housing = client.get("/analysis/graph/?theme=housing").context["graph_data"]
    assert [n["label"] for n in housing["nodes"] if n["kind"] == "network"] == ["Network 4"]
    latin = client.get("/analysis/graph/?region=latin_america").context["graph_data"]
    assert {n["country"] for n in latin["nodes"] if n["kind"] == "place"} == {"UY", "AR", "BR"}


def test_large_registry_offers_a_run_instead_of_computing_in_the_request(
    client, small_registry: SmallRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("citydiplo.analysis.services.INLINE_MAX_RELATIONS", 10)
    page = client.get("/analysis/").content.decode()
    assert "has not been computed yet" in page and "Log in to compute it." in page
    assert not EcosystemRun.objects.exists()
    assert INLINE_MAX_RELATIONS >= 1000


def test_api_ecosystem_has_the_cli_keys(client, small_registry: SmallRegistry) -> None:
    data = client.get("/api/v1/analysis/ecosystem").json()
    assert_issue_keys(data)
    network = client.get("/api/v1/analysis/networks/network-0").json()
    assert network["metrics"]["members"] == len(network["members"]) == 6
    assert client.get("/api/v1/analysis/networks/city-0").status_code == 404  # a city is not a network
    assert client.get("/api/v1/analysis/places/city-0/suggestions").status_code == 422
    assert (
        json.loads(client.get("/api/v1/analysis/places/city-0").content)["metrics"]["id"]
        == small_registry.cities[0].pk
    )


def test_downloads_are_the_cli_tables(client, small_registry: SmallRegistry) -> None:
    response = client.get("/analysis/download/places.csv")
    assert response["Content-Disposition"] == 'attachment; filename="citydiplo-places.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("id,slug,name,country") and len(lines) == 1 + len(small_registry.cities)
    assert_issue_keys(client.get("/analysis/download/ecosystem.json").json())
    assert client.get("/analysis/download/secrets.txt").status_code == 404
