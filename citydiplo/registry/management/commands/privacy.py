"""`citydiplo privacy due|export|erase`: the personal data of contacts from the shell (registry/privacy.py).

    citydiplo privacy due --user NAME [--org SLUG] [--notify]
        Contacts kept past their "keep until" date, for the offices NAME works in (or one of them). With
        --notify, each office's owners get one email listing theirs (needs EMAIL_BACKEND configured);
        run it daily from cron or a systemd timer as the retention reminder.
    citydiplo privacy export CONTACT_ID --user NAME [-o FILE.json]
        Everything the office holds on the person, as JSON (a subject access request).
    citydiplo privacy erase CONTACT_ID --user NAME --yes
        Erase the person's identity from the contact and its history, keeping the relation.

NAME must hold an owner or editor seat in the contact's office for export and erase, as on the pages.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser

from citydiplo.accounts.models import Organisation, OrganisationMember
from citydiplo.registry import privacy, selectors
from citydiplo.registry.models import Contact


class Command(BaseCommand):
    help = (
        "Personal data of contacts: list those kept past their date, export a person's data, erase a person."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="Contacts kept past their date.")
        due.add_argument("--user", required=True, metavar="USERNAME")
        due.add_argument("--org", metavar="SLUG", help="Only this office.")
        due.add_argument("--notify", action="store_true", help="Email each office's owners their list.")
        export = sub.add_parser("export", help="Everything held on a person, as JSON.")
        export.add_argument("contact", type=int, metavar="CONTACT_ID")
        export.add_argument("--user", required=True, metavar="USERNAME")
        export.add_argument("--output", "-o", default="-", metavar="FILE.json")
        erase = sub.add_parser("erase", help="Erase a person's identity, keeping the relation.")
        erase.add_argument("contact", type=int, metavar="CONTACT_ID")
        erase.add_argument("--user", required=True, metavar="USERNAME")
        erase.add_argument("--yes", action="store_true", help="Confirm: erasure cannot be undone.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["user"])
        try:
            getattr(self, f"_{options['action']}")(user, options)
        except PermissionDenied as exc:
            raise CommandError(f"{options['user']} may not do this: {exc}") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def _due(self, user: Any, options: dict[str, Any]) -> None:
        organisation = None
        if options["org"]:
            organisation = Organisation.objects.filter(slug=options["org"]).first()
            if organisation is None:
                raise CommandError(f"There is no organisation {options['org']!r}.")
        due = list(privacy.contacts_due(user=user, organisation=organisation))
        by_office: dict[Organisation, list[Contact]] = defaultdict(list)
        for contact in due:
            by_office[contact.owner].append(contact)
            self.stdout.write(
                f"{contact.pk}\t{contact.owner.slug}\t{contact.retention_until}\t{contact.full_name}"
            )
        self.stderr.write(f"{len(due)} contact(s) kept past their date.")
        if options["notify"]:
            self._notify(by_office)

    def _notify(self, by_office: dict[Organisation, list[Contact]]) -> None:
        if not settings.CITYDIPLO_EMAIL_ENABLED:
            raise CommandError("--notify needs email: set EMAIL_BACKEND and its EMAIL_* settings.")
        for office, contacts in by_office.items():
            owners = OrganisationMember.objects.filter(
                organisation=office, role=OrganisationMember.Role.OWNER
            ).select_related("user")
            recipients = [seat.user.email for seat in owners if seat.user.email]
            if not recipients:
                self.stderr.write(f"{office.slug}: no owner has an email address; nobody was told.")
                continue
            lines = [f"- {c.full_name} (kept until {c.retention_until})" for c in contacts]
            send_mail(
                subject=f"[citydiplo] {len(contacts)} contact(s) of {office.name} kept past their date",
                message="Review them: extend the date or erase the person.\n\n" + "\n".join(lines),
                from_email=None,
                recipient_list=recipients,
            )
            self.stderr.write(f"{office.slug}: told {', '.join(recipients)}.")

    def _contact(self, user: Any, pk: int) -> Contact:
        try:
            return selectors.contact_get(user=user, pk=pk)
        except Contact.DoesNotExist as exc:
            raise CommandError(f"Contact {pk} does not exist or is not visible to this user.") from exc

    def _export(self, user: Any, options: dict[str, Any]) -> None:
        text = privacy.contact_export_json(user=user, contact=self._contact(user, options["contact"]))
        if options["output"] == "-":
            sys.stdout.write(text + "\n")
            return
        Path(options["output"]).write_text(text + "\n", encoding="utf-8")
        self.stderr.write(f"Wrote {options['output']}.")

    def _erase(self, user: Any, options: dict[str, Any]) -> None:
        contact = self._contact(user, options["contact"])
        if not options["yes"]:
            raise CommandError("Erasure cannot be undone: add --yes to confirm.")
        privacy.contact_erase(user=user, contact=contact)
        self.stderr.write(f"Contact {contact.pk} erased; the relation and its dates remain.")

    @staticmethod
    def _user(username: str) -> Any:
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"There is no user {username!r}.") from exc
