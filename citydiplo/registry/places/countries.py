"""Resolve the many ways people write a country to an ISO 3166-1 alpha-2 code.

Imported lists name countries as codes ("DE", "DEU", "276"), in several
languages ("Alemania", "Allemagne", "Alemanha"), colloquially ("USA",
"EE. UU.", "Holland", "England"), historically ("Kingdom of Romania") or with
a political stance ("State of Palestine", "Somaliland"). The registry stores
one thing: an alpha-2 code. :func:`country_resolve` maps text to it, and
:func:`country_name` maps the code back to a display name.

Sources, strongest first (a stronger source wins a disagreement):

1. :data:`AMBIGUOUS_FORMS`: names that must NOT resolve (they would need a
   guess, e.g. "Korea", "Yugoslavia").
2. :data:`HISTORICAL_OR_DISPUTED` and :data:`COMMON_FORMS`: tables in this
   file, each entry with its rule.
3. pycountry: ``name``, ``official_name`` and ``common_name``.
4. babel (CLDR) territory names in :data:`NAME_LANGUAGES`.
5. Forms derived from 3 and 4: "Korea, Republic of" -> "Republic of Korea",
   "Myanmar (Burma)" -> "Myanmar" and "Burma". A derived key that two
   countries share ("Virgin Islands") is dropped, not guessed.

All names are compared through :func:`~.normalise.name_key` (case, accents,
punctuation, leading article and emoji do not matter), and then through a
"compact" key without connectives ("and", "&", "y", "of", "de", ...), so
"Bosnia & Herzegovina" and "Trinidad y Tobago" resolve too.

Pure Python, no Django import.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Final

import pycountry
from babel import Locale, UnknownLocaleError

from .normalise import name_key

__all__ = [
    "AMBIGUOUS_FORMS",
    "CODE_ALIASES",
    "COMMON_FORMS",
    "HISTORICAL_OR_DISPUTED",
    "NAME_LANGUAGES",
    "USER_ASSIGNED_CODES",
    "country_codes",
    "country_name",
    "country_resolve",
    "index_conflicts",
]

#: Languages whose CLDR territory names are accepted. en/es/fr/pt are the
#: platform's working languages; de and it are cheap extras because many
#: twinning lists come from German and Italian towns. Adding a language can
#: only add names (conflicts are dropped, see :func:`index_conflicts`).
NAME_LANGUAGES: Final[tuple[str, ...]] = ("en", "es", "fr", "pt", "de", "it")

#: Codes accepted although ISO 3166-1 does not assign them. XK (alpha-3 XKX)
#: is the user-assigned code for Kosovo used by the EU, the IMF and CLDR;
#: pycountry does not list it, babel names it.
USER_ASSIGNED_CODES: Final[dict[str, str]] = {"XK": "XKX"}

#: Non-ISO two-letter codes in common use, mapped to the ISO code.
CODE_ALIASES: Final[dict[str, str]] = {
    "UK": "GB",  # exceptionally reserved in ISO for the United Kingdom; used by the EU and in domains
    "EL": "GR",  # the EU's code for Greece
}

#: Colloquial, older and other-language forms that pycountry and CLDR miss,
#: or that we want to state explicitly because imports use them a lot.
COMMON_FORMS: Final[dict[str, str]] = {
    # United Kingdom: one ISO code for the state; its constituent countries
    # and colloquial names are places within it.
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "UK": "GB",
    "U.K.": "GB",
    # United States: English and Spanish/French/Portuguese abbreviations.
    "USA": "US",
    "U.S.A.": "US",
    "US": "US",
    "U.S.": "US",
    "EE. UU.": "US",
    "EE.UU.": "US",
    "EEUU": "US",
    "Estados Unidos": "US",
    "Estados Unidos de América": "US",
    "Estados Unidos da América": "US",
    "États-Unis": "US",
    "États-Unis d'Amérique": "US",
    "United States of America": "US",
    "America": "US",
    # Short or older common names.
    "Brasil": "BR",
    "Holland": "NL",
    "The Netherlands": "NL",
    "Russia": "RU",
    "South Korea": "KR",
    "Korea, Republic of": "KR",
    "Republic of Korea": "KR",
    "North Korea": "KP",
    "Iran": "IR",
    "Persia": "IR",
    "Syria": "SY",
    "Laos": "LA",
    "Vietnam": "VN",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Tanzania": "TZ",
    "Moldova": "MD",
    "Ivory Coast": "CI",
    "Côte d'Ivoire": "CI",
    "Czech Republic": "CZ",
    "Czechia": "CZ",
    "Turkey": "TR",
    "Türkiye": "TR",
    "Burma": "MM",
    "Swaziland": "SZ",
    "Macedonia": "MK",
    "Cape Verde": "CV",
    "East Timor": "TL",
    "Republic of Ireland": "IE",
    "Eire": "IE",
    "Vatican": "VA",
    "Vatican City": "VA",
    "Brunei": "BN",
    "Micronesia": "FM",
    "Hong Kong": "HK",
    "Macau": "MO",
    "Macao": "MO",
    "China": "CN",
    "People's Republic of China": "CN",
    "Mainland China": "CN",
    "Democratic Republic of the Congo": "CD",
    "DR Congo": "CD",
    "DRC": "CD",
    "Republic of the Congo": "CG",
    "Congo-Brazzaville": "CG",
    "Congo-Kinshasa": "CD",
    "UAE": "AE",
}

#: Historical states, disputed or partially recognised entities, and regions
#: that some sources give as a country. Each maps to the ISO code of the
#: territory the place is in today; the comment states the rule. The label is
#: only a hint: where a historical entity now spans several countries, the
#: place's coordinates (see gazetteer.nearest) are the better evidence.
HISTORICAL_OR_DISPUTED: Final[dict[str, str]] = {
    "Kosovo": "XK",  # not in ISO 3166-1; XK is the user-assigned code (EU, IMF, CLDR)
    "Republic of Kosovo": "XK",  # official name of the same entity -> XK
    "Taiwan": "TW",  # ISO lists TW (as "Taiwan, Province of China"); we use the code, not the wording
    "Republic of China": "TW",  # official name of the state that governs only Taiwan since 1949
    "Palestine": "PS",  # ISO 3166-1 PS ("Palestine, State of")
    "State of Palestine": "PS",  # ISO's own name for PS
    "Palestinian Territories": "PS",  # CLDR's English name for PS
    "Occupied Palestinian Territory": "PS",  # UN usage for the same territory
    "Palestinian National Authority": "PS",  # the governing authority, mapped to the territory it administers
    "Palestinian Authority": "PS",  # short form of the above
    "Gaza Strip": "PS",  # part of the territory coded PS
    "West Bank": "PS",  # part of the territory coded PS (includes settlements such as Ariel)
    # 1920-1948 British mandate, now split between IL and PS. Mapped to PS as
    # the platform decided; Wikidata's one node with this label (Kiryat
    # Motzkin) lies in today's Israel, so importers should prefer coordinates.
    "Mandatory Palestine": "PS",
    "Kingdom of Romania": "RO",  # predecessor state (1881-1947) -> successor state's code
    "Turkish Republic of Northern Cyprus": "CY",  # recognised only by Turkey; ISO codes the whole island CY
    "Northern Cyprus": "CY",  # short form of the above
    "Somaliland": "SO",  # self-declared (1991), unrecognised; ISO treats it as part of Somalia
    "Sahrawi Arab Democratic Republic": "EH",  # claims Western Sahara; ISO EH is that territory
    "Western Sahara": "EH",  # ISO 3166-1 EH
    "West Germany": "DE",  # merged into today's Germany in 1990, same code
    "East Germany": "DE",  # idem
    "German Democratic Republic": "DE",  # idem
    "Zaire": "CD",  # former name of the same state
    "Ceylon": "LK",  # former name of the same state
    "Siam": "TH",  # former name of the same state
    "Dahomey": "BJ",  # former name of the same state
    "Upper Volta": "BF",  # former name of the same state
}

#: Names that must stay unresolved because they do not identify one current
#: country: dissolved states with several successors, and short forms shared by
#: two states. Returning None sends the row to a human instead of guessing.
#: "Congo" is NOT here although people use it for both states: it is the ISO
#: 3166-1 short name of CG (and CLDR's Spanish name for it), so it resolves
#: to CG like any official name; a DR Congo city then fails the gazetteer
#: check in CG instead of being silently accepted.
AMBIGUOUS_FORMS: Final[frozenset[str]] = frozenset(
    {
        "Korea",  # KR or KP
        "Soviet Union",
        "USSR",
        "Yugoslavia",
        "Czechoslovakia",
        "Serbia and Montenegro",
        "Virgin Islands",  # VG or VI
    }
)

#: Words left out of the compact key: connectives and prepositions in the
#: supported languages, so "Bosnia & Herzegovina" = "Bosnia and Herzegovina"
#: and "Trinidad y Tobago" = "Trinidad and Tobago".
_CONNECTIVES: Final = frozenset(
    "and y e et und the of de del da das do dos des du di la las los le les".split()
)

# Source ranks, strongest first (see module docstring).
_RANK_AMBIGUOUS, _RANK_TABLE, _RANK_PYCOUNTRY, _RANK_CLDR, _RANK_DERIVED = range(5)

_REGIONAL_INDICATOR_A: Final = 0x1F1E6


def _compact(key: str) -> str:
    """The key without connectives (falls back to the key if nothing is left)."""
    words = [w for w in key.split() if w not in _CONNECTIVES]
    return "".join(words) if words else key.replace(" ", "")


def _derived_forms(name: str) -> Iterator[str]:
    """Rank-5 forms: inverted "X, Y of" and parenthesised alternatives."""
    if "(" in name and ")" in name:
        head, _, rest = name.partition("(")
        inner = rest.partition(")")[0]
        yield head
        yield inner
    if "," in name:
        head, _, tail = name.partition(",")
        yield f"{tail} {head}"  # "Korea, Republic of" -> "Republic of Korea"
        yield head


class _Index:
    """Maps name keys (and compact keys) to codes; None marks an ambiguous key."""

    def __init__(self) -> None:
        self.exact: dict[str, str | None] = {}
        self.compact: dict[str, str | None] = {}
        #: (key, codes) pairs dropped because one rank gave them two codes.
        self.conflicts: list[tuple[str, frozenset[str]]] = []

    def add_rank(self, rank: int, pairs: Iterable[tuple[str, str | None]]) -> None:
        """Add (name, code) pairs of one rank; stronger ranks must come first."""
        exact: dict[str, set[str | None]] = {}
        compact: dict[str, set[str | None]] = {}
        for name, code in pairs:
            key = name_key(name)
            if not key:
                continue
            exact.setdefault(key, set()).add(code)
            compact.setdefault(_compact(key), set()).add(code)
        for target, found, record in ((self.exact, exact, True), (self.compact, compact, False)):
            for key, codes in found.items():
                if key in target:
                    continue  # a stronger rank already decided this key
                if len(codes) == 1:
                    target[key] = next(iter(codes))
                else:
                    target[key] = None
                    if record and rank != _RANK_AMBIGUOUS:
                        self.conflicts.append((key, frozenset(c for c in codes if c)))


def _pycountry_names() -> Iterator[tuple[str, str]]:
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                yield value, country.alpha_2


def _cldr_names() -> Iterator[tuple[str, str]]:
    valid = country_codes()
    for language in NAME_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            # CLDR also names regions ("001", "EU", "Eurozone"); keep countries.
            if code in valid:
                yield name, code


@functools.cache
def _index() -> _Index:
    """Build the name index once per process (about 0.2 s)."""
    index = _Index()
    index.add_rank(_RANK_AMBIGUOUS, ((name, None) for name in AMBIGUOUS_FORMS))
    index.add_rank(_RANK_TABLE, [*HISTORICAL_OR_DISPUTED.items(), *COMMON_FORMS.items()])
    pycountry_pairs = list(_pycountry_names())
    index.add_rank(_RANK_PYCOUNTRY, pycountry_pairs)
    cldr_pairs = list(_cldr_names())
    index.add_rank(_RANK_CLDR, cldr_pairs)
    index.add_rank(
        _RANK_DERIVED,
        ((form, code) for name, code in [*pycountry_pairs, *cldr_pairs] for form in _derived_forms(name)),
    )
    return index


@functools.cache
def country_codes() -> frozenset[str]:
    """All accepted alpha-2 codes: ISO 3166-1 plus :data:`USER_ASSIGNED_CODES`."""
    return frozenset(c.alpha_2 for c in pycountry.countries) | frozenset(USER_ASSIGNED_CODES)


@functools.cache
def _alpha3_to_alpha2() -> Mapping[str, str]:
    table = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    table.update({a3: a2 for a2, a3 in USER_ASSIGNED_CODES.items()})
    return table


@functools.cache
def _numeric_to_alpha2() -> Mapping[str, str]:
    return {c.numeric: c.alpha_2 for c in pycountry.countries}


def _flag_code(text: str) -> str | None:
    """Decode the first flag emoji (a pair of regional indicators) in ``text``."""
    letters = [
        chr(ord(ch) - _REGIONAL_INDICATOR_A + ord("A")) for ch in text if 0x1F1E6 <= ord(ch) <= 0x1F1FF
    ]
    if len(letters) >= 2:
        return "".join(letters[:2])
    return None


def _code_lookup(token: str) -> str | None:
    """Resolve a bare code: alpha-2, alpha-3 (any case) or ISO numeric."""
    if token.isdigit():
        return _numeric_to_alpha2().get(token.zfill(3)) if len(token) <= 3 else None
    if not token.isalpha():
        return None
    upper = token.upper()
    if len(upper) == 2:
        upper = CODE_ALIASES.get(upper, upper)
        return upper if upper in country_codes() else None
    if len(upper) == 3:
        return _alpha3_to_alpha2().get(upper)
    return None


@functools.lru_cache(maxsize=8192)
def country_resolve(text: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a country written as ``text``.

    Accepts alpha-2, alpha-3 and numeric codes in any case, English,
    Spanish, French, Portuguese, German and Italian names, pycountry's
    official and common names, and the forms in :data:`COMMON_FORMS` and
    :data:`HISTORICAL_OR_DISPUTED`. Emoji are ignored ("israel🇮🇱🇮🇱" ->
    "IL"); a text that is only a flag resolves through the flag. Kosovo gives
    the user-assigned "XK".

    Returns None when the text is empty, unknown or ambiguous (see
    :data:`AMBIGUOUS_FORMS`): never a guess.
    """
    if not text or not text.strip():
        return None
    key = name_key(text)
    if not key:
        # Only symbols: perhaps a flag emoji.
        flag = _flag_code(text)
        return flag if flag in country_codes() else None
    if " " not in key and len(key) <= 3:
        code = _code_lookup(key)
        if code is not None:
            return code
    index = _index()
    if key in index.exact:
        return index.exact[key]
    compact = _compact(key)
    if compact in index.compact:
        return index.compact[compact]
    return None


