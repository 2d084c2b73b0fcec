"""Personal data of contacts: lawful basis and consent, retention and its reminder, export of everything
held on a person, and erasure that keeps the relation's history without the identity."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from citydiplo.accounts import services as account_services
from citydiplo.registry import privacy, services
from citydiplo.registry.models import Contact
from tests.conftest import Cast
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def _contact(cast: Cast, **fields: object) -> Contact:
    defaults: dict[str, object] = {
        "full_name": "Lucía Pérez",
        "email": "lucia@example.org",
        "phone": "+598 99 000 000",
        "position": "Director of international relations",
        "since": "2021-03",
        "notes": "Prefers WhatsApp",
        "lawful_basis": "consent",
        "consent_given_on": dt.date(2021, 3, 5),
        "consent_evidence": "Signed form, file 2021/044",
        "institution": CityFactory(name="Rosario", country="AR"),
    }
    defaults.update(fields)
    full_name = defaults.pop("full_name")
    return services.contact_create(user=cast.editor, owner=cast.office_a, full_name=full_name, **defaults)  # type: ignore[arg-type]


def test_consent_as_lawful_basis_needs_its_date_and_not_a_future_one(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="date the person consented"):
        _contact(cast, consent_given_on=None)
    with pytest.raises(ValidationError, match="future"):
        _contact(cast, consent_given_on=timezone.localdate() + dt.timedelta(days=3))
    assert _contact(cast, lawful_basis="public_task", consent_given_on=None).lawful_basis == "public_task"


def test_a_new_contact_is_kept_for_the_configured_period(cast: Cast, settings: object) -> None:
    settings.CITYDIPLO_CONTACT_RETENTION_DAYS = 365  # type: ignore[attr-defined]
    contact = _contact(cast)
    assert contact.retention_until == timezone.localdate() + dt.timedelta(days=365)


def test_contacts_past_their_date_are_listed_for_their_office_only(cast: Cast) -> None:
    old = _contact(cast, full_name="Old contact", retention_until=dt.date(2020, 1, 1))
    _contact(cast, full_name="Current contact")
    services.contact_create(
        user=cast.other_owner, owner=cast.office_b, full_name="B's old", retention_until=dt.date(2020, 1, 1)
    )

    assert list(privacy.contacts_due(user=cast.viewer)) == [old]

    client = Client()
    client.force_login(cast.viewer)
    page = client.get(reverse("registry:contact-list")).content.decode()
    assert "1 contact is kept past its date" in page
    due_page = client.get(reverse("registry:contact-list"), {"due": "on"}).content.decode()
    assert "Old contact" in due_page and "Current contact" not in due_page


def test_extending_the_retention(cast: Cast) -> None:
    contact = _contact(cast, retention_until=dt.date(2020, 1, 1))
    later = timezone.localdate() + dt.timedelta(days=400)
    contact = privacy.contact_retention_extend(
        user=cast.editor, contact=contact, until=later, expected_version=contact.version
    )
    assert contact.retention_until == later
    with pytest.raises(ValidationError, match="future"):
        privacy.contact_retention_extend(
            user=cast.editor, contact=contact, until=dt.date(2020, 1, 1), expected_version=contact.version
        )


def test_the_export_holds_every_record_of_the_person_with_its_history(cast: Cast) -> None:
    contact = _contact(cast)
    contact = services.record_update(
        user=cast.editor, record=contact, expected_version=contact.version, changes={"phone": "+598 1"}
    )
    twin = _contact(cast, full_name="L. Pérez", email="LUCIA@example.org", lawful_basis="public_task")
    services.contact_create(user=cast.other_owner, owner=cast.office_b, full_name="Lucía Pérez")

    exported = privacy.contact_export(user=cast.editor, contact=contact)

    assert exported["controller"] == cast.office_a.name
    assert [r["id"] for r in exported["records"]] == [contact.pk, twin.pk]  # not office B's record
    first = exported["records"][0]
    assert first["consent_evidence"] == "Signed form, file 2021/044"
    assert [v["phone"] for v in first["history"]] == ["+598 99 000 000", "+598 1"]
    assert (
        json.loads(privacy.contact_export_json(user=cast.editor, contact=contact))["subject"] == "Lucía Pérez"
    )
    with pytest.raises(PermissionDenied):
        privacy.contact_export(user=cast.viewer, contact=contact)


def test_erasure_removes_the_identity_everywhere_and_keeps_the_relation(cast: Cast) -> None:
    contact = _contact(cast)
    contact = services.record_update(
        user=cast.editor, record=contact, expected_version=contact.version, changes={"position": "Deputy"}
    )

    contact = privacy.contact_erase(user=cast.editor, contact=contact)

    assert contact.full_name == f"Erased contact #{contact.pk}"
    assert (contact.email, contact.phone, contact.notes, contact.consent_evidence) == ("", "", "", "")
    assert (
        contact.institution.name == "Rosario" and contact.position == "Deputy" and contact.since == "2021-03"
    )
    versions = list(contact.history.order_by("history_date"))
    assert len(versions) == 3  # created, edited, erased: the history of the relation stays
    for version in versions:
        assert "Lucía" not in version.full_name and version.email == "" and version.phone == ""
        assert version.notes == "" and version.consent_evidence == ""
    assert versions[-1].history_change_reason == "Erased at the person's request"
    assert [v.position for v in versions] == ["Director of international relations", "Deputy", "Deputy"]
    with pytest.raises(ValidationError, match="already erased"):
        privacy.contact_erase(user=cast.editor, contact=contact)
    with pytest.raises(ValidationError, match="cannot be recorded again"):
        services.record_update(
            user=cast.editor, record=contact, expected_version=contact.version, changes={"email": "x@y.org"}
        )


def test_only_the_offices_writers_erase(cast: Cast) -> None:
    contact = _contact(cast)
    with pytest.raises(PermissionDenied):
        privacy.contact_erase(user=cast.viewer, contact=contact)
    contact.refresh_from_db()
    assert contact.erased_at is None


def test_export_and_erase_from_the_pages(cast: Cast) -> None:
    contact = _contact(cast)
    editor = Client()
    editor.force_login(cast.editor)

    page = editor.get(contact.get_absolute_url()).content.decode()
    assert "Consent" in page and "Export everything held on this person" in page

    download = editor.get(reverse("registry:contact-export", args=[contact.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert json.loads(download.content)["records"][0]["email"] == "lucia@example.org"

    assert (
        "cannot be undone"
        in editor.get(reverse("registry:contact-erase", args=[contact.pk])).content.decode()
    )
    assert editor.post(reverse("registry:contact-erase", args=[contact.pk])).status_code == 302
    after = editor.get(contact.get_absolute_url()).content.decode()
    assert "Lucía" not in after and "was erased on" in after


def test_export_and_erase_through_the_api(cast: Cast) -> None:
    contact = _contact(cast)
    token = account_services.api_token_create(user=cast.editor, name="dpo", scope="write")[1]
    headers = {"Authorization": f"Bearer {token}"}

    exported = Client().get(f"/api/v1/contacts/{contact.pk}/personal-data", headers=headers)
    assert exported.status_code == 200
    assert exported.json()["records"][0]["full_name"] == "Lucía Pérez"

    erased = Client().post(f"/api/v1/contacts/{contact.pk}/erase", headers=headers)
    assert erased.status_code == 200
    assert erased.json()["erased"] is True and erased.json()["email"] == ""


def test_the_privacy_command(cast: Cast, tmp_path: object, settings: object) -> None:
    contact = _contact(cast, retention_until=dt.date(2020, 1, 1))
    out, err = StringIO(), StringIO()
    call_command("privacy", "due", "--user", "eduardo", stdout=out, stderr=err)
    assert f"{contact.pk}\tmontevideo-office\t2020-01-01\tLucía Pérez" in out.getvalue()

    settings.CITYDIPLO_EMAIL_ENABLED = True  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    cast.owner.email = "ana@example.org"
    cast.owner.save()
    call_command("privacy", "due", "--user", "eduardo", "--notify", stdout=StringIO(), stderr=StringIO())
    assert mail.outbox[0].to == ["ana@example.org"] and "Lucía Pérez" in mail.outbox[0].body

    target = tmp_path / "person.json"  # type: ignore[operator]
    call_command(
        "privacy", "export", str(contact.pk), "--user", "eduardo", "-o", str(target), stderr=StringIO()
    )
    assert json.loads(target.read_text())["records"][0]["id"] == contact.pk

    with pytest.raises(CommandError, match="--yes"):
        call_command("privacy", "erase", str(contact.pk), "--user", "eduardo")
    with pytest.raises(CommandError, match="may not"):
        call_command("privacy", "erase", str(contact.pk), "--user", "valeria", "--yes")
    call_command("privacy", "erase", str(contact.pk), "--user", "eduardo", "--yes", stderr=StringIO())
    contact.refresh_from_db()
    assert contact.erased_at is not None
