"""The strategy API: strategies, objectives, SDG tags and the SDG catalogue."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from citydiplo.accounts.records import Visibility
from citydiplo.registry.models import Project, ProjectModality
from citydiplo.strategy.models import Strategy, StrategyStatus

API = "/api/v1"


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, path: str, data: dict[str, Any]) -> Any:
    return getattr(client, method)(f"{API}{path}", json.dumps(data), content_type="application/json")


def test_the_catalogue_is_open_to_everyone(client, sdg_catalogue):
    goals = client.get(f"{API}/sdg/goals").json()
    assert len(goals) == 17
    assert goals[10]["short_names"]["es"] == "Ciudades y comunidades sostenibles"
    assert goals[12]["titles"]["pt"] == goals[12]["titles"]["en"]  # no Portuguese source: English
    assert goals[10]["target_count"] == 10
    targets = client.get(f"{API}/sdg/targets?goal=11&limit=500").json()
    assert targets["count"] == 10 and targets["items"][0]["code"] == "11.1"
    indicators = client.get(f"{API}/sdg/indicators?limit=500").json()
    assert indicators["count"] == 251
    assert len({row["unsd_code"] for row in indicators["items"]}) == 235
    detail = client.get(f"{API}/sdg/goals/6").json()
    assert [t["code"] for t in detail["targets"]][:2] == ["6.1", "6.2"]


def test_editor_creates_a_strategy_and_objective_and_tags_it(cast, sdg_catalogue):
    editor = as_user(cast.editor)
    response = send(editor, "post", "/strategies", {"owner": cast.office_a.slug, "title": "Estrategia"})
    assert response.status_code == 201, response.content
    strategy = response.json()
    project = Project.objects.create(
        owner=cast.office_a, title="Bus lanes", modality=ProjectModality.DECENTRALISED
    )
    response = send(
        editor,
        "post",
        "/objectives",
        {
            "strategy": strategy["id"],
            "family": "knowledge",
            "title": "Learn mobility from peers",
            "sdg_targets": ["11.2"],
            "projects": [project.pk],
        },
    )
    assert response.status_code == 201, response.content
    objective = response.json()
    assert objective["sdg_targets"] == ["11.2"] and objective["projects"][0]["title"] == "Bus lanes"
    response = send(
        editor, "put", f"/objectives/{objective['id']}/sdg-targets", {"targets": ["11.2", "99.9"]}
    )
    assert response.status_code == 422 and "99.9" in response.content.decode()
    response = send(editor, "put", f"/projects/{project.pk}/sdg-targets", {"targets": ["11.2", "9.1"]})
    assert [t["code"] for t in response.json()] == ["9.1", "11.2"]
    alignment = editor.get(f"{API}/strategies/{strategy['id']}/alignment").json()
    eleven = alignment["goals"][10]
    assert (eleven["objective_count"], eleven["project_count"]) == (1, 1)
    assert 11 not in alignment["gaps"] and len(alignment["gaps"]) == 16


def test_other_offices_and_viewers_cannot_write(cast, strategy):
    assert (
        send(
            as_user(cast.viewer), "post", "/strategies", {"owner": cast.office_a.slug, "title": "X"}
        ).status_code
        == 403
    )
    patch = {"version": strategy.version, "title": "Hijacked"}
    assert send(as_user(cast.other_owner), "patch", f"/strategies/{strategy.pk}", patch).status_code == 404
    assert send(as_user(cast.viewer), "patch", f"/strategies/{strategy.pk}", patch).status_code == 403
    assert Strategy.objects.get(pk=strategy.pk).title.startswith("PRIVATE-A-strategy")


def test_a_revision_through_the_api_keeps_the_version(cast, strategy):
    owner = as_user(cast.owner)
    version = send(owner, "post", f"/strategies/{strategy.pk}/revisions", {"note": "Mid-term"}).json()
    assert version["number"] == 1 and version["snapshot"]["vision"] == "A city open to the world"
    current = owner.get(f"{API}/strategies/{strategy.pk}").json()
    assert current["status"] == StrategyStatus.UNDER_REVISION
    response = send(
        owner, "patch", f"/strategies/{strategy.pk}", {"version": current["version"], "vision": "New"}
    )
    assert response.status_code == 200
    old = owner.get(f"{API}/strategies/{strategy.pk}/versions/1").json()
    assert old["snapshot"]["vision"] == "A city open to the world"
    stale = send(
        owner, "patch", f"/strategies/{strategy.pk}", {"version": current["version"], "vision": "Late"}
    )
    assert stale.status_code == 409


def test_lists_show_only_what_the_caller_may_read(client, cast, strategy):
    assert client.get(f"{API}/strategies").json()["count"] == 0
    assert as_user(cast.viewer).get(f"{API}/strategies").json()["count"] == 1
    strategy.visibility = Visibility.PUBLIC
    strategy.save()
    assert client.get(f"{API}/strategies?owner={cast.office_a.slug}").json()["count"] == 1
    assert as_user(cast.other_owner).get(f"{API}/objectives?strategy={strategy.pk}").json()["count"] == 0
