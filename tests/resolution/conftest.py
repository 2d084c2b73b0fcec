"""Fixtures for the place resolution tests: the real GeoNames gazetteer (from its disk cache after the
first run on a machine) and a resolver on it without aliases or registry."""

from __future__ import annotations

import pytest

from citydiplo.registry.places.gazetteer import Gazetteer, gazetteer
from citydiplo.registry.resolution.engine import PlaceResolver


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return gazetteer(1000)


@pytest.fixture(scope="session")
def resolver(gaz: Gazetteer) -> PlaceResolver:
    return PlaceResolver(gaz=gaz)
