"""The engine's decision rules on the real GeoNames gazetteer (rule letters as in engine.py).

Normalisation itself is tested in tests/places; here: which place is chosen, on what evidence, and
above all that homonyms are never guessed silently.
"""

from __future__ import annotations

import pytest

from citydiplo.registry.places.gazetteer import Gazetteer
from citydiplo.registry.resolution.engine import (
    AMBIGUOUS,
    RESOLVED,
    UNRESOLVED,
    AliasTarget,
    PlaceQuery,
    PlaceResolver,
    RegistryActor,
    RegistryBook,
)

FRANKFURT_MAIN = 2925533
FRANKFURT_ODER = 2925535
MEXICO_CITY = 3530597


def gid(gaz: Gazetteer, name: str, country: str, admin1: str | None = None) -> int:
    places = [p for p in gaz.lookup(name, country) if admin1 is None or p.admin1_code == admin1]
    return max(places, key=lambda p: p.population).geonames_id


def chosen_id(resolver: PlaceResolver, *args: object, **kwargs: object) -> int | None:
    decision = resolver.resolve(*args, **kwargs)  # type: ignore[arg-type]
    assert decision.status == RESOLVED, decision.reason_text
    assert decision.chosen is not None
    return decision.chosen.geonames_id


# --- homonyms: never guessed silently -------------------------------------------------------------


