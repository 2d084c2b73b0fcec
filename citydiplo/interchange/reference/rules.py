"""The rules that turn reference rows into registry values, written down in one place.

Each rule is a small pure function or table, so a curator can read what the loader decides and why, and a
test can pin it. Nothing here touches the database.

- Network kinds, acronyms, themes and as-of dates for the city-network catalogue.
- Actor kinds for members and Wikidata items that are not plain cities (metropolitan bodies, regions,
  associations), from name patterns and a short list of known bodies.
- Roles: the catalogue's fixed role words, plus the synonyms its NOTES.md maps onto them.
- US "City, State" names, split so the state narrows the GeoNames lookup.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

import pycountry

from citydiplo.registry.models import ActorKind, NetworkKind, Role, Scope
from citydiplo.registry.places.normalise import name_key

# --- Networks -------------------------------------------------------------------------------------

#: As-of dates of each network's member list, from city-networks/NOTES.md. Blank where the notes give
#: none (Metropolis: sources from 2008 to 2023; AL-LAs: undated page; ICLEI: no member rows).
NETWORK_AS_OF: Final[dict[str, str]] = {
    "c40": "2025",  # carousel with Casablanca, the 97th city (January 2025)
    "eurocities": "2025-05",  # member directory copied 2025-05-18
    "mercociudades": "2024",  # 2024 council term
    "ucci": "2025-11",  # co-presidents elected November 2025
    "strong-cities": "2024-12",  # co-chairs at the Fifth Global Summit, December 2024
    "climate-mayors": "2022-08",  # steering committee, press release of 2 August 2022
    "u20": "2019",  # 2019 Tokyo Communiqué signatories
    "cities-for-housing": "2019-04",  # signatories by April 2019
}

#: Networks whose kind is not what scope and theme suggest. Both are political rather than programme
#: networks: they exist to speak with one voice to a government or a summit, not to run thematic work.
NETWORK_KIND_OVERRIDES: Final[dict[str, tuple[str, str]]] = {
    "climate-mayors": (
        NetworkKind.POLITICAL_ALLIANCE,
        "US mayors' commitment to the Paris Agreement goals: a political alliance",
    ),
    "u20": (
        NetworkKind.POLITICAL_ALLIANCE,
        "G20 engagement group: cities speaking together to each G20 presidency",
    ),
}

#: Themes that make a global network thematic. Themes describing who the members are (metropolitan,
#: local-government-cooperation) or how they act (advocacy, governance) do not.
POLICY_THEMES: Final = frozenset(
    {
        "climate",
        "housing",
        "environment",
        "energy",
        "peace",
        "security",
        "mobility",
        "water",
        "health",
        "migration",
    }
)

#: Free-text theme phrases of networks.csv -> theme keys of citydiplo.registry.themes. Each ";"-separated
#: part of the column is matched against every pattern (case-insensitive); parts that match none are
#: reported, never guessed.
THEME_RULES: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (r"\bclimate\b", ("climate",)),
    (r"\bsustainability\b", ("environment", "climate")),
    (r"\bhousing\b", ("housing", "social-inclusion")),
    (r"\bmetropolitan\b", ("metropolitan",)),
    (r"\bgovernance\b", ("governance",)),
    (r"\burban policy\b", ("urban-planning",)),
    (r"\badvocacy\b", ("advocacy",)),
    (r"\bengagement group\b|\bG20\b", ("advocacy",)),
    (r"\bregional integration\b", ("local-government-cooperation",)),
    (r"\blocal government cooperation\b", ("local-government-cooperation",)),
    (r"\bcooperation among\b", ("local-government-cooperation",)),
    (
        r"\binternationali[sz]ation of local governments\b|\bcity diplomacy\b",
        ("local-government-cooperation",),
    ),
    (r"\bhate\b|\bextremism\b|\bpolari[sz]ation\b", ("peace",)),
    (r"\bsocial cohesion\b", ("security",)),
)


def themes_for(text: str) -> tuple[list[str], list[str]]:
    """Theme keys for a networks.csv theme text, and the parts of it that no rule maps."""
    keys: list[str] = []
    unmapped: list[str] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        found = [
            key
            for pattern, rule_keys in THEME_RULES
            if re.search(pattern, part, re.IGNORECASE)
            for key in rule_keys
        ]
        if not found:
            unmapped.append(part)
        keys.extend(k for k in found if k not in keys)
    return keys, unmapped


def network_kind_for(key: str, scope: str, theme_keys: list[str]) -> tuple[str, str]:
    """(network kind, the rule that chose it).

    1. the overrides above (Climate Mayors, U20: political alliances);
    2. regional scope -> regional network (Eurocities, Mercociudades, UCCI, AL-LAs);
    3. a policy theme (climate, housing, peace, security...) -> thematic network (C40, Strong Cities,
       ICLEI, Cities for Adequate Housing);
    4. otherwise a global network (Metropolis: defined by its members, metropolises, not by a theme).
    """
    if key in NETWORK_KIND_OVERRIDES:
        return NETWORK_KIND_OVERRIDES[key]
    if scope == Scope.REGIONAL:
        return NetworkKind.REGIONAL_NETWORK, "regional scope"
    if POLICY_THEMES.intersection(theme_keys):
        return NetworkKind.THEMATIC_NETWORK, "policy theme"
    return NetworkKind.GLOBAL_NETWORK, "global, no single policy theme"


_TRAILING_ACRONYM = re.compile(r"^(?P<name>.+?)\s*\((?P<acronym>[^()\s]{2,15})\)\s*$")
_LEADING_WORD = re.compile(r"^(?P<word>[^\s–—-]+)")


def _looks_like_acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    return bool(letters) and (upper >= 2 or (upper >= 1 and any(c.isdigit() for c in token)))


def split_acronym(name: str) -> tuple[str, str]:
    """("Urban 20 (U20)") -> ("Urban 20", "U20"); ("C40 Cities ...") -> (unchanged, "C40").

    An acronym in trailing brackets moves to the acronym field (the pages show "name (acronym)");
    otherwise a first word written in capitals or with digits is the acronym (C40, ICLEI). Names with
    neither (Metropolis, Eurocities) have none. A long bracket ("(Municipalist Declaration ...)") is
    part of the name, not an acronym.
    """
    name = name.strip()
    match = _TRAILING_ACRONYM.match(name)
    if match and _looks_like_acronym(match["acronym"]):
        return match["name"].strip(), match["acronym"]
    word = _LEADING_WORD.match(name)
    if word and len(word["word"]) >= 2 and word["word"] != name and _looks_like_acronym(word["word"]):
        if not any(c.islower() for c in word["word"]):
            return name, word["word"]
    return name, ""


# --- Actor kinds ------------------------------------------------------------------------------------

#: Known non-city members, by name key: the ones no name pattern recognises.
KNOWN_BODIES: Final[dict[str, tuple[str, str]]] = {
    name_key("Cités Unies France"): (
        ActorKind.ASSOCIATION_OF_MUNICIPALITIES,
        "French association of local governments",
    ),
    name_key("BrabantStad"): (
        ActorKind.ASSOCIATION_OF_MUNICIPALITIES,
        "partnership of five Brabant cities and the province",
    ),
    name_key("Netwerkstad Twente"): (
        ActorKind.ASSOCIATION_OF_MUNICIPALITIES,
        "cooperation of five Twente municipalities",
    ),
    name_key("Plaine Commune"): (
        ActorKind.METROPOLITAN_BODY,
        "établissement public territorial of Grand Paris",
    ),
    name_key("Grand Paris Sud"): (ActorKind.METROPOLITAN_BODY, "communauté d'agglomération"),
    name_key("Greater Manchester"): (ActorKind.METROPOLITAN_BODY, "combined authority"),
}

# Patterns on the name key (lower case, ASCII, punctuation as spaces), checked in this order: an
# association first ("Fondo Andaluz de Municipios"), then regions ("Santiago Metropolitan Region" is a
# region of Chile, not a metropolitan body), then metropolitan bodies.
_ASSOCIATION = re.compile(
    r"\b(association|federation|confederation|union of|league of|fondo .*municipios|cites unies|"
    r"federacion|asociacion|associacao|confederacao)\b"
)
_REGION = re.compile(
    r"(^state of\b|\bregion\b|\bregione\b|\bregiao\b|\bprovince\b|\bprovincia\b|\bprovincial council\b|"
    r"\bprefecture\b|\boblast\b|\bkrai\b|\bvoivodeship\b|^canton of\b|\bgovernorate\b|"
    r"\bautonomous community\b|^community of madrid$|^emirate of\b)"
)
_METROPOLITAN = re.compile(
    r"(\bmetropole\b|\w \bmetropolis\b|\bmetropolitan area\b|\barea metropolitana\b|\bcombined authority\b|"
    r"\bcommunaute urbaine\b|\bagglomeration\b|^metropolitan city of\b)"
)
# "Lyon Metropolis" is a body; a town called just "Metropolis" (Illinois) is not, hence the word before it.
# Italy's città metropolitana is a province-level body ("Turin Metropolitan City"); elsewhere
# "X Metropolitan City" is the city itself (Busan), as the place-name normaliser assumes.
_ITALIAN_METROPOLITAN_CITY = re.compile(r"\bmetropolitan city\b")


@dataclass(frozen=True)
class KindDecision:
    kind: str
    rule: str

    @property
    def is_place(self) -> bool:
        """Only municipalities are linked to a GeoNames populated place."""
        return self.kind == ActorKind.MUNICIPALITY


def actor_kind_for(name: str, country: str) -> KindDecision:
    """The kind of a member or Wikidata item, from its name alone (see KNOWN_BODIES and the patterns)."""
    key = name_key(name)
    # Acronyms in brackets ("Cités Unies France (CUF)") are not part of the name the rules read.
    bare = name_key(split_acronym(name)[0])
    for candidate in (key, bare):
        if candidate in KNOWN_BODIES:
            kind, why = KNOWN_BODIES[candidate]
            return KindDecision(kind, f"known body: {why}")
    if _ASSOCIATION.search(key):
        return KindDecision(ActorKind.ASSOCIATION_OF_MUNICIPALITIES, "name says association")
    if _REGION.search(key):
        return KindDecision(ActorKind.REGION, "name says region, state or province")
    if _METROPOLITAN.search(key) or (country == "IT" and _ITALIAN_METROPOLITAN_CITY.search(key)):
        return KindDecision(ActorKind.METROPOLITAN_BODY, "name says metropolitan body")
    return KindDecision(ActorKind.MUNICIPALITY, "")


@functools.cache
def _first_level_subdivisions(country: str) -> frozenset[str]:
    found = pycountry.subdivisions.get(country_code=country) or []
    return frozenset(name_key(s.name) for s in found if getattr(s, "parent_code", None) is None)


def is_first_level_subdivision(name: str, country: str) -> bool:
    """Whether ISO 3166-2 names a state, province or region of `country` so ("Gauteng", "Victoria" in AU).

    Used only for names that match no populated place: an item that is no town but bears the name of a
    first-level subdivision is that region.
    """
    return bool(country) and name_key(name) in _first_level_subdivisions(country)


# --- Roles ------------------------------------------------------------------------------------------

#: Role words of memberships.csv -> Role. The file uses the Role values themselves; the synonyms are
#: those its NOTES.md says it maps (co-chair -> co-president; steering committee, council, executive
#: committee, chair, president -> board), so a file written with the original words loads the same.
ROLE_WORDS: Final[dict[str, str]] = {
    **{role.value: role.value for role in Role},
    "co-chair": Role.CO_PRESIDENT,
    "copresident": Role.CO_PRESIDENT,
    "chair": Role.BOARD,
    "president": Role.BOARD,
    "steering committee": Role.BOARD,
    "council": Role.BOARD,
    "executive committee": Role.BOARD,
    "treasurer": Role.BOARD,
    "coordinator": Role.LEAD,
}


def role_for(word: str) -> str | None:
    return ROLE_WORDS.get(" ".join(word.strip().lower().replace("_", " ").split()))


# --- US "City, State" -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    return {
        name_key(s.name): s.code.split("-", 1)[1] for s in pycountry.subdivisions.get(country_code="US") or []
    }


def split_us_state(name: str, country: str) -> tuple[str, str]:
    """("Carmel, Indiana", "US") -> ("Carmel", "IN"): GeoNames' admin1 codes for the US are the postal
    codes, so the state narrows the lookup. Other names, and other countries (whose GeoNames admin1 codes
    are not ISO), are returned unchanged with no admin1."""
    if country != "US" or "," not in name:
        return name, ""
    city, _, state = name.rpartition(",")
    code = _us_states().get(name_key(state))
    return (city.strip(), code) if code else (name, "")
