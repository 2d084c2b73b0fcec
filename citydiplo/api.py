"""The REST API at /api/v1/ (OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs).

Each app contributes a router from its own api.py; endpoints call the same selectors and services as
the views, so the API and the UI cannot disagree on who sees what.

Authentication (citydiplo/accounts/api_auth.py, re-exported here for routers): `WRITE_AUTH`, an API
token with the write scope or a signed-in session with CSRF on unsafe methods, is the default for every
endpoint, so an endpoint that forgets to choose is closed. Read endpoints opt into `READ_AUTH`: a token
of either scope, a session, or an anonymous reader who sees public records only.

Rate limits (`API_THROTTLES`): CITYDIPLO_API_RATE_ANON per client address for anonymous callers,
CITYDIPLO_API_RATE_USER per user otherwise; over it, 429 with Retry-After.

Errors raised by selectors and services become one JSON shape per status:
- 401 {"detail"} without valid credentials (or with a wrong, revoked or expired token);
- 403 {"detail"} when a service refuses (PermissionDenied), or a read-only token tries to write;
- 404 {"detail"} for a record that is missing or that the caller may not see (the same answer, so a
  private record's existence is never revealed);
- 409 {"detail", "current_version"} when someone else saved the record since the caller read it;
- 422 {"detail", "errors": {field: [messages]}} for invalid input, whether the request's shape (pydantic)
  or a business rule (Django ValidationError) refused it.

The docs page is django-ninja's Swagger UI with the assets ninja ships in its own static files
(ninja/static/ninja/swagger-ui-bundle.js, swagger-ui.css), served by us like every other asset.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError as RequestValidationError
from ninja.operation import Operation

from citydiplo.accounts.api_auth import API_THROTTLES, READ_AUTH, WRITE_AUTH, TokenAuth
from citydiplo.analysis.api import router as analysis_router
from citydiplo.indicators.api import router as indicators_router
from citydiplo.registry.api import router as registry_router
from citydiplo.registry.services import StaleEdit
from citydiplo.strategy.api import router as strategy_router

logger = logging.getLogger(__name__)


class CitydiploAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The view function's name (`agreement_list`, `project_update`): readable, and stable as long as
        the function keeps its name. tests/registry/test_api.py checks they stay unique."""
        return operation.view_func.__name__


api = CitydiploAPI(
    title="citydiplo API",
    version="1",
    description="Registry of the international action of local governments: networks, memberships, "
    "agreements, cooperation projects, events and contacts. Anonymous callers read reference facts and "
    "public records; a signed-in session or an API token (`Authorization: Bearer cdp_...`, created on "
    "the account's API tokens page) also reads its organisations' records, and may write with a write "
    "token or a session.",
    urls_namespace="api",
    auth=WRITE_AUTH,
    throttle=API_THROTTLES,
    # ninja renders templates/ninja/swagger.html (local static files) because "ninja" is in INSTALLED_APPS.
    # Swagger UI would otherwise fetch a validity badge from validator.swagger.io: nothing leaves the site.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("/", registry_router)
api.add_router("/", strategy_router)
api.add_router("/", indicators_router)
api.add_router("/", analysis_router)

__all__ = ["API_THROTTLES", "READ_AUTH", "WRITE_AUTH", "TokenAuth", "api"]


def _error(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


def _invalid(request: HttpRequest, errors: dict[str, list[str]]) -> HttpResponse:
    return _error(
        request, 422, {"detail": _("The data was not accepted; see the errors by field."), "errors": errors}
    )


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, {"detail": str(exc) or _("You may not do this.")})


@api.exception_handler(ObjectDoesNotExist)
def not_found(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    # Deliberately the same body for "missing" and "not yours to see".
    return _error(request, 404, {"detail": _("Not found.")})


@api.exception_handler(StaleEdit)
def stale_edit(request: HttpRequest, exc: StaleEdit) -> HttpResponse:
    return _error(request, 409, {"detail": str(exc), "current_version": exc.record.version})


@api.exception_handler(DjangoValidationError)
def invalid_data(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = (
        exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    )
    return _invalid(request, errors)


@api.exception_handler(RequestValidationError)
def invalid_request(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    return _invalid(request, errors_by_field(exc.errors))


@api.exception_handler(IntegrityError)
def integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Edits skip the uniqueness pre-check (record_update), so a duplicate Wikidata or GeoNames id surfaces
    # here. Say what kind of problem it is without echoing database internals.
    logger.warning("API write refused by a database constraint: %s", exc)
    return _invalid(
        request, {NON_FIELD_ERRORS: [_("A value that must be unique is already used by another record.")]}
    )


_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def errors_by_field(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Pydantic's error list as {field: [messages]}, the shape of the service errors.

    A location is ("body", "payload", "roles", 0, "since") for a body field and ("query", "limit") for a
    query parameter: the source and the body parameter's name are dropped, the rest joined with dots.
    """
    result: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] in _SOURCES:
            source = loc.pop(0)
            if source == "body" and len(loc) > 1:
                loc.pop(0)
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        result.setdefault(".".join(loc) or NON_FIELD_ERRORS, []).append(message)
    return result
