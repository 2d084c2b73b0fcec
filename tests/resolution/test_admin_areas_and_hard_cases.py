"""Admin area reading, and the hand-written hard cases of bench/data/hard_cases.csv as regression tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from citydiplo.registry.places.gazetteer import Gazetteer
from citydiplo.registry.resolution.admin_areas import SEATS, AdminAreas
from citydiplo.registry.resolution.engine import AMBIGUOUS, RESOLVED, PlaceQuery, PlaceResolver

HARD_CASES = Path(__file__).resolve().parents[2] / "bench" / "data" / "hard_cases.csv"


@pytest.fixture(scope="module")
def areas(gaz: Gazetteer) -> AdminAreas:
    return AdminAreas(gaz)


@pytest.mark.parametrize("country", sorted(SEATS))
def test_every_seat_gives_its_own_geonames_code(areas: AdminAreas, country: str) -> None:
    """One distinct GeoNames admin1 code per subdivision: a wrong seat would collide or be missing."""
    mapping = areas.iso_to_geonames(country)
    assert set(mapping) == set(SEATS[country])
    assert len(set(mapping.values())) == len(mapping), mapping
    assert set(mapping.values()) <= areas.codes_in(country)


@pytest.mark.parametrize(
    ("text", "country", "code"),
    [
        ("Hessen", "DE", "05"),
        ("hesse", "DE", "05"),
        ("DE-HE", "DE", "05"),
        ("05", "DE", "05"),
        ("5", "DE", "05"),
        ("Florida", "US", "FL"),
        ("fl", "US", "FL"),
        ("US-FL", "US", "FL"),
        ("Scotland", "GB", "SCT"),
        ("Catalonia", "ES", "56"),
        ("Ciudad Autónoma de Buenos Aires", "AR", "07"),
        ("Île-de-France", "FR", "11"),
    ],
)
def test_admin_area_text_becomes_geonames_codes(
    areas: AdminAreas, text: str, country: str, code: str
) -> None:
    assert areas.admin1_codes(text, country) == frozenset({code})


def test_unknown_admin_area_text_gives_nothing(areas: AdminAreas) -> None:
    assert areas.admin1_codes("Atlantis", "DE") == frozenset()
    assert areas.admin1_codes("Hessen", "") == frozenset()


def _cases() -> list[dict[str, str]]:
    with HARD_CASES.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(
    "case", _cases(), ids=lambda c: f"{c['name']}|{c['country']}|{c['admin1']}|{c['lat']}"
)
def test_hard_case(resolver: PlaceResolver, case: dict[str, str]) -> None:
    query = PlaceQuery(
        case["name"],
        case["country"],
        case["admin1"],
        float(case["lat"]) if case["lat"] else None,
        float(case["lon"]) if case["lon"] else None,
    )
    decision = resolver.resolve_query(query)
    expected = case["expected"]
    if expected == "ambiguous":
        assert decision.status == AMBIGUOUS, decision.reason_text
    elif expected == "none":
        assert decision.status != RESOLVED, decision.reason_text
    else:
        assert decision.status == RESOLVED, decision.reason_text
        assert decision.chosen is not None and decision.chosen.geonames_id == int(expected), case["note"]
