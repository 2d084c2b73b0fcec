"""Tests for citydiplo.registry.places.countries."""

from __future__ import annotations

import csv

import pycountry
import pytest
from babel import Locale

from citydiplo.registry.places.countries import (
    AMBIGUOUS_FORMS,
    COMMON_FORMS,
    HISTORICAL_OR_DISPUTED,
    country_codes,
    country_name,
    country_resolve,
    index_conflicts,
)

from .shared_data import shared_data_file

# --- the reference data sets ---------------------------------------------------

#: Labels in the Wikidata sister-city nodes that pycountry and CLDR do not
#: know, with the code each must get (the rule is in HISTORICAL_OR_DISPUTED
#: or COMMON_FORMS).
SPECIAL_NODE_LABELS = {
    "Gaza Strip": "PS",
    "West Bank": "PS",
    "Mandatory Palestine": "PS",
    "Palestinian National Authority": "PS",
    "State of Palestine": "PS",
    "Kingdom of Romania": "RO",
    "Turkish Republic of Northern Cyprus": "CY",
    "Somaliland": "SO",
    "Sahrawi Arab Democratic Republic": "EH",
    "Western Sahara": "EH",
    "Kosovo": "XK",
    "Taiwan": "TW",
    "People's Republic of China": "CN",
    "Republic of Ireland": "IE",
    "The Bahamas": "BS",
    "The Gambia": "GM",
    "Czech Republic": "CZ",
    "Cape Verde": "CV",
    "Turkey": "TR",
    "israel🇮🇱🇮🇱": "IL",
    "United States of America": "US",
    "Democratic Republic of the Congo": "CD",
    "Republic of the Congo": "CG",
    "Côte d'Ivoire": "CI",
    "Curaçao": "CW",
}


def test_every_country_label_in_sister_city_nodes_resolves() -> None:
    with shared_data_file("wikidata-sister-cities/nodes.csv").open(encoding="utf-8") as fh:
        labels = {row["country"] for row in csv.DictReader(fh)}
    unresolved = sorted(label for label in labels if country_resolve(label) is None)
    assert unresolved == []
    assert len(unresolved) == 0
    assert len(labels) > 150  # the file really was read
    for label, code in SPECIAL_NODE_LABELS.items():
        assert label in labels
        assert country_resolve(label) == code, label


def test_every_code_in_city_network_memberships_is_accepted() -> None:
    with shared_data_file("city-networks/memberships.csv").open(encoding="utf-8") as fh:
        codes = {row["country_iso2"] for row in csv.DictReader(fh)} - {""}
    assert len(codes) > 50
    assert {code: country_resolve(code) for code in codes} == {code: code for code in codes}
    assert {code: country_resolve(code.lower()) for code in codes} == {code: code for code in codes}


# --- names in several languages ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Alemania", "DE"),
        ("Allemagne", "DE"),
        ("Alemanha", "DE"),
        ("Deutschland", "DE"),
        ("Espagne", "ES"),
        ("Espanha", "ES"),
        ("España", "ES"),
        ("Reino Unido", "GB"),
        ("Royaume-Uni", "GB"),
        ("Países Bajos", "NL"),
        ("Paises Bajos", "NL"),
        ("Pays-Bas", "NL"),
        ("Países Baixos", "NL"),
        ("Suiza", "CH"),
        ("Suisse", "CH"),
        ("Suíça", "CH"),
        ("México", "MX"),
        ("Mexique", "MX"),
        ("Brésil", "BR"),
        ("Estados Unidos", "US"),
        ("États-Unis", "US"),
        ("Etats Unis", "US"),
        ("Costa do Marfim", "CI"),
        ("Corée du Sud", "KR"),
        ("Coreia do Norte", "KP"),
        ("Italia", "IT"),
        ("Uruguai", "UY"),
    ],
)
def test_names_in_other_languages(text: str, code: str) -> None:
    assert country_resolve(text) == code


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_every_cldr_territory_name_resolves(language: str) -> None:
    codes = country_codes()
    wrong = {
        name: (code, country_resolve(name))
        for code, name in Locale.parse(language).territories.items()
        if code in codes and country_resolve(name) != code
    }
    assert wrong == {}


def test_every_pycountry_name_resolves() -> None:
    wrong = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value and country_resolve(value) != country.alpha_2:
                wrong[value] = (country.alpha_2, country_resolve(value))
    assert wrong == {}


