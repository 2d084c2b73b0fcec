"""Each app's part of the role matrix: one module per app (see tests/security/world.py, app_modules)."""
