"""The `citydiplo` console command: every management command, with the settings already chosen.

`citydiplo import memberships FILE.csv` runs the management command `import` with those arguments;
`citydiplo load-reference`, `citydiplo resolve places ...` likewise. `citydiplo help` lists them all.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplo.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "load-reference":
        args[0] = "load_reference"
    execute_from_command_line(["citydiplo", *args])


if __name__ == "__main__":
    main()
