"""The OpenAPI schema, fuzzed with schemathesis as office A's editor (a write token): no server error, every
answer documented and shaped as the schema says, and nothing of office B's private records in any answer.

A short profile for CI: a few deterministic examples per operation (FUZZ_EXAMPLES), against the Django
application in this process (the WSGI handler, not a server), on the test database seeded with the world of
tests/security/world.py. One test item per operation, so pytest-xdist spreads them over its workers.

Random ids and slugs mostly miss, so a deterministic share of the generated cases is steered onto the
world's records (office A's, the shared ones, office B's private ones), onto office A or office B as the
owner of a new record, and onto the version stored, so the fuzzing also walks the paths that succeed and
the ones that must refuse.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from citydiplo.api import api
from citydiplo.registry.models import Agreement, Contact, Event, Project
from tests.security.world import PRIVATE_B, SECRET_SLUGS, World

FUZZ_EXAMPLES = 12


class TestApplication:
    """The project's WSGI handler (citydiplo.wsgi.application is one), minus the connection clean-up of
    Django's request signals, as django.test.Client does: closing the connection would end the test's
    transaction (on PostgreSQL) and with it the seeded data."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.handler(environ, start_response)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = TestApplication()
schema.config.generation.update(max_examples=FUZZ_EXAMPLES, deterministic=True, database="none")


def _seen_by_office_b_only(ctx: Any, response: Any, case: Any) -> None:
    """No answer to office A's editor holds a private record of office B (its marker or its slug; a slug
    the request itself carried may be echoed in an error message)."""
    text = response.text or ""
    sent = json.dumps([case.path_parameters, case.query, case.body], default=str)
    if PRIVATE_B in text:
        start = text.index(PRIVATE_B)
        raise AssertionError(f"office B's private record {text[start : start + 30]!r} in the answer")
    for slug in SECRET_SLUGS[PRIVATE_B]:
        if slug in text and slug not in sent:
            raise AssertionError(f"office B's private actor {slug!r} in the answer")


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    _seen_by_office_b_only,
]


def _pick(case: Any, salt: str, choices: list[Any]) -> Any | None:
    """A deterministic choice among `choices`, or None (leave the generated value) for one share in
    len(choices) + 1, keyed on the generated case so the same seed steers the same way."""
    key = json.dumps([case.path_parameters, case.query, case.body, salt], default=str, sort_keys=True)
    index = int(hashlib.sha256(key.encode()).hexdigest(), 16) % (len(choices) + 1)
    return choices[index] if index < len(choices) else None


RECORDS = {
    "/api/v1/agreements/": (
        Agreement,
        ("a_agreement", "shared_agreement", "reference_agreement", "b_agreement"),
    ),
    "/api/v1/projects/": (Project, ("a_project", "shared_project", "public_project", "b_shared_project")),
    "/api/v1/events/": (Event, ("a_event", "public_event")),
    "/api/v1/contacts/": (Contact, ("a_contact", "b_contact")),
}
SLUGS = ("a_actor", "b_actor", "network", "montevideo", "a_network")


def steer(case: Any, world: World) -> None:
    path = case.operation.path
    if isinstance((case.path_parameters or {}).get("id"), int):
        for prefix, (model, names) in RECORDS.items():
            if path.startswith(prefix):
                name = _pick(case, "id", list(names))
                if name is not None:
                    case.path_parameters["id"] = getattr(world, name).pk
                record = model.objects.filter(pk=case.path_parameters["id"]).first()
                if record is not None and isinstance(case.body, dict) and "version" in case.body:
                    if _pick(case, "version", [True]):
                        case.body["version"] = record.version
    if "slug" in (case.path_parameters or {}):
        name = _pick(case, "slug", list(SLUGS))
        if name is not None:
            case.path_parameters["slug"] = getattr(world, name).slug
    if isinstance(case.body, dict) and "owner" in case.body:
        owner = _pick(case, "owner", [world.office_a.slug, world.office_a.slug, world.office_b.slug])
        if owner is not None:
            case.body["owner"] = owner


@pytest.fixture
def editor_token(world: World) -> str:
    return world.tokens["editor"]


@schema.parametrize()
# The seeded world is set up once per operation and shared by its examples on purpose: the fuzzing adds
# records to it, and each example must still find office B's records hidden.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_as_office_a_editor(case: Any, world: World, editor_token: str) -> None:
    steer(case, world)
    case.call_and_validate(headers={"Authorization": f"Bearer {editor_token}"}, checks=CHECKS)


def test_the_fuzzed_schema_is_the_one_served(db: None) -> None:
    served = Client().get("/api/v1/openapi.json").json()
    assert served == json.loads(json.dumps(api.get_openapi_schema()))
