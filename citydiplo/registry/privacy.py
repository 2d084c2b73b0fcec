"""Personal data of contacts: lawful basis, retention, export of everything held on a person, erasure.

Contacts are the registry's only personal data (GDPR, Brazil's LGPD, Argentina's Law 25.326, Mexico's
LFPDPPP). What the laws ask of an office, and where it is done here:

- a lawful basis for holding the data, and proof of consent when consent is the basis: `Contact.clean`,
  run on every create and edit;
- storage limitation: every contact has a "keep until" date (by default CITYDIPLO_CONTACT_RETENTION_DAYS
  after it is recorded); past it, the contact is listed for review (`contacts_due`, the contacts page,
  `citydiplo privacy due`), and the office extends it or erases the person;
- the right of access and portability: `contact_export` gathers everything the office holds on the
  person (every contact record with the same email or name in that office, with its full change history)
  as one JSON document;
- the right to erasure: `contact_erase` removes the identity (name, email, phone, notes, consent
  evidence) from the record AND from every earlier version in its change history, but keeps the relation
  (institution, position, dates), so the office still knows it had a counterpart there and when.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from citydiplo.accounts.access import access_write
from citydiplo.accounts.models import Organisation
from citydiplo.accounts.records import organisation_ids_of
from citydiplo.registry.models import Contact
from citydiplo.registry.services import history_user_set, record_update

# The identity an erasure removes; what stays (institution, position, since, until) is the relation.
IDENTITY_FIELDS = ("full_name", "email", "phone", "notes", "consent_evidence")


def retention_default(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) + dt.timedelta(days=settings.CITYDIPLO_CONTACT_RETENTION_DAYS)


def is_erased(contact: Contact) -> bool:
    return contact.erased_at is not None


def contacts_due(
    *, user: Any, organisation: Organisation | None = None, today: dt.date | None = None
) -> QuerySet[Contact]:
    """Contacts of the user's organisations (or of one of them) kept past their date, oldest first."""
    org_ids = organisation_ids_of(user)
    if organisation is not None:
        org_ids = [pk for pk in org_ids if pk == organisation.pk]
    return (
        Contact.objects.filter(owner_id__in=org_ids, erased_at__isnull=True)
        .filter(retention_until__lt=today or timezone.localdate())
        .select_related("institution", "owner")
        .order_by("retention_until", "full_name")
    )


def contact_retention_extend(
    *, user: Any, contact: Contact, until: dt.date, expected_version: int
) -> Contact:
    if until <= timezone.localdate():
        raise ValidationError({"retention_until": _("Choose a date in the future.")})
    if is_erased(contact):
        raise ValidationError(_("This person was erased; there is nothing left to keep."))
    contact._change_reason = _("Retention extended")  # type: ignore[attr-defined]
    return record_update(
        user=user, record=contact, expected_version=expected_version, changes={"retention_until": until}
    )


def _person_records(contact: Contact) -> QuerySet[Contact]:
    """Every contact of the same office that is the same person: the same email, or the same name."""
    same = Q(pk=contact.pk)
    if contact.email:
        same |= Q(email__iexact=contact.email)
    if contact.full_name and not is_erased(contact):
        same |= Q(full_name__iexact=contact.full_name)
    return (
        Contact.objects.filter(owner_id=contact.owner_id).filter(same).select_related("institution", "owner")
    )


def contact_export(*, user: Any, contact: Contact) -> dict[str, Any]:
    """Everything the office holds on the person (a subject access request): each of the office's contact
    records of the person with its change history. Only the office's own writers may export (the same
    people who may erase), since the export holds the history that readers of a shared record never see."""
    access_write(user, contact.owner_id)
    records = []
    for person in _person_records(contact).order_by("pk"):
        versions = [
            {
                "date": row.history_date,
                "change": {"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
                "by": row.history_user.get_username() if row.history_user else "",
                "reason": row.history_change_reason or "",
                **{name: getattr(row, name) for name in (*IDENTITY_FIELDS, "position", "since", "until")},
            }
            for row in person.history.select_related("history_user").order_by("history_date", "history_id")
        ]
        records.append(
            {
                "id": person.pk,
                "full_name": person.full_name,
                "email": person.email,
                "phone": person.phone,
                "institution": person.institution.name if person.institution else "",
                "position": person.position,
                "since": person.since,
                "until": person.until,
                "notes": person.notes,
                "lawful_basis": person.lawful_basis,
                "consent_given_on": person.consent_given_on,
                "consent_evidence": person.consent_evidence,
                "retention_until": person.retention_until,
                "erased_at": person.erased_at,
                "recorded_at": person.created_at,
                "visibility": person.visibility,
                "shared_with": [org.name for org in person.shared_with.all()],
                "history": versions,
            }
        )
    return {
        "subject": contact.full_name,
        "controller": contact.owner.name if contact.owner else "",
        "exported_at": timezone.now(),
        "exported_by": user.get_username(),
        "records": records,
    }


def contact_export_json(*, user: Any, contact: Contact) -> str:
    import json

    return json.dumps(
        contact_export(user=user, contact=contact), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )


def contact_erase(*, user: Any, contact: Contact) -> Contact:
    """Erase the person: the identity leaves the record and every earlier version of it; the relation
    (institution, position, dates) and the fact that a change happened stay in the history."""
    access_write(user, contact.owner_id)
    if is_erased(contact):
        raise ValidationError(_("This person was already erased."))
    placeholder = _("Erased contact #%(id)s") % {"id": contact.pk}
    blank = {name: "" for name in IDENTITY_FIELDS if name != "full_name"}
    with transaction.atomic():
        contact.full_name = placeholder
        for name, value in blank.items():
            setattr(contact, name, value)
        contact.consent_given_on = None
        contact.lawful_basis = ""  # no personal data is held any more
        contact.erased_at = timezone.now()
        contact.version += 1
        contact._change_reason = _("Erased at the person's request")  # type: ignore[attr-defined]
        history_user_set(contact, user)
        contact.save()
        # Earlier versions held the identity too: scrub them, keeping dates, authors and the relation.
        contact.history.update(full_name=placeholder, consent_given_on=None, **blank)
    return contact
