"""Reading the change history: which records have one, who may read it, the field diffs, the activity feed.

Who reads a record's history: members of the organisation that owns it (any role), and any signed-in
person for a reference fact. Someone who reads a record because it was shared with them or made public
does not read its history: earlier versions may hold what the owner never meant to share (a note written
before the record was shared, a partner later removed).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.apps import apps
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from citydiplo.accounts.models import Organisation, TermOfGovernment
from citydiplo.accounts.records import Record, organisation_ids_of
from citydiplo.interchange.models import ImportRun

# Bookkeeping fields every edit touches; a diff of them says nothing to a reader.
IGNORED_FIELDS = frozenset({"version", "origin", "updated_at", "created_at", "created_by", "reference_key"})
# Fields a revert never writes: the owner (moving a record between organisations is a transfer) and the
# bookkeeping above.
NOT_REVERTABLE = IGNORED_FIELDS | {"id", "owner"}

ADDED, CHANGED, DELETED = "+", "~", "-"


def tracked_models() -> list[type[Record]]:
    """Every record model with a change history, in a stable order."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, Record) and getattr(model._meta, "simple_history_manager_attribute", None)
    ]
    return sorted(found, key=lambda m: m._meta.label_lower)


def tracked_model(app_label: str, model_name: str) -> type[Record]:
    for model in tracked_models():
        if model._meta.app_label == app_label and model._meta.model_name == model_name:
            return model
    raise Http404


def history_readable(user: Any, record: Record) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return record.owner_id is None or record.owner_id in organisation_ids_of(user)


def record_for_history(*, user: Any, app_label: str, model_name: str, pk: int) -> Record:
    """The record whose history the user asks for; 404 for a record they may not read or whose history
    is not theirs to read (the same answer as for a missing record)."""
    model = tracked_model(app_label, model_name)
    record = model.objects.visible_to(user).filter(pk=pk).first()
    if record is None or not history_readable(user, record):
        raise Http404
    return record


def revertable_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and f.name not in NOT_REVERTABLE and not f.primary_key
    ]


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    revertable: bool


@dataclass
class HistoryEntry:
    history_id: int
    when: dt.datetime
    who: str
    kind: str  # ADDED, CHANGED, DELETED
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    revertable: bool = False  # a whole-record revert to this version would change something
    previous_id: int | None = None  # the version before: "restore the old value" of a field reverts to it


def _display(model: type[models.Model], name: str, value: Any, user: Any) -> str:
    """A stored value as a reader understands it: a choice's label, a linked record's name (only if the
    reader may see that record), an empty value as a dash."""
    if value in (None, ""):
        return "—"
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since: show the raw value
        return str(value)
    if model_field.is_relation and model_field.related_model is not None:
        related = model_field.related_model
        pk = getattr(value, "pk", value)
        manager = related._default_manager
        queryset = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()
        target = queryset.filter(pk=pk).first()
        return str(target) if target is not None else f"#{pk}"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field removed since: its name
        return name


def _changes(new: Any, old: Any) -> list[Any]:
    """The fields that differ between two versions (simple-history's ModelChange: field, old, new)."""
    return new.diff_against(old, excluded_fields=IGNORED_FIELDS).changes


def _diff(model: type[models.Model], new: Any, old: Any, user: Any) -> list[FieldChange]:
    """The changes between two versions as a reader sees them (display values may read linked records)."""
    revertable = {f.name for f in revertable_fields(model)}
    return [
        FieldChange(
            name=change.field,
            label=_label(model, change.field),
            old=_display(model, change.field, change.old, user),
            new=_display(model, change.field, change.new, user),
            revertable=change.field in revertable,
        )
        for change in _changes(new, old)
    ]


def _who(row: Any) -> str:
    user = getattr(row, "history_user", None)
    return user.get_username() if user is not None else ""


def record_history(*, user: Any, record: Record, limit: int | None = None) -> list[HistoryEntry]:
    """The record's versions, newest first, each with the fields that changed from the version before."""
    model = type(record)
    revertable = {f.name for f in revertable_fields(model)}
    rows = list(record.history.select_related("history_user").order_by("-history_date", "-history_id"))
    current = rows[0] if rows else None
    entries = []
    for index, row in enumerate(rows[: limit or None]):
        older = rows[index + 1] if index + 1 < len(rows) else None
        changes = _diff(model, row, older, user) if older is not None else []
        differs = row is not current and any(c.field in revertable for c in _changes(current, row))
        entries.append(
            HistoryEntry(
                history_id=row.history_id,
                when=row.history_date,
                who=_who(row),
                kind=row.history_type,
                reason=row.history_change_reason or "",
                changes=changes,
                revertable=differs,
                previous_id=older.history_id if older is not None else None,
            )
        )
    return entries


