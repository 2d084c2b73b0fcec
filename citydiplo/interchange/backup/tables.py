"""Which tables a backup holds, in which order, and how their rows are read.

Every concrete, managed model Django knows (``django.apps``, with the auto-created many-to-many tables)
is one table, whatever app it comes from: a model added later is backed up without touching this code.
The exceptions, in ``EXCLUDED`` and ``PARTIAL``, hold only transient rows an installation need not move.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db import connections, models, router
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Collate

from citydiplo.interchange.backup.canonical import Encoder, canonical_line, decoder_for, encoder_for

# Tables left out of the archive altogether, and why (written into the manifest too).
EXCLUDED: dict[str, str] = {
    "sessions.session": (
        "login sessions are transient and bound to the old server's SECRET_KEY; restoring them could log "
        "a browser in as whoever gets the same user id, so restore empties this table and people log in again"
    ),
}

# Tables of which only some rows are kept: (Django lookup of the rows to leave out, why).
PARTIAL: dict[str, tuple[dict[str, Any], str]] = {
    "django_tasks_database.dbtaskresult": (
        {"status__in": ["SUCCESSFUL", "FAILED"]},
        "finished background tasks are a transient log (their outcome is kept on the records they "
        "changed, e.g. the import run); tasks still waiting or running are kept so no queued work is lost",
    ),
}

# Tables that `migrate` itself fills in an empty database: the content types and permissions Django
# creates after migrating, and the controlled list of themes (registry migration 0002_themes). They do not
# make a database "non-empty", and restore replaces their rows with the archive's (keeping its ids, which
# other rows point to). A new data migration that installs rows must add its table here.
SEEDED_BY_MIGRATE: dict[str, str] = {
    "contenttypes.contenttype": "created by migrate (post_migrate signal)",
    "auth.permission": "created by migrate (post_migrate signal)",
    "registry.theme": "installed by the data migration registry 0002_themes",
    "strategy.sdggoal": "installed by the data migration strategy 0002_sdg_goals",
}

TEXT_FIELDS = (models.CharField, models.TextField)


@dataclass(frozen=True)
class Table:
    model: type[models.Model]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def db_table(self) -> str:
        return self.model._meta.db_table

    @property
    def file(self) -> str:
        return f"tables/{self.label}.jsonl"

    @property
    def fields(self) -> list[models.Field]:
        """The table's own columns (a child of multi-table inheritance has its parent's in another table).
        Generated columns are left out: the database computes them again."""
        return [
            field
            for field in self.model._meta.local_concrete_fields
            if field.column is not None and not getattr(field, "generated", False)
        ]

    @property
    def columns(self) -> list[str]:
        return [field.attname for field in self.fields]

    @property
    def file_fields(self) -> list[str]:
        return [field.attname for field in self.fields if isinstance(field, models.FileField)]

    @property
    def excluded(self) -> bool:
        return self.label in EXCLUDED

    @property
    def seeded(self) -> bool:
        return self.label in SEEDED_BY_MIGRATE

    def dependencies(self) -> set[type[models.Model]]:
        """The models this table's foreign keys point to (itself excluded)."""
        found = set()
        for field in self.fields:
            if field.is_relation and field.related_model is not None:
                target = field.related_model._meta.concrete_model  # type: ignore[union-attr]
                if target is not None and target is not self.model:
                    found.add(target)
        return found

    def queryset(self, using: str) -> models.QuerySet[Any]:
        """Every row to back up, in primary-key order.

        Text keys are ordered bytewise (collation "C" on PostgreSQL, "BINARY" on SQLite): a locale's
        collation would order them differently on each database, and so change the hash.
        """
        queryset = self.model._base_manager.using(using).all()
        partial = PARTIAL.get(self.label)
        if partial is not None:
            queryset = queryset.exclude(**partial[0])
        vendor = connections[using].vendor
        collation = {"postgresql": "C", "sqlite": "BINARY"}.get(vendor)
        order: list[Any] = []
        for field in self.model._meta.pk_fields:
            if isinstance(field, TEXT_FIELDS) and collation:
                order.append(Collate(field.attname, collation))
            else:
                order.append(field.attname)
        return queryset.order_by(*order)

    def encoders(self) -> list[tuple[str, Encoder]]:
        return [(field.attname, encoder_for(field)) for field in self.fields]

    def decoders(self) -> list[tuple[str, Encoder]]:
        return [(field.attname, decoder_for(field)) for field in self.fields]

    def rows(self, using: str, chunk_size: int = 2000) -> Iterator[dict[str, Any]]:
        """The table's rows as canonical dicts, streamed (never the whole table in memory)."""
        encoders = self.encoders()
        columns = [attname for attname, _ in encoders]
        for values in self.queryset(using).values_list(*columns).iterator(chunk_size=chunk_size):
            yield {attname: encode(value) for (attname, encode), value in zip(encoders, values, strict=True)}

    def lines(self, using: str, chunk_size: int = 2000) -> Iterator[tuple[bytes, dict[str, Any]]]:
        for row in self.rows(using, chunk_size):
            yield canonical_line(row), row


def all_tables(using: str) -> list[Table]:
    """Every concrete, managed table of the installation, parents before children.

    Foreign-key cycles (an organisation's place is an actor, an actor's owner is an organisation) and
    self-references (Actor.parent) cannot all be ordered; restore defers constraint checks to the end
    of its transaction for those, and the order only spares the database needless deferred checks.
    """
    by_model = {
        model: Table(model)
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
        and model._meta.managed
        and not model._meta.swapped
        and router.allow_migrate_model(using, model)
    }
    ordered: list[Table] = []
    state: dict[type[models.Model], str] = {}

    def visit(model: type[models.Model]) -> None:
        state[model] = "visiting"
        for dependency in sorted(by_model[model].dependencies(), key=lambda m: m._meta.label_lower):
            if dependency in by_model and dependency not in state:
                visit(dependency)
        state[model] = "done"
        ordered.append(by_model[model])

    for model in sorted(by_model, key=lambda m: m._meta.label_lower):
        if model not in state:
            visit(model)
    return ordered


def backed_up_tables(using: str) -> list[Table]:
    return [table for table in all_tables(using) if not table.excluded]


def migration_state(using: str) -> dict[str, list[str]]:
    """The applied migrations of every installed app, by app label (stale records of removed apps
    left out: they say nothing about the tables this installation has)."""
    installed = {config.label for config in apps.get_app_configs()}
    state: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        if app_label in installed:
            state.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(state.items())}


def migrations_pending(using: str) -> list[str]:
    """Migrations of this code not applied to the database ("app.name"): with any, the code's models and
    the database's tables differ, and neither a backup nor a restore can be trusted."""
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def storage_of(field_labels: list[str]) -> Storage:
    """The storage of the first file field named ("registry.document.file") that this installation has;
    the default storage otherwise (for a field since removed)."""
    for label in field_labels:
        app_label, model_name, attname = label.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        for field in model._meta.concrete_fields:
            if field.attname == attname and isinstance(field, models.FileField):
                return field.storage
    return default_storage
