"""The REST API at /api/v1/ (OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs).

Each app contributes a router from its own api.py; endpoints call the same selectors and services as
the views, so the API and the UI cannot disagree on who sees what.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import SessionAuth

from citydiplo.registry.api import router as registry_router

api = NinjaAPI(
    title="citydiplo API",
    version="1",
    description="Registry of the international action of local governments.",
    urls_namespace="api",
    auth=SessionAuth(csrf=True),
)
api.add_router("/", registry_router)
