"""Step `sdg`: the SDG framework (goals, targets, indicators) from DIR/sdg/.

    DIR/sdg/un-framework-2025/sdg_goals_2025.csv, sdg_targets_2025.csv, sdg_indicators_2025.csv
        the UN global indicator framework after the 2025 review: the authoritative list of codes, English
        titles and UNSD indicator codes (public UN document, A/RES/71/313 and later refinements)
    DIR/sdg/translations-opensdg/sdg_goals_targets_indicators_en_es_fr.csv
        titles in English, Spanish and French from Open SDG (MIT)

Open SDG's list predates the 2025 review: some indicators were reworded since, so their Spanish and French
titles describe the old wording. A translation is kept only when Open SDG's English title is the UN's
(up to typography); otherwise it is left empty and flagged, so English shows instead of an outdated text.

The goals' short names are the product's own (citydiplo/strategy/goals.py) and are refreshed here too.
Every file is read and checked before anything is written; a second run reports everything unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citydiplo.interchange.errors import ImportFailed, RowError
from citydiplo.interchange.reference.context import LoadContext
from citydiplo.interchange.reference.sources import _table
from citydiplo.strategy.goals import goals_install
from citydiplo.strategy.models import SdgGoal, SdgIndicator, SdgTarget

SDG_FOLDER = "sdg"
UN_FOLDER = "un-framework-2025"
OPENSDG_FOLDER = "translations-opensdg"
GOALS_FILE = "sdg_goals_2025.csv"
TARGETS_FILE = "sdg_targets_2025.csv"
INDICATORS_FILE = "sdg_indicators_2025.csv"
TRANSLATIONS_FILE = "sdg_goals_targets_indicators_en_es_fr.csv"

_TARGET = re.compile(r"^([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])$")
_INDICATOR = re.compile(r"^([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])\.[1-9][0-9]?$")
_UNSD = re.compile(r"^C[0-9]{3}[0-9a-z][0-9]{2}$")
# A footnote call left at the end of a title by the PDF/XLSX export: "... and its impacts3".
_FOOTNOTE = re.compile(r"(?<=[a-z])[0-9]{1,2}$")
_TYPOGRAPHY = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
    }
)


def sdg_folder(data_dir: Path | None) -> Path | None:
    return data_dir / SDG_FOLDER if data_dir is not None else None


def sdg_skip_reason(data_dir: Path | None) -> str:
    """Why the sdg group cannot run (empty when it can). The loader skips it with this notice unless the
    group was asked for by name, in which case the missing folder is an error."""
    folder = sdg_folder(data_dir)
    if folder is None:
        return "no data directory (CITYDIPLO_REFERENCE_DATA is empty): SDG framework not loaded"
    if not folder.is_dir():
        return f"{folder}: no {SDG_FOLDER}/ folder, SDG framework not loaded"
    return ""


def same_text(a: str, b: str) -> bool:
    """Equal up to typography (hyphen and quote variants, spacing, a final full stop, case)."""

    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", text.translate(_TYPOGRAPHY)).strip().rstrip(".").casefold()

    return norm(a) == norm(b)


def clean_title(title: str, reference: str = "") -> str:
    """The UN title without a trailing footnote call, whitespace normalised.

    A final digit glued to a word ("impacts3") is a footnote call unless the reference English text ends
    the same way; titles ending in a real number ("... 1,000 live births") are untouched (comma or space)."""
    title = re.sub(r"\s+", " ", title).strip()
    if _FOOTNOTE.search(title) and not (reference and same_text(title, reference)):
        return _FOOTNOTE.sub("", title)
    return title


@dataclass
class Translation:
    en: str
    es: str
    fr: str
    short_en: str = ""


@dataclass
class SdgSources:
    folder: Path
    goals: list[tuple[int, int, str]] = field(default_factory=list)  # (row, number, title)
    targets: list[tuple[int, str, int, str]] = field(default_factory=list)  # (row, code, goal, title)
    indicators: list[tuple[int, str, str, str, str]] = field(
        default_factory=list
    )  # row, code, target, unsd, title
    translations: dict[str, Translation] = field(default_factory=dict)

    def file(self, name: str) -> str:
        folder = OPENSDG_FOLDER if name == TRANSLATIONS_FILE else UN_FOLDER
        return str(self.folder / folder / name)


def sdg_read(folder: Path) -> SdgSources:
    """Read and check the four files; raise ImportFailed naming file, row and column of every problem."""
    errors: list[RowError] = []
    sources = SdgSources(folder=folder)
    goals_file = sources.file(GOALS_FILE)
    for number, values in _table(Path(goals_file), ("goal", "title"), errors):
        if not values["goal"].isdigit() or not 1 <= int(values["goal"]) <= 17:
            errors.append(
                RowError(goals_file, number, "goal", f"{values['goal']!r} is not a goal number 1-17")
            )
            continue
        if not values["title"]:
            errors.append(RowError(goals_file, number, "title", "empty"))
        sources.goals.append((number, int(values["goal"]), values["title"]))
    numbers = [g[1] for g in sources.goals]
    if not errors and sorted(numbers) != list(range(1, 18)):
        errors.append(RowError(goals_file, None, "goal", "the file must list each of the 17 goals once"))

    targets_file = sources.file(TARGETS_FILE)
    seen: set[str] = set()
    for number, values in _table(Path(targets_file), ("target", "goal", "title"), errors):
        code = values["target"]
        match = _TARGET.match(code)
        if not match:
            errors.append(
                RowError(targets_file, number, "target", f"{code!r} is not a target code like 11.2")
            )
            continue
        if match.group(1) != values["goal"]:
            errors.append(
                RowError(targets_file, number, "goal", f"target {code} is not of goal {values['goal']}")
            )
            continue
        if code in seen:
            errors.append(RowError(targets_file, number, "target", f"{code} is listed twice"))
            continue
        seen.add(code)
        sources.targets.append((number, code, int(values["goal"]), values["title"]))

    indicators_file = sources.file(INDICATORS_FILE)
    seen_indicators: set[str] = set()
    columns = ("indicator", "target", "goal", "title", "unsd_code")
    for number, values in _table(Path(indicators_file), columns, errors):
        code, target = values["indicator"], values["target"]
        if not _INDICATOR.match(code):
            errors.append(
                RowError(
                    indicators_file, number, "indicator", f"{code!r} is not an indicator code like 11.2.1"
                )
            )
            continue
        if not code.startswith(f"{target}.") or target not in seen:
            errors.append(
                RowError(
                    indicators_file,
                    number,
                    "target",
                    f"{target!r} is not a target of {TARGETS_FILE} for {code}",
                )
            )
            continue
        if not _UNSD.match(values["unsd_code"]):
            errors.append(
                RowError(
                    indicators_file,
                    number,
                    "unsd_code",
                    f"{values['unsd_code']!r} is not a UNSD code like C110201",
                )
            )
            continue
        if code in seen_indicators:
            errors.append(RowError(indicators_file, number, "indicator", f"{code} is listed twice"))
            continue
        if not values["title"]:
            errors.append(RowError(indicators_file, number, "title", "empty"))
            continue
        seen_indicators.add(code)
        sources.indicators.append((number, code, target, values["unsd_code"], values["title"]))

    translations_file = sources.file(TRANSLATIONS_FILE)
    columns = ("code", "level", "title_en", "title_es", "title_fr", "short_en")
    for _number, values in _table(Path(translations_file), columns, errors):
        sources.translations[values["code"]] = Translation(
            en=values["title_en"], es=values["title_es"], fr=values["title_fr"], short_en=values["short_en"]
        )
    if errors:
        raise ImportFailed(errors)
    return sources


def _titles(english: str, translation: Translation | None) -> tuple[dict[str, str], bool]:
    """Titles per language and whether the translation was dropped as outdated (or missing)."""
    title = clean_title(english, translation.en if translation else "")
    if translation is None:
        return {"title_en": title, "title_es": "", "title_fr": "", "title": title}, True
    if not same_text(title, translation.en):
        return {"title_en": title, "title_es": "", "title_fr": "", "title": title}, True
    return {"title_en": title, "title_es": translation.es, "title_fr": translation.fr, "title": title}, False


def _save(
    model: Any, existing: dict[Any, Any], key: Any, values: dict[str, Any], report_type: str, ctx: LoadContext
) -> Any:
    """Create or update one catalogue row by its code; count the outcome."""
    row = existing.get(key)
    if row is None:
        row = model.objects.create(**values)
        ctx.report.count(report_type, "added")
    elif any(getattr(row, k) != v for k, v in values.items()):
        model.objects.filter(pk=row.pk).update(**values)
        for k, v in values.items():
            setattr(row, k, v)
        ctx.report.count(report_type, "changed")
    else:
        ctx.report.count(report_type, "unchanged")
    return row


def load_sdg(ctx: LoadContext) -> None:
    folder = sdg_folder(ctx.sources.data_dir)
    if folder is None or not folder.is_dir():
        raise ImportFailed(
            [
                RowError(
                    str(folder or ""), None, "", f"the {SDG_FOLDER}/ folder is needed for the SDG framework"
                )
            ]
        )
    sources = sdg_read(folder)
    report = ctx.report

    goals_install(SdgGoal)  # the short names are ours; this only adds missing goals or fixes a name
    goals = {goal.number: goal for goal in SdgGoal.objects.all()}
    for done, (row, number, title) in enumerate(sources.goals, start=1):
        values, outdated = _titles(title, sources.translations.get(str(number)))
        if outdated:
            report.notice(
                "sdg_translation",
                file=sources.file(GOALS_FILE),
                row=row,
                name=f"goal {number}",
                detail="English shown: no matching Open SDG title",
            )
        _save(SdgGoal, goals, number, {"number": number, **values}, "sdg_goals", ctx)
        ctx.tick("SDG goals", done, len(sources.goals))
    goals = {goal.number: goal for goal in SdgGoal.objects.all()}

    targets = {target.code: target for target in SdgTarget.objects.all()}
    for position, (row, code, goal, title) in enumerate(sources.targets, start=1):
        values, outdated = _titles(title, sources.translations.get(code))
        if outdated:
            report.notice(
                "sdg_translation",
                file=sources.file(TARGETS_FILE),
                row=row,
                name=code,
                detail="English shown: the Open SDG translation is of another wording",
            )
        values.update({"code": code, "goal_id": goals[goal].pk, "position": position})
        targets[code] = _save(SdgTarget, targets, code, values, "sdg_targets", ctx)
        ctx.tick("SDG targets", position, len(sources.targets))

    indicators = {indicator.code: indicator for indicator in SdgIndicator.objects.all()}
    for position, (row, code, target, unsd_code, title) in enumerate(sources.indicators, start=1):
        values, outdated = _titles(title, sources.translations.get(code))
        if outdated:
            missing = code not in sources.translations
            report.notice(
                "sdg_translation",
                file=sources.file(INDICATORS_FILE),
                row=row,
                name=code,
                detail="English shown: not in Open SDG"
                if missing
                else "English shown: reworded in the 2025 review, the Open SDG translation is outdated",
            )
        values.update(
            {
                "code": code,
                "target_id": targets[target].pk,
                "unsd_code": unsd_code,
                "position": position,
                "translation_outdated": outdated,
            }
        )
        _save(SdgIndicator, indicators, code, values, "sdg_indicators", ctx)
        ctx.tick("SDG indicators", position, len(sources.indicators))

    # Codes the 2025 framework no longer lists are reported, not deleted: objectives may be tagged with them.
    listed_targets = {t[1] for t in sources.targets}
    listed_indicators = {i[1] for i in sources.indicators}
    for code in sorted(set(targets) - listed_targets):
        report.notice("stale", name=f"SDG target {code}", detail="no longer in the UN framework; kept")
    for code in sorted(set(indicators) - listed_indicators):
        report.notice("stale", name=f"SDG indicator {code}", detail="no longer in the UN framework; kept")