# --- The organisation's activity feed ------------------------------------------------------------------


@dataclass
class ActivityItem:
    when: dt.datetime
    who: str
    kind: str  # ADDED, CHANGED, DELETED, or "import"
    what: str  # the kind of record ("agreement"), or the import's kind
    title: str
    url: str = ""
    changed_fields: list[str] = field(default_factory=list)
    import_run: ImportRun | None = None


def term_bounds(term: TermOfGovernment | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    if term is None:
        return None, None
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(term.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(term.end, dt.time.max, tzinfo=zone) if term.end else None
    return start, end


def _between(queryset: Any, name: str, start: dt.datetime | None, end: dt.datetime | None) -> Any:
    if start is not None:
        queryset = queryset.filter(**{f"{name}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{name}__lte": end})
    return queryset


def _predecessors(model: type[Record], rows: list[Any]) -> dict[int, Any]:
    """The version before each changed row (by history_id), read in one query for the whole page rather
    than with simple-history's prev_record, which asks the database once per row."""
    changed = [row for row in rows if row.history_type == CHANGED]
    if not changed:
        return {}
    versions: dict[int, list[Any]] = {}
    older = model.history.filter(
        id__in={row.id for row in changed}, history_date__lte=max(row.history_date for row in changed)
    ).order_by("history_date", "history_id")
    for version in older:
        versions.setdefault(version.id, []).append(version)
    found = {}
    for row in changed:
        chain = versions.get(row.id, [])
        position = next((i for i, v in enumerate(chain) if v.history_id == row.history_id), 0)
        if position:
            found[row.history_id] = chain[position - 1]
    return found


def _history_items(model: type[Record], rows: list[Any], user: Any) -> Iterator[ActivityItem]:
    live = set(
        model.objects.visible_to(user).filter(pk__in=[r.id for r in rows]).values_list("pk", flat=True)
    )
    before = _predecessors(model, rows)
    for row in rows:
        # The version as a record object, from its own columns: simple-history's `row.instance` would
        # read the excluded updated_at from the live row, one query per line of the feed.
        version = model(
            **{
                f.attname: getattr(row, f.attname)
                for f in model._meta.concrete_fields
                if hasattr(row, f.attname)
            }
        )
        url = ""
        if row.id in live and hasattr(model, "get_absolute_url"):
            try:
                url = version.get_absolute_url()
            except Exception:  # noqa: BLE001 - a record type without its own page
                url = ""
        older = before.get(row.history_id)
        # The feed names the fields only: no display values, so no reads of linked records.
        changed = [_label(model, c.field) for c in _changes(row, older)] if older is not None else []
        yield ActivityItem(
            when=row.history_date,
            who=_who(row),
            kind=row.history_type,
            what=str(model._meta.verbose_name),
            title=str(version),
            url=url,
            changed_fields=changed,
        )


def activity_feed(
    *,
    user: Any,
    organisation: Organisation,
    term: TermOfGovernment | None = None,
    kind: str = "",
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[ActivityItem], bool]:
    """What happened to the organisation's records, newest first: every change of every record it owns,
    and each import as one line (an import writes many rows at once and is recorded as one run). Returns
    the page's items and whether another page follows."""
    if organisation.pk not in organisation_ids_of(user):
        raise Http404
    start, end = term_bounds(term)
    wanted = page * per_page + 1
    streams: list[Iterator[ActivityItem]] = []
    for model in tracked_models():
        if kind and kind != model._meta.label_lower:
            continue
        rows = _between(
            model.history.filter(owner_id=organisation.pk).select_related("history_user"),
            "history_date",
            start,
            end,
        ).order_by("-history_date", "-history_id")[:wanted]
        streams.append(_history_items(model, list(rows), user))
    if not kind or kind == "import":
        runs = _between(
            ImportRun.objects.filter(organisation=organisation).select_related("user"),
            "started_at",
            start,
            end,
        ).order_by("-started_at")[:wanted]
        streams.append(
            ActivityItem(
                when=run.started_at,
                who=run.user.get_username() if run.user else "",
                kind="import",
                what=run.kind,
                title=run.file_name,
                import_run=run,
            )
            for run in runs
        )
    merged = heapq.merge(*streams, key=lambda item: item.when, reverse=True)
    items = list(islice(merged, (page - 1) * per_page, wanted))
    return items[:per_page], len(items) > per_page


def activity_kinds() -> list[tuple[str, str]]:
    """The feed's kind filter: every record type with a history, and imports."""
    kinds = [(m._meta.label_lower, str(m._meta.verbose_name_plural)) for m in tracked_models()]
    return [*kinds, ("import", _("Imports"))]
