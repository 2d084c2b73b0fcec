"""The role matrix cannot silently miss a route: every URL pattern and every API operation has probes in
tests/security/expectations.py, or an exclusion there with its reason.

A new page or endpoint fails this test until someone writes down who may use it.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from citydiplo.api import api
from tests.security.expectations import (
    API_PAGES,
    API_PROBES,
    EXCLUDED_NAMESPACES,
    EXCLUDED_ROUTES,
    PROBES,
    UI_PROBES,
)

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def url_patterns(
    resolver: URLResolver, namespace: tuple[str, ...] = (), prefix: str = ""
) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """(route key, namespaces, route) for every URL pattern, however deeply included. The key is the
    namespaced URL name ("registry:agreement-detail"), or the route itself for an unnamed pattern
    ("favicon.ico")."""
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from url_patterns(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            key = ":".join((*namespace, pattern.name)) if pattern.name else route
            yield key, namespace, route


def api_operations() -> Iterator[tuple[str, str, str]]:
    """(operation id, method, path) of every operation in the OpenAPI schema."""
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in HTTP_METHODS:
                yield operation["operationId"], method.upper(), path


def test_the_walk_finds_the_routes_it_must() -> None:
    """Guards the guard: a walk that found nothing would make the next test pass vacuously."""
    keys = {key for key, _ns, _route in url_patterns(get_resolver())}
    assert {
        "registry:agreement-detail",
        "interchange:import-list",
        "api:agreement_list",
        "admin:index",
    } <= keys
    assert len(list(api_operations())) >= 28
    assert len(UI_PROBES) + len(API_PROBES) == len(PROBES)


def test_every_url_pattern_has_an_expectation() -> None:
    probed = {probe.route for probe in UI_PROBES} | {probe.route for probe in API_PROBES}
    missing = []
    for key, namespaces, route in url_patterns(get_resolver()):
        if key in probed or key in EXCLUDED_ROUTES:
            continue
        if namespaces and namespaces[0] in EXCLUDED_NAMESPACES:
            continue
        missing.append(f"{key}  (/{route})")
    assert not missing, (
        "These routes have no expectation in tests/security/expectations.py: add probes saying what "
        "each principal gets, or an exclusion with its reason:\n" + "\n".join(sorted(set(missing)))
    )


def test_every_api_operation_has_an_expectation_for_its_method() -> None:
    probed = {(probe.route, probe.method) for probe in API_PROBES}
    missing = [
        f"{method} {path} ({op_id})"
        for op_id, method, path in api_operations()
        if (f"api:{op_id}", method) not in probed
    ]
    assert not missing, "API operations without probes in tests/security/expectations.py:\n" + "\n".join(
        missing
    )


def test_no_expectation_names_a_route_that_is_gone() -> None:
    """A renamed route would otherwise leave its probes testing a 404 page."""
    keys = {key for key, _ns, _route in url_patterns(get_resolver())}
    operations = {f"api:{op_id}" for op_id, _m, _p in api_operations()}
    stale = {probe.route for probe in PROBES} - keys - operations
    stale |= set(EXCLUDED_ROUTES) - keys
    assert not stale


def test_api_pages_are_the_only_api_routes_probed_as_pages() -> None:
    operations = {f"api:{op_id}" for op_id, _m, _p in api_operations()}
    assert {probe.route for probe in UI_PROBES if probe.route.startswith("api:")} == API_PAGES
    assert not API_PAGES & operations
