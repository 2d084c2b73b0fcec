"""The strategy app's part of the role matrix: its records in the world, and a probe per page and operation.

Office A has a private strategy (with an objective, a consultation, an externality and a kept version),
one shared with office B, and a public one whose objective links A's private project (B must see the
objective, never the project). Office B has its own private strategy. Axes and stakeholders are A's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citydiplo.accounts.records import Visibility
from citydiplo.registry.models import Document
from citydiplo.strategy import services
from citydiplo.strategy.models import (
    Axis,
    Consultation,
    ConsultationFormat,
    Externality,
    Objective,
    ObjectiveFamily,
    ProjectSdgTag,
    SdgGoal,
    SdgTarget,
    Stakeholder,
    StakeholderGroup,
    Strategy,
    StrategyVersion,
)
from tests.security.expectations import (
    Probe,
    a_and_b_see,
    a_sees,
    api,
    api_create_for_a,
    api_edit,
    api_of,
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
from tests.security.world import (
    ANONYMOUS,
    EDITOR,
    OTHER_ORG,
    OUTSIDER,
    OWNER,
    VIEWER,
    World,
)

# One SDG target per principal, so a tag write is checked as that principal's (the world loads no catalogue).
TARGET_FOR = {
    OWNER: "11.1",
    EDITOR: "11.2",
    VIEWER: "11.3",
    OTHER_ORG: "11.4",
    OUTSIDER: "11.5",
    ANONYMOUS: "11.6",
}
# One theme per principal for the guided start's axes step (an axis is added once per name).
THEME_FOR = {
    OWNER: "mobility",
    EDITOR: "water",
    VIEWER: "energy",
    OTHER_ORG: "culture",  # not "climate": the analysis part of the world gives office A a climate axis
    OUTSIDER: "digital",
    ANONYMOUS: "housing",
}


def build(world: World) -> None:
    a, b = world.office_a, world.office_b
    owner, other = world.cast.owner, world.cast.other_owner
    goal = SdgGoal.objects.get(number=11)
    for position, code in enumerate(sorted(TARGET_FOR.values()), start=1):
        SdgTarget.objects.get_or_create(
            code=code, defaults={"goal": goal, "title": f"Target {code}", "position": position}
        )

    def strategy(user: Any, org: Any, title: str, visibility: str = Visibility.PRIVATE) -> Strategy:
        return services.strategy_create(
            user=user,
            owner=org,
            title=title,
            visibility=visibility,
            vision=f"{title} vision",
            horizon_start=dt.date(2025, 1, 1),
            horizon_end=dt.date(2030, 12, 31),
        )

    a_strategy = strategy(owner, a, "PRIVATE-A-strategy")
    a_objective = services.objective_create(
        user=owner,
        strategy=a_strategy,
        family=ObjectiveFamily.KNOWLEDGE,
        title="PRIVATE-A-objective",
        projects=[world.a_project],
        sdg_targets=[SdgTarget.objects.get(code="11.1")],
    )
    a_stakeholder = services.stakeholder_create(
        user=owner, owner=a, group=StakeholderGroup.ACADEMIA, name="PRIVATE-A-stakeholder"
    )
    a_consultation = services.consultation_create(
        user=owner,
        strategy=a_strategy,
        date=dt.date(2025, 5, 1),
        format=ConsultationFormat.WORKSHOP,
        participants=[a_stakeholder],
        requests="PRIVATE-A-consultation requests",
    )
    a_externality = services.externality_create(
        user=owner, strategy=a_strategy, title="PRIVATE-A-externality", objectives=[a_objective]
    )
    a_axis = services.axis_create(
        user=owner, owner=a, kind="geographic", name="PRIVATE-A-axis", region="Mercosur"
    )
    a_objective.axes.add(a_axis)
    services.strategy_revise(user=owner, strategy=a_strategy, note="PRIVATE-A-version")
    a_strategy.refresh_from_db()

    shared = strategy(owner, a, "SHARED-A-strategy", Visibility.SHARED)
    services.record_share(user=owner, record=shared, organisations=[b])
    public = strategy(owner, a, "Public strategy of office A", Visibility.PUBLIC)
    public_objective = services.objective_create(
        user=owner,
        strategy=public,
        family=ObjectiveFamily.SOLIDARITY,
        title="Public objective of office A",
        projects=[world.a_project],
        axes=[a_axis],  # a private axis: its name must not reach B, outsiders or anonymous readers
    )
    services.strategy_revise(user=owner, strategy=public, note="Public revision")
    b_strategy = strategy(other, b, "PRIVATE-B-strategy")
    services.objective_create(
        user=other, strategy=b_strategy, family=ObjectiveFamily.ADVOCACY, title="PRIVATE-B-objective"
    )
    services.stakeholder_create(
        user=other, owner=b, group=StakeholderGroup.MEDIA, name="PRIVATE-B-stakeholder"
    )
    world.extra.update(
        strategy_a=a_strategy,
        strategy_shared=shared,
        strategy_public=public,
        strategy_b=b_strategy,
        objective_a=a_objective,
        objective_public=public_objective,
        stakeholder_a=a_stakeholder,
        consultation_a=a_consultation,
        externality_a=a_externality,
        axis_a=a_axis,
    )


def writers_see(*markers: str) -> dict[str, tuple[str, ...]]:
    return dict.fromkeys((OWNER, EDITOR), markers)


def _x(name: str) -> Any:
    return lambda w: w.extra[name].pk


def _version(model: type[Any], name: str) -> Any:
    return lambda w: model.objects.get(pk=w.extra[name].pk).version


def _field_is(model: type[Any], name: str, field: str) -> Any:
    def check(w: World, p: str) -> bool:
        return getattr(model.objects.get(pk=w.extra[name].pk), field) == edited(p)

    return check


def _exists_in_a(model: type[Any], **filters: Any) -> Any:
    def check(w: World, p: str) -> bool:
        resolved = {k: v(p) if callable(v) else v for k, v in filters.items()}
        return model.objects.filter(owner=w.office_a, **resolved).exists()

    return check


def _draft(w: World, p: str) -> Strategy:
    """A fresh draft strategy of office A per principal: the target of one guided-start step."""
    title = f"Draft of {p}"
    found = Strategy.objects.filter(owner=w.office_a, title=title).first()
    return found or services.strategy_create(user=w.cast.owner, owner=w.office_a, title=title)


def _wizard(step: str) -> Any:
    return lambda w, p: reverse(f"strategy:wizard-{step}", args=[_draft(w, p).pk])


def _a_strategy_data(w: World, p: str) -> dict[str, Any]:
    return {
        "title": edited(p),
        "status": "draft",
        "visibility": "private",
        "version": Strategy.objects.get(pk=w.extra["strategy_a"].pk).version,
    }


UI_PROBES: list[Probe] = [
    Probe(
        "strategy:strategy-list",
        "every strategy",
        "GET",
        named("strategy:strategy-list"),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-strategy", "SHARED-A-strategy"), ("SHARED-A-strategy",)),
    ),
    Probe(
        "strategy:strategy-create",
        "new strategy form",
        "GET",
        named("strategy:strategy-create"),
        ui_create_form(),
    ),
    Probe(
        "strategy:strategy-create",
        "a strategy for office A",
        "POST",
        named("strategy:strategy-create"),
        ui_create_for_a(),
        data=lambda w, p: {
            "owner": w.office_a.pk,
            "title": created(p),
            "status": "draft",
            "visibility": "private",
        },
        landed=_exists_in_a(Strategy, title=created),
    ),
    Probe(
        "strategy:strategy-detail",
        "A's private strategy",
        "GET",
        named("strategy:strategy-detail", _x("strategy_a")),
        office_a_only(),
        shows=a_sees(
            "PRIVATE-A-strategy", "PRIVATE-A-objective", "PRIVATE-A-stakeholder", "PRIVATE-A-externality"
        ),
    ),
    Probe(
        "strategy:strategy-detail",
        "strategy A shares with B",
        "GET",
        named("strategy:strategy-detail", _x("strategy_shared")),
        shared_with_b(),
        shows=a_and_b_see(("SHARED-A-strategy",), ("SHARED-A-strategy",)),
    ),
    Probe(
        "strategy:strategy-detail",
        "A's public strategy",
        "GET",
        named("strategy:strategy-detail", _x("strategy_public")),
        everyone(),
    ),
    Probe(
        "strategy:strategy-edit",
        "A's private strategy",
        "GET",
        named("strategy:strategy-edit", _x("strategy_a")),
        ui_edit(),
    ),
    Probe(
        "strategy:strategy-edit",
        "A's private strategy",
        "POST",
        named("strategy:strategy-edit", _x("strategy_a")),
        ui_edit(302),
        data=_a_strategy_data,
        landed=_field_is(Strategy, "strategy_a", "title"),
    ),
    Probe(
        "strategy:strategy-revise",
        "A's private strategy",
        "GET",
        named("strategy:strategy-revise", _x("strategy_a")),
        ui_edit(),
    ),
    Probe(
        "strategy:strategy-revise",
        "A's private strategy",
        "POST",
        named("strategy:strategy-revise", _x("strategy_a")),
        ui_edit(302),
        data=lambda w, p: {"note": created(p)},
        landed=lambda w, p: StrategyVersion.objects.filter(
            strategy=w.extra["strategy_a"], note=created(p)
        ).exists(),
    ),
    Probe(
        "strategy:version-detail",
        "a kept version of A's private strategy",
        "GET",
        lambda w, p: reverse("strategy:version-detail", args=[w.extra["strategy_a"].pk, 1]),
        office_a_only(),
        shows=a_sees("PRIVATE-A-objective"),
    ),
    Probe(
        "strategy:version-detail",
        "a kept version of A's public strategy whose objective is on a private axis",
        "GET",
        lambda w, p: reverse("strategy:version-detail", args=[w.extra["strategy_public"].pk, 1]),
        everyone(),
        shows=a_sees("PRIVATE-A-axis"),
    ),
    Probe(
        "strategy:document-create",
        "A's private strategy",
        "GET",
        named("strategy:document-create", _x("strategy_a")),
        ui_edit(),
    ),
    Probe(
        "strategy:document-create",
        "A's private strategy",
        "POST",
        named("strategy:document-create", _x("strategy_a")),
        ui_edit(302),
        data=lambda w, p: {
            "title": created(p),
            "file": SimpleUploadedFile(f"{p}.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        },
        landed=_exists_in_a(Document, title=created),
    ),
    Probe(
        "strategy:alignment",
        "A's private strategy",
        "GET",
        named("strategy:alignment", _x("strategy_a")),
        office_a_only(),
        shows=a_sees("PRIVATE-A-objective"),
    ),
    Probe(
        "strategy:alignment",
        "A's public strategy",
        "GET",
        named("strategy:alignment", _x("strategy_public")),
        everyone(),
    ),
    # Objectives.
    Probe(
        "strategy:objective-create",
        "on A's private strategy",
        "GET",
        named("strategy:objective-create", _x("strategy_a")),
        ui_edit(),
        shows=writers_see("PRIVATE-A-project"),
    ),
    Probe(
        "strategy:objective-create",
        "on A's private strategy",
        "POST",
        named("strategy:objective-create", _x("strategy_a")),
        ui_edit(302),
        data=lambda w, p: {"family": "culture", "title": created(p)},
        landed=_exists_in_a(Objective, title=created),
    ),
    Probe(
        "strategy:objective-detail",
        "A's private objective linking A's private project",
        "GET",
        named("strategy:objective-detail", _x("objective_a")),
        office_a_only(),
        shows=a_sees("PRIVATE-A-objective", "PRIVATE-A-project"),
    ),
    Probe(
        "strategy:objective-detail",
        "A's public objective linking A's private project",
        "GET",
        named("strategy:objective-detail", _x("objective_public")),
        everyone(),
        shows=a_sees("PRIVATE-A-project", "PRIVATE-A-axis"),
    ),
    Probe(
        "strategy:objective-edit",
        "A's private objective",
        "GET",
        named("strategy:objective-edit", _x("objective_a")),
        ui_edit(),
    ),
    Probe(
        "strategy:objective-edit",
        "A's private objective",
        "POST",
        named("strategy:objective-edit", _x("objective_a")),
        ui_edit(302),
        data=lambda w, p: {
            "family": "knowledge",
            "title": edited(p),
            "version": Objective.objects.get(pk=w.extra["objective_a"].pk).version,
        },
        landed=_field_is(Objective, "objective_a", "title"),
    ),
    # Consultations and externalities.
    Probe(
        "strategy:consultation-create",
        "on A's private strategy",
        "GET",
        named("strategy:consultation-create", _x("strategy_a")),
        ui_edit(),
        shows=writers_see("PRIVATE-A-stakeholder"),
    ),
    Probe(
        "strategy:consultation-create",
        "on A's private strategy",
        "POST",
        named("strategy:consultation-create", _x("strategy_a")),
        ui_edit(302),
        data=lambda w, p: {"date": "2025-06-01", "format": "meeting", "requests": created(p)},
        landed=_exists_in_a(Consultation, requests=created),
    ),
    Probe(
        "strategy:consultation-detail",
        "A's private consultation",
        "GET",
        named("strategy:consultation-detail", _x("consultation_a")),
        office_a_only(),
        shows=a_sees("PRIVATE-A-consultation", "PRIVATE-A-stakeholder"),
    ),
    Probe(
        "strategy:consultation-edit",
        "A's private consultation",
        "GET",
        named("strategy:consultation-edit", _x("consultation_a")),
        ui_edit(),
    ),
    Probe(
        "strategy:consultation-edit",
        "A's private consultation",
        "POST",
        named("strategy:consultation-edit", _x("consultation_a")),
        ui_edit(302),
        data=lambda w, p: {
            "date": "2025-06-02",
            "format": "survey",
            "requests": edited(p),
            "version": Consultation.objects.get(pk=w.extra["consultation_a"].pk).version,
        },
        landed=_field_is(Consultation, "consultation_a", "requests"),
    ),
    Probe(
        "strategy:externality-create",
        "on A's private strategy",
        "GET",
        named("strategy:externality-create", _x("strategy_a")),
        ui_edit(),
    ),
    Probe(
        "strategy:externality-create",
        "on A's private strategy",
        "POST",
        named("strategy:externality-create", _x("strategy_a")),
        ui_edit(302),
        data=lambda w, p: {"title": created(p), "status": "identified"},
        landed=_exists_in_a(Externality, title=created),
    ),
    Probe(
        "strategy:externality-detail",
        "A's private externality",
        "GET",
        named("strategy:externality-detail", _x("externality_a")),
        office_a_only(),
        shows=a_sees("PRIVATE-A-externality", "PRIVATE-A-objective"),
    ),
    Probe(
        "strategy:externality-edit",
        "A's private externality",
        "GET",
        named("strategy:externality-edit", _x("externality_a")),
        ui_edit(),
    ),
    Probe(
        "strategy:externality-edit",
        "A's private externality",
        "POST",
        named("strategy:externality-edit", _x("externality_a")),
        ui_edit(302),
        data=lambda w, p: {
            "title": edited(p),
            "status": "mitigating",
            "version": Externality.objects.get(pk=w.extra["externality_a"].pk).version,
        },
        landed=_field_is(Externality, "externality_a", "title"),
    ),
    # Axes and stakeholders.
    Probe(
        "strategy:axis-list",
        "every axis",
        "GET",
        named("strategy:axis-list"),
        signed_in(),
        shows=a_sees("PRIVATE-A-axis"),
    ),
    Probe("strategy:axis-create", "new axis form", "GET", named("strategy:axis-create"), ui_create_form()),
    Probe(
        "strategy:axis-create",
        "an axis for office A",
        "POST",
        named("strategy:axis-create"),
        ui_create_for_a(),
        data=lambda w, p: {
            "owner": w.office_a.pk,
            "kind": "geographic",
            "name": created(p),
            "region": "Mercosur",
            "visibility": "private",
        },
        landed=_exists_in_a(Axis, name=created),
    ),
    Probe(
        "strategy:axis-detail",
        "A's private axis",
        "GET",
        named("strategy:axis-detail", _x("axis_a")),
        office_a_only(),
        shows=a_sees("PRIVATE-A-axis"),
    ),
    Probe(
        "strategy:axis-edit", "A's private axis", "GET", named("strategy:axis-edit", _x("axis_a")), ui_edit()
    ),
    Probe(
        "strategy:axis-edit",
        "A's private axis",
        "POST",
        named("strategy:axis-edit", _x("axis_a")),
        ui_edit(302),
        data=lambda w, p: {
            "kind": "geographic",
            "name": edited(p),
            "region": "Mercosur",
            "visibility": "private",
            "version": Axis.objects.get(pk=w.extra["axis_a"].pk).version,
        },
        landed=_field_is(Axis, "axis_a", "name"),
    ),
    Probe(
        "strategy:stakeholder-list",
        "every stakeholder",
        "GET",
        named("strategy:stakeholder-list"),
        signed_in(),
        shows={**a_sees("PRIVATE-A-stakeholder"), OTHER_ORG: ("PRIVATE-B-stakeholder",)},
    ),
    Probe(
        "strategy:stakeholder-create",
        "new stakeholder form",
        "GET",
        named("strategy:stakeholder-create"),
        ui_create_form(),
    ),
    Probe(
        "strategy:stakeholder-create",
        "a stakeholder of office A",
        "POST",
        named("strategy:stakeholder-create"),
        ui_create_for_a(),
        data=lambda w, p: {
            "owner": w.office_a.pk,
            "group": "media",
            "name": created(p),
            "visibility": "private",
        },
        landed=_exists_in_a(Stakeholder, name=created),
    ),
    Probe(
        "strategy:stakeholder-detail",
        "A's private stakeholder",
        "GET",
        named("strategy:stakeholder-detail", _x("stakeholder_a")),
        office_a_only(),
        shows=a_sees("PRIVATE-A-stakeholder"),
    ),
    Probe(
        "strategy:stakeholder-edit",
        "A's private stakeholder",
        "GET",
        named("strategy:stakeholder-edit", _x("stakeholder_a")),
        ui_edit(),
    ),
    Probe(
        "strategy:stakeholder-edit",
        "A's private stakeholder",
        "POST",
        named("strategy:stakeholder-edit", _x("stakeholder_a")),
        ui_edit(302),
        data=lambda w, p: {
            "group": "academia",
            "name": edited(p),
            "visibility": "private",
            "version": Stakeholder.objects.get(pk=w.extra["stakeholder_a"].pk).version,
        },
        landed=_field_is(Stakeholder, "stakeholder_a", "name"),
    ),
    # SDG tags of a registry project, and the catalogue.
    Probe(
        "strategy:project-sdg",
        "A's private project",
        "GET",
        named("strategy:project-sdg", lambda w: w.a_project.pk),
        office_a_only(),
        shows=a_sees("PRIVATE-A-project"),
    ),
    Probe(
        "strategy:project-sdg",
        "A's private project",
        "POST",
        named("strategy:project-sdg", lambda w: w.a_project.pk),
        {OWNER: 302, EDITOR: 302, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: 404},
        data=lambda w, p: {"targets": [SdgTarget.objects.get(code=TARGET_FOR[p]).pk]},
        landed=lambda w, p: ProjectSdgTag.objects.filter(
            project=w.a_project, target__code=TARGET_FOR[p]
        ).exists(),
    ),
    Probe(
        "strategy:project-sdg",
        "A's public project (B reads the tags, may not change them)",
        "POST",
        named("strategy:project-sdg", lambda w: w.public_project.pk),
        {OWNER: 302, EDITOR: 302, VIEWER: 403, OTHER_ORG: 403, OUTSIDER: 403, ANONYMOUS: 403},
        data=lambda w, p: {"targets": [SdgTarget.objects.get(code=TARGET_FOR[p]).pk]},
        landed=lambda w, p: ProjectSdgTag.objects.filter(
            project=w.public_project, target__code=TARGET_FOR[p]
        ).exists(),
    ),
    Probe("strategy:sdg-goal-list", "the 17 goals", "GET", named("strategy:sdg-goal-list"), everyone()),
    Probe("strategy:sdg-goal", "goal 11", "GET", named("strategy:sdg-goal", lambda w: 11), everyone()),
    # The guided start: a fresh draft per person for the steps after the first.
    Probe("strategy:wizard", "first step", "GET", named("strategy:wizard"), ui_create_form()),
    Probe(
        "strategy:wizard",
        "a first strategy for office A",
        "POST",
        named("strategy:wizard"),
        ui_create_for_a(),
        data=lambda w, p: {
            "owner": w.office_a.pk,
            "title": created(p),
            "start_year": 2026,
            "end_year": 2030,
            "vision": "Vision",
            "thesis": "Thesis",
        },
        landed=_exists_in_a(Strategy, title=created),
    ),
    Probe("strategy:wizard-objectives", "a draft of office A", "GET", _wizard("objectives"), ui_edit()),
    Probe(
        "strategy:wizard-objectives",
        "a draft of office A",
        "POST",
        _wizard("objectives"),
        ui_edit(302),
        data=lambda w, p: {"objective": ["attract", "learn"]},
        landed=lambda w, p: Objective.objects.filter(
            strategy__title=f"Draft of {p}", owner=w.office_a
        ).exists(),
    ),
    Probe("strategy:wizard-axes", "a draft of office A", "GET", _wizard("axes"), ui_edit()),
    Probe(
        "strategy:wizard-axes",
        "a draft of office A (one theme per person)",
        "POST",
        _wizard("axes"),
        ui_edit(302),
        data=lambda w, p: {"theme": [THEME_FOR[p]]},
        landed=lambda w, p: Axis.objects.filter(owner=w.office_a, theme__key=THEME_FOR[p]).exists(),
    ),
    Probe("strategy:wizard-stakeholders", "a draft of office A", "GET", _wizard("stakeholders"), ui_edit()),
    Probe(
        "strategy:wizard-stakeholders",
        "a draft of office A",
        "POST",
        _wizard("stakeholders"),
        ui_edit(302),
        data=lambda w, p: {"group-media": created(p)},
        landed=_exists_in_a(Stakeholder, name=created),
    ),
    Probe("strategy:wizard-done", "a draft of office A", "GET", _wizard("done"), ui_edit()),
]


API_PROBES: list[Probe] = [
    Probe(
        "api:strategy_list",
        "all strategies",
        "GET",
        api("/strategies"),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-strategy", "SHARED-A-strategy"), ("SHARED-A-strategy",)),
    ),
    Probe(
        "api:strategy_detail",
        "A's private strategy",
        "GET",
        api_of("/strategies/{}", _x("strategy_a")),
        office_a_only(),
        shows=a_sees("PRIVATE-A-strategy", "PRIVATE-A-objective"),
    ),
    Probe(
        "api:strategy_detail",
        "strategy A shares with B",
        "GET",
        api_of("/strategies/{}", _x("strategy_shared")),
        shared_with_b(),
    ),
    Probe(
        "api:strategy_create",
        "a strategy for office A",
        "POST",
        api("/strategies"),
        api_create_for_a(),
        data=lambda w, p: {"owner": w.office_a.slug, "title": created(p)},
        landed=_exists_in_a(Strategy, title=created),
    ),
    Probe(
        "api:strategy_update",
        "A's private strategy",
        "PATCH",
        api_of("/strategies/{}", _x("strategy_a")),
        api_edit(),
        data=lambda w, p: {"version": _version(Strategy, "strategy_a")(w), "title": edited(p)},
        landed=_field_is(Strategy, "strategy_a", "title"),
    ),
    Probe(
        "api:strategy_update",
        "A's public strategy (B reads, may not change)",
        "PATCH",
        api_of("/strategies/{}", _x("strategy_public")),
        {**api_edit(other_org=403), OUTSIDER: 403},
        data=lambda w, p: {"version": _version(Strategy, "strategy_public")(w), "title": edited(p)},
        landed=_field_is(Strategy, "strategy_public", "title"),
    ),
    Probe(
        "api:strategy_revise",
        "A's private strategy",
        "POST",
        api_of("/strategies/{}/revisions", _x("strategy_a")),
        api_edit(ok=201),
        data=lambda w, p: {"note": created(p)},
        landed=lambda w, p: StrategyVersion.objects.filter(
            strategy=w.extra["strategy_a"], note=created(p)
        ).exists(),
    ),
    Probe(
        "api:strategy_version",
        "a kept version of A's private strategy",
        "GET",
        api_of("/strategies/{}/versions/1", _x("strategy_a")),
        office_a_only(),
        shows=a_sees("PRIVATE-A-objective"),
    ),
    Probe(
        "api:strategy_version",
        "a kept version of A's public strategy whose objective is on a private axis",
        "GET",
        api_of("/strategies/{}/versions/1", _x("strategy_public")),
        everyone(),
        shows=a_sees("PRIVATE-A-axis"),
    ),
    Probe(
        "api:strategy_detail",
        "A's public strategy whose objective is on a private axis",
        "GET",
        api_of("/strategies/{}", _x("strategy_public")),
        everyone(),
        shows=a_sees("PRIVATE-A-axis"),
    ),
    Probe(
        "api:strategy_alignment",
        "A's private strategy",
        "GET",
        api_of("/strategies/{}/alignment", _x("strategy_a")),
        office_a_only(),
        shows=a_sees("PRIVATE-A-objective"),
    ),
    Probe(
        "api:objective_list",
        "all objectives",
        "GET",
        api("/objectives"),
        everyone(),
        shows={**a_sees("PRIVATE-A-objective"), OTHER_ORG: ("PRIVATE-B-objective",)},
    ),
    Probe(
        "api:objective_detail",
        "A's private objective",
        "GET",
        api_of("/objectives/{}", _x("objective_a")),
        office_a_only(),
        shows=a_sees("PRIVATE-A-objective", "PRIVATE-A-project"),
    ),
    Probe(
        "api:objective_detail",
        "A's public objective linking A's private project",
        "GET",
        api_of("/objectives/{}", _x("objective_public")),
        everyone(),
        shows=a_sees("PRIVATE-A-project", "PRIVATE-A-axis"),
    ),
    Probe(
        "api:objective_create",
        "on A's private strategy",
        "POST",
        api("/objectives"),
        {OWNER: 201, EDITOR: 201, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: 401},
        data=lambda w, p: {"strategy": w.extra["strategy_a"].pk, "family": "advocacy", "title": created(p)},
        landed=_exists_in_a(Objective, title=created),
    ),
    Probe(
        "api:objective_update",
        "A's private objective",
        "PATCH",
        api_of("/objectives/{}", _x("objective_a")),
        api_edit(),
        data=lambda w, p: {"version": _version(Objective, "objective_a")(w), "title": edited(p)},
        landed=_field_is(Objective, "objective_a", "title"),
    ),
    Probe(
        "api:objective_sdg_tags",
        "A's private objective",
        "PUT",
        api_of("/objectives/{}/sdg-targets", _x("objective_a")),
        api_edit(),
        data=lambda w, p: {"targets": [TARGET_FOR[p]]},
        landed=lambda w, p: Objective.objects.filter(
            pk=w.extra["objective_a"].pk, sdg_targets__code=TARGET_FOR[p]
        ).exists(),
    ),
    Probe(
        "api:project_sdg_tag_list",
        "A's private project",
        "GET",
        api_of("/projects/{}/sdg-targets", lambda w: w.a_project.pk),
        office_a_only(),
    ),
    Probe(
        "api:project_sdg_tag_set",
        "A's private project",
        "PUT",
        api_of("/projects/{}/sdg-targets", lambda w: w.a_project.pk),
        api_edit(),
        data=lambda w, p: {"targets": [TARGET_FOR[p]]},
        landed=lambda w, p: ProjectSdgTag.objects.filter(
            project=w.a_project, target__code=TARGET_FOR[p]
        ).exists(),
    ),
    Probe(
        "api:axis_list",
        "all axes",
        "GET",
        api("/axes"),
        everyone(),
        shows=a_sees("PRIVATE-A-axis"),
    ),
    Probe(
        "api:axis_create",
        "an axis for office A",
        "POST",
        api("/axes"),
        api_create_for_a(),
        data=lambda w, p: {
            "owner": w.office_a.slug,
            "kind": "geographic",
            "name": created(p),
            "region": "Sahel",
        },
        landed=_exists_in_a(Axis, name=created),
    ),
    Probe(
        "api:stakeholder_list",
        "all stakeholders",
        "GET",
        api("/stakeholders"),
        everyone(),
        shows={**a_sees("PRIVATE-A-stakeholder"), OTHER_ORG: ("PRIVATE-B-stakeholder",)},
    ),
    Probe(
        "api:stakeholder_create",
        "a stakeholder of office A",
        "POST",
        api("/stakeholders"),
        api_create_for_a(),
        data=lambda w, p: {"owner": w.office_a.slug, "group": "media", "name": created(p)},
        landed=_exists_in_a(Stakeholder, name=created),
    ),
    Probe(
        "api:stakeholder_update",
        "A's private stakeholder",
        "PATCH",
        api_of("/stakeholders/{}", _x("stakeholder_a")),
        api_edit(),
        data=lambda w, p: {"version": _version(Stakeholder, "stakeholder_a")(w), "name": edited(p)},
        landed=_field_is(Stakeholder, "stakeholder_a", "name"),
    ),
    Probe(
        "api:consultation_list",
        "consultations on A's private strategy",
        "GET",
        api_of("/strategies/{}/consultations", _x("strategy_a")),
        office_a_only(),
        shows=a_sees("PRIVATE-A-consultation"),
    ),
    Probe(
        "api:consultation_create",
        "on A's private strategy",
        "POST",
        api_of("/strategies/{}/consultations", _x("strategy_a")),
        {OWNER: 201, EDITOR: 201, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: 401},
        data=lambda w, p: {"date": "2025-06-01", "format": "meeting", "requests": created(p)},
        landed=_exists_in_a(Consultation, requests=created),
    ),
    Probe(
        "api:externality_list",
        "externalities of A's private strategy",
        "GET",
        api_of("/strategies/{}/externalities", _x("strategy_a")),
        office_a_only(),
        shows=a_sees("PRIVATE-A-externality"),
    ),
    Probe(
        "api:externality_create",
        "on A's private strategy",
        "POST",
        api_of("/strategies/{}/externalities", _x("strategy_a")),
        {OWNER: 201, EDITOR: 201, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: 401},
        data=lambda w, p: {"title": created(p)},
        landed=_exists_in_a(Externality, title=created),
    ),
    Probe("api:sdg_goal_list", "the 17 goals", "GET", api("/sdg/goals"), everyone()),
    Probe("api:sdg_goal_detail", "goal 11", "GET", api("/sdg/goals/11"), everyone()),
    Probe("api:sdg_target_list", "targets of goal 11", "GET", api("/sdg/targets?goal=11"), everyone()),
    Probe("api:sdg_indicator_list", "indicators", "GET", api("/sdg/indicators?q=11"), everyone()),
]
