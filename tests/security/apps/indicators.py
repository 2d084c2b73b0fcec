"""The indicators app's part of the role matrix: its records in the world and a probe per page and operation.

Office A has a private indicator (with a target, an approved value whose source is private, and evidence),
one shared with office B, and a public one with an approved value and a draft whose comment only A's people
may read (review before publication). Office B has its own private indicator.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citydiplo.accounts.records import Visibility
from citydiplo.indicators import services
from citydiplo.indicators.models import Indicator, Observation, ReviewState, Target
from citydiplo.interchange.models import ImportRun
from tests.security.expectations import (
    A_SLUG,
    Probe,
    a_and_b_see,
    a_sees,
    api,
    api_create_for_a,
    api_edit,
    created,
    edited,
    everyone,
    named,
    office_a_only,
    shared_with_b,
    signed_in,
    ui_create_for_a,
    ui_create_form,
    ui_edit,
)
from tests.security.world import ANONYMOUS, EDITOR, OTHER_ORG, OUTSIDER, OWNER, PRINCIPALS, VIEWER, World

API = "/api/v1"


def _n(principal: str) -> int:
    return PRINCIPALS.index(principal)


def build(world: World) -> None:
    a, b = world.office_a, world.office_b
    owner, other = world.cast.owner, world.cast.other_owner

    def approved(
        indicator: Indicator, period: str, value: str, user: Any = owner, **fields: Any
    ) -> Observation:
        observation = services.observation_save(
            user=user, indicator=indicator, period=period, value=value, **fields
        )
        services.observation_review(user=user, observation=observation, action="approve")
        return observation

    private = services.indicator_create(
        user=owner, owner=a, code="A-PRIV", name="PRIVATE-A-indicator", dimensions=["sex"], is_key=True
    )
    services.baseline_set(user=owner, indicator=private, value="10", date=dt.date(2020, 12, 31))
    services.target_set(user=owner, indicator=private, value="40", date=dt.date(2029, 12, 31))
    evidence = SimpleUploadedFile("evidence.txt", b"PRIVATE-A-evidence-content", content_type="text/plain")
    private_value = approved(private, "2022", "25", source="PRIVATE-A-obs-source", evidence=evidence)
    shared = services.indicator_create(
        user=owner, owner=a, code="A-SHARED", name="SHARED-A-indicator", visibility=Visibility.SHARED
    )
    shared.shared_with.add(b)
    approved(shared, "2022", "3")
    public = services.indicator_create(
        user=owner, owner=a, code="A-PUB", name="public A indicator", visibility=Visibility.PUBLIC
    )
    approved(public, "2021", "7")
    services.observation_save(
        user=owner, indicator=public, period="2022", value="8", comment="PRIVATE-A-draft"
    )
    b_indicator = services.indicator_create(user=other, owner=b, code="B-PRIV", name="PRIVATE-B-indicator")
    approved(b_indicator, "2022", "1", user=other)
    world.extra.update(
        a_indicator=private,
        a_value=private_value,
        shared_indicator=shared,
        public_indicator=public,
        b_indicator=b_indicator,
    )


def _a(world: World) -> Indicator:
    return world.extra["a_indicator"]


def _fresh_value(world: World, principal: str, state: str = ReviewState.DRAFT) -> Observation:
    """A value of A's private indicator for this principal alone (periods 1901, 1902...)."""
    observation = services.observation_save(
        user=world.cast.owner,
        indicator=_a(world),
        period=str(1900 + _n(principal) + (10 if state != "draft" else 0)),
        value="1",
    )
    if state == ReviewState.SUBMITTED:
        services.observation_review(user=world.cast.owner, observation=observation, action="submit")
    return observation


def _value_in(state: str, draft_offset: int = 0) -> Any:
    def check(world: World, p: str) -> bool:
        return Observation.objects.filter(
            indicator=_a(world), period=str(1900 + _n(p) + draft_offset), review_state=state
        ).exists()

    return check


def _fresh_indicator(world: World, principal: str) -> Indicator:
    return services.indicator_create(
        user=world.cast.owner, owner=world.office_a, code=f"DEL-{principal}", name=f"to delete {principal}"
    )


def _fresh_target(world: World, principal: str) -> Target:
    return services.target_set(
        user=world.cast.owner, indicator=_a(world), value="5", date=dt.date(2040 + _n(principal), 12, 31)
    )


def _indicator_form(world: World, principal: str, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "owner": world.office_a.pk,
        "code": f"UI-{principal}",
        "name": name,
        "level": "programmatic",
        "kind": "quantitative",
        "direction": "higher",
        "aggregation": "sum",
        "frequency": "annual",
        "formula_factor": "1",
        "visibility": "private",
        **extra,
    }


def _forget_starter_sets(world: World) -> None:
    """Each principal adopts on a catalogue without the starter set, so its own adoption can be seen."""
    Indicator.objects.filter(owner=world.office_a, starter_set="externalities").delete()


