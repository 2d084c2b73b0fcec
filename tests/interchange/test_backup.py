"""`citydiplo backup` / `citydiplo restore`: an installation comes back table for table, hash for hash,
with its documents; a database holding data, an archive from other migrations and a damaged archive are
refused, and a restore that fails half-way leaves the database and the media directory as they were.

The archive is made once per module from a small installation (``installation_seed``, also used by the
SQLite ↔ PostgreSQL test in test_backup_crossdb.py) inside a transaction that is then rolled back, so
each test starts from the freshly migrated test database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from citydiplo.accounts.models import Organisation, User
from citydiplo.accounts.records import Origin, Visibility
from citydiplo.interchange.backup import canonical
from citydiplo.interchange.runs import import_run_finish, import_run_start
from citydiplo.registry import services
from citydiplo.registry.models import Actor, ActorKind, Document, PlaceReview, Project, Theme

# A document with every byte value and a non-ASCII name: what comes back must be exactly this.
DOCUMENT_NAME = "acta-reunión 2024.pdf"
DOCUMENT_BYTES = b"%PDF-1.4\n% illustrative minutes\n" + bytes(range(256)) * 40


def installation_seed() -> None:
    """A small installation holding every kind of value a backup must carry: the illustrative demo
    (users, organisations, terms, projects with Decimal amounts, events, contacts, M2M shares and
    themes), floats and nested JSON, a row pointing at a later row of its own table (Actor.parent,
    Organisation.parent), a finished import run, a decided place review and an attached document.

    Preconditions: a migrated, empty database. Runs without pytest (the cross-database test calls it in
    a subprocess), so it uses the ORM and services only.
    """
    from citydiplo.demo.loader import MAIN_OFFICE_SLUG, MONTEVIDEO_GEONAMES_ID, demo_load

    with transaction.atomic():
        montevideo = Actor.objects.create(
            kind=ActorKind.MUNICIPALITY,
            name="Montevideo",
            slug="montevideo-uy",
            country="UY",
            geonames_id=MONTEVIDEO_GEONAMES_ID,
            latitude=-34.90328,
            longitude=-56.18816,
            population=1_319_108,
            other_ids={"zz": 1, "aliases": ["Montevidéu", "蒙特维多"], "nested": {"b": None, "a": 0.1 + 0.2}},
            origin=Origin.REFERENCE_LOAD,
            visibility=Visibility.PUBLIC,
        )
        department = Actor.objects.create(
            kind=ActorKind.REGION,
            name="Departamento de Montevideo",
            slug="montevideo-department-uy",
            country="UY",
            origin=Origin.REFERENCE_LOAD,
            visibility=Visibility.PUBLIC,
        )
        montevideo.parent = department  # a higher id of the same table
        montevideo.save(update_fields=["parent"])
    demo_load()

    office = Organisation.objects.get(slug=MAIN_OFFICE_SLUG)
    metropolitan = Organisation.objects.create(
        slug="metropolitan-area", name="Área Metropolitana", kind=Organisation.Kind.METROPOLITAN_BODY
    )
    office.parent = metropolitan
    office.save(update_fields=["parent"])
    owner = office.members.get(role="owner").user
    project = Project.objects.filter(owner=office).order_by("pk").first()
    services.document_attach(
        user=owner,
        owner=office,
        title="Minutes of the steering committee",
        file=ContentFile(DOCUMENT_BYTES, name=DOCUMENT_NAME),
        project=project,
    )
    run = import_run_start(kind="memberships", file_name="members.csv", user=owner, organisation=office)
    import_run_finish(run=run, status="succeeded", counts={"membership": {"added": 3, "unchanged": 1}})
    PlaceReview.objects.create(
        organisation=office,
        import_run=run,
        source_file="members.csv",
        row_number=7,
        name="Springfield",
        key="springfield",
        country_code="US",
        lat=39.80172,
        lon=-89.64371,
        candidates=[{"geonames_id": 4250542, "score": 0.93, "name": "Springfield"}],
        status=PlaceReview.Status.CONFIRMED,
        chosen_geonames_id=4250542,
        decided_by=owner,
        decided_at=dt.datetime(2024, 2, 29, 23, 59, 59, tzinfo=dt.UTC),
    )


@pytest.fixture(scope="module")
def archive(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of the seeded installation; the seeding itself is rolled back afterwards."""
    folder = tmp_path_factory.mktemp("backup")
    path = folder / "citydiplo.zip"
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=str(folder / "media-source"),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        installation_seed()
        call_command("backup", str(path), stdout=io.StringIO(), stderr=io.StringIO())
        transaction.set_rollback(True)
    return path


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def manifest_of(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))


