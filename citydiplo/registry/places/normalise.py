"""Comparison keys for place names written in many languages and scripts.

Imported city lists spell the same place in many ways ("Ciudad de México" /
"Mexico City", "St. Petersburg" / "Sankt-Peterburg" / "Санкт-Петербург",
"L'Aquila" / "Aquila"). This module turns a name into a *key*: a short,
lower-case, ASCII string that two spellings share when they differ only in
case, accents, script, punctuation or a handful of well-known abbreviations.

The key is for *matching*, never for display: it drops information (accents,
leading articles, punctuation) on purpose. Two different places can share a
key (that is why :func:`~citydiplo.registry.places.gazetteer.Gazetteer.lookup`
returns a list), and the key is deliberately conservative about merging words
that only look alike across languages (see :data:`SAINT_FORMS`).

This module is pure Python (no Django import) so that importers, the CLI and
Django code can all share it.

Rules applied by :func:`name_key`, in order:

1. Unicode NFKC (folds ligatures, full-width and compatibility forms).
2. Symbols and invisible format characters are removed: emoji, flags
   (regional indicators), zero-width joiners. They never carry name content
   and show up in scraped data ("israel🇮🇱🇮🇱").
3. Case folding (``str.casefold``, so "ß" -> "ss").
4. Transliteration to ASCII with ``anyascii``: this strips accents and
   diacritics ("é" -> "e", "ø" -> "o", "ł" -> "l") and romanises non-Latin
   scripts ("Москва" -> "moskva", "モンテビデオ" -> "montebideo").
5. Dotted acronyms are closed up ("U.S.A." and "U. S. A." -> "usa",
   "D.C." -> "dc"), so that they survive rule 6 as one word.
6. Every other punctuation mark, hyphen and apostrophe becomes a word
   boundary; whitespace is collapsed ("Saint-Étienne" -> "saint etienne",
   "Côte d'Ivoire" -> "cote d ivoire").
7. Saint abbreviations are unified (see :data:`SAINT_FORMS`).
8. One leading article is dropped (see :data:`LEADING_ARTICLES`), as is an
   article inverted behind a comma ("Hague, The"), but never when the
   article is the whole name.

:func:`name_variants` adds keys without administrative words ("City of X",
"X Municipality"); see :data:`ADMIN_PREFIXES` and :data:`ADMIN_SUFFIXES`.

Speed matters because the gazetteer folds ~900k names on a cold start: rules
2 and 4 run together, after 3, through one cached translation table (same
result as the order above, since all three work character by character), and
rules 5-8 run as regular expressions over many names at once
(:func:`name_variants_many`). :func:`name_key` goes through the very same
code with a single name, and the tests compare both with a plain token-by-
token implementation of the rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Final

from anyascii import anyascii

__all__ = [
    "ADMIN_PREFIXES",
    "ADMIN_SUFFIXES",
    "LEADING_ARTICLES",
    "SAINT_FORMS",
    "name_key",
    "name_variants",
    "name_variants_many",
]

#: Unicode categories removed before transliteration. ``So`` holds emoji and
#: the regional-indicator letters that make up flags; anyascii would otherwise
#: turn them into text (a flag becomes its country code, a pin becomes
#: ":round_pushpin:"). ``Cf`` are invisible format characters (zero-width
#: joiner/non-joiner, bidi marks); ``Co``/``Cs`` are private-use and lone
#: surrogates.
_DROPPED_CATEGORIES: Final = frozenset({"So", "Cf", "Co", "Cs"})

#: Saint forms. "St", "St." (the dot is punctuation and goes in rule 6),
#: "Saint" and the German/Scandinavian "Sankt" all mean the masculine saint
#: and become "saint"; the French feminine "Ste"/"Sainte" becomes "sainte".
#: Deliberately NOT merged: Spanish/Italian "San"/"Santa"/"Santo", Portuguese
#: "São"/"Santa", Catalan "Sant", Dutch "Sint". They are the same word in other
#: languages, but merging them makes "San Francisco" equal "Saint Francis" and
#: "Santa Cruz" equal "Sainte-Croix", which are different places; and a
#: place's own-language form is what gazetteers record, so merging buys little.
SAINT_FORMS: Final[dict[str, str]] = {
    "st": "saint",
    "saint": "saint",
    "sankt": "saint",
    "ste": "sainte",
    "sainte": "sainte",
}

#: Leading articles dropped by :func:`name_key`: whole tokens only, in
#: English, Spanish, French, Portuguese and Italian, plus the elided "l'"
#: (French/Italian, "L'Aquila"). "de"/"di"/"do" are prepositions, not
#: articles, and Dutch/German articles ("De Bilt", "Den Haag") are out of
#: scope, so they stay. A single-letter article ("o", "a") only counts when
#: separated by a space: the "O" of "O'Higgins" is part of a surname.
#: Dropping the article makes "The Hague"/"Hague", "La Coruña"/"A Coruña" and
#: "Le Havre"/"Havre" equal; the price is that "Los Angeles" shares a key with
#: "Angeles" (Philippines), which callers resolve with the country.
LEADING_ARTICLES: Final = frozenset(
    {"the", "la", "el", "le", "les", "los", "las", "l'", "o", "a", "os", "as", "il", "lo"}
)

#: Administrative words placed *before* a place name ("City of Sydney",
#: "Ciudad de México", "Comune di Roma"). Matched on whole tokens after
#: rules 1-8, so accents and case do not matter. Longest forms first so that
#: "Prefeitura Municipal de X" loses the whole prefix. Not included on
#: purpose: "Metropolitan City of X" (Italy: a province-level body, a different
#: entity from the city) and forms with an elided "d'" ("Ville-d'Avray" is
#: itself a town).
ADMIN_PREFIXES: Final[tuple[tuple[str, ...], ...]] = (
    ("prefeitura", "municipal", "de"),
    ("camara", "municipal", "de"),
    ("municipal", "council", "of"),
    ("city", "council", "of"),
    ("city", "of"),
    ("town", "of"),
    ("village", "of"),
    ("municipality", "of"),
    ("ciudad", "de"),
    ("municipio", "de"),
    ("municipalidad", "de"),
    ("ayuntamiento", "de"),
    ("alcaldia", "de"),
    ("intendencia", "de"),
    ("ville", "de"),
    ("mairie", "de"),
    ("commune", "de"),
    ("prefeitura", "de"),
    ("cidade", "de"),
    ("municipio", "do"),
    ("comune", "di"),
    ("citta", "di"),
    ("landeshauptstadt",),
    ("hansestadt",),
    ("stadt",),
)

#: Administrative words placed *after* a place name ("Quezon City",
#: "Istanbul Metropolitan Municipality", "Busan Metropolitan City"). Longest
#: first. "Town" is not here: "Cape Town" is not a town called "Cape".
ADMIN_SUFFIXES: Final[tuple[tuple[str, ...], ...]] = (
    ("metropolitan", "municipality"),
    ("metropolitan", "city"),
    ("special", "city"),
    ("municipality",),
    ("city",),
)

_PREFIX_FIRST_TOKENS: Final = frozenset(p[0] for p in ADMIN_PREFIXES)
_SUFFIX_LAST_TOKENS: Final = frozenset(s[-1] for s in ADMIN_SUFFIXES)

# The rules after transliteration (5-8) run as regular expressions over
# *lines*: one name per line, so the gazetteer can normalise its ~900k names
# in a handful of C-level passes over one big string instead of a Python loop
# per name. name_key() uses the very same code on a single line, so bulk and
# single results cannot drift apart. "[^\S\n]" is "whitespace but not a line
# break", so no pattern ever reaches across two names.

# Rule 5: a run of at least two "letter + dot" pairs, spaces allowed between.
# "\b" (ASCII) says the first letter starts a word; it is much faster here
# than the equivalent look-behind.
_ACRONYM_RE: Final = re.compile(r"\b[a-z]\.(?:[^\S\n]*[a-z]\.)+", re.ASCII)
_NON_LETTER_RE: Final = re.compile(r"[^a-z]")
# Rule 8, inverted form: ", the" at the very end of a name ("Gambia, The").
_INVERTED_ARTICLE_RE: Final = re.compile(
    r",[^\S\n]*(?:the|la|le|el|les|los|las|il|lo)[^\S\n]*$", re.MULTILINE
)
# Rule 6. A word is a run of ASCII letters/digits, optionally followed by one
# apostrophe that is kept until rule 8 has run, so that it can tell "l'"
# (elided article) from "o'" (Irish surname) and from a free-standing "o".
# First everything that is neither a word character nor an apostrophe nor a
# line break becomes a space...
_SEPARATORS_RE: Final = re.compile(r"[^a-z0-9'\n]+")
# ...then apostrophes: one is kept right after a word, and ends it; any other
# is a separator (see _keep_apostrophe).
_APOSTROPHES_RE: Final = re.compile(r"'+")
_WORD_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
# ...then runs of spaces are collapsed (lines are trimmed with str.replace).
_SPACES_RE: Final = re.compile(r" {2,}")
# Rule 7 on whole words (a word is delimited by spaces or line ends). It
# starts with the literal "s" so that the engine can skip to candidates.
_SAINT_RE: Final = re.compile(r"s(?<![^ \n]s)(?:t|ankt|te)(?![^ \n])")
# Rule 8: a leading article followed by at least one more word on its line.
_ARTICLE_RE: Final = re.compile(
    r"^(?:" + "|".join(re.escape(a) for a in sorted(LEADING_ARTICLES, key=len, reverse=True)) + r") (?=.)",
    re.MULTILINE,
)
# Prefix/suffix test on a normalised line, done with str.startswith/endswith
# (in C) so that only candidate lines reach the token-level code.
_PREFIX_STARTS: Final = tuple(f"{first} " for first in sorted(_PREFIX_FIRST_TOKENS))
_SUFFIX_ENDS: Final = tuple(f" {last}" for last in sorted(_SUFFIX_LAST_TOKENS))
# Apostrophe-like characters that survive transliteration as something other
# than "'" (anyascii maps the Hawaiian/Uzbek okina "ʻ" to a backtick).
_APOSTROPHE_TABLE: Final = str.maketrans({"`": "'"})


class _Transliteration(dict[int, str | None]):
    """``str.translate`` table for rules 2 and 4, filled on demand.

    Each code point maps to ``None`` (deleted: emoji, flags, invisible
    format characters, see :data:`_DROPPED_CATEGORIES`) or to its anyascii
    transliteration, which accents and diacritics map to the bare letter.
    anyascii works character by character, so translating with this table
    gives the same result as calling anyascii, but a seen character costs
    one C-level dict lookup instead of a Python loop step: this is what
    makes folding the gazetteer's ~900k names affordable.
    """

    def __missing__(self, codepoint: int) -> str | None:
        char = chr(codepoint)
        value = None if unicodedata.category(char) in _DROPPED_CATEGORIES else anyascii(char)
        self[codepoint] = value
        return value


_TRANSLITERATION: Final = _Transliteration()


def _fold_non_ascii(text: str) -> str:
    """Rules 1-4 for text that is not pure ASCII (result may keep capitals)."""
    # NFKC first (ligatures, full-width forms), then casefold ("ß" -> "ss"),
    # then the table. anyascii can emit capitals (Chinese pinyin syllables);
    # the caller lower-cases everything at the end.
    return unicodedata.normalize("NFKC", text).casefold().translate(_TRANSLITERATION)


def _ascii_fold_all(texts: Sequence[str]) -> list[str]:
    """Rules 1-4 for many texts: ASCII renderings, one per text, no line breaks.

    Pure-ASCII texts (most gazetteer names) pass through untouched, since
    NFKC, casefolding and transliteration are identities on ASCII and
    lower-casing is done later for everything at once. The other texts are
    folded together as one string: every step is per character, so joining
    them with line breaks changes nothing and saves a Python call per name.
    """
    if len(texts) == 1:
        text = texts[0]
        return [text if text.isascii() else _fold_non_ascii(text)]
    folded = list(texts)
    positions = [i for i, text in enumerate(texts) if not text.isascii()]
    if positions:
        blob = _fold_non_ascii("\n".join(texts[i] for i in positions))
        parts = blob.split("\n")
        if len(parts) != len(positions):
            # Some name held (or folded into) a line break: go one by one.
            parts = [_fold_non_ascii(texts[i]) for i in positions]
        for i, part in zip(positions, parts, strict=True):
            folded[i] = part
    return folded


def _close_acronym(match: re.Match[str]) -> str:
    return _NON_LETTER_RE.sub("", match.group(0))


def _keep_apostrophe(match: re.Match[str]) -> str:
    start = match.start()
    after_word = start > 0 and match.string[start - 1] in _WORD_CHARS
    return "' " if after_word else " "


def _normalise_lines(texts: Sequence[str]) -> list[str]:
    """Rules 1-8 for each text. Returns one normalised line per text: words
    separated by single spaces, a word may still end in an apostrophe.

    Each pass is skipped when its trigger character is absent: that changes
    nothing in the result and saves most of the cost for a single short name
    (a lookup), where the per-call overhead of a regex dominates.
    """
    folded = _ascii_fold_all(texts)
    blob = "\n".join(folded)
    if blob.count("\n") != len(folded) - 1:
        # A name contained a line break: make it a plain space first.
        blob = "\n".join(f.replace("\n", " ") for f in folded)
    blob = blob.lower()
    if "." in blob:
        blob = _ACRONYM_RE.sub(_close_acronym, blob)
    if "," in blob:
        blob = _INVERTED_ARTICLE_RE.sub("", blob)
    if "`" in blob:
        blob = blob.translate(_APOSTROPHE_TABLE)
    blob = _SEPARATORS_RE.sub(" ", blob)
    if "'" in blob:
        blob = _APOSTROPHES_RE.sub(_keep_apostrophe, blob)
    if "  " in blob:
        blob = _SPACES_RE.sub(" ", blob)
    if " \n" in blob or "\n " in blob:
        blob = blob.replace(" \n", "\n").replace("\n ", "\n")
    blob = blob.strip(" ")
    if "st" in blob or "sankt" in blob:
        blob = _SAINT_RE.sub(_saint_word, blob)
    if " " in blob:
        blob = _ARTICLE_RE.sub("", blob)
    return blob.split("\n")


def _saint_word(match: re.Match[str]) -> str:
    return SAINT_FORMS[match.group(0)]


def _drop_article(tokens: Sequence[str]) -> Sequence[str]:
    """Rule 8 on a token list: drop one leading article unless it is the whole name."""
    if len(tokens) > 1 and tokens[0] in LEADING_ARTICLES:
        return tokens[1:]
    return tokens


def _join(tokens: Sequence[str]) -> str:
    """Finish rule 6: apostrophes, kept for rule 8, become plain boundaries."""
    # Apostrophes only ever survive at the end of a token, so deleting them
    # all is the same as stripping each token.
    return " ".join(tokens).replace("'", "")


def name_key(text: str) -> str:
    """Return the comparison key of a place (or country) name.

    Two names get the same key when they differ only in case, accents,
    script, punctuation, hyphens/apostrophes, the spelling of "Saint" or a
    leading article. See the module docstring for the exact rules. Returns
    "" for text with no letters or digits (e.g. only emoji).

    >>> name_key("Saint-Étienne") == name_key("ST ETIENNE")
    True
    """
    return _normalise_lines((text,))[0].replace("'", "")


def _strip_affixes(tokens: Sequence[str]) -> list[Sequence[str]]:
    """Token lists left after removing one admin prefix and/or suffix."""
    out: list[Sequence[str]] = []
    stripped_prefix: Sequence[str] | None = None
    if tokens and tokens[0] in _PREFIX_FIRST_TOKENS:
        for prefix in ADMIN_PREFIXES:
            n = len(prefix)
            if len(tokens) > n and tuple(tokens[:n]) == prefix:
                stripped_prefix = tokens[n:]
                out.append(stripped_prefix)
                break
    if tokens and tokens[-1] in _SUFFIX_LAST_TOKENS:
        for suffix in ADMIN_SUFFIXES:
            n = len(suffix)
            if len(tokens) > n and tuple(tokens[-n:]) == suffix:
                out.append(tokens[:-n])
                # "City of X Municipality": both at once.
                if stripped_prefix is not None and len(stripped_prefix) > n:
                    out.append(stripped_prefix[:-n])
                break
    return out


def _line_variants(line: str) -> list[str]:
    """Admin-stripped keys of a normalised line (without the base key)."""
    variants: list[str] = []
    for stripped in _strip_affixes(line.split(" ")):
        # The remainder may start with its own article ("Ciudad de La Paz"),
        # which name_key("La Paz") would also drop.
        key = _join(_drop_article(stripped))
        if key and key not in variants:
            variants.append(key)
    return variants


def name_variants(text: str) -> list[str]:
    """Return the key of ``text`` followed by keys with admin words removed.

    The first element is always :func:`name_key` of ``text`` (even if it is
    ""). Further elements drop one administrative prefix from
    :data:`ADMIN_PREFIXES` ("City of X", "Ciudad de X", "Comune di X",
    "Ville de X", "Prefeitura de X", ...) and/or one suffix from
    :data:`ADMIN_SUFFIXES` ("X City", "X Municipality"), never leaving an
    empty key. The list has no duplicates.

    These are *candidates*: "Mexico City" yields "mexico", which is also a
    country and other towns' name. Callers should try the base key first and
    fall back to the variants, as :meth:`Gazetteer.lookup` does.

    >>> name_variants("Ciudad de México")
    ['ciudad de mexico', 'mexico']
    """
    line = _normalise_lines((text,))[0]
    variants = [line.replace("'", "")]
    if line.startswith(_PREFIX_STARTS) or line.endswith(_SUFFIX_ENDS):
        variants.extend(_line_variants(line))
    return variants


def name_variants_many(texts: Sequence[str]) -> tuple[list[str], dict[int, list[str]]]:
    """Bulk :func:`name_variants` for large lists (importers, the gazetteer).

    Returns ``(keys, extra)``: ``keys[i]`` is ``name_key(texts[i])``, and
    ``extra[i]``, present only for texts with an admin prefix or suffix, holds
    the further variants. Sparse on purpose: fewer than 1% of GeoNames names
    have any, and one list per name would cost more than the folding.
    About 3x faster per name than calling name_variants() in a loop.
    """
    lines = _normalise_lines(texts)
    extra: dict[int, list[str]] = {}
    for i, line in enumerate(lines):
        if line.startswith(_PREFIX_STARTS) or line.endswith(_SUFFIX_ENDS):
            variants = _line_variants(line)
            if variants:
                extra[i] = variants
    # One C-level pass strips the apostrophes of every line at once.
    return "\n".join(lines).replace("'", "").split("\n"), extra
