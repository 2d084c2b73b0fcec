"""Writes to organisations: terms of government now; invitations and roles come with the hardening issue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from citydiplo.accounts.access import access_write
from citydiplo.accounts.models import Organisation, TermOfGovernment


def term_create(
    *, user: Any, organisation: Organisation, head_name: str, start: dt.date, end: dt.date | None = None, head_title: str = ""
) -> TermOfGovernment:
    """Record a mayor's or head's term. Terms of one organisation must not overlap: a record's date
    then names exactly one administration."""
    access_write(user, organisation.pk)
    term = TermOfGovernment(organisation=organisation, head_name=head_name, head_title=head_title, start=start, end=end)
    term.full_clean()
    far_future = dt.date(9999, 12, 31)
    for other in organisation.terms.all():
        if start <= (other.end or far_future) and other.start <= (end or far_future):
            raise ValidationError(_("This term overlaps the term of %(head)s.") % {"head": other.head_name})
    term.save()
    return term
