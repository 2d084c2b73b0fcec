"""Change history: every edit is recorded with its author and field diffs, shown on the record's page, and
restorable (one field or the whole record) by those who may edit it; the activity feed lists an
organisation's changes by term of government, each import as one line."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from citydiplo.accounts.models import TermOfGovernment
from citydiplo.history import selectors
from citydiplo.history import services as history_services
from citydiplo.interchange.runs import import_run_finish, import_run_start
from citydiplo.registry import services
from citydiplo.registry.models import Actor, Agreement, Contact, Project
from citydiplo.registry.services import StaleEdit
from tests.conftest import Cast
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def _project(cast: Cast, title: str = "Bus fleet exchange") -> Project:
    return services.project_create(
        user=cast.editor, owner=cast.office_a, title=title, modality="decentralised", status="pipeline"
    )


def _edit(cast: Cast, project: Project, **changes: object) -> Project:
    return services.record_update(
        user=cast.editor, record=project, expected_version=project.version, changes=dict(changes)
    )


def _history_url(record: object) -> str:
    meta = record._meta.concrete_model._meta  # type: ignore[attr-defined]
    return reverse("history:record", args=[meta.app_label, meta.model_name, record.pk])  # type: ignore[attr-defined]


def test_each_edit_is_recorded_with_its_author_and_field_diffs(cast: Cast) -> None:
    project = _project(cast)
    project = _edit(cast, project, title="Electric bus fleet exchange", status="implementation")

    entries = selectors.record_history(user=cast.owner, record=project)

    assert [e.kind for e in entries] == ["~", "+"]
    assert entries[0].who == "eduardo"
    changes = {c.name: (c.old, c.new) for c in entries[0].changes}
    assert changes["title"] == ("Bus fleet exchange", "Electric bus fleet exchange")
    assert changes["status"] == (
        "Pipeline / identification",
        "Implementation",
    )  # the choice labels a reader knows
    assert "version" not in changes and "updated_at" not in changes


def test_reverting_the_whole_record_restores_every_old_value_and_records_the_revert(cast: Cast) -> None:
    project = _project(cast)
    first = project.history.earliest("history_date")
    project = _edit(cast, project, title="Renamed", status="implementation", description="Added later")

    project = history_services.record_revert(
        user=cast.editor, record=project, history_id=first.history_id, expected_version=project.version
    )

    assert (project.title, project.status, project.description) == ("Bus fleet exchange", "pipeline", "")
    latest = project.history.latest("history_date")
    assert latest.history_change_reason.startswith("Reverted to the version of")
    assert latest.history_user == cast.editor
    assert project.history.count() == 3  # created, edited, reverted: nothing lost


def test_reverting_one_field_leaves_the_others(cast: Cast) -> None:
    project = _project(cast)
    first = project.history.earliest("history_date")
    project = _edit(cast, project, title="Renamed", status="implementation")

    project = history_services.record_revert(
        user=cast.editor,
        record=project,
        history_id=first.history_id,
        expected_version=project.version,
        field="title",
    )

    assert (project.title, project.status) == ("Bus fleet exchange", "implementation")


def test_a_revert_is_refused_to_a_viewer_and_on_a_stale_version(cast: Cast) -> None:
    project = _project(cast)
    first = project.history.earliest("history_date")
    project = _edit(cast, project, title="Renamed")

    with pytest.raises(PermissionDenied):
        history_services.record_revert(
            user=cast.viewer, record=project, history_id=first.history_id, expected_version=project.version
        )
    with pytest.raises(StaleEdit):
        history_services.record_revert(
            user=cast.editor, record=project, history_id=first.history_id, expected_version=1
        )
    project.refresh_from_db()
    assert project.title == "Renamed"


def test_a_revert_cannot_take_a_version_of_another_record_or_change_the_owner(cast: Cast) -> None:
    project, other = _project(cast), _project(cast, "Other")
    with pytest.raises(ValidationError, match="does not belong"):
        history_services.record_revert(
            user=cast.editor,
            record=project,
            history_id=other.history.first().history_id,
            expected_version=project.version,
        )
    with pytest.raises(ValidationError, match="cannot be reverted"):
        history_services.record_revert(
            user=cast.editor,
            record=project,
            history_id=project.history.first().history_id,
            expected_version=project.version,
            field="owner",
        )


def test_a_revert_cannot_make_a_public_record_name_a_private_actor(cast: Cast) -> None:
    """A revert is an edit: the link rules run again."""
    private_partner = services.actor_create(
        user=cast.editor, owner=cast.office_a, name="Private partner", kind="municipality", country="UY"
    )
    contact = services.contact_create(
        user=cast.editor, owner=cast.office_a, full_name="Ana Pérez", institution=private_partner
    )
    old = contact.history.earliest("history_date")
    contact = services.record_update(
        user=cast.editor,
        record=contact,
        expected_version=contact.version,
        changes={"institution": None, "visibility": "public"},
    )

    with pytest.raises(ValidationError, match="public record cannot point at it"):
        history_services.record_revert(
            user=cast.editor,
            record=contact,
            history_id=old.history_id,
            expected_version=contact.version,
            field="institution",
        )


def test_the_record_page_shows_the_diff_and_the_restore_buttons_to_writers_only(cast: Cast) -> None:
    project = _edit(cast, _project(cast), title="Electric buses")
    editor, viewer = Client(), Client()
    editor.force_login(cast.editor)
    viewer.force_login(cast.viewer)

    page = editor.get(project.get_absolute_url()).content.decode()
    assert "Change history" in page and "Electric buses" in page and "Bus fleet exchange" in page
    assert "Restore the whole record to this version" in page

    seen_by_viewer = viewer.get(_history_url(project)).content.decode()
    assert "Bus fleet exchange" in seen_by_viewer
    assert "Restore the whole record" not in seen_by_viewer


def test_restoring_from_the_history_page(cast: Cast) -> None:
    project = _project(cast)
    first = project.history.earliest("history_date")
    project = _edit(cast, project, title="Renamed")
    client = Client()
    client.force_login(cast.editor)

    response = client.post(
        reverse("history:revert", args=["registry", "project", project.pk]),
        {"history_id": first.history_id, "version": project.version, "field": "title"},
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Bus fleet exchange"
    viewer = Client()
    viewer.force_login(cast.viewer)
    refused = viewer.post(
        reverse("history:revert", args=["registry", "project", project.pk]),
        {"history_id": first.history_id, "version": project.version},
    )
    assert refused.status_code == 403


def test_other_offices_and_readers_of_a_shared_record_do_not_read_its_history(cast: Cast) -> None:
    project = _edit(cast, _project(cast), title="Now shared", description="PRIVATE draft sentence")
    project = _edit(cast, project, description="")
    services.record_share(user=cast.editor, record=project, organisations=[cast.office_b])
    other = Client()
    other.force_login(cast.other_owner)

    assert other.get(project.get_absolute_url()).status_code == 200  # the record is shared with them
    assert "PRIVATE draft sentence" not in other.get(project.get_absolute_url()).content.decode()
    assert other.get(_history_url(project)).status_code == 404
    assert Client().get(_history_url(project)).status_code == 302  # anonymous: log in first


def test_reference_facts_keep_their_history_too(cast: Cast) -> None:
    city = CityFactory(name="Rosario", country="AR")
    actor = Actor.objects.get(pk=city.pk)
    curator = cast.curator
    actor = services.record_update(
        user=curator, record=actor, expected_version=actor.version, changes={"population": 1_300_000}
    )
    entries = selectors.record_history(user=cast.viewer, record=actor)
    assert entries[0].who == curator.get_username()
    assert {c.name for c in entries[0].changes} == {"population"}


def test_an_api_edit_names_its_author_in_the_history(cast: Cast) -> None:
    from citydiplo.accounts import services as account_services

    project = _project(cast)
    token = account_services.api_token_create(user=cast.editor, name="t", scope="write")[1]
    response = Client().generic(
        "PATCH",
        f"/api/v1/projects/{project.pk}",
        json.dumps({"version": project.version, "title": "Via the API"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert project.history.latest("history_date").history_user == cast.editor


def test_the_activity_feed_filters_by_term_and_shows_an_import_as_one_line(cast: Cast) -> None:
    office = cast.office_a
    old_term = TermOfGovernment.objects.create(
        organisation=office, head_name="Former mayor", start=dt.date(2015, 7, 1), end=dt.date(2020, 6, 30)
    )
    current = TermOfGovernment.objects.create(
        organisation=office, head_name="Mayor", start=dt.date(2020, 7, 1)
    )
    project = _edit(cast, _project(cast), title="Edited now")
    run = import_run_start(
        kind="agreements", file_name="agreements-2024.csv", organisation=office, user=cast.editor
    )
    import_run_finish(run=run, status="succeeded", counts={"agreements": {"added": 120}})
    services.agreement_create(
        user=cast.other_owner,
        owner=cast.office_b,
        kind="mou",
        parties=[CityFactory(), CityFactory()],
        title="B's",
    )

    now, _more = selectors.activity_feed(user=cast.viewer, organisation=office, term=current)
    before, _more = selectors.activity_feed(user=cast.viewer, organisation=office, term=old_term)

    assert [(i.kind, i.title) for i in now if i.kind != "import"] == [
        ("~", "Edited now"),
        ("+", "Bus fleet exchange"),
    ]
    assert [i.title for i in now if i.kind == "import"] == ["agreements-2024.csv"]
    assert before == []
    assert project.title == "Edited now"
    assert not Agreement.objects.filter(owner=office).exists()

    client = Client()
    client.force_login(cast.viewer)
    page = client.get(reverse("history:activity"), {"term": current.pk}).content.decode()
    assert "agreements-2024.csv" in page and "Edited now" in page and "added 120" in page
    assert "B&#x27;s" not in page and "B's" not in page


def test_the_activity_feed_pages(cast: Cast) -> None:
    for n in range(7):
        services.contact_create(user=cast.editor, owner=cast.office_a, full_name=f"Person {n}")
    first, more = selectors.activity_feed(user=cast.owner, organisation=cast.office_a, per_page=5)
    second, more_after = selectors.activity_feed(
        user=cast.owner, organisation=cast.office_a, per_page=5, page=2
    )
    assert more and not more_after
    assert [i.title for i in first + second] == [f"Person {n}" for n in reversed(range(7))]
    assert Contact.objects.count() == 7


def test_the_activity_feed_reads_a_page_in_the_same_number_of_queries_whatever_its_length(
    cast: Cast,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def edits(n: int) -> None:
        for i in range(n):
            project = _project(cast, f"Project {i}")
            _edit(cast, project, title=f"Project {i} renamed")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.activity_feed(user=cast.owner, organisation=cast.office_a)
        return len(captured)

    edits(2)
    few = queries()
    edits(10)
    assert queries() <= few  # no query per line (simple-history's prev_record and instance would add two)
