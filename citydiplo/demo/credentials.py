"""The demo login. Kept free of Django imports so `make demo`'s banner can read it cheaply.

The password is fixed and public on purpose: it exists only for the illustrative demo on a developer's
machine. `load_demo` refuses to run when CITYDIPLO_PRODUCTION=1.
"""

DEMO_USERNAME = "demo"
DEMO_SECOND_USERNAME = "demo-rosario"
DEMO_PASSWORD = "demo-password-dev-only"  # noqa: S105 - public, development-only demo password