def index_conflicts() -> list[tuple[str, frozenset[str]]]:
    """Keys dropped because one source gave them to two countries.

    Exposed so tests (and curious maintainers) can see what was not guessed.
    """
    return list(_index().conflicts)


@functools.cache
def _locale(language: str) -> Locale:
    return Locale.parse(language.replace("-", "_"))


def country_name(code: str, language: str = "en") -> str:
    """Return the display name of a country code in ``language`` (CLDR via babel).

    ``code`` is an alpha-2 (or alpha-3) code in any case, including "XK".
    ``language`` is a locale identifier such as "en", "es", "pt_BR" or
    "pt-BR". Falls back to pycountry's English name when CLDR has none.

    Raises LookupError for an unknown code and ValueError for an unknown
    language, because a wrong label is worse than an error on a display path.
    """
    resolved = _code_lookup(code.strip())
    if resolved is None:
        raise LookupError(f"unknown country code: {code!r}")
    try:
        locale = _locale(language)
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"unknown language: {language!r}") from exc
    name = locale.territories.get(resolved)
    if name:
        return unicodedata.normalize("NFC", name)
    country = pycountry.countries.get(alpha_2=resolved)
    if country is None:  # pragma: no cover - every accepted code has a CLDR name
        raise LookupError(f"no name for country code: {code!r}")
    return str(getattr(country, "common_name", None) or country.name)