WRITER_OK = {OWNER: 302, EDITOR: 302, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: "login"}
FORM_FOR_A = {OWNER: 200, EDITOR: 200, VIEWER: 403, OTHER_ORG: 200, OUTSIDER: 403, ANONYMOUS: "login"}

UI_PROBES: list[Probe] = [
    Probe(
        "indicators:home",
        "own organisation's dashboard",
        "GET",
        named("indicators:home"),
        signed_in(),
        shows={**a_sees("PRIVATE-A-indicator", "status-on_track"), OTHER_ORG: ("PRIVATE-B-indicator",)},
    ),
    Probe(
        "indicators:organisation-dashboard",
        "office A's dashboard",
        "GET",
        named("indicators:organisation-dashboard", lambda w: A_SLUG),
        everyone(),
        shows=a_and_b_see(
            ("PRIVATE-A-indicator", "SHARED-A-indicator"), ("SHARED-A-indicator", "public A indicator")
        ),
    ),
    Probe(
        "indicators:export",
        "office A's values as CSV",
        "GET",
        named("indicators:export", lambda w: A_SLUG),
        everyone(),
        shows=a_sees("PRIVATE-A-obs-source", "PRIVATE-A-draft"),
    ),
    Probe(
        "indicators:indicator-detail",
        "A's private indicator",
        "GET",
        named("indicators:indicator-detail", lambda w: _a(w).pk),
        office_a_only(),
        shows=a_sees("PRIVATE-A-indicator", "PRIVATE-A-obs-source"),
    ),
    Probe(
        "indicators:indicator-detail",
        "indicator A shares with B",
        "GET",
        named("indicators:indicator-detail", lambda w: w.extra["shared_indicator"].pk),
        shared_with_b(),
        shows=a_and_b_see(("SHARED-A-indicator",), ("SHARED-A-indicator",)),
    ),
    Probe(
        "indicators:indicator-detail",
        "A's public indicator with a draft value",
        "GET",
        named("indicators:indicator-detail", lambda w: w.extra["public_indicator"].pk),
        everyone(),
        shows=a_sees("PRIVATE-A-draft"),
    ),
    Probe(
        "indicators:indicator-create", "form", "GET", named("indicators:indicator-create"), ui_create_form()
    ),
    Probe(
        "indicators:indicator-create",
        "private indicator for A",
        "POST",
        named("indicators:indicator-create"),
        ui_create_for_a(),
        data=lambda w, p: _indicator_form(w, p, created(p)),
        landed=lambda w, p: Indicator.objects.filter(owner=w.office_a, name=created(p)).exists(),
    ),
    Probe(
        "indicators:indicator-edit",
        "A's private indicator",
        "GET",
        named("indicators:indicator-edit", lambda w: _a(w).pk),
        ui_edit(),
    ),
    Probe(
        "indicators:indicator-edit",
        "A's private indicator",
        "POST",
        named("indicators:indicator-edit", lambda w: _a(w).pk),
        ui_edit(302),
        data=lambda w, p: _indicator_form(
            w,
            p,
            edited(p),
            code="A-PRIV",
            dimensions_text="sex",
            version=Indicator.objects.get(pk=_a(w).pk).version,
        ),
        landed=lambda w, p: Indicator.objects.get(pk=_a(w).pk).name == edited(p),
    ),
    Probe(
        "indicators:indicator-delete",
        "an indicator of A (a fresh one per person)",
        "POST",
        lambda w, p: reverse("indicators:indicator-delete", args=[_fresh_indicator(w, p).pk]),
        WRITER_OK,
        landed=lambda w, p: not Indicator.objects.filter(owner=w.office_a, code=f"DEL-{p}").exists(),
    ),
    Probe(
        "indicators:point-set",
        "a target on A's private indicator",
        "POST",
        named("indicators:point-set", lambda w: _a(w).pk),
        WRITER_OK,
        data=lambda w, p: {"kind": "target", "value": "50", "date": f"{2030 + _n(p)}-12-31"},
        landed=lambda w, p: Target.objects.filter(
            indicator=_a(w), date=dt.date(2030 + _n(p), 12, 31)
        ).exists(),
    ),
    Probe(
        "indicators:target-delete",
        "a target of A's private indicator (a fresh one per person)",
        "POST",
        lambda w, p: reverse("indicators:target-delete", args=[_fresh_target(w, p).pk]),
        WRITER_OK,
        landed=lambda w, p: (
            not Target.objects.filter(indicator=_a(w), date=dt.date(2040 + _n(p), 12, 31)).exists()
        ),
    ),
    Probe(
        "indicators:observation-add",
        "form for A's private indicator",
        "GET",
        named("indicators:observation-add", lambda w: _a(w).pk),
        ui_edit(),
    ),
    Probe(
        "indicators:observation-add",
        "a value of A's private indicator",
        "POST",
        named("indicators:observation-add", lambda w: _a(w).pk),
        WRITER_OK,
        data=lambda w, p: {"period": str(2150 + _n(p)), "value": "3", "dim_sex": ""},
        landed=lambda w, p: Observation.objects.filter(indicator=_a(w), period=str(2150 + _n(p))).exists(),
    ),
    Probe(
        "indicators:observation-review",
        "submit a draft of A (a fresh one per person)",
        "POST",
        lambda w, p: reverse("indicators:observation-review", args=[_fresh_value(w, p).pk]),
        WRITER_OK,
        data=lambda w, p: {"action": "submit"},
        landed=_value_in(ReviewState.SUBMITTED),
    ),
    Probe(
        "indicators:approve-submitted",
        "approve A's submitted values (a fresh one per person)",
        "POST",
        lambda w, p: (
            _fresh_value(w, p, ReviewState.SUBMITTED),
            reverse("indicators:approve-submitted", args=[_a(w).pk]),
        )[1],
        WRITER_OK,
        landed=_value_in(ReviewState.APPROVED, draft_offset=10),
    ),
    Probe(
        "indicators:observation-evidence",
        "evidence of A's private value",
        "GET",
        named("indicators:observation-evidence", lambda w: w.extra["a_value"].pk),
        {**office_a_only(), ANONYMOUS: "login"},
        shows=a_sees("PRIVATE-A-evidence-content"),
    ),
    Probe("indicators:starter-sets", "page", "GET", named("indicators:starter-sets"), FORM_FOR_A),
    Probe(
        "indicators:starter-sets",
        "adopt a set for A",
        "POST",
        named("indicators:starter-sets"),
        ui_create_for_a(),
        data=lambda w, p: (
            _forget_starter_sets(w),
            {"starter_set": "externalities", "organisation": w.office_a.pk},
        )[1],
        landed=lambda w, p: Indicator.objects.filter(
            owner=w.office_a, starter_set="externalities", created_by=w.users[p]
        ).exists(),
    ),
    Probe("indicators:import", "page", "GET", named("indicators:import"), FORM_FOR_A),
    Probe(
        "indicators:import",
        "upload values for A",
        "POST",
        named("indicators:import"),
        ui_create_for_a(),
        data=lambda w, p: {
            "organisation": w.office_a.pk,
            "mode": "add",
            "review_state": "submitted",
            "file": SimpleUploadedFile(f"{created(p)}.csv", b"indicator,period,value\nA-PRIV,2199,1\n"),
        },
        landed=lambda w, p: ImportRun.objects.filter(
            organisation=w.office_a, file_name=f"{created(p)}.csv"
        ).exists(),
    ),
]


