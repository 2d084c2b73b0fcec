"""`citydiplo resolve places` and `citydiplo synth places`: every row kept in order, columns added."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from citydiplo.registry.resolution.files import read_places
from citydiplo.registry.resolution.models import PlaceReview
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

ADDED = ["status", "confidence", "geonames_id", "wikidata_id", "resolved_name", "country_code"]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("resolve", "places", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_row_is_kept_in_order_with_the_columns_added(tmp_path: Path) -> None:
    source = write(
        tmp_path / "in.csv",
        "ref,name,country,notes\n"
        "1,Frankfurt,DE,population rule\n"
        "2,Springfield,USA,homonyms\n"
        "3,,DE,no name\n"
        '4,Londres,Reino Unido,"exonym, with a comma"\n'
        "5,Qqqxzzy,Germany,nothing\n"
        "6,CDMX,México,abbreviation\n",
    )
    output = tmp_path / "out.csv"
    summary = run(str(source), "--output", str(output), "-v", "0")
    rows = read(output)
    assert [r["ref"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert [r["notes"] for r in rows][3] == "exonym, with a comma"
    header = list(rows[0])
    assert header[:4] == ["ref", "name", "country", "notes"]
    assert header[4:] == [*ADDED, "lat", "lon", "reason"]
    assert [r["status"] for r in rows] == [
        "resolved",
        "ambiguous",
        "unresolved",
        "resolved",
        "unresolved",
        "resolved",
    ]
    assert rows[0]["resolved_name"] == "Frankfurt am Main" and rows[0]["country_code"] == "DE"
    assert float(rows[0]["confidence"]) == pytest.approx(0.75) and "population" in rows[0]["reason"]
    assert rows[3]["geonames_id"] == "2643743" and rows[3]["lat"].startswith("51.5")
    assert rows[1]["geonames_id"] == "" and rows[1]["country_code"] == "US"
    assert "3 resolved, 1 ambiguous, 2 unresolved" in summary


def test_input_coordinates_are_kept_and_the_resolved_ones_added_beside(tmp_path: Path) -> None:
    source = write(
        tmp_path / "in.csv", "name,country,admin1,lat,lon\nFrankfurt,DE,,52.35,14.54\nFrankfurt,DE,Hessen,,\n"
    )
    output = tmp_path / "out.csv"
    run(str(source), "--output", str(output), "-v", "0")
    rows = read(output)
    assert rows[0]["lat"] == "52.35" and rows[0]["resolved_lat"].startswith("52.34")
    assert rows[0]["resolved_name"] == "Frankfurt (Oder)"
    assert rows[1]["resolved_name"] == "Frankfurt am Main" and rows[1]["lat"] == ""


def test_a_missing_column_names_file_row_column_and_reason(tmp_path: Path) -> None:
    source = write(tmp_path / "cities.csv", "city,pais\nFrankfurt,DE\n")
    with pytest.raises(CommandError) as failure:
        run(str(source), "--output", str(tmp_path / "out.csv"))
    message = str(failure.value)
    assert "cities.csv, row 1, column 'name': required column 'name' is missing" in message
    assert "column 'country'" in message
    assert not (tmp_path / "out.csv").exists()


def test_unreadable_coordinates_are_warnings_and_the_row_is_still_resolved(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", "name,country,lat,lon\nKöln,DE,north,6.9\n")
    output = tmp_path / "out.csv"
    messages = run(str(source), "--output", str(output), "-v", "0")
    assert "in.csv, row 2, column 'lat'" in messages
    assert read(output)[0]["resolved_name"] == "Köln"


def test_semicolons_and_a_bom_are_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffName;Country\nSevilla;España\n".encode())
    data = read_places(path)
    assert data.queries[0].name == "Sevilla" and data.queries[0].country == "España"


def test_with_an_organisation_ambiguous_rows_are_queued_for_review(tmp_path: Path, cast: Cast) -> None:
    source = write(tmp_path / "partners.csv", "name,country\nKöln,DE\nSpringfield,USA\nSpringfield,USA\n")
    summary = run(str(source), "--output", str(tmp_path / "out.csv"), "--org", cast.office_a.slug, "-v", "0")
    assert "1 new review(s) queued" in summary
    review = PlaceReview.objects.get(organisation=cast.office_a)
    assert (review.name, review.row_number, review.source_file) == ("Springfield", 3, "partners.csv")


def test_an_unknown_organisation_is_an_error(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", "name,country\nKöln,DE\n")
    with pytest.raises(CommandError, match="No organisation"):
        run(str(source), "--output", str(tmp_path / "out.csv"), "--org", "nobody")


def test_synth_places_writes_labelled_synthetic_rows(tmp_path: Path) -> None:
    output = tmp_path / "synthetic.csv"
    call_command(
        "synth", "places", "--rows", "200", "--seed", "7", "--output", str(output), stderr=io.StringIO()
    )
    rows = read(output)
    assert len(rows) == 200
    assert {r["synthetic"] for r in rows} == {"yes"}
    assert all(r["expected_geonames_id"].isdigit() and r["name"] and r["country"] for r in rows)
    again = tmp_path / "again.csv"
    call_command(
        "synth", "places", "--rows", "200", "--seed", "7", "--output", str(again), stderr=io.StringIO()
    )
    assert again.read_text() == output.read_text()
