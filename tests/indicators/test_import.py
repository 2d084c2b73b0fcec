"""Bulk import of observations: errors by row and column, add-only versus upsert, dimensions declared up
front, the Open SDG layout, atomicity, one import run; and the round trip import → dashboard → CSV and
XLSX export → re-import unchanged, with the disaggregations kept all the way."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from citydiplo.indicators import selectors
from citydiplo.indicators.exports import export_csv, export_rows, export_xlsx
from citydiplo.indicators.models import Observation
from citydiplo.interchange.models import ImportRun
from citydiplo.interchange.services import import_file

GOOD = """indicator,period,value,unit,source,comment,sex,partner_country
VIS-1,2021,12,visits,city hall,,,
VIS-1,2022,18,visits,city hall,a good year,,
VIS-1,2022,10,,city hall,,female,
VIS-1,2022,8,,city hall,,male,
VIS-1,2022,5,,,,,BR
VIS-1,2022-Q3,4,,,,female,AR
"""


def run(tmp_path: Path, text: str, cast, *, name: str = "obs.csv", **options):
    path = tmp_path / name
    path.write_text(text)
    return import_file(
        kind="observations",
        source=path,
        file_name=name,
        user=cast.editor,
        organisation=cast.office_a,
        importer_options=options or None,
    )


def test_good_file_imports_every_row_with_its_disaggregation(tmp_path, cast, visits):
    result = run(tmp_path, GOOD, cast)
    assert result.ok, result.errors
    assert result.counts == {"observations": {"added": 6, "changed": 0, "unchanged": 0}}
    female_ar = Observation.objects.get(indicator=visits, period="2022-Q3")
    assert female_ar.disaggregation == {"partner_country": "AR", "sex": "female"}
    assert female_ar.disaggregation_key == "partner_country=AR|sex=female"
    assert female_ar.value == Decimal(4)
    total = Observation.objects.get(indicator=visits, period="2022", disaggregation_key="")
    assert (total.source, total.comment, total.review_state) == ("city hall", "a good year", "submitted")
    assert total.import_run == result.run
    assert ImportRun.objects.filter(kind="observations").count() == 1


def test_text_in_a_numeric_indicator_is_rejected_with_row_and_column(tmp_path, cast, visits):
    text = "indicator,period,value\nVIS-1,2021,12\nVIS-1,2022,twelve\nVIS-1,2023-13,4\nNOPE,2023,1\nVIS-1,2024,1.5.2\n"
    result = run(tmp_path, text, cast)
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(3, "value"), (4, "period"), (5, "indicator"), (6, "value")}
    assert all(e.file == "obs.csv" for e in result.errors)
    assert "not a number" in next(e.reason for e in result.errors if e.row == 3)
    # Atomic: the good first row was not written either.
    assert not Observation.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_undeclared_dimension_is_an_error_unless_added(tmp_path, cast, visits):
    text = "indicator,period,value,district\nVIS-1,2021,12,north\nVIS-1,2021,14,\n"
    refused = run(tmp_path, text, cast)
    assert [(e.row, e.column) for e in refused.errors] == [(2, "district")]
    accepted = run(tmp_path, text, cast, add_dimensions=True)
    assert accepted.ok
    visits.refresh_from_db()
    assert "district" in visits.dimensions
    assert Observation.objects.get(disaggregation_key="district=north").value == 12


def test_repeated_key_in_the_file_names_both_rows(tmp_path, cast, visits):
    result = run(tmp_path, "indicator,period,value,sex\nVIS-1,2021,1,female\nVIS-1,2021,2,female\n", cast)
    assert len(result.errors) == 1
    assert "Rows 2 and 3" in result.errors[0].reason


def test_add_only_leaves_stored_values_and_upsert_overwrites(tmp_path, cast, visits):
    assert run(tmp_path, GOOD, cast).ok
    changed = GOOD.replace("VIS-1,2022,18,", "VIS-1,2022,20,").replace("VIS-1,2022,5,", "VIS-1,2022,6,")
    changed += "VIS-1,2023,25,visits,city hall,,,\n"
    added = run(tmp_path, changed, cast, mode="add")
    assert added.counts["observations"] == {"added": 1, "changed": 0, "unchanged": 5 - 1, "left_alone": 2}
    assert Observation.objects.get(period="2022", disaggregation_key="").value == 18
    upserted = run(tmp_path, changed, cast, mode="upsert")
    assert upserted.counts["observations"] == {"added": 0, "changed": 2, "unchanged": 5}
    assert Observation.objects.get(period="2022", disaggregation_key="").value == 20
    assert Observation.objects.get(period="2022", disaggregation_key="partner_country=BR").value == 6


def test_dry_run_counts_and_writes_nothing(tmp_path, cast, visits):
    path = tmp_path / "obs.csv"
    path.write_text(GOOD)
    result = import_file(
        kind="observations",
        source=path,
        file_name="obs.csv",
        user=cast.owner,
        organisation=cast.office_a,
        dry_run=True,
    )
    assert result.counts["observations"]["added"] == 6
    assert not Observation.objects.exists()
    assert result.run.status == ImportRun.Status.DRY_RUN


def test_qualitative_scale_accepts_its_labels_only(tmp_path, cast, maturity):
    result = run(
        tmp_path, "indicator,period,value\nMAT-1,2021,drafted\nMAT-1,2022,Approved\nMAT-1,2023,great\n", cast
    )
    assert [(e.row, e.column) for e in result.errors] == [(4, "value")]
    result = run(tmp_path, "indicator,period,value\nMAT-1,2021,drafted\nMAT-1,2022,Approved\n", cast)
    assert result.ok
    assert Observation.objects.get(period="2022").text_value == "approved"


def test_open_sdg_layout_takes_the_indicator_from_the_file_name(tmp_path, cast, visits):
    text = "Year,Sex,Units,Value\n2021,,visits,12\n2021,female,visits,7\n"
    result = run(tmp_path, text, cast, name="indicator_VIS-1.csv")
    assert result.ok, result.errors
    assert Observation.objects.get(disaggregation_key="sex=female").value == 7
    unknown = run(tmp_path, text, cast, name="indicator_9-9-9.csv")
    assert "Unknown indicator" in unknown.errors[0].reason
    explicit = run(
        tmp_path, text.replace(",12", ",13"), cast, name="data.csv", indicator="VIS-1", mode="upsert"
    )
    assert explicit.counts["observations"]["changed"] == 1


def test_decimal_comma_and_wrong_unit(tmp_path, cast, visits):
    result = run(tmp_path, "indicator;period;value;unit\nVIS-1;2021;12,5;visits\nVIS-1;2022;3;km\n", cast)
    assert [(e.row, e.column) for e in result.errors] == [(3, "unit")]
    assert run(tmp_path, "indicator;period;value\nVIS-1;2021;12,5\n", cast).ok
    assert Observation.objects.get().value == Decimal("12.5")


def test_round_trip_import_dashboard_export_reimport_keeps_disaggregations(tmp_path, cast, visits):
    assert run(tmp_path, GOOD, cast, review_state="approved").ok
    # The dashboard shows the latest total, with its status.
    row = next(
        r for r in selectors.dashboard(user=cast.viewer, organisation=cast.office_a) if r.indicator == visits
    )
    assert row.latest_period == "2022"
    assert row.latest_value == 18
    assert row.assessment.status in {"on_track", "at_risk", "off_track"}
    # ... and every breakdown is offered for drill-down.
    keys = [key for key, _values in selectors.breakdowns_of(user=cast.viewer, indicator=visits)]
    assert keys == ["", "partner_country=AR|sex=female", "partner_country=BR", "sex=female", "sex=male"]
    observations = list(selectors.observation_list(user=cast.viewer, indicator=visits))
    header, rows = export_rows([visits], observations)
    assert header == ["indicator", "period", "value", "unit", "source", "comment", "partner_country", "sex"]
    assert ["VIS-1", "2022-Q3", "4", "visits", "", "", "AR", "female"] in rows
    (tmp_path / "export.csv").write_bytes(export_csv(header, rows))
    (tmp_path / "export.xlsx").write_bytes(export_xlsx(header, rows))
    for name in ("export.csv", "export.xlsx"):
        for mode in ("add", "upsert"):
            result = import_file(
                kind="observations",
                source=tmp_path / name,
                file_name=name,
                user=cast.owner,
                organisation=cast.office_a,
                importer_options={"mode": mode},
            )
            assert result.ok, result.errors
            assert result.counts["observations"] == {"added": 0, "changed": 0, "unchanged": 6}, (name, mode)
    assert {o.disaggregation_key for o in Observation.objects.all()} == set(keys)


def test_computed_indicator_values_cannot_be_imported(tmp_path, cast):
    from citydiplo.indicators import services

    services.indicator_create(
        user=cast.owner, owner=cast.office_a, code="AGR", name="Agreements", computed="agreements.signed"
    )
    result = run(tmp_path, "indicator,period,value\nAGR,2021,3\n", cast)
    assert "computed" in result.errors[0].reason


def test_viewer_may_not_import(tmp_path, cast, visits):
    from django.core.exceptions import PermissionDenied

    path = tmp_path / "obs.csv"
    path.write_text(GOOD)
    with pytest.raises(PermissionDenied):
        import_file(
            kind="observations",
            source=path,
            file_name="obs.csv",
            user=cast.viewer,
            organisation=cast.office_a,
        )


def test_cli_options_and_errors(tmp_path, cast, visits):
    path = tmp_path / "obs.csv"
    path.write_text(GOOD)
    out = io.StringIO()
    call_command(
        "import",
        "observations",
        str(path),
        "--org",
        cast.office_a.slug,
        "--user",
        "ana",
        "--dry-run",
        stdout=out,
        verbosity=0,
    )
    assert "6 added" in out.getvalue()
    call_command(
        "import",
        "observations",
        str(path),
        "--org",
        cast.office_a.slug,
        "--user",
        "ana",
        "--state",
        "approved",
        stdout=out,
        verbosity=0,
    )
    assert Observation.objects.filter(review_state="approved").count() == 6
    path.write_text(GOOD.replace(",18,", ",many,"))
    with pytest.raises(CommandError, match="row 3, column 'value'"):
        call_command(
            "import",
            "observations",
            str(path),
            "--org",
            cast.office_a.slug,
            "--user",
            "ana",
            "--mode",
            "upsert",
            verbosity=0,
        )