def test_frankfurt_without_evidence_takes_the_ten_times_larger_and_says_so(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("Frankfurt", "Germany")
    assert decision.status == RESOLVED
    assert decision.chosen is not None and decision.chosen.geonames_id == FRANKFURT_MAIN
    assert decision.reasons[-1].code == "dominance"
    assert "chosen by population" in decision.reason_text
    assert decision.confidence == pytest.approx(0.75)
    # The other Frankfurt is listed as the runner-up, so a reader sees what else was possible.
    assert FRANKFURT_ODER in [c.geonames_id for c in decision.candidates]


@pytest.mark.parametrize(
    ("admin1", "expected"),
    [
        ("Brandenburg", FRANKFURT_ODER),
        ("Hessen", FRANKFURT_MAIN),
        ("Hesse", FRANKFURT_MAIN),
        ("DE-BB", FRANKFURT_ODER),
        ("BB", FRANKFURT_ODER),
        ("05", FRANKFURT_MAIN),
        ("11", FRANKFURT_ODER),
    ],
)
def test_frankfurt_admin_area_decides(resolver: PlaceResolver, admin1: str, expected: int) -> None:
    decision = resolver.resolve("Frankfurt", "DE", admin1=admin1)
    assert decision.status == RESOLVED
    assert decision.chosen is not None and decision.chosen.geonames_id == expected
    assert decision.reasons[-1].code == "chosen_by_admin1"
    assert decision.confidence >= 0.9


def test_frankfurt_coordinates_decide(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("Frankfurt", "Deutschland", lat=52.35, lon=14.54)
    assert decision.chosen is not None and decision.chosen.geonames_id == FRANKFURT_ODER
    assert decision.reasons[-1].code == "chosen_by_coordinates"
    assert decision.confidence >= 0.95


def test_frankfurt_oder_written_out_needs_no_evidence(resolver: PlaceResolver) -> None:
    assert chosen_id(resolver, "Frankfurt (Oder)", "DE") == FRANKFURT_ODER
    assert chosen_id(resolver, "Frankfurt an der Oder", "Allemagne") == FRANKFURT_ODER


def test_springfield_in_the_us_is_ambiguous_with_ranked_candidates(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("Springfield", "USA")
    assert decision.status == AMBIGUOUS
    assert decision.chosen is None
    assert decision.reasons[-1].code == "homonyms"
    admin_areas = [c.admin1_code for c in decision.candidates[:3]]
    assert set(admin_areas) == {"MO", "MA", "IL"}
    scores = [c.score for c in decision.candidates]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("admin1", "state"), [("IL", "IL"), ("Illinois", "IL"), ("Massachusetts", "MA"), ("US-MO", "MO")]
)
def test_springfield_admin_area_resolves(
    resolver: PlaceResolver, gaz: Gazetteer, admin1: str, state: str
) -> None:
    assert chosen_id(resolver, "Springfield", "United States", admin1=admin1) == gid(
        gaz, "Springfield", "US", state
    )


def test_springfield_coordinates_resolve(resolver: PlaceResolver, gaz: Gazetteer) -> None:
    assert chosen_id(resolver, "Springfield", "US", lat=37.21, lon=-93.29) == gid(
        gaz, "Springfield", "US", "MO"
    )


def test_san_jose_without_country_is_ambiguous(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("San José")
    assert decision.status == AMBIGUOUS
    countries = {c.country_code for c in decision.candidates}
    assert {"US", "CR"} <= countries
    assert decision.reasons[0].code == "country_missing"


def test_san_jose_with_a_country_resolves(resolver: PlaceResolver, gaz: Gazetteer) -> None:
    assert chosen_id(resolver, "San José", "Costa Rica") == gid(gaz, "San José", "CR", "08")
    assert chosen_id(resolver, "San Jose", "USA") == gid(gaz, "San Jose", "US", "CA")


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Portland", "USA"),
        ("Kansas City", "USA"),
        ("Cambridge", "USA"),
        ("Paris", "USA"),
        ("Santiago", "España"),
    ],
)
def test_namesakes_below_ten_times_stay_ambiguous(resolver: PlaceResolver, name: str, country: str) -> None:
    """Portland OR is 9.8 times Portland ME: just below the rule, so a person decides."""
    assert resolver.resolve(name, country).status == AMBIGUOUS


@pytest.mark.parametrize(
    ("name", "country", "expected", "code"),
    [
        ("Córdoba", "Argentina", "AR", "05"),
        ("Córdoba", "España", "ES", "51"),
        ("Valencia", "Venezuela", "VE", "07"),
        ("Valencia", "Spain", "ES", "60"),
        ("London", "Canada", "CA", "08"),
        ("London", "UK", "GB", "ENG"),
        ("Cambridge", "United Kingdom", "GB", "ENG"),
        ("Victoria", "Seychelles", "SC", None),
    ],
)
def test_homonyms_across_countries_follow_the_country(
    resolver: PlaceResolver, name: str, country: str, expected: str, code: str | None
) -> None:
    decision = resolver.resolve(name, country)
    assert decision.status == RESOLVED
    assert decision.chosen is not None and decision.chosen.country_code == expected
    if code is not None:
        assert decision.chosen.admin1_code == code


def test_an_alternate_name_of_a_much_larger_place_is_a_conflict_not_a_guess(resolver: PlaceResolver) -> None:
    """Denver was once St. Charles: the Saint Charles towns and Denver are all shown, none chosen."""
    decision = resolver.resolve("St. Charles", "USA")
    assert decision.status == AMBIGUOUS
    assert decision.reasons[-1].code in {"alternate_conflict", "homonyms"}


def test_own_name_beats_a_smaller_places_alternate_name(resolver: PlaceResolver, gaz: Gazetteer) -> None:
    decision = resolver.resolve("Kiel", "Germany")
    assert decision.chosen is not None and decision.chosen.geonames_id == gid(gaz, "Kiel", "DE", "10")
    assert "alternate_dropped" in {r.code for r in decision.reasons}


def test_a_region_name_matched_as_an_alternate_name_is_not_taken_for_a_town(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("Ohio", "USA")
    assert decision.status != RESOLVED


def test_conflicting_admin_area_is_ambiguous_not_overridden(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("Frankfurt", "DE", admin1="Bayern")
    assert decision.status == AMBIGUOUS
    assert decision.reasons[-1].code == "admin1_conflict"


def test_coordinates_far_from_every_candidate_are_ambiguous(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("Kiel", "Germany", lat=40.0, lon=-3.7)
    assert decision.status == AMBIGUOUS
    assert decision.reasons[-1].code == "coordinates_conflict"


def test_unknown_admin_area_is_ignored_and_said(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("Frankfurt", "DE", admin1="Neverland")
    assert "admin1_unknown" in {r.code for r in decision.reasons}
    assert decision.chosen is not None and decision.chosen.geonames_id == FRANKFURT_MAIN


# --- exonyms, abbreviations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "country", "canonical", "code"),
    [
        ("Londres", "Reino Unido", "London", "GB"),
        ("Londres", "Royaume-Uni", "London", "GB"),
        ("Nueva York", "EE. UU.", "New York City", "US"),
        ("Pekín", "China", "Beijing", "CN"),
        ("Pequim", "China", "Beijing", "CN"),
        ("Pékin", "Chine", "Beijing", "CN"),
        ("Múnich", "Alemania", "Munich", "DE"),
        ("Colonia", "Alemania", "Köln", "DE"),
        ("Cologne", "Allemagne", "Köln", "DE"),
        ("Ginebra", "Suiza", "Geneva", "CH"),
        ("Genève", "Suisse", "Geneva", "CH"),
        ("Varsovia", "Polonia", "Warsaw", "PL"),
        ("Moscú", "Rusia", "Moscow", "RU"),
        ("Moscou", "Russie", "Moscow", "RU"),
        ("Estambul", "Turquía", "Istanbul", "TR"),
        ("Lisbonne", "Portugal", "Lisbon", "PT"),
        ("Bruselas", "Bélgica", "Brussels", "BE"),
        ("Bruxelles", "Belgique", "Brussels", "BE"),
        ("Bombay", "India", "Mumbai", "IN"),
    ],
)
def test_exonyms_resolve_to_the_place(
    resolver: PlaceResolver, gaz: Gazetteer, name: str, country: str, canonical: str, code: str
) -> None:
    assert chosen_id(resolver, name, country) == gid(gaz, canonical, code)


def test_cdmx_is_mexico_city(resolver: PlaceResolver) -> None:
    assert chosen_id(resolver, "CDMX", "México") == MEXICO_CITY
    assert chosen_id(resolver, "Ciudad de México", "MX") == MEXICO_CITY


def test_nyc_is_new_york_city_with_manhattan_folded_in(resolver: PlaceResolver, gaz: Gazetteer) -> None:
    decision = resolver.resolve("NYC", "USA")
    assert decision.chosen is not None and decision.chosen.geonames_id == gid(gaz, "New York City", "US")
    assert "same_place" in {r.code for r in decision.chosen.reasons}


def test_ba_is_not_guessed_as_buenos_aires(resolver: PlaceResolver) -> None:
    assert resolver.resolve("BA", "Argentina").status != RESOLVED


# --- country forms --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "country", "code"),
    [
        ("Manchester", "England", "GB"),
        ("Edinburgh", "Scotland", "GB"),
        ("Cardiff", "Wales", "GB"),
        ("Chicago", "USA", "US"),
        ("Chicago", "EE. UU.", "US"),
        ("Curitiba", "Brasil", "BR"),
        ("Rotterdam", "Holland", "NL"),
        ("Yangon", "Burma", "MM"),
        ("Rangoon", "Burma", "MM"),
    ],
)
def test_country_forms(resolver: PlaceResolver, name: str, country: str, code: str) -> None:
    decision = resolver.resolve(name, country)
    assert decision.status == RESOLVED
    assert decision.chosen is not None and decision.chosen.country_code == code
    assert decision.country_code == code


@pytest.mark.parametrize(("name", "code"), [("Brno", "CZ"), ("Bratislava", "SK")])
def test_a_dissolved_state_means_its_successors_and_says_so(
    resolver: PlaceResolver, name: str, code: str
) -> None:
    decision = resolver.resolve(name, "Czechoslovakia")
    assert decision.chosen is not None and decision.chosen.country_code == code
    assert "successor" in {r.code for r in decision.chosen.reasons}


def test_a_territory_filed_under_its_state_is_found_and_said(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("Papeete", "France")
    assert decision.chosen is not None and decision.chosen.country_code == "PF"
    assert "territory" in {r.code for r in decision.chosen.reasons}
    assert decision.confidence < 0.93


def test_a_wrong_country_with_coordinates_uses_the_coordinates_and_says_so(resolver: PlaceResolver) -> None:
    """Chlef (Algeria) filed as France, as in Wikidata's colonial-era data: not a neighbour of France."""
    decision = resolver.resolve("Chlef", "France", lat=36.165, lon=1.334)
    assert decision.chosen is not None and decision.chosen.country_code == "DZ"
    assert "other_country_by_coordinates" in {r.code for r in decision.chosen.reasons}
    assert resolver.resolve("Chlef", "France").status != RESOLVED


def test_a_wrong_but_neighbouring_country_is_searched_and_said(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("Strasbourg", "Germany")
    assert decision.chosen is not None and decision.chosen.country_code == "FR"
    assert "neighbour" in {r.code for r in decision.chosen.reasons}
    assert decision.confidence <= 0.8


def test_a_country_not_understood_is_searched_everywhere_with_a_note(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("Montevideo", "Republica Oriental del Atlantis")
    assert decision.reasons[0].code == "country_unknown"


def test_a_name_found_only_in_another_country_goes_to_a_person(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("Springfield", "Czechoslovakia")
    assert decision.status != RESOLVED


# --- fuzzy ------------------------------------------------------------------------------------------------


def test_a_misspelling_is_offered_but_not_resolved_on_the_name_alone(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("Wiesbdaen", "Germany")
    assert decision.status == AMBIGUOUS
    assert decision.candidates and decision.candidates[0].name == "Wiesbaden"
    assert decision.candidates[0].match == "fuzzy"


def test_a_misspelling_with_coordinates_resolves_with_a_lower_confidence(resolver: PlaceResolver) -> None:
    decision = resolver.resolve("Wiesbdaen", "Germany", lat=50.08, lon=8.24)
    assert decision.status == RESOLVED
    assert decision.chosen is not None and decision.chosen.name == "Wiesbaden"
    assert decision.confidence <= 0.8


def test_nothing_found_is_unresolved(resolver: PlaceResolver) -> None:
    assert resolver.resolve("Qqqxzzy", "Germany").status == UNRESOLVED
    assert resolver.resolve("", "Germany").status == UNRESOLVED


# --- aliases and the registry ---------------------------------------------------------------------------


def test_an_organisation_alias_resolves_a_homonym(gaz: Gazetteer) -> None:
    springfield_il = gid(gaz, "Springfield", "US", "IL")
    resolver = PlaceResolver(
        gaz=gaz, org_aliases={("springfield", "US"): AliasTarget(springfield_il, None, "organisation")}
    )
    decision = resolver.resolve("SPRINGFIELD", "USA")
    assert decision.status == RESOLVED and decision.confidence == 1.0
    assert decision.chosen is not None and decision.chosen.geonames_id == springfield_il
    assert decision.reasons[0].code == "alias_organisation"


def test_an_alias_is_set_aside_when_the_rows_evidence_points_elsewhere(gaz: Gazetteer) -> None:
    springfield_il = gid(gaz, "Springfield", "US", "IL")
    resolver = PlaceResolver(
        gaz=gaz, org_aliases={("springfield", "US"): AliasTarget(springfield_il, None, "organisation")}
    )
    by_admin1 = resolver.resolve("Springfield", "USA", admin1="MA")
    assert by_admin1.chosen is not None and by_admin1.chosen.admin1_code == "MA"
    assert "alias_set_aside_admin1" in {r.code for r in by_admin1.reasons}
    by_coordinates = resolver.resolve("Springfield", "USA", lat=37.21, lon=-93.29)
    assert by_coordinates.chosen is not None and by_coordinates.chosen.admin1_code == "MO"


def test_the_organisation_alias_wins_over_the_platform_alias(gaz: Gazetteer) -> None:
    il, ma = gid(gaz, "Springfield", "US", "IL"), gid(gaz, "Springfield", "US", "MA")
    resolver = PlaceResolver(
        gaz=gaz,
        org_aliases={("springfield", "US"): AliasTarget(ma, None, "organisation")},
        platform_aliases={("springfield", "US"): AliasTarget(il, None, "platform")},
    )
    assert chosen_id(resolver, "Springfield", "US") == ma


def test_the_registry_gives_the_wikidata_id(gaz: Gazetteer) -> None:
    book = RegistryBook()
    book.add(
        RegistryActor(7, "Frankfurt am Main", "DE", "05", geonames_id=FRANKFURT_MAIN, wikidata_id="Q1794"),
        ["Frankfurt am Main"],
    )
    resolver = PlaceResolver(gaz=gaz, registry=book)
    decision = resolver.resolve("Frankfurt am Main", "DE")
    assert decision.chosen is not None
    assert (decision.chosen.wikidata_id, decision.chosen.actor_id) == ("Q1794", 7)


def test_a_registry_actor_without_geonames_is_a_candidate(gaz: Gazetteer) -> None:
    book = RegistryBook()
    book.add(RegistryActor(9, "Villa Imaginaria", "UY", population=5000), ["Villa Imaginaria"])
    decision = PlaceResolver(gaz=gaz, registry=book).resolve("Villa Imaginaria", "Uruguay")
    assert decision.status == RESOLVED
    assert (
        decision.chosen is not None and decision.chosen.actor_id == 9 and decision.chosen.geonames_id is None
    )


# --- batch --------------------------------------------------------------------------------------------------


def test_resolve_many_keeps_order_and_agrees_with_single_rows(gaz: Gazetteer) -> None:
    queries = [
        PlaceQuery("Frankfurt", "DE"),
        PlaceQuery("Springfield", "USA"),
        PlaceQuery("Londres", "Reino Unido"),
        PlaceQuery("Frankfurt", "DE", admin1="BB"),
        PlaceQuery("Köln", "Deutschland"),
        PlaceQuery("KÖLN", "DEU"),
        PlaceQuery("", ""),
    ]
    batch = PlaceResolver(gaz=gaz).resolve_many(queries)
    single = PlaceResolver(gaz=gaz)
    assert [d.as_dict() for d in batch] == [single.resolve_query(q).as_dict() for q in queries]
    assert [d.status for d in batch] == [
        RESOLVED,
        AMBIGUOUS,
        RESOLVED,
        RESOLVED,
        RESOLVED,
        RESOLVED,
        UNRESOLVED,
    ]


def test_progress_counts_every_row(resolver: PlaceResolver) -> None:
    seen: list[int] = []
    resolver.resolve_many([PlaceQuery("Köln", "DE")] * 2500, progress=seen.append, every=1000)
    assert seen == [1000, 1000, 500]


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Frankfurt", "DE"),
        ("San José", None),
        ("Londres", "GB"),
        ("Mexico City", "MX"),
        ("Springfield", "US"),
    ],
)
def test_the_engines_lookup_matches_the_gazetteers(
    resolver: PlaceResolver, gaz: Gazetteer, name: str, country: str | None
) -> None:
    """The engine reads the gazetteer's index directly (to normalise a name once): same answers."""
    from citydiplo.registry.places.normalise import name_variants

    codes = frozenset({country}) if country else None
    mine = resolver._lookup(tuple(name_variants(name)), codes)  # noqa: SLF001
    assert [p.geonames_id for p in mine] == [p.geonames_id for p in gaz.lookup(name, country)]
