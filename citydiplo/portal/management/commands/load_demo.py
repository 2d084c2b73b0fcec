"""`citydiplo load_demo`: the illustrative demo offices, login and records (see citydiplo.demo)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from citydiplo.demo.credentials import DEMO_PASSWORD, DEMO_SECOND_USERNAME, DEMO_USERNAME
from citydiplo.demo.loader import DemoPreconditionError, demo_load


class Command(BaseCommand):
    help = (
        "Load the illustrative demo data: two invented international-relations offices (Montevideo, "
        "Rosario), a demo login, projects, events, contacts and an agreement. Safe to run again: "
        "only what is missing is created. Needs `citydiplo load-reference` first."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even with CITYDIPLO_PRODUCTION=1 (it creates a login with a public password).",
        )

    def handle(self, *args: Any, allow_production: bool = False, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False) and not allow_production:
            raise CommandError(
                "Refusing to load the demo in production: it creates logins with a public password. "
                "Pass --allow-production if you really mean it."
            )
        try:
            result = demo_load()
        except DemoPreconditionError as exc:
            raise CommandError(str(exc)) from exc

        created = ", ".join(f"{n} {kind}" for kind, n in sorted(result.created.items())) or "nothing"
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Created: {created}."))
        if not result.created:
            self.stdout.write("Everything was already there; nothing changed.")
        self.stdout.write(
            f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD} (second office: {DEMO_SECOND_USERNAME}, same "
            "password). Development-only password for illustrative data, set only when the user was created."
        )
