"""Query values the fuzzing found answered with a server error, now refused as invalid input (422)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/events?year=237737556",  # the date lookup overflowed (every database)
        "/api/v1/agreements?year=99999",
        "/api/v1/actors?offset=87302376665618333696",  # past a bigint: PostgreSQL refused the OFFSET
    ],
)
def test_out_of_range_filters_are_refused_as_invalid_input(db: None, query: str) -> None:
    response = Client().get(query)
    assert response.status_code == 422
    assert set(response.json()["errors"]) & {"year", "offset"}


def test_years_and_offsets_in_range_still_work(db: None) -> None:
    assert Client().get("/api/v1/events?year=2023&offset=0").status_code == 200
    assert Client().get("/api/v1/agreements?year=1995&offset=1000000").json()["items"] == []
