"""The written-down rules of the reference load: acronyms, network kinds, themes, actor kinds, roles."""

from __future__ import annotations

import pytest

from citydiplo.interchange.reference.rules import (
    actor_kind_for,
    is_first_level_subdivision,
    network_kind_for,
    role_for,
    split_acronym,
    split_us_state,
    themes_for,
)
from citydiplo.registry.models import ActorKind, NetworkKind, Role
from citydiplo.registry.themes import THEMES


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("C40 Cities Climate Leadership Group", ("C40 Cities Climate Leadership Group", "C40")),
        (
            "ICLEI – Local Governments for Sustainability",
            ("ICLEI – Local Governments for Sustainability", "ICLEI"),
        ),
        (
            "Unión de Ciudades Capitales Iberoamericanas (UCCI)",
            ("Unión de Ciudades Capitales Iberoamericanas", "UCCI"),
        ),
        ("Urban 20 (U20)", ("Urban 20", "U20")),
        (
            "Alianza Euro-Latinoamericana de Cooperación entre Ciudades (AL-LAs)",
            ("Alianza Euro-Latinoamericana de Cooperación entre Ciudades", "AL-LAs"),
        ),
        (
            "Metropolis – World Association of the Major Metropolises",
            ("Metropolis – World Association of the Major Metropolises", ""),
        ),
        ("Eurocities", ("Eurocities", "")),
        (
            "Cities for Adequate Housing (Municipalist Declaration)",
            ("Cities for Adequate Housing (Municipalist Declaration)", ""),
        ),
    ],
)
def test_acronyms_come_from_brackets_or_a_capitalised_first_word(name, expected):
    assert split_acronym(name) == expected


def test_every_theme_phrase_of_the_catalogue_maps_to_known_theme_keys():
    known = {key for key, *_ in THEMES}
    for text in (
        "climate",
        "metropolitan governance",
        "urban policy; EU advocacy",
        "regional integration (Mercosur); local government cooperation",
        "cooperation among Ibero-American capital cities",
        "internationalisation of local governments (city diplomacy)",
        "prevention of hate, extremism and polarisation; social cohesion",
        "sustainability",
        "G20 engagement group of cities",
        "right to housing",
    ):
        keys, unmapped = themes_for(text)
        assert keys and not unmapped, text
        assert set(keys) <= known


def test_an_unknown_theme_phrase_is_reported_not_guessed():
    assert themes_for("climate; knitting") == (["climate"], ["knitting"])


@pytest.mark.parametrize(
    ("key", "scope", "themes", "kind"),
    [
        ("climate-mayors", "national", ["climate"], NetworkKind.POLITICAL_ALLIANCE),
        ("u20", "global", ["advocacy"], NetworkKind.POLITICAL_ALLIANCE),
        ("mercociudades", "regional", ["local-government-cooperation"], NetworkKind.REGIONAL_NETWORK),
        ("c40", "global", ["climate"], NetworkKind.THEMATIC_NETWORK),
        ("cities-for-housing", "global", ["housing"], NetworkKind.THEMATIC_NETWORK),
        ("metropolis", "global", ["metropolitan", "governance"], NetworkKind.GLOBAL_NETWORK),
    ],
)
def test_network_kind_rules(key, scope, themes, kind):
    assert network_kind_for(key, scope, themes)[0] == kind


@pytest.mark.parametrize(
    ("name", "country", "kind"),
    [
        ("Lyon Metropolis", "FR", ActorKind.METROPOLITAN_BODY),
        ("Bordeaux Métropole", "FR", ActorKind.METROPOLITAN_BODY),
        ("Metropolitan City of Rome Capital", "IT", ActorKind.METROPOLITAN_BODY),
        ("Turin Metropolitan City", "IT", ActorKind.METROPOLITAN_BODY),
        ("Busan Metropolitan City", "KR", ActorKind.MUNICIPALITY),
        ("Barcelona Metropolitan Area", "ES", ActorKind.METROPOLITAN_BODY),
        ("Santiago Metropolitan Region", "CL", ActorKind.REGION),
        ("Brussels-Capital Region", "BE", ActorKind.REGION),
        ("State of São Paulo", "BR", ActorKind.REGION),
        ("Barcelona Provincial Council", "ES", ActorKind.REGION),
        ("Aichi Prefecture", "JP", ActorKind.REGION),
        (
            "Fondo Andaluz de Municipios para la Solidaridad Internacional (FAMSI)",
            "ES",
            ActorKind.ASSOCIATION_OF_MUNICIPALITIES,
        ),
        ("Cités Unies France (CUF)", "FR", ActorKind.ASSOCIATION_OF_MUNICIPALITIES),
        ("Greater Manchester", "GB", ActorKind.METROPOLITAN_BODY),
        ("Metropolis", "US", ActorKind.MUNICIPALITY),
        ("Montevideo", "UY", ActorKind.MUNICIPALITY),
        ("São Paulo", "BR", ActorKind.MUNICIPALITY),
    ],
)
def test_actor_kind_from_the_name(name, country, kind):
    assert actor_kind_for(name, country).kind == kind


def test_a_first_level_subdivision_name_is_recognised():
    assert is_first_level_subdivision("Victoria", "AU")
    assert is_first_level_subdivision("Gauteng", "ZA")
    assert not is_first_level_subdivision("Montevideo", "AR")
    assert not is_first_level_subdivision("Victoria", "")


def test_roles_and_their_synonyms():
    assert role_for("co-president") == Role.CO_PRESIDENT
    assert role_for("Co-Chair") == Role.CO_PRESIDENT
    assert role_for("steering committee") == Role.BOARD
    assert role_for("secretariat") == Role.SECRETARIAT
    assert role_for("mascot") is None


def test_us_city_state_names_give_the_state_code():
    assert split_us_state("Carmel, Indiana", "US") == ("Carmel", "IN")
    assert split_us_state("Columbia, South Carolina", "US") == ("Columbia", "SC")
    assert split_us_state("Washington, D.C.", "US") == ("Washington, D.C.", "")
    assert split_us_state("Mariquita, Tolima", "CO") == ("Mariquita, Tolima", "")
