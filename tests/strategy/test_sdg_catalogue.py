"""The SDG catalogue: goals are part of the product; targets and indicators come from the reference load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.utils import translation

from citydiplo.interchange.errors import ImportFailed
from citydiplo.interchange.reference import reference_load
from citydiplo.interchange.reference.sdg import clean_title, same_text
from citydiplo.strategy.models import SdgGoal, SdgIndicator, SdgTarget


def test_the_17_goals_exist_with_our_short_names_in_four_languages(db):
    assert SdgGoal.objects.count() == 17
    goal = SdgGoal.objects.get(number=11)
    assert goal.short_name_en == "Sustainable cities and communities"
    assert goal.short_name_es == "Ciudades y comunidades sostenibles"
    assert goal.short_name_pt == "Cidades e comunidades sustentáveis"
    assert goal.short_name_fr == "Villes et communautés durables"


def test_the_load_brings_the_2025_framework_counts(sdg_catalogue):
    assert SdgGoal.objects.count() == 17
    assert SdgTarget.objects.count() == 169
    assert SdgIndicator.objects.count() == 251
    assert SdgIndicator.objects.values("unsd_code").distinct().count() == 235
    # A repeated indicator keeps one row per place it appears, sharing its UNSD code.
    assert set(SdgIndicator.objects.filter(unsd_code="C200303").values_list("code", flat=True)) >= {
        "1.5.1",
        "11.5.1",
        "13.1.1",
    }
    assert sdg_catalogue.counts["sdg_indicators"].added == 251


def test_titles_follow_the_language_with_english_where_outdated_or_missing(sdg_catalogue):
    target = SdgTarget.objects.get(code="11.2")
    reworded = SdgIndicator.objects.get(code="1.a.1")  # reworded in 2025: Open SDG's Spanish is outdated
    missing = SdgIndicator.objects.get(code="11.5.3")  # not in Open SDG at all
    assert reworded.translation_outdated and missing.translation_outdated
    with translation.override("es"):
        assert "proporcionar acceso a sistemas de transporte" in target.title
        assert reworded.title.startswith("Total official development assistance grants that focus")
        assert (
            SdgGoal.objects.get(number=13).title
            == "Adoptar medidas urgentes para combatir el cambio climático y sus efectos"
        )
    with translation.override("pt"):  # Open SDG has no Portuguese: English
        assert target.title.startswith("By 2030, provide access to safe")
        assert SdgGoal.objects.get(number=13).short_name == "Ação contra a mudança global do clima"
    # The footnote call glued to goal 13's title in the UN file ("impacts3") is dropped.
    assert SdgGoal.objects.get(number=13).title_en.endswith("its impacts")
    assert SdgIndicator.objects.filter(translation_outdated=True).count() == 28


def test_a_second_load_changes_nothing(sdg_catalogue, sdg_data_dir):
    again = reference_load(data_dir=sdg_data_dir, only=["sdg"])
    for kind, total in (("sdg_goals", 17), ("sdg_targets", 169), ("sdg_indicators", 251)):
        counts = again.counts[kind]
        assert (counts.added, counts.changed, counts.unchanged) == (0, 0, total)


def _copy(sdg_data_dir: Path, tmp_path: Path) -> Path:
    shutil.copytree(sdg_data_dir / "sdg", tmp_path / "sdg")
    return tmp_path


def test_a_wrong_row_names_file_row_and_column_and_writes_nothing(db, sdg_data_dir, tmp_path):
    data = _copy(sdg_data_dir, tmp_path)
    path = data / "sdg" / "un-framework-2025" / "sdg_indicators_2025.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",C01", ",X01", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        reference_load(data_dir=data, only=["sdg"])
    error = failure.value.errors[0]
    assert (Path(error.file).name, error.row, error.column) == ("sdg_indicators_2025.csv", 4, "unsd_code")
    assert SdgTarget.objects.count() == 0


def test_without_the_sdg_folder_the_load_skips_it_unless_asked(db, tmp_path):
    report = reference_load(data_dir=tmp_path, only=["networks"])
    assert "sdg" not in report.steps
    report = reference_load(data_dir=tmp_path)
    assert "sdg" not in report.steps
    assert any(n.category == "skipped_sdg" for n in report.notices)
    with pytest.raises(ImportFailed) as failure:
        reference_load(data_dir=tmp_path, only=["sdg"])
    assert "sdg/" in str(failure.value)


def test_typography_does_not_make_a_translation_outdated():
    assert same_text("under‑5 mortality", "under-5 mortality.")
    assert clean_title("Take urgent action to combat climate change and its impacts3") == (
        "Take urgent action to combat climate change and its impacts"
    )
    assert clean_title("as low as 12 per 1,000 live births") == "as low as 12 per 1,000 live births"
