"""`{% history_panel record %}` on a record's page: its latest changes with field diffs and restore buttons,
for the people who may read its history (see citydiplo/history/selectors.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from citydiplo.accounts.access import can_write_for
from citydiplo.history import selectors

register = template.Library()
PANEL_ENTRIES = 5


@register.filter
def app_label_of(record: Any) -> str:
    return record._meta.concrete_model._meta.app_label


@register.filter
def model_name_of(record: Any) -> str:
    # A proxy (registry.Network) keeps its history on the concrete model (Actor).
    return record._meta.concrete_model._meta.model_name


@register.inclusion_tag("history/_panel.html", takes_context=True)
def history_panel(context: template.Context, record: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if record is None or not selectors.history_readable(user, record):
        return {"hidden": True, "entries": []}
    entries = selectors.record_history(user=user, record=record, limit=PANEL_ENTRIES + 1)
    return {
        "record": record,
        "entries": entries[:PANEL_ENTRIES],
        "more": len(entries) > PANEL_ENTRIES,
        "can_revert": can_write_for(user, record.owner_id),
        "history_url": reverse(
            "history:record", args=[app_label_of(record), model_name_of(record), record.pk]
        ),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
