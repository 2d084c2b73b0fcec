"""`citydiplo sdg goals|targets|indicators [--goal N] [--target CODE] [--search TEXT] [--lang es] [--format json]`.

The SDG catalogue: the 17 goals (part of citydiplo) and the targets and indicators of the UN framework
after the 2025 review, once `citydiplo load-reference` has loaded them.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from citydiplo.strategy import selectors


class Command(BaseCommand):
    help = "List the SDG goals, targets or indicators (titles in the chosen language, English fallback)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("level", choices=["goals", "targets", "indicators"])
        parser.add_argument("--goal", type=int, choices=range(1, 18), metavar="N")
        parser.add_argument("--target", default="", metavar="CODE", help="e.g. 11.2 (indicators)")
        parser.add_argument("--search", default="", metavar="TEXT")
        parser.add_argument("--lang", default="en", choices=["en", "es", "pt", "fr"])
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            rows = self._rows(options)
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write("  ".join(str(v) for v in row.values()))
        if options["level"] != "goals" and not rows:
            self.stderr.write("Nothing found. Has `citydiplo load-reference` loaded the SDG framework?")

    def _rows(self, options: dict[str, Any]) -> list[dict[str, Any]]:
        level = options["level"]
        if level == "goals":
            goals = selectors.sdg_goal_list()
            if options["goal"]:
                goals = goals.filter(number=options["goal"])
            return [
                {
                    "number": g.number,
                    "short_name": g.short_name,
                    "targets": g.target_count,
                    "indicators": g.indicator_count,
                    "title": g.title,
                }
                for g in goals
            ]
        if level == "targets":
            return [
                {"code": t.code, "goal": t.goal.number, "title": t.title}
                for t in selectors.sdg_target_list(goal=options["goal"], q=options["search"])
            ]
        return [
            {"code": i.code, "unsd_code": i.unsd_code, "target": i.target.code, "title": i.title}
            for i in selectors.sdg_indicator_list(
                goal=options["goal"], target=options["target"], q=options["search"]
            )
        ]
