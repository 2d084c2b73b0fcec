"""The demo office's strategy, and the `citydiplo strategy` and `citydiplo sdg` commands."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from citydiplo.demo.loader import MAIN_OFFICE_SLUG, demo_load
from citydiplo.strategy.models import (
    Consultation,
    Externality,
    Objective,
    ObjectiveFamily,
    ProjectSdgTag,
    Stakeholder,
    StakeholderGroup,
    Strategy,
    StrategyStatus,
)
from tests.factories import CityFactory


@pytest.fixture
def demo(sdg_catalogue):
    CityFactory(name="Montevideo", slug="montevideo-uy", country="UY", geonames_id=3441575)
    demo_load()
    return Strategy.objects.get(owner__slug=MAIN_OFFICE_SLUG)


def _counts() -> dict[str, int]:
    models = (
        Strategy,
        Objective,
        Stakeholder,
        Consultation,
        Externality,
        ProjectSdgTag,
        Objective.projects.through,
    )
    return {model._meta.label: model._default_manager.count() for model in models}


def test_the_demo_office_has_an_adopted_strategy_with_everything_the_issue_asks(demo):
    assert demo.status == StrategyStatus.ADOPTED
    objectives = demo.objectives.all()
    assert set(objectives.values_list("family", flat=True)) == set(ObjectiveFamily.values)
    for link in ("projects", "agreements", "memberships", "events"):
        assert Objective.objects.filter(strategy=demo, **{f"{link}__isnull": False}).exists(), link
    assert set(Stakeholder.objects.filter(owner=demo.owner).values_list("group", flat=True)) == set(
        StakeholderGroup.values
    )
    assert demo.consultations.count() == 1 and demo.consultations.get().participants.count() == 3
    assert demo.externalities.count() == 1
    assert all(o.sdg_targets.exists() for o in objectives)
    assert ProjectSdgTag.objects.filter(project__owner=demo.owner).count() >= 6
    assert "Illustrative" in demo.vision


def test_loading_the_demo_again_adds_nothing(demo):
    first = _counts()
    demo_load()
    assert _counts() == first


def test_the_demo_alignment_matrix_has_no_gap_where_objectives_are_tagged(client, demo):
    response = client.get(f"/strategy/{demo.pk}/alignment/")  # a public strategy: anyone reads it
    assert response.status_code == 200
    columns = {c.goal.number: c for c in response.context["matrix"].columns}
    assert columns[11].objective_count >= 3 and columns[6].project_count == 1
    assert 1 in [g.number for g in response.context["matrix"].gaps]


def test_cli_lists_shows_and_exports_strategies_with_their_sdg_tags(demo):
    out = io.StringIO()
    call_command("strategy", "list", "--org", MAIN_OFFICE_SLUG, stdout=out)
    assert "Montevideo International Strategy" in out.getvalue()
    out = io.StringIO()
    call_command(
        "strategy", "export", "--org", MAIN_OFFICE_SLUG, "--user", "demo", "--format", "json", stdout=out
    )
    exported = json.loads(out.getvalue())
    assert exported[0]["status"] == "adopted" and len(exported[0]["objectives"]) == 6
    assert exported[0]["project_sdg_targets"]
    out = io.StringIO()
    call_command(
        "strategy", "tags", "--org", MAIN_OFFICE_SLUG, "--user", "demo", "--format", "json", stdout=out
    )
    rows = json.loads(out.getvalue())
    assert {"objective", "project"} == {row["kind"] for row in rows}
    assert any("6.3" in row["sdg_targets"] for row in rows if row["kind"] == "project")
    out = io.StringIO()
    call_command("strategy", "show", str(demo.pk), stdout=out)
    assert "[projection]" in out.getvalue()


def test_cli_reads_as_the_user_given(cast, strategy):
    out = io.StringIO()
    call_command("strategy", "list", stdout=out)
    assert "PRIVATE-A-strategy" not in out.getvalue()
    out = io.StringIO()
    call_command("strategy", "list", "--user", cast.viewer.username, stdout=out)
    assert "PRIVATE-A-strategy" in out.getvalue()


def test_cli_lists_the_sdg_catalogue_in_a_language(sdg_catalogue):
    out = io.StringIO()
    call_command("sdg", "goals", "--lang", "es", "--format", "json", stdout=out)
    goals = json.loads(out.getvalue())
    assert len(goals) == 17 and goals[10]["short_name"] == "Ciudades y comunidades sostenibles"
    out = io.StringIO()
    call_command("sdg", "indicators", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 251 and len({r["unsd_code"] for r in rows}) == 235
    out = io.StringIO()
    call_command("sdg", "targets", "--goal", "11", stdout=out)
    assert out.getvalue().count("\n") == 10
