"""The interface is fully translated into Spanish, Portuguese and French.

The .po catalogues in citydiplo/locale are read with a small parser (no polib: it is not a dependency),
and the committed .mo files with the standard library's gettext, which is what Django loads. When a test
here fails after new strings were added, run scripts/i18n_update.sh, translate what it lists, and run it
again.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

LANGUAGES = ["es", "pt", "fr"]
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
# An app may keep its own catalogue in citydiplo/<app>/locale (makemessages sends the strings of the files
# below such a folder there); each is held to the same rules as the main one.
CATALOGUES = [LOCALE_DIR, *sorted(LOCALE_DIR.parent.glob("*/locale"))]
CATALOGUE_LANGS = [
    pytest.param(folder, lang, id=f"{folder.parent.name}-{lang}")
    for folder in CATALOGUES
    for lang in LANGUAGES
]


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        """The key gettext uses in a .mo catalogue."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def read_po(path: Path) -> list[Entry]:
    """Every live entry of a .po file, the header (msgid "") first; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None  # which field continuation lines ("...") extend
    pending_flags: set[str] = set()

    def finish() -> None:
        nonlocal entry, target
        if entry is not None:
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            keyword, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            if keyword in ("msgctxt", "msgid") and entry is not None and entry.msgstr:
                finish()  # a new entry without a blank line between
            if entry is None:
                entry, pending_flags = Entry(flags=pending_flags, line=number), set()
            if keyword == "msgstr" or index is not None:
                slot = int(index) if index is not None else 0
                entry.msgstr[slot] = text
                target = ("msgstr", slot)
            else:
                setattr(entry, keyword, text)
                target = (keyword, None)
            continue
        if line.startswith('"') and entry is not None and target is not None:
            text = ast.literal_eval(line)
            name, index_of = target
            if name == "msgstr":
                assert index_of is not None
                entry.msgstr[index_of] += text
            else:
                setattr(entry, name, getattr(entry, name) + text)
            continue
        raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def po_path(lang: str, folder: Path = LOCALE_DIR) -> Path:
    return folder / lang / "LC_MESSAGES" / "django.po"


def header_of(entries: list[Entry]) -> dict[str, str]:
    head = entries[0]
    assert head.msgid == "", "the .po file must start with its header"
    fields = {}
    for line in head.msgstr[0].splitlines():
        name, _sep, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def nplurals(entries: list[Entry]) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", header_of(entries).get("Plural-Forms", ""))
    assert found, "the header must give Plural-Forms"
    return int(found.group(1))


# Python %-format conversions, as in "%(name)s", "%(count)d", "%(size).1f" and "%s".
NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_exists_and_names_its_language(lang: str) -> None:
    entries = read_po(po_path(lang))
    header = header_of(entries)
    assert header.get("Language") == lang
    assert "charset=UTF-8" in header.get("Content-Type", "")
    assert "fuzzy" not in entries[0].flags, "a fuzzy header is dropped by msgfmt, and the plural rule with it"
    assert len(entries) > 100


@pytest.mark.parametrize(("folder", "lang"), CATALOGUE_LANGS)
def test_every_message_is_translated_and_none_is_fuzzy(folder: Path, lang: str) -> None:
    entries = read_po(po_path(lang, folder))
    forms = nplurals(entries)
    untranslated, fuzzy = [], []
    for entry in entries[1:]:
        where = f"line {entry.line}: {entry.msgid[:70]!r}"
        if "fuzzy" in entry.flags:
            fuzzy.append(where)
        expected = forms if entry.msgid_plural is not None else 1
        if sorted(entry.msgstr) != list(range(expected)) or not all(
            text.strip() for text in entry.msgstr.values()
        ):
            untranslated.append(where)
    assert not untranslated, f"{len(untranslated)} untranslated in {lang}: " + "; ".join(untranslated[:20])
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {lang} (check and remove the flag): " + "; ".join(fuzzy[:20])


@pytest.mark.parametrize(("folder", "lang"), CATALOGUE_LANGS)
def test_translations_keep_placeholders_and_tags(folder: Path, lang: str) -> None:
    problems = []
    for entry in read_po(po_path(lang, folder))[1:]:
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
        allowed = {name for text in sources for name in NAMED.findall(text)}
        for text in entry.msgstr.values():
            if not text:
                continue  # reported by the completeness test
            where = f"line {entry.line}: {text[:70]!r}"
            unknown = set(NAMED.findall(text)) - allowed
            if unknown:
                problems.append(f"{where} has unknown placeholders {sorted(unknown)}")
            if entry.msgid_plural is None and set(NAMED.findall(text)) != allowed:
                problems.append(f"{where} drops placeholders {sorted(allowed - set(NAMED.findall(text)))}")
            if "python-format" in entry.flags:
                plain = text.replace("%%", "")
                if len(POSITIONAL.findall(plain)) != len(POSITIONAL.findall(entry.msgid.replace("%%", ""))):
                    problems.append(f"{where} changes the %s placeholders")
                if plain.count("%") != len(NAMED.findall(plain)) + len(POSITIONAL.findall(plain)):
                    problems.append(f"{where} has a stray % (write %% for a percent sign)")
            if sorted(TAG.findall(text)) != sorted(TAG.findall(entry.msgid)):
                problems.append(f"{where} changes the HTML tags")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("folder", "lang"), CATALOGUE_LANGS)
def test_compiled_catalogue_matches_the_po_file(folder: Path, lang: str) -> None:
    """The .mo files are committed (the demo needs no gettext): they must be compiled from the current .po."""
    entries = read_po(po_path(lang, folder))
    mo = po_path(lang, folder).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = compiled._catalog  # type: ignore[attr-defined]
    stale = []
    for entry in entries[1:]:
        if entry.msgid_plural is None:
            if catalog.get(entry.key) != entry.msgstr[0]:
                stale.append(entry.msgid[:70])
        elif any(catalog.get((entry.key, i)) != text for i, text in entry.msgstr.items()):
            stale.append(entry.msgid[:70])
    assert not stale, f"{len(stale)} messages differ in {mo.name}, run compilemessages: {stale[:10]}"


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        # French treats 0 as singular; Spanish has a third form for round millions ("1 000 000 de ...").
        ("es", {0: 2, 1: 0, 2: 2, 1_000_000: 1}),
        ("pt", {0: 1, 1: 0, 2: 1}),
        ("fr", {0: 0, 1: 0, 2: 1}),
    ],
)
def test_compiled_catalogue_has_the_language_plural_rule(lang: str, counts: dict[int, int]) -> None:
    with po_path(lang).with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert {n: compiled.plural(n) for n in counts} == counts  # type: ignore[attr-defined]


# The nav's "Networks" and the home page heading, as each language shows them.
HOME = {
    "es": ("Redes", "La acción internacional de los gobiernos locales"),
    "pt": ("Redes", "A ação internacional dos governos locais"),
    "fr": ("Réseaux", "L'action internationale des collectivités locales"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_under_the_language_prefix_is_translated(client: Client, lang: str) -> None:
    networks, heading = HOME[lang]
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f'<a href="/{lang}/registry/networks/">{networks}</a>' in html
    assert heading in unescape(html)
    assert ">Networks<" not in html


@pytest.mark.django_db
def test_home_page_without_prefix_is_english(client: Client) -> None:
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert '<a href="/registry/networks/">Networks</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_switcher_leads_to_the_translated_page(client: Client, lang: str) -> None:
    response = client.post("/i18n/setlang/", {"language": lang, "next": "/registry/networks/"})
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/registry/networks/"
    html = client.get(response["Location"]).content.decode()
    assert f'<html lang="{lang}">' in html
    assert {"es": "Redes y alianzas", "pt": "Redes e alianças", "fr": "Réseaux et alliances"}[lang] in html
