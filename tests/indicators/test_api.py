"""The indicators API: the same rules as the pages (private indicators hidden, only approved values public,
writes for owners and editors)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from citydiplo.indicators import services
from citydiplo.indicators.models import Observation

API = "/api/v1"


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", json.dumps(data), content_type="application/json")


def test_create_record_review_and_dashboard(cast, visits):
    editor = as_user(cast.editor)
    response = post(
        editor,
        "/indicators",
        {"owner": cast.office_a.slug, "code": "NEW-1", "name": "Fresh", "dimensions": ["Partner Country"]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["dimensions"] == ["partner_country"]
    saved = post(editor, f"/indicators/{visits.pk}/observations", {"period": "2022", "value": "25"})
    assert saved.status_code == 201
    assert saved.json()["review_state"] == "draft"
    bad = post(editor, f"/indicators/{visits.pk}/observations", {"period": "2022", "value": "many"})
    assert bad.status_code == 422
    assert "not a number" in json.dumps(bad.json())
    pk = saved.json()["id"]
    assert (
        post(as_user(cast.viewer), f"/indicators/observations/{pk}/review", {"action": "submit"}).status_code
        == 403
    )
    assert post(editor, f"/indicators/observations/{pk}/review", {"action": "approve"}).status_code == 200
    dashboard = as_user(cast.viewer).get(f"{API}/indicators/dashboard/{cast.office_a.slug}").json()
    row = next(r for r in dashboard if r["indicator"]["code"] == "VIS-1")
    assert row["status"]["status"] == "on_track"
    assert float(row["latest_value"]) == 25


def test_private_indicator_is_hidden_and_unapproved_values_stay_inside(cast, visits):
    observation = services.observation_save(user=cast.owner, indicator=visits, period="2021", value="12")
    assert Client().get(f"{API}/indicators/{visits.pk}").status_code == 404
    assert as_user(cast.other_owner).get(f"{API}/indicators/{visits.pk}").status_code == 404
    visits.visibility = "public"
    visits.save()
    public = Client().get(f"{API}/indicators/{visits.pk}/observations").json()
    assert public["items"] == []
    member = as_user(cast.viewer).get(f"{API}/indicators/{visits.pk}/observations").json()
    assert [o["id"] for o in member["items"]] == [observation.pk]
    assert Observation.objects.count() == 1


def test_outsider_cannot_create_for_office_a(cast):
    response = post(
        as_user(cast.other_owner), "/indicators", {"owner": cast.office_a.slug, "code": "X", "name": "X"}
    )
    assert response.status_code == 403
