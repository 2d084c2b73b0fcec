"""Fixtures of the strategy tests: the SDG catalogue loaded from the shared reference data, and a strategy
of office A (Montevideo) with one objective."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from citydiplo.interchange.reference import reference_load
from citydiplo.strategy import services
from citydiplo.strategy.models import ObjectiveFamily, Strategy
from tests.places.shared_data import shared_data_file


@pytest.fixture
def sdg_data_dir() -> Path:
    """The shared data folder holding sdg/ (fails under CI=true when missing, skips elsewhere)."""
    marker = shared_data_file("sdg/un-framework-2025/sdg_indicators_2025.csv")
    return marker.parents[2]


@pytest.fixture
def sdg_catalogue(db: None, sdg_data_dir: Path) -> Any:
    return reference_load(data_dir=sdg_data_dir, only=["sdg"])


@pytest.fixture
def strategy(cast: Any) -> Strategy:
    strategy = services.strategy_create(
        user=cast.owner,
        owner=cast.office_a,
        title="PRIVATE-A-strategy Montevideo international strategy 2025-2030",
        horizon_start=dt.date(2025, 1, 1),
        horizon_end=dt.date(2030, 12, 31),
        vision="A city open to the world",
        thesis="Join two climate networks",
        thesis_start=dt.date(2025, 3, 1),
        thesis_end=dt.date(2026, 6, 30),
    )
    services.objective_create(
        user=cast.owner,
        strategy=strategy,
        family=ObjectiveFamily.KNOWLEDGE,
        title="Learn from peers on water",
    )
    return strategy
