"""Reverting a record to an earlier version, whole or one field at a time.

A revert is an ordinary edit: it goes through registry.services.record_update, so it needs a write role in
the record's organisation, is refused if someone saved the record meanwhile (StaleEdit), re-runs the link
rules (a revert cannot make a public record point at a private actor), and is itself recorded in the
history with the reason "Reverted ...", so nothing is ever lost by reverting.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from citydiplo.accounts.access import access_write
from citydiplo.accounts.records import Record
from citydiplo.history.selectors import revertable_fields
from citydiplo.registry.services import record_update


def record_revert(
    *, user: Any, record: Record, history_id: int, expected_version: int, field: str = ""
) -> Record:
    """Give `record` the values it had in version `history_id`: every revertable field, or only `field`."""
    access_write(user, record.owner_id)  # before any other answer: a viewer learns nothing more here
    version = record.history.filter(history_id=history_id).first()
    if version is None:
        raise ValidationError(_("That version does not belong to this record."))
    fields = revertable_fields(type(record))
    if field:
        fields = [f for f in fields if f.name == field]
        if not fields:
            raise ValidationError(_("The field %(field)s cannot be reverted.") % {"field": field})
    changes = {
        f.attname: getattr(version, f.attname)
        for f in fields
        if getattr(version, f.attname) != getattr(record, f.attname)
    }
    if not changes:
        raise ValidationError(_("The record already has these values."))
    when = formats.date_format(version.history_date, "DATETIME_FORMAT")
    if field:
        label = str(fields[0].verbose_name)
        record._change_reason = _("Reverted %(field)s to the version of %(when)s") % {  # type: ignore[attr-defined]
            "field": label,
            "when": when,
        }
    else:
        record._change_reason = _("Reverted to the version of %(when)s") % {"when": when}  # type: ignore[attr-defined]
    return record_update(user=user, record=record, expected_version=expected_version, changes=changes)
