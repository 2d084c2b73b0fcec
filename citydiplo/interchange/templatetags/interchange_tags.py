"""Readable, translated names for the keys an import run stores in its counts and options."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

LABELS = {
    # record types
    "themes": _("themes"),
    "networks": _("networks"),
    "actors": _("places and bodies"),
    "places": _("places"),
    "memberships": _("memberships"),
    "role_periods": _("role periods"),
    "agreements": _("agreements"),
    # outcomes
    "added": _("added"),
    "changed": _("changed"),
    "unchanged": _("unchanged"),
    "left_alone": _("left alone"),
    # run kinds and options
    "reference": _("reference data"),
    "private": _("private"),
    "public": _("public"),
    "shared": _("shared"),
}


@register.filter
def import_label(key: object) -> str:
    """The translated label of a count key, or the key itself when it is new to this table."""
    return str(LABELS.get(str(key), key))