def _api_of(template: str, getter: Any) -> Any:
    return lambda world, principal: f"{API}{template.format(getter(world))}"


API_PROBES: list[Probe] = [
    Probe(
        "api:indicator_list_api",
        "office A's indicators",
        "GET",
        api(f"/indicators?organisation={A_SLUG}"),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-indicator",), ("SHARED-A-indicator",)),
    ),
    Probe(
        "api:indicator_dashboard_api",
        "office A's dashboard",
        "GET",
        api(f"/indicators/dashboard/{A_SLUG}"),
        everyone(),
        shows=a_sees("PRIVATE-A-indicator"),
    ),
    Probe(
        "api:indicator_get_api",
        "A's private indicator",
        "GET",
        _api_of("/indicators/{}", lambda w: _a(w).pk),
        office_a_only(),
        shows=a_sees("PRIVATE-A-indicator"),
    ),
    Probe(
        "api:indicator_create_api",
        "private indicator for A",
        "POST",
        api("/indicators"),
        api_create_for_a(),
        data=lambda w, p: {"owner": A_SLUG, "code": f"API-{p}", "name": created(p)},
        landed=lambda w, p: Indicator.objects.filter(owner=w.office_a, name=created(p)).exists(),
    ),
    Probe(
        "api:indicator_update_api",
        "A's private indicator",
        "PATCH",
        _api_of("/indicators/{}", lambda w: _a(w).pk),
        api_edit(),
        data=lambda w, p: {"version": Indicator.objects.get(pk=_a(w).pk).version, "name": edited(p)},
        landed=lambda w, p: Indicator.objects.get(pk=_a(w).pk).name == edited(p),
    ),
    Probe(
        "api:observation_list_api",
        "values of A's private indicator",
        "GET",
        _api_of("/indicators/{}/observations", lambda w: _a(w).pk),
        office_a_only(),
        shows=a_sees("PRIVATE-A-obs-source"),
    ),
    Probe(
        "api:observation_save_api",
        "a value of A's private indicator",
        "POST",
        _api_of("/indicators/{}/observations", lambda w: _a(w).pk),
        {**api_create_for_a(), OTHER_ORG: 404, OUTSIDER: 404},
        data=lambda w, p: {"period": str(2100 + _n(p)), "value": "2"},
        landed=lambda w, p: Observation.objects.filter(indicator=_a(w), period=str(2100 + _n(p))).exists(),
    ),
    Probe(
        "api:observation_review_api",
        "submit a draft of A (a fresh one per person)",
        "POST",
        lambda w, p: f"{API}/indicators/observations/{_fresh_value(w, p).pk}/review",
        api_edit(),
        data=lambda w, p: {"action": "submit"},
        landed=_value_in(ReviewState.SUBMITTED),
    ),
]
