"""`citydiplo strategy list|show|export|tags [--org SLUG] [--user NAME] [--format text|json]`.

Reads as --user (default: an anonymous reader, who sees public strategies only): the same selectors as the
pages and the API, so the command line shows nothing its user could not see in the browser.

    citydiplo strategy list --org montevideo-demo --user ana
    citydiplo strategy show 3 --user ana --format json
    citydiplo strategy export --org montevideo-demo --user ana > strategy.json
    citydiplo strategy tags --org montevideo-demo --user ana     # SDG targets of objectives and projects
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from citydiplo.accounts.models import Organisation
from citydiplo.strategy import selectors
from citydiplo.strategy.export import strategy_data
from citydiplo.strategy.models import Strategy


class Command(BaseCommand):
    help = "List, show or export internationalisation strategies and their SDG tags."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "show", "export", "tags"])
        parser.add_argument("id", nargs="?", type=int, help="Strategy id (show).")
        parser.add_argument("--org", metavar="SLUG", help="Only this organisation's strategies.")
        parser.add_argument("--user", metavar="USERNAME", help="Read as this user (default: anonymous).")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["user"])
        owner_id = self._org(options["org"]).pk if options["org"] else None
        strategies = selectors.strategy_list(user=user, owner_id=owner_id)
        action, as_json = options["action"], options["format"] == "json"
        if action == "show":
            if options["id"] is None:
                raise CommandError("show needs a strategy id: citydiplo strategy show ID")
            try:
                chosen = [selectors.strategy_get(user=user, pk=options["id"])]
            except Strategy.DoesNotExist as exc:
                raise CommandError(f"No strategy {options['id']} visible to this user.") from exc
        else:
            chosen = list(strategies)
        if action == "list":
            self._list(chosen, as_json)
        elif action == "tags":
            self._tags([strategy_data(user=user, strategy=s) for s in chosen], as_json)
        else:
            data = [strategy_data(user=user, strategy=s) for s in chosen]
            if action == "export" or as_json:
                self.stdout.write(
                    json.dumps(data if action == "export" else data[0], ensure_ascii=False, indent=2)
                )
            else:
                self._show(data[0])

    def _user(self, username: str | None) -> Any:
        if not username:
            return AnonymousUser()
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user {username!r}.") from exc

    def _org(self, slug: str) -> Organisation:
        try:
            return Organisation.objects.get(slug=slug)
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"No organisation {slug!r}.") from exc

    def _list(self, strategies: list[Strategy], as_json: bool) -> None:
        rows = [
            {
                "id": s.pk,
                "organisation": s.owner.slug if s.owner else None,
                "title": s.title,
                "status": s.status,
                "objectives": getattr(s, "objective_count", None),
                "horizon": [d.isoformat() if d else None for d in (s.horizon_start, s.horizon_end)],
            }
            for s in strategies
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("No strategy visible to this user.")
        for row in rows:
            horizon = "–".join((d or "?")[:4] for d in row["horizon"])
            self.stdout.write(
                f"{row['id']:>5}  {row['organisation']:<24} {row['status']:<15} {horizon:<10} "
                f"{row['objectives']:>3} objectives  {row['title']}"
            )

    def _show(self, data: dict[str, Any]) -> None:
        w = self.stdout.write
        w(f"{data['title']}  [{data['status']}, version {data['version']}]")
        w(f"Horizon: {data['horizon'][0] or '?'} – {data['horizon'][1] or '?'}")
        if data["thesis"]:
            w(f"Thesis ({data['thesis_period'][0]} – {data['thesis_period'][1]}): {data['thesis']}")
        for objective in data["objectives"]:
            targets = ", ".join(objective["sdg_targets"]) or "no SDG target"
            actions = sum(len(objective[k]) for k in ("projects", "agreements", "memberships", "events"))
            w(f"  [{objective['family']}] {objective['title']}  ({targets}; {actions} actions)")
        w(
            f"Stakeholders: {len(data['stakeholders'])}, consultations: {len(data['consultations'])}, "
            f"externalities: {len(data['externalities'])}, versions kept: {len(data['versions'])}"
        )

    def _tags(self, data: list[dict[str, Any]], as_json: bool) -> None:
        rows = []
        for strategy in data:
            for objective in strategy["objectives"]:
                rows.append(
                    {
                        "strategy": strategy["id"],
                        "kind": "objective",
                        "id": objective["id"],
                        "title": objective["title"],
                        "sdg_targets": objective["sdg_targets"],
                    }
                )
            for objective in strategy["objectives"]:
                for project in objective["projects"]:
                    codes = strategy["project_sdg_targets"].get(str(project["id"]), [])
                    row = {
                        "strategy": strategy["id"],
                        "kind": "project",
                        "id": project["id"],
                        "title": project["title"],
                        "sdg_targets": codes,
                    }
                    if row not in rows:
                        rows.append(row)
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(
                f"{row['kind']:<9} {row['id']:>5}  {', '.join(row['sdg_targets']) or '-':<24} {row['title']}"
            )
