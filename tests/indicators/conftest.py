from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from citydiplo.indicators import services
from citydiplo.indicators.models import Indicator


@pytest.fixture
def visits(cast) -> Indicator:
    """Office A's numeric indicator with two declared dimensions."""
    indicator = services.indicator_create(
        user=cast.owner,
        owner=cast.office_a,
        code="VIS-1",
        name="International visits received",
        unit="visits",
        dimensions=["partner_country", "sex"],
        is_key=True,
    )
    services.baseline_set(user=cast.owner, indicator=indicator, value=Decimal(10), date=dt.date(2020, 12, 31))
    services.target_set(user=cast.owner, indicator=indicator, value=Decimal(40), date=dt.date(2026, 12, 31))
    return indicator


@pytest.fixture
def maturity(cast) -> Indicator:
    return services.indicator_create(
        user=cast.owner,
        owner=cast.office_a,
        code="MAT-1",
        name="Strategy maturity",
        kind="qualitative_scale",
        scale=["none", "drafted", "approved"],
    )
