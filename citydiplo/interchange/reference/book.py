"""The registry's reference actors held in memory for one step: read once, written in bulk.

A step asks the book for an actor by Wikidata QID, GeoNames id or slug (dict lookups, no query), creates
actors (kept pending until `flush`, which inserts them in batches) and records changes (written by one
bulk update, version + 1). So a step over thousands of rows runs a handful of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from citydiplo.accounts.records import Origin, Record, Visibility
from citydiplo.registry.models import Actor

BATCH_SIZE = 500
R = TypeVar("R", bound=Record)


def changes_apply(record: Record, values: Mapping[str, Any]) -> list[str]:
    """Set the values that differ on `record`; return their names (empty: nothing to write).

    The caller writes the names returned (plus `version` and `updated_at`, see `mark_changed`).
    """
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, values[name])
    return changed


def mark_changed(record: Record) -> None:
    """A reference row changed in the file: one more version, so an edit based on the old one is refused."""
    record.version += 1
    record.updated_at = timezone.now()


def bulk_update(model: type[models.Model], records: Iterable[R], fields: set[str]) -> None:
    records = list(records)
    if records:
        model._default_manager.bulk_update(
            records, sorted(fields | {"version", "updated_at"}), batch_size=BATCH_SIZE
        )


class Builder:
    """Makes many unsaved instances of one model fast, for bulk_create.

    A prototype made once with the ordinary constructor supplies every default; each instance is then made
    with Django's positional constructor (the path `Model.from_db` takes) with only its own values set.
    The keyword constructor, as patched by django-modeltranslation, costs about ten times more per
    instance, which is most of the time of a first load of 8,000 agreements.

    Values are keyed by attribute name (`owner_id`, not `owner`). A translated field given by its plain
    name (`name`) also fills the default language's column (`name_en`), as the keyword constructor does.
    """

    def __init__(self, model: type[models.Model], **common: Any) -> None:
        prototype = model(**common)
        self.model = model
        names = [field.attname for field in model._meta.concrete_fields]
        self.position = {name: index for index, name in enumerate(names)}
        self.base = [prototype.__dict__.get(name) for name in names]
        language = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        self.translated = {
            name: f"{name}_{language}" for name in names if f"{name}_{language}" in self.position
        }

    def build(self, **values: Any) -> Any:
        row = self.base.copy()
        for name, value in values.items():
            row[self.position[name]] = value
            if name in self.translated and self.translated[name] not in values:
                row[self.position[self.translated[name]]] = value
        return self.model(*row)


def unique_slug(text: str, taken: set[str]) -> str:
    """ "montevideo-uy", then "montevideo-uy-2" for a homonym; `taken` is every slug in use, updated here."""
    base = slugify(text)[:110] or "actor"
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


class ActorBook:
    def __init__(self) -> None:
        self.by_pk: dict[int, Actor] = {}
        self.by_wikidata: dict[str, Actor] = {}
        self.by_geonames: dict[int, Actor] = {}
        self.by_slug: dict[str, Actor] = {}
        for actor in Actor.objects.filter(owner__isnull=True).order_by("pk"):
            self.by_pk[actor.pk] = actor
            self.remember(actor)
        # Ids held by organisations' own actors: unique in the table, so a reference actor cannot take them.
        self.held_geonames: set[int] = set()
        self.held_wikidata: set[str] = set()
        for geonames_id, wikidata_id in Actor.objects.filter(owner__isnull=False).values_list(
            "geonames_id", "wikidata_id"
        ):
            if geonames_id:
                self.held_geonames.add(geonames_id)
            if wikidata_id:
                self.held_wikidata.add(wikidata_id)
        self.taken_slugs: set[str] = set(Actor.objects.values_list("slug", flat=True))
        self.pending: list[Actor] = []
        self.builder = Builder(Actor, owner=None, origin=Origin.REFERENCE_LOAD, visibility=Visibility.PUBLIC)
        self.dirty: dict[int, Actor] = {}
        self.dirty_fields: set[str] = set()

    def remember(self, actor: Actor) -> None:
        if actor.wikidata_id:
            self.by_wikidata[actor.wikidata_id] = actor
        for qid in (actor.other_ids or {}).get("wikidata", []):
            self.by_wikidata.setdefault(qid, actor)
        if actor.geonames_id:
            self.by_geonames[actor.geonames_id] = actor
        self.by_slug[actor.slug] = actor

    def geonames_free(self, geonames_id: int | None, for_actor: Actor | None = None) -> bool:
        """Whether `for_actor` (or a new actor) may take this GeoNames id."""
        if geonames_id is None or geonames_id in self.held_geonames:
            return False
        holder = self.by_geonames.get(geonames_id)
        return holder is None or holder is for_actor

    def create(self, *, name: str, kind: str, slug: str = "", **fields: Any) -> Actor:
        """A new reference actor, inserted at the next `flush`. Ids held elsewhere are dropped, not forced."""
        if fields.get("geonames_id") is not None and not self.geonames_free(fields["geonames_id"]):
            fields["geonames_id"] = None
        if fields.get("wikidata_id") and (
            fields["wikidata_id"] in self.held_wikidata or fields["wikidata_id"] in self.by_wikidata
        ):
            fields["wikidata_id"] = None
        actor = self.builder.build(
            name=name,
            kind=kind,
            slug=slug or unique_slug(f"{name} {fields.get('country', '')}".strip(), self.taken_slugs),
            **fields,
        )
        if slug:
            self.taken_slugs.add(slug)
        self.pending.append(actor)
        self.remember(actor)
        return actor

    def update(self, actor: Actor, values: Mapping[str, Any]) -> bool:
        """Apply the values to a stored actor; True when something changed (written at `flush`)."""
        changed = changes_apply(actor, values)
        if not changed:
            return False
        if actor.pk not in self.dirty:
            mark_changed(actor)
            self.dirty[actor.pk] = actor
        self.dirty_fields.update(changed)
        self.remember(actor)
        return True

    def flush(self) -> list[Actor]:
        """Insert the pending actors and write the changed ones; returns the actors inserted."""
        created = self.pending
        if created:
            Actor.objects.bulk_create(created, batch_size=BATCH_SIZE)
            for actor in created:
                self.by_pk[actor.pk] = actor
        bulk_update(Actor, self.dirty.values(), self.dirty_fields)
        self.pending, self.dirty, self.dirty_fields = [], {}, set()
        return created