def tables_of(manifest: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {table["model"]: (table["rows"], table["sha256"]) for table in manifest["tables"]}


def all_counts() -> dict[str, int]:
    """Rows in every table of the installation: "unchanged" means all of these are equal."""
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    }


def restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def rewrite(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """A copy of the archive with some members' bytes replaced."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
    return target


# --- Round trip ---------------------------------------------------------------------------------------


def test_restore_into_a_fresh_database_gives_back_every_table_and_document(archive, db, media_root, tmp_path):
    # A freshly migrated database already holds the themes and content types migrate installs: they
    # must not count as data, and are replaced by the archive's.
    assert Theme.objects.exists() and not User.objects.exists()

    out = restore(archive)
    assert "every count and hash matches" in out

    again = tmp_path / "again.zip"
    call_command("backup", str(again), stdout=io.StringIO(), stderr=io.StringIO())
    first, second = manifest_of(archive), manifest_of(again)
    assert tables_of(second) == tables_of(first)
    assert second["media"] == first["media"]
    assert tables_of(first)["registry.document"][0] == 1
    assert tables_of(first)["accounts.user"][0] >= 2

    document = Document.objects.get()
    with document.file.open("rb") as stored:
        assert stored.read() == DOCUMENT_BYTES
    assert (media_root / document.file.name).read_bytes() == DOCUMENT_BYTES
    montevideo = Actor.objects.get(slug="montevideo-uy")
    assert montevideo.parent.slug == "montevideo-department-uy"
    assert montevideo.other_ids["aliases"] == ["Montevidéu", "蒙特维多"]
    assert Organisation.objects.get(slug="demo-montevideo").parent.slug == "metropolitan-area"


def test_new_records_after_a_restore_get_fresh_ids(archive, db, media_root):
    # As in a database where no actor was ever inserted (the archive's seeding used up ids here).
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Actor]):
            cursor.execute(statement)
    restore(archive)
    highest = Actor.objects.order_by("-pk").first().pk
    actor = Actor.objects.create(
        kind=ActorKind.MUNICIPALITY, name="Rosario", slug="rosario-new", country="AR"
    )
    assert actor.pk > highest


def test_restore_keeps_timestamps_instead_of_stamping_the_restore_time(archive, db, media_root):
    started = timezone.now()
    restore(archive)
    assert PlaceReview.objects.get().decided_at == dt.datetime(2024, 2, 29, 23, 59, 59, tzinfo=dt.UTC)
    # updated_at is auto_now: a save() during the restore would have moved it to the restore's time.
    archived = archive_row(archive, "registry.actor", slug="montevideo-uy")["updated_at"]
    updated_at = Actor.objects.get(slug="montevideo-uy").updated_at
    assert updated_at == dt.datetime.fromisoformat(archived)
    assert updated_at < started


def archive_row(path: Path, model: str, **match: Any) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        for line in zf.read(f"tables/{model}.jsonl").splitlines():
            row = json.loads(line)
            if all(row.get(key) == value for key, value in match.items()):
                return row
    raise AssertionError(f"no {model} row with {match}")


# --- Refusals -----------------------------------------------------------------------------------------


def test_restore_refuses_a_database_holding_data_without_force(archive, cast, media_root):
    before = all_counts()
    with pytest.raises(CommandError, match="already holds data.*--force"):
        restore(archive)
    assert all_counts() == before
    assert User.objects.filter(username="ana").exists()


def test_force_replaces_everything_including_login_sessions(archive, cast, media_root):
    Session.objects.create(
        session_key="x" * 40, session_data="{}", expire_date=timezone.now() + dt.timedelta(1)
    )
    restore(archive, "--force")
    assert not User.objects.filter(username="ana").exists()
    assert not Session.objects.exists()
    assert Document.objects.count() == 1


def test_archive_from_other_migrations_is_refused_naming_the_app(archive, db, tmp_path, media_root):
    manifest = manifest_of(archive)
    manifest["migrations"]["registry"].append("9999_from_the_future")
    other = rewrite(archive, tmp_path / "other.zip", {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(CommandError, match=r"app 'registry': the archive has 9999_from_the_future"):
        restore(other)
    assert not User.objects.exists()


def test_damaged_archive_is_refused_and_the_database_is_unchanged(archive, cast, tmp_path, media_root):
    with zipfile.ZipFile(archive) as zf:
        actors = zf.read("tables/registry.actor.jsonl")
    damaged = rewrite(
        archive,
        tmp_path / "damaged.zip",
        {"tables/registry.actor.jsonl": actors.replace(b"Montevideo", b"Montevidea")},
    )
    before = all_counts()
    with pytest.raises(CommandError, match=r"damaged or was altered: tables/registry\.actor\.jsonl"):
        restore(damaged, "--force")
    assert all_counts() == before
    assert User.objects.filter(username="ana").exists()


def test_damaged_document_is_refused(archive, db, tmp_path, media_root):
    name = manifest_of(archive)["media"][0]["file"]
    damaged = rewrite(archive, tmp_path / "damaged.zip", {name: b"not the minutes"})
    with pytest.raises(CommandError, match="does not match its manifest hash"):
        restore(damaged)
    assert not User.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.pdf"))


def test_failure_half_way_rolls_back_the_database_and_removes_the_files(archive, cast, tmp_path, media_root):
    """An archive whose hashes match but whose rows break a foreign key (as a hand-edited one could):
    the restore gets as far as the constraint check, then must undo everything, --force included."""
    with zipfile.ZipFile(archive) as zf:
        lines = zf.read("tables/registry.document.jsonl").splitlines(keepends=True)
    row = json.loads(lines[0])
    row["project_id"] = 987654321
    broken_table = canonical.canonical_line(row)
    manifest = manifest_of(archive)
    entry = next(t for t in manifest["tables"] if t["model"] == "registry.document")
    entry["sha256"] = hashlib.sha256(broken_table).hexdigest()
    broken = rewrite(
        archive,
        tmp_path / "broken.zip",
        {"tables/registry.document.jsonl": broken_table, "manifest.json": json.dumps(manifest).encode()},
    )
    before = all_counts()
    with pytest.raises(CommandError, match="do not hold together"):
        restore(broken, "--force")
    assert all_counts() == before
    assert User.objects.filter(username="ana").exists()
    assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))


def test_failure_while_writing_documents_rolls_back_and_removes_them(archive, cast, media_root, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    original = FileSystemStorage._save

    def save_then_fail(self: FileSystemStorage, name: str, content: Any) -> str:
        original(self, name, content)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", save_then_fail)
    before = all_counts()
    with pytest.raises(CommandError, match="No space left on device. Nothing was restored"):
        restore(archive, "--force")
    assert all_counts() == before
    assert User.objects.filter(username="ana").exists()
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_not_a_backup_is_refused(db, tmp_path):
    path = tmp_path / "photo.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("photo.jpg", b"...")
    with pytest.raises(CommandError, match="not a citydiplo backup"):
        restore(path)
    (tmp_path / "truncated.zip").write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(CommandError, match="not a zip archive"):
        restore(tmp_path / "truncated.zip")


# --- What is in the archive ---------------------------------------------------------------------------


def test_archive_has_one_jsonl_per_table_and_leaves_out_only_transient_rows(db, tmp_path, media_root):
    from django_tasks_db.models import DBTaskResult

    Session.objects.create(session_key="s" * 40, session_data="{}", expire_date=timezone.now())
    common = {"args_kwargs": {"args": [], "kwargs": {}}, "task_path": "x.y", "backend_name": "default"}
    waiting = DBTaskResult.objects.create(status="READY", run_after=timezone.now(), **common)
    DBTaskResult.objects.create(status="SUCCESSFUL", run_after=timezone.now(), **common)
    path = tmp_path / "b.zip"
    call_command("backup", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    manifest = manifest_of(path)
    labels = {table["model"] for table in manifest["tables"]}
    assert "sessions.session" not in labels
    assert {"registry.actor", "registry.actor_themes", "accounts.user", "contenttypes.contenttype"} <= labels
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        assert {f"tables/{label}.jsonl" for label in labels} <= names
        tasks = [
            json.loads(line)
            for line in zf.read("tables/django_tasks_database.dbtaskresult.jsonl").splitlines()
        ]
    assert [task["id"] for task in tasks] == [str(waiting.pk)]
    assert manifest["source"]["vendor"] in {"sqlite", "postgresql"}
    assert manifest["migrations"]["registry"][:2] == ["0001_initial", "0002_themes"]


def test_canonical_values_do_not_depend_on_the_database():
    budget = Project._meta.get_field("budget")
    assert canonical.encoder_for(budget)(Decimal("450000")) == "450000.00"
    assert canonical.encoder_for(budget)(Decimal("4.5E+5")) == "450000.00"
    created = Actor._meta.get_field("created_at")
    montevideo_time = dt.timezone(dt.timedelta(hours=-3))
    assert canonical.encoder_for(created)(dt.datetime(2024, 5, 1, 6, 30, tzinfo=montevideo_time)) == (
        "2024-05-01T09:30:00.000000+00:00"
    )
    # PostgreSQL's jsonb reorders object keys, SQLite keeps them as written: sorted keys make both equal.
    assert (
        canonical.canonical_line({"b": 1, "a": {"y": 2, "x": "ñ"}})
        == '{"a":{"x":"ñ","y":2},"b":1}\n'.encode()
    )
