"""Moving an installation between databases: a SQLite installation backed up and restored into
PostgreSQL, then backed up there and restored into a new SQLite, keeps every table's row count and
content hash and every document's bytes.

Three real installations, each driven through `manage.py` in a subprocess with its own DATABASE_URL and
MEDIA_ROOT, exactly as an operator would: (a) a temporary SQLite file, (b) a scratch database created on
the PostgreSQL server of the suite's PostgreSQL run (and dropped afterwards), (c) another SQLite file.

It needs that server, so it runs in the PostgreSQL run (DATABASE_URL=postgres://..., which `make test`
sets up with pg_virtualenv) and is skipped in the SQLite run. Under CI, with DATABASE_URL naming
PostgreSQL, it must run: an unreachable server fails it instead of skipping it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import pytest

from tests.interchange.test_backup import DOCUMENT_BYTES

PROJECT_DIR = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
SEED = "from tests.interchange.test_backup import installation_seed; installation_seed()"


def _is_postgres(url: str) -> bool:
    return bool(url) and dj_database_url.parse(url)["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    """The URL of a new, empty database on the suite's PostgreSQL server, dropped at the end."""
    if not _is_postgres(DATABASE_URL):
        pytest.skip("needs PostgreSQL: runs in the PostgreSQL run of the suite (DATABASE_URL=postgres://...)")
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(DATABASE_URL)
    params = {
        "host": config.get("HOST"),
        "port": config.get("PORT"),
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
        "dbname": config.get("NAME") or "postgres",
    }
    try:
        server = psycopg.connect(**{key: value for key, value in params.items() if value}, autocommit=True)
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL named by DATABASE_URL is not reachable: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message + " (under CI the SQLite→PostgreSQL test must run, not skip)")
        pytest.skip(message)
    name = f"citydiplo_backup_{uuid.uuid4().hex[:12]}"
    server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlsplit(DATABASE_URL)._replace(path=f"/{name}").geturl()
    finally:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        server.close()


class Installation:
    """One citydiplo installation: a database and a data directory, driven through manage.py."""

    def __init__(self, folder: Path, database_url: str) -> None:
        folder.mkdir(parents=True)
        self.folder = folder
        self.media = folder / "media"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "citydiplo.settings",
            "DATABASE_URL": database_url,
            "CITYDIPLO_DATA_DIR": str(folder),
            "MEDIA_ROOT": str(self.media),
        }

    def manage(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def backup(self, name: str) -> Path:
        path = self.folder.parent / name
        self.manage("backup", str(path))
        return path


def _manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def _tables(manifest: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {table["model"]: (table["rows"], table["sha256"]) for table in manifest["tables"]}


@pytest.mark.postgres
def test_sqlite_installation_moves_to_postgresql_and_back_unchanged(scratch_postgres, tmp_path):
    sqlite_a = Installation(tmp_path / "a", f"sqlite:///{tmp_path / 'a.sqlite3'}")
    sqlite_a.manage("migrate", "--noinput", "-v", "0")
    sqlite_a.manage("shell", "-c", SEED)
    from_sqlite = sqlite_a.backup("from-sqlite.zip")

    postgres = Installation(tmp_path / "pg", scratch_postgres)
    postgres.manage("migrate", "--noinput", "-v", "0")
    postgres.manage("restore", str(from_sqlite))
    from_postgres = postgres.backup("from-postgres.zip")

    sqlite_c = Installation(tmp_path / "c", f"sqlite:///{tmp_path / 'c.sqlite3'}")
    sqlite_c.manage("migrate", "--noinput", "-v", "0")
    sqlite_c.manage("restore", str(from_postgres))
    back_on_sqlite = sqlite_c.backup("back-on-sqlite.zip")

    a, b, c = (_manifest(path) for path in (from_sqlite, from_postgres, back_on_sqlite))
    assert (a["source"]["vendor"], b["source"]["vendor"], c["source"]["vendor"]) == (
        "sqlite",
        "postgresql",
        "sqlite",
    )
    # Same rows, same content, table by table, whichever database the archive was read from.
    assert _tables(b) == _tables(a)
    assert _tables(c) == _tables(a)
    seeded = _tables(a)
    assert seeded["registry.document"][0] == 1
    assert seeded["registry.projecttransaction"][0] >= 5
    assert seeded["registry.project_shared_with"][0] >= 1

    # The same documents, byte for byte, in each installation's media directory.
    assert a["media"] == b["media"] == c["media"]
    (document,) = a["media"]
    for installation in (sqlite_a, postgres, sqlite_c):
        assert (installation.media / document["name"]).read_bytes() == DOCUMENT_BYTES
