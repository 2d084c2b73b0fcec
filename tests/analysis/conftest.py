"""A small registry built with factories, the same every run: 30 cities on three continents, five
networks with overlapping members, role periods, themes, and twinning agreements. It is connected, so
the eigenvector reference of NetworkX is defined on all of it."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from citydiplo.registry.models import Actor, RolePeriod, Theme
from tests.factories import AgreementFactory, CityFactory, MembershipFactory, NetworkFactory

COUNTRIES = ["UY", "AR", "BR", "ES", "FR", "DE", "KE", "IN", "JP", "US"]


@dataclass
class SmallRegistry:
    cities: list[Actor]
    networks: list[Actor]
    memberships: set[tuple[int, int]]  # (city pk, network pk)
    twinnings: set[frozenset[int]]


@pytest.fixture
def small_registry(db: None) -> SmallRegistry:
    rng = random.Random(7)  # noqa: S311 (test data)
    cities = [
        CityFactory(
            name=f"City {i}",
            slug=f"city-{i}",
            country=COUNTRIES[i % len(COUNTRIES)],
            population=10_000 * (i + 1) ** 2,
        )
        for i in range(30)
    ]
    climate, culture, housing = (Theme.objects.get(key=k) for k in ("climate", "culture", "housing"))
    networks = [NetworkFactory(name=f"Network {j}", slug=f"network-{j}") for j in range(5)]
    for network, themes in zip(
        networks, [[climate], [climate], [climate, culture], [culture], [housing]], strict=True
    ):
        network.themes.set(themes)
    memberships: set[tuple[int, int]] = set()
    for j, network in enumerate(networks):
        for city in rng.sample(cities, 6 + 3 * j):
            membership = MembershipFactory(member=city, network=network)
            memberships.add((city.pk, network.pk))
            if rng.random() < 0.15:
                RolePeriod.objects.create(membership=membership, role="board", since="2020")
    RolePeriod.objects.create(
        membership=cities[0].memberships.first(), role="founder", since="1990", until="1991"
    )
    twinnings: set[frozenset[int]] = set()
    # A chain through every city makes the combined graph connected; a few random pairs add cycles.
    pairs = [(cities[i], cities[i + 1]) for i in range(len(cities) - 1)]
    pairs += [tuple(rng.sample(cities, 2)) for _ in range(15)]
    for a, b in pairs:
        if frozenset((a.pk, b.pk)) in twinnings:
            continue
        AgreementFactory(parties=[a, b])
        twinnings.add(frozenset((a.pk, b.pk)))
    return SmallRegistry(cities, networks, memberships, twinnings)


# The keys issue 7 names for `citydiplo analyze ecosystem --format json`, and so for the API too.
ISSUE_KEYS = {
    "networks": {"key", "name", "members"},
    "overlap": {"a", "b", "shared", "jaccard"},
    "places": {
        "id",
        "name",
        "country",
        "memberships",
        "twinning_degree",
        "betweenness",
        "eigenvector",
        "bridging",
    },
}


def assert_issue_keys(data: dict) -> None:
    for table, keys in ISSUE_KEYS.items():
        assert data[table], f"{table} is empty"
        assert all(keys <= row.keys() for row in data[table]), f"{table} lacks some of {sorted(keys)}"
