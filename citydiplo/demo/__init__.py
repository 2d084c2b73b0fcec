"""The illustrative demo dataset loaded by `citydiplo load_demo` (and so by `make demo`).

Two invented international-relations offices (Montevideo, Rosario) with projects, events, contacts and
an agreement, all written through the registry services so they obey the same rules as user input.
Every name of a person, every amount and most dates are invented; descriptions say so.
"""