# --- common, historical and disputed forms ------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("England", "GB"),
        ("Scotland", "GB"),
        ("Wales", "GB"),
        ("Northern Ireland", "GB"),
        ("Great Britain", "GB"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("US", "US"),
        ("EE. UU.", "US"),
        ("EE.UU.", "US"),
        ("EEUU", "US"),
        ("Estados Unidos", "US"),
        ("États-Unis", "US"),
        ("United States of America", "US"),
        ("Brasil", "BR"),
        ("Holland", "NL"),
        ("Russia", "RU"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("North Korea", "KP"),
        ("Iran", "IR"),
        ("Syria", "SY"),
        ("Laos", "LA"),
        ("Vietnam", "VN"),
        ("Bolivia", "BO"),
        ("Venezuela", "VE"),
        ("Tanzania", "TZ"),
        ("Moldova", "MD"),
        ("Taiwan", "TW"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Kosovo", "XK"),
        ("Palestine", "PS"),
        ("State of Palestine", "PS"),
        ("Palestinian National Authority", "PS"),
        ("Gaza Strip", "PS"),
        ("West Bank", "PS"),
        ("Mandatory Palestine", "PS"),
        ("Kingdom of Romania", "RO"),
        ("Turkish Republic of Northern Cyprus", "CY"),
        ("Somaliland", "SO"),
        ("Sahrawi Arab Democratic Republic", "EH"),
        ("Western Sahara", "EH"),
        ("Bosnia & Herzegovina", "BA"),
        ("Bosnia-Herzegovina", "BA"),
        ("Trinidad y Tobago", "TT"),
        ("Myanmar", "MM"),
        ("Burma", "MM"),
        ("Gambia, The", "GM"),
    ],
)
def test_common_historical_and_disputed_forms(text: str, code: str) -> None:
    assert country_resolve(text) == code


def test_tables_resolve_as_written() -> None:
    for table in (COMMON_FORMS, HISTORICAL_OR_DISPUTED):
        assert {name: country_resolve(name) for name in table} == dict(table)


def test_ambiguous_forms_do_not_resolve() -> None:
    for name in AMBIGUOUS_FORMS:
        assert country_resolve(name) is None, name
    assert country_resolve("Korea") is None
    assert country_resolve("Congo") == "CG"  # ISO's short name for CG, see AMBIGUOUS_FORMS
    assert country_resolve("Yugoslavia") is None


def test_no_source_disagrees_silently() -> None:
    # A key that one source gives to two countries is dropped; today none is.
    assert index_conflicts() == []


# --- codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("de", "DE"),
        ("DE", "DE"),
        (" uy ", "UY"),
        ("DEU", "DE"),
        ("deu", "DE"),
        ("URY", "UY"),
        ("858", "UY"),
        ("076", "BR"),
        ("76", "BR"),  # spreadsheets drop leading zeros
        ("UK", "GB"),
        ("EL", "GR"),
        ("XK", "XK"),
        ("xkx", "XK"),
        ("PS", "PS"),
        ("TW", "TW"),
    ],
)
def test_codes(text: str, code: str) -> None:
    assert country_resolve(text) == code


def test_unknown_codes_and_text() -> None:
    for text in ("ZZ", "QQQ", "999", "1234", "Atlantis", "", "   ", "-"):
        assert country_resolve(text) is None, text


# --- emoji ----------------------------------------------------------------------


def test_emoji_are_stripped_before_resolving() -> None:
    assert country_resolve("israel🇮🇱🇮🇱") == "IL"
    assert country_resolve("🇺🇾 Uruguay") == "UY"
    assert country_resolve("France 🥖") == "FR"


def test_flag_alone_resolves_through_the_flag() -> None:
    assert country_resolve("🇺🇾") == "UY"
    assert country_resolve("🇽🇰") == "XK"
    assert country_resolve("🥖") is None


def test_case_and_accents_do_not_matter() -> None:
    assert country_resolve("MÉXICO") == country_resolve("mexico") == "MX"
    assert country_resolve("the netherlands") == "NL"


# --- country_name ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "language", "name"),
    [
        ("DE", "en", "Germany"),
        ("DE", "es", "Alemania"),
        ("DE", "fr", "Allemagne"),
        ("DE", "pt", "Alemanha"),
        ("gb", "fr", "Royaume-Uni"),
        ("US", "en", "United States"),
        ("XK", "en", "Kosovo"),
        ("UY", "pt-BR", "Uruguai"),
        ("URY", "es", "Uruguay"),
    ],
)
def test_country_name(code: str, language: str, name: str) -> None:
    assert country_name(code, language) == name


def test_country_name_round_trips_through_resolve() -> None:
    for code in sorted(country_codes()):
        for language in ("en", "es", "fr", "pt"):
            assert country_resolve(country_name(code, language)) == code, (code, language)


def test_country_name_errors() -> None:
    with pytest.raises(LookupError):
        country_name("ZZ")
    with pytest.raises(LookupError):
        country_name("Germany")
    with pytest.raises(ValueError, match="language"):
        country_name("DE", "xx-nope")
