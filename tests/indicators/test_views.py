"""The indicators pages: dashboard with statuses (key indicators first), detail with chart and drill-down,
the review workflow (only approved values are public), starter sets, export and the import upload."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citydiplo.accounts.records import Visibility
from citydiplo.indicators import services
from citydiplo.indicators.models import Indicator, Observation, ReviewState
from citydiplo.interchange.models import ImportRun


def add(indicator, user, period, value, state="approved", **breakdown):
    observation = services.observation_save(
        user=user, indicator=indicator, period=period, value=value, disaggregation=breakdown
    )
    if state != "draft":
        services.observation_review(user=user, observation=observation, action="submit")
    if state == "approved":
        services.observation_review(user=user, observation=observation, action="approve")
    return observation


def test_dashboard_lists_key_indicators_first_with_status(client, cast, visits):
    other = services.indicator_create(user=cast.owner, owner=cast.office_a, code="OTH-1", name="Other thing")
    add(visits, cast.owner, "2022", 25)
    client.force_login(cast.viewer)
    response = client.get(reverse("indicators:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("International visits received") < body.index(other.name)
    assert "status-on_track" in body  # 10 (2020) -> 25 (2022) towards 40 (2026): fast enough.


def test_only_approved_values_are_public(client, cast, visits):
    visits.visibility = Visibility.PUBLIC
    visits.save()
    add(visits, cast.owner, "2021", 12)
    add(visits, cast.owner, "2022", 999, state="submitted")
    public = client.get(reverse("indicators:indicator-detail", args=[visits.pk])).content.decode()
    assert "999" not in public and "12" in public
    client.force_login(cast.viewer)
    member = client.get(reverse("indicators:indicator-detail", args=[visits.pk])).content.decode()
    assert "999" in member


def test_review_workflow_by_editor_refused_for_viewer(client, cast, visits):
    observation = add(visits, cast.editor, "2021", 12, state="draft")
    url = reverse("indicators:observation-review", args=[observation.pk])
    client.force_login(cast.viewer)
    assert client.post(url, {"action": "submit"}).status_code == 403
    client.force_login(cast.editor)
    client.post(url, {"action": "submit"})
    client.post(url, {"action": "approve"})
    observation.refresh_from_db()
    assert observation.review_state == ReviewState.APPROVED
    assert observation.reviewed_by == cast.editor


def test_detail_has_a_chart_spec_with_targets_and_breakdown_drill_down(client, cast, visits):
    add(visits, cast.owner, "2021", 12)
    add(visits, cast.owner, "2021", 7, sex="female")
    client.force_login(cast.viewer)
    response = client.get(
        reverse("indicators:indicator-detail", args=[visits.pk]), {"breakdown": "sex=female"}
    )
    spec = json.loads(response.context["chart"] and json.dumps(response.context["chart"]))
    observed = spec["layer"][1]["data"]["values"]
    assert [v["value"] for v in observed] == [7.0]
    assert any(p["value"] == 40 for p in spec["layer"][0]["data"]["values"])
    assert 'data-chart="indicator-chart"' in response.content.decode()


def test_observation_form_rejects_text_in_numeric_indicator(client, cast, visits):
    client.force_login(cast.editor)
    response = client.post(
        reverse("indicators:observation-add", args=[visits.pk]), {"period": "2021", "value": "lots"}
    )
    assert response.status_code == 400
    assert "not a number" in response.content.decode()
    assert not Observation.objects.exists()


def test_starter_set_is_adopted_in_one_click_and_only_once(client, cast):
    client.force_login(cast.owner)
    url = reverse("indicators:starter-sets")
    client.post(url, {"starter_set": "international-action", "organisation": cast.office_a.pk})
    count = Indicator.objects.filter(owner=cast.office_a).count()
    assert count == 12
    client.post(url, {"starter_set": "international-action", "organisation": cast.office_a.pk})
    assert Indicator.objects.filter(owner=cast.office_a).count() == count


@pytest.mark.parametrize("language", ["es", "pt", "fr"])
def test_starter_set_texts_are_translated(cast, language):
    from django.utils import translation

    with translation.override(language):
        services.starter_set_adopt(user=cast.owner, organisation=cast.office_a, key="externalities")
    name = Indicator.objects.get(owner=cast.office_a, code="EX-01").name
    assert name != "Tourism pressure"


def test_export_csv_is_the_import_layout(client, cast, visits):
    add(visits, cast.owner, "2021", Decimal("12.5"), sex="female")
    client.force_login(cast.viewer)
    response = client.get(reverse("indicators:export", args=[cast.office_a.slug]))
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "indicator,period,value,unit,source,comment,sex"
    assert "VIS-1,2021,12.5,visits,,,female" in text
    xlsx = client.get(reverse("indicators:export", args=[cast.office_a.slug]), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_import_page_queues_a_run_with_the_options(
    client, cast, visits, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.editor)
    upload = SimpleUploadedFile("obs.csv", b"indicator,period,value\nVIS-1,2021,12\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("indicators:import"),
            {"file": upload, "organisation": cast.office_a.pk, "mode": "upsert", "review_state": "approved"},
        )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert Observation.objects.get().review_state == "approved"


def test_computed_indicator_counts_registry_records_visible_to_the_reader(client, cast):
    from tests.factories import AgreementFactory, CityFactory

    montevideo = CityFactory(name="Montevideo", country="UY")
    cast.office_a.place = montevideo
    cast.office_a.save()
    AgreementFactory(
        parties=[montevideo, CityFactory(name="Rosario", country="AR")],
        signed="2021",
        owner=None,
        visibility="public",
    )
    AgreementFactory(
        parties=[montevideo, CityFactory(name="Quito", country="EC")],
        signed="2022",
        owner=cast.office_a,
        visibility="private",
    )
    services.indicator_create(
        user=cast.owner,
        owner=cast.office_a,
        code="AGR",
        name="Agreements",
        computed="agreements.signed",
        visibility="public",
    )
    from citydiplo.indicators import selectors

    mine = {r.indicator.code: r for r in selectors.dashboard(user=cast.viewer, organisation=cast.office_a)}
    theirs = {
        r.indicator.code: r for r in selectors.dashboard(user=cast.other_owner, organisation=cast.office_a)
    }
    assert mine["AGR"].latest_value == 1 and mine["AGR"].latest_period == "2022"
    assert theirs["AGR"].latest_value == 1 and theirs["AGR"].latest_period == "2021"
    series = selectors.indicator_series(user=cast.viewer, indicator=Indicator.objects.get(code="AGR"))
    assert [(p, v) for _d, p, v in series] == [("2021", 1), ("2022", 1)]


def test_dashboard_filters_by_disaggregation(client, cast, visits):
    add(visits, cast.owner, "2022", 25)
    add(visits, cast.owner, "2022", 11, sex="female")
    client.force_login(cast.viewer)
    total = client.get(reverse("indicators:home"))
    female = client.get(reverse("indicators:home"), {"dimension": "sex", "dimension_value": "female"})
    assert total.context["key_rows"][0].latest_value == 25
    assert female.context["key_rows"][0].latest_value == 11


def test_formula_indicator_divides_its_parts_period_by_period(cast):
    from citydiplo.indicators import selectors

    funded = services.indicator_create(
        user=cast.owner, owner=cast.office_a, code="F-1", name="Projects funded"
    )
    submitted = services.indicator_create(
        user=cast.owner, owner=cast.office_a, code="F-2", name="Projects submitted"
    )
    for period, a, b in (("2022", 3, 12), ("2023", 6, 12), ("2024", 9, 10)):
        add(funded, cast.owner, period, a)
        add(submitted, cast.owner, period, b)
    add(funded, cast.owner, "2025", 1)  # no denominator that year: left out
    rate = services.indicator_create(
        user=cast.owner,
        owner=cast.office_a,
        code="F-3",
        name="Success rate",
        kind="percentage",
        formula_numerator=funded,
        formula_denominator=submitted,
        formula_factor=100,
    )
    series = selectors.indicator_series(user=cast.viewer, indicator=rate)
    assert [(p, v) for _d, p, v in series] == [("2022", 25), ("2023", 50), ("2024", 90)]
    row = next(
        r for r in selectors.dashboard(user=cast.viewer, organisation=cast.office_a) if r.indicator == rate
    )
    assert (row.latest_period, row.latest_value) == ("2024", 90)
    assert row.assessment.status == "on_track"  # 25 -> 90 without a target: growing fast


def test_formula_parts_must_be_numeric_and_of_the_same_office(cast, visits, maturity):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.indicator_create(
            user=cast.owner,
            owner=cast.office_a,
            code="BAD",
            name="Bad",
            formula_numerator=visits,
            formula_denominator=maturity,
        )


def test_the_shared_imports_page_takes_observations_too(
    client, cast, visits, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.editor)
    upload = SimpleUploadedFile(
        "obs.csv", b"indicator,period,value,sex\nVIS-1,2021,12,\nVIS-1,2021,5,female\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("interchange:import-list"),
            {"kind": "observations", "file": upload, "mode": "import", "visibility": "private"},
        )
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert run.counts == {"observations": {"added": 2, "changed": 0, "unchanged": 0}}
    assert Observation.objects.filter(review_state="submitted").count() == 2
