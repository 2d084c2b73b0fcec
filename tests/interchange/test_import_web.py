"""The Imports page: upload, the queued task (immediate backend here), the polled progress and the result."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citydiplo.accounts.records import Visibility
from citydiplo.interchange.models import ImportRun
from citydiplo.interchange.runs import import_run_start
from citydiplo.registry.models import Membership
from tests.factories import NetworkFactory

GOOD = b"network,city,country,role,since\nc40,Montevideo,UY,member,2010\nc40,Rosario,AR,board,2018\n"
BAD = b"network,city,country,since\nc40,Montevideo,Narnia,2010\nc40,Rosario,AR,soon\n"


@pytest.fixture(autouse=True)
def immediate_tasks_and_private_media(settings, tmp_path):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """POST the upload form; the task is queued on commit, which a test's transaction never reaches
    unless the callbacks are run, as they are after a real request."""

    def post(*, content: bytes = GOOD, name: str = "members.csv", mode: str = "import", **extra):
        data = {
            "kind": "memberships",
            "file": SimpleUploadedFile(name, content),
            "mode": mode,
            "visibility": "private",
        }
        data.update(extra)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("interchange:import-list"), data)

    return post


@pytest.fixture
def c40(db):
    return NetworkFactory(name="C40 Cities Climate Leadership Group", slug="c40")


def test_editor_upload_runs_the_import_and_the_run_page_shows_counts(client, cast, c40, tmp_path, upload):
    client.force_login(cast.editor)

    response = upload()

    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("interchange:import-detail", args=[run.pk])
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.organisation, run.user, run.file_name) == (cast.office_a, cast.editor, "members.csv")
    assert run.processed_rows == run.total_rows == 2
    assert not run.upload  # the uploaded file is not kept once imported
    assert not list((tmp_path / "media" / "imports").iterdir())
    assert Membership.objects.filter(owner=cast.office_a, visibility=Visibility.PRIVATE).count() == 2

    page = client.get(response.url).content.decode()
    assert "Succeeded" in page and "memberships" in page and '<td class="num">2</td>' in page
    assert 'hx-trigger="every 1s"' not in page  # finished: nothing polls

    listing = client.get(reverse("interchange:import-list")).content.decode()
    assert "members.csv" in listing and "2 added" in listing


def test_failed_upload_lists_every_error_and_writes_nothing(client, cast, c40, upload):
    client.force_login(cast.owner)

    response = upload(content=BAD, name="bad.csv")

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert not Membership.objects.exists()
    page = client.get(response.url).content.decode()
    assert 'id="errors"' in page and "2 errors: nothing was written" in page
    assert '<td>bad.csv</td><td class="num">2</td><td>country</td>' in page
    assert "Unknown country &#x27;Narnia&#x27;" in page
    assert '<td>bad.csv</td><td class="num">3</td><td>since</td>' in page


def test_dry_run_upload_reports_without_writing(client, cast, c40, upload):
    client.force_login(cast.editor)

    response = upload(mode="dry_run")

    assert ImportRun.objects.get().status == ImportRun.Status.DRY_RUN
    assert not Membership.objects.exists()
    assert "What the import would do" in client.get(response.url).content.decode()


def test_viewer_cannot_upload(client, cast, c40, upload):
    client.force_login(cast.viewer)

    page = client.get(reverse("interchange:import-list"))
    assert (
        page.status_code == 200
        and b"Only owners and editors" in page.content
        and b'type="file"' not in page.content
    )
    assert upload().status_code == 403
    assert not ImportRun.objects.exists()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("interchange:import-list"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("members.txt", GOOD, "Only .csv and .xlsx files can be imported"),
        ("members.xlsx", GOOD, "not an Excel workbook"),
    ],
)
def test_wrong_file_types_are_refused_with_a_clear_message(client, cast, name, content, message, upload):
    client.force_login(cast.editor)

    response = upload(name=name, content=content)

    assert response.status_code == 400 and message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_file_over_the_size_limit_is_refused(client, cast, settings, upload):
    settings.CITYDIPLO_MAX_UPLOAD_BYTES = 20
    client.force_login(cast.editor)

    response = upload()

    assert response.status_code == 400 and "the limit is" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_progress_partial_polls_while_running_and_stops_when_finished(client, cast):
    run = import_run_start(
        kind="memberships", file_name="big.csv", user=cast.editor, organisation=cast.office_a, total_rows=200
    )
    ImportRun.objects.filter(pk=run.pk).update(processed_rows=50)
    client.force_login(cast.viewer)
    url = reverse("interchange:import-progress", args=[run.pk])

    running = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{url}"' in running and 'hx-trigger="every 1s"' in running
    assert '<progress value="50" max="200">' in running and "Checked 50 of 200 rows" in running

    from citydiplo.interchange.runs import import_run_finish

    import_run_finish(run=run, status=ImportRun.Status.SUCCEEDED, counts={"memberships": {"added": 200}})
    finished = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in finished and "Succeeded" in finished and "200" in finished


def test_another_organisation_cannot_see_the_run(client, cast):
    run = import_run_start(
        kind="memberships", file_name="ours.csv", user=cast.editor, organisation=cast.office_a
    )
    client.force_login(cast.other_owner)

    assert client.get(reverse("interchange:import-detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("interchange:import-progress", args=[run.pk])).status_code == 404
    assert b"ours.csv" not in client.get(reverse("interchange:import-list")).content


def test_xlsx_upload_imports(client, cast, c40, tmp_path, upload):
    import xlsxwriter

    path = tmp_path / "members.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["Network", "City", "Country", "Since"])
    sheet.write_row(1, 0, ["c40", "Rosario", "AR", 2018])
    workbook.close()
    client.force_login(cast.editor)

    upload(name="members.xlsx", content=path.read_bytes())

    assert ImportRun.objects.get().status == ImportRun.Status.SUCCEEDED
    assert Membership.objects.get().since == "2018"
