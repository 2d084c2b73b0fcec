"""Writes to the strategy app. Views, API endpoints, CLI commands, the guided start and the demo all call
these functions, so they check the same permissions and behave the same way.

Rules kept here and nowhere else:
- every write needs an owner or editor seat in the owning organisation (`access_write`);
- a strategy's objectives, consultations and externalities belong to the strategy's organisation and
  share its visibility: a public strategy has public objectives, a private one private objectives;
- an objective may link only the registry actions (projects, agreements, memberships, events), axes and
  stakeholders the writer may read, so a link never reveals a record to its writer that they could not
  see; pages then show each reader only the linked actions they may see themselves;
- edits are refused when someone else saved the record since the edit started (StaleEdit), and are
  saved with `save()` so the change history records them;
- a revision first freezes the current strategy and its objectives in a StrategyVersion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citydiplo.accounts.access import access_write
from citydiplo.accounts.models import Organisation
from citydiplo.accounts.records import Origin, Record, Visibility
from citydiplo.lib.uploads import document_upload_check
from citydiplo.registry.models import Actor, Agreement, Document, Event, Membership, Project, Theme
from citydiplo.registry.services import StaleEdit, history_user_set, record_share
from citydiplo.strategy.models import (
    Axis,
    AxisKind,
    Consultation,
    Externality,
    Objective,
    ProjectSdgTag,
    SdgTarget,
    Stakeholder,
    Strategy,
    StrategyStatus,
    StrategyVersion,
)

R = TypeVar("R", bound=Record)
Actorish = Any  # a User; the demo loader passes the demo's owner

# A thesis is the next step of the strategy: long enough to deliver something, short enough to revise.
THESIS_MIN_MONTHS = 12
THESIS_MAX_MONTHS = 18

# The strategy fields a version keeps.
SNAPSHOT_FIELDS = (
    "title",
    "horizon_start",
    "horizon_end",
    "vision",
    "thesis",
    "thesis_start",
    "thesis_end",
    "status",
    "adopted_on",
    "development_plan_title",
    "development_plan_url",
)
OBJECTIVE_LINKS = ("projects", "agreements", "memberships", "events")


# --- Shared helpers -------------------------------------------------------------------------------------


def _months_between(start: dt.date, end: dt.date) -> float:
    return (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 31


def _validate_strategy(strategy: Strategy) -> None:
    """Rules a strategy must keep whoever writes it (form, API, wizard)."""
    errors: dict[str, list[str]] = {}
    if strategy.horizon_start and strategy.horizon_end and strategy.horizon_end < strategy.horizon_start:
        errors["horizon_end"] = [_("The horizon must end after it starts.")]
    if bool(strategy.thesis_start) != bool(strategy.thesis_end):
        errors["thesis_end"] = [_("Give both the start and the end of the thesis period, or neither.")]
    elif strategy.thesis_start and strategy.thesis_end:
        months = _months_between(strategy.thesis_start, strategy.thesis_end)
        if not THESIS_MIN_MONTHS <= round(months) <= THESIS_MAX_MONTHS:
            errors["thesis_end"] = [
                _("The thesis covers the next 12 to 18 months; this period is %(months)s months.")
                % {"months": round(months)}
            ]
    if errors:
        raise ValidationError(errors)


def _prepare(record: R, *, user: Actorish, owner: Organisation, visibility: str | None) -> R:
    access_write(user, owner.pk)
    record.owner = owner
    record.origin = Origin.MANUAL
    record.visibility = visibility or Visibility.PRIVATE
    if getattr(user, "is_authenticated", False):
        record.created_by = user
    history_user_set(record, user)
    record.full_clean(exclude=["shared_with"])
    return record


def _update(*, user: Actorish, record: R, expected_version: int, changes: dict[str, Any]) -> R:
    """Apply field changes if nobody saved the record since `expected_version`, else raise StaleEdit.

    The row is locked for the check (SQLite's immediate transactions lock the database, PostgreSQL the
    row), then saved with save() so simple_history records who changed what.
    """
    access_write(user, record.owner_id)
    model = type(record)
    with transaction.atomic():  # select_for_update needs one, whatever the caller does
        current = model.objects.select_for_update().get(pk=record.pk)
        if current.version != expected_version:
            raise StaleEdit(current, expected_version)
        # The changes go onto the row as stored, not onto the caller's copy, which may be older in fields
        # the edit does not touch; the caller's copy is then refreshed.
        for name, value in changes.items():
            setattr(current, name, value)
        current.version += 1
        current.origin = Origin.MANUAL
        current.full_clean(exclude=["shared_with"], validate_unique=False)
        history_user_set(current, user)  # API tokens and commands have no request user for the middleware
        current.save()
    record.refresh_from_db()
    return record


def _visible_or_error(
    model: type[models.Model], user: Actorish, items: Iterable[Any], field: str
) -> list[Any]:
    """The items, each checked readable by the user; a hidden one is reported as missing (no probing)."""
    items = list(dict.fromkeys(items))
    pks = [item.pk for item in items]
    visible = set(model.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))  # type: ignore[attr-defined]
    hidden = [pk for pk in pks if pk not in visible]
    if hidden:
        raise ValidationError(
            {field: [_("No such record: %(ids)s.") % {"ids": ", ".join(str(pk) for pk in hidden)}]}
        )
    return items


def _same_owner(strategy: Strategy, items: Iterable[Record], field: str) -> list[Any]:
    """Axes and stakeholders are the organisation's own: another office's cannot be linked."""
    items = list(dict.fromkeys(items))
    wrong = [str(item) for item in items if item.owner_id != strategy.owner_id]
    if wrong:
        raise ValidationError(
            {field: [_("These belong to another organisation: %(names)s.") % {"names": ", ".join(wrong)}]}
        )
    return items


def _share_like(child: Record, strategy: Strategy) -> None:
    if strategy.visibility == Visibility.SHARED:
        child.shared_with.set(list(strategy.shared_with.all()))


def _save_child(child: Record, *, strategy: Strategy, user: Actorish, links: dict[str, list[Any]]) -> None:
    """Save a new objective, consultation or externality of a strategy with its links. Children are read
    by the strategy's readers: same owner, visibility and sharing."""
    child.owner_id = strategy.owner_id
    child.visibility = strategy.visibility
    if getattr(user, "is_authenticated", False):
        child.created_by = user
    child.full_clean(exclude=["shared_with"])
    with transaction.atomic():
        child.save()
        _share_like(child, strategy)
        for name, items in links.items():
            getattr(child, name).set(items)


# --- Strategies ------------------------------------------------------------------------------------------


def strategy_create(
    *,
    user: Actorish,
    owner: Organisation,
    title: str,
    visibility: str | None = None,
    shared_with: Iterable[Organisation] = (),
    **fields: Any,
) -> Strategy:
    strategy = Strategy(title=title, **fields)
    if strategy.status == StrategyStatus.ADOPTED and not strategy.adopted_on:
        strategy.adopted_on = timezone.localdate()
    _prepare(strategy, user=user, owner=owner, visibility=visibility)
    _validate_strategy(strategy)
    with transaction.atomic():
        strategy.save()
        organisations = list(shared_with)
        if organisations:
            record_share(user=user, record=strategy, organisations=organisations)
    return strategy


def strategy_update(
    *,
    user: Actorish,
    strategy: Strategy,
    expected_version: int,
    changes: dict[str, Any],
    shared_with: Iterable[Organisation] | None = None,
) -> Strategy:
    """Edit a strategy; a change of visibility or sharing is carried to its objectives, consultations
    and externalities, which are always read like their strategy."""
    with transaction.atomic():
        if (
            # Adopted without a date (the form sends the field empty): the adoption is today's.
            changes.get("status") == StrategyStatus.ADOPTED
            and not changes.get("adopted_on", strategy.adopted_on)
        ):
            changes = {**changes, "adopted_on": timezone.localdate()}
        _update(user=user, record=strategy, expected_version=expected_version, changes=changes)
        _validate_strategy(strategy)
        if shared_with is not None:
            organisations = [org for org in shared_with if org.pk != strategy.owner_id]
            strategy.shared_with.set(organisations if strategy.visibility == Visibility.SHARED else [])
        _propagate_visibility(strategy)
    return strategy


def _propagate_visibility(strategy: Strategy) -> None:
    organisations = list(strategy.shared_with.all()) if strategy.visibility == Visibility.SHARED else []
    for related in (strategy.objectives, strategy.consultations, strategy.externalities):
        related.exclude(visibility=strategy.visibility).update(visibility=strategy.visibility)
        for child in related.all():
            child.shared_with.set(organisations)


def strategy_snapshot(strategy: Strategy) -> dict[str, Any]:
    """The strategy as it reads now, with its objectives, in plain JSON (dates as ISO text).

    Linked actions are kept by id and title: the snapshot shows what the strategy said, while the
    actions themselves keep their own visibility when a version page lists them.
    """

    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    objectives = []
    for objective in strategy.objectives.order_by("order", "pk").prefetch_related(
        "axes", "sdg_targets", *OBJECTIVE_LINKS
    ):
        objectives.append(
            {
                "id": objective.pk,
                "family": objective.family,
                "title": objective.title,
                "description": objective.description,
                "responsible_departments": list(objective.responsible_departments),
                # With ids: a version page names only the axes its reader may see (selectors.version_snapshot).
                "axes": [{"id": axis.pk, "name": axis.name} for axis in objective.axes.all()],
                "sdg_targets": [target.code for target in objective.sdg_targets.all()],
                **{link: [item.pk for item in getattr(objective, link).all()] for link in OBJECTIVE_LINKS},
            }
        )
    return {
        **{name: plain(getattr(strategy, name)) for name in SNAPSHOT_FIELDS},
        "version": strategy.version,
        "objectives": objectives,
        "externalities": [
            {"title": e.title, "status": e.status, "mitigation": e.mitigation}
            for e in strategy.externalities.all()
        ],
    }


def strategy_revise(*, user: Actorish, strategy: Strategy, note: str = "") -> StrategyVersion:
    """Start a revision: freeze the current text as the next version, then mark the strategy under
    revision. The frozen version stays readable however the strategy is edited afterwards."""
    access_write(user, strategy.owner_id)
    with transaction.atomic():
        locked = Strategy.objects.select_for_update().get(pk=strategy.pk)
        last = locked.versions.aggregate(models.Max("number"))["number__max"] or 0
        version = StrategyVersion.objects.create(
            strategy=locked,
            number=last + 1,
            snapshot=strategy_snapshot(locked),
            note=note,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        if locked.status != StrategyStatus.UNDER_REVISION:
            _update(
                user=user,
                record=strategy,
                expected_version=locked.version,
                changes={"status": StrategyStatus.UNDER_REVISION},
            )
    return version


def strategy_document_add(*, user: Actorish, strategy: Strategy, title: str, file: Any) -> Document:
    """Attach a file (the adopted text, minutes of a consultation) as a registry document of the
    strategy's organisation, read like the strategy."""
    access_write(user, strategy.owner_id)
    # Extension, size, declared type and first bytes: the same check as every other upload path.
    document_upload_check(file)
    with transaction.atomic():
        document = Document(
            title=title,
            file=file,
            owner_id=strategy.owner_id,
            visibility=strategy.visibility,
            uploaded_by=user,
            created_by=user,
        )
        document.full_clean(exclude=["shared_with"])
        document.save()
        _share_like(document, strategy)
        strategy.documents.add(document)
    return document


# --- Objectives -------------------------------------------------------------------------------------------


def _objective_links(
    *, user: Actorish, strategy: Strategy, links: dict[str, Iterable[Any]]
) -> dict[str, list[Any]]:
    checked: dict[str, list[Any]] = {}
    models_by_link = {
        "projects": Project,
        "agreements": Agreement,
        "memberships": Membership,
        "events": Event,
    }
    for name, items in links.items():
        if name in models_by_link:
            checked[name] = _visible_or_error(models_by_link[name], user, items, name)
        elif name == "axes":
            checked[name] = _same_owner(strategy, items, name)
        elif name == "sdg_targets":
            checked[name] = list(dict.fromkeys(items))
        else:
            raise ValueError(f"unknown objective link {name!r}")
    return checked


def objective_create(
    *,
    user: Actorish,
    strategy: Strategy,
    family: str,
    title: str,
    description: str = "",
    responsible_departments: Iterable[str] = (),
    order: int | None = None,
    **links: Iterable[Any],
) -> Objective:
    """Add an objective to a strategy. `links` may name axes, sdg_targets, projects, agreements,
    memberships and events."""
    access_write(user, strategy.owner_id)
    checked = _objective_links(user=user, strategy=strategy, links=links)
    if order is None:
        order = (strategy.objectives.aggregate(models.Max("order"))["order__max"] or 0) + 1
    objective = Objective(
        strategy=strategy,
        family=family,
        title=title,
        description=description,
        responsible_departments=_departments(responsible_departments),
        order=order,
    )
    _save_child(objective, strategy=strategy, user=user, links=checked)
    return objective


def _departments(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(name.strip() for name in names if name and name.strip()))


def objective_update(
    *,
    user: Actorish,
    objective: Objective,
    expected_version: int,
    changes: dict[str, Any],
    **links: Iterable[Any],
) -> Objective:
    """Edit an objective; each link list sent replaces the current one. Links the writer cannot see
    (another office's private project linked by a colleague of theirs) are kept, not dropped."""
    checked = _objective_links(user=user, strategy=objective.strategy, links=links)
    if "responsible_departments" in changes:
        changes = {**changes, "responsible_departments": _departments(changes["responsible_departments"])}
    with transaction.atomic():
        _update(user=user, record=objective, expected_version=expected_version, changes=changes)
        for name, items in checked.items():
            relation = getattr(objective, name)
            if name in OBJECTIVE_LINKS:
                model = relation.model
                hidden = relation.exclude(pk__in=model.objects.visible_to(user).values("pk"))
                items = [*items, *hidden]
            relation.set(items)
    return objective


def objective_tag(*, user: Actorish, objective: Objective, targets: Iterable[SdgTarget]) -> Objective:
    """Replace the objective's SDG targets."""
    access_write(user, objective.owner_id)
    with transaction.atomic():
        objective.sdg_targets.set(list(dict.fromkeys(targets)))
        Objective.objects.filter(pk=objective.pk).update(version=models.F("version") + 1)
    objective.refresh_from_db(fields=["version"])
    return objective


# --- Axes, stakeholders -----------------------------------------------------------------------------------


def _validate_axis(axis: Axis) -> None:
    from citydiplo.registry.places.countries import country_codes

    codes = country_codes()
    countries = [str(code).strip().upper() for code in axis.countries or [] if str(code).strip()]
    unknown = [code for code in countries if code not in codes]
    if unknown:
        raise ValidationError(
            {"countries": [_("Not ISO 3166-1 country codes: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    axis.countries = list(dict.fromkeys(countries))
    if axis.kind == AxisKind.GEOGRAPHIC and not (axis.countries or axis.region):
        raise ValidationError({"countries": [_("A geographic axis names a region or countries.")]})
    if axis.kind == AxisKind.THEMATIC and (axis.countries or axis.region):
        raise ValidationError({"kind": [_("A thematic axis has no countries or region; choose geographic.")]})
    if axis.kind == AxisKind.GEOGRAPHIC and axis.theme_id:
        raise ValidationError({"theme": [_("A geographic axis has no theme.")]})


def axis_create(
    *,
    user: Actorish,
    owner: Organisation,
    kind: str,
    name: str,
    theme: Theme | None = None,
    countries: Iterable[str] = (),
    region: str = "",
    visibility: str | None = None,
) -> Axis:
    axis = Axis(kind=kind, name=name, theme=theme, countries=list(countries), region=region)
    _prepare(axis, user=user, owner=owner, visibility=visibility)
    _validate_axis(axis)
    axis.save()
    return axis


def axis_update(*, user: Actorish, axis: Axis, expected_version: int, changes: dict[str, Any]) -> Axis:
    with transaction.atomic():
        for name, value in changes.items():
            setattr(axis, name, value)
        _validate_axis(axis)
        return _update(
            user=user,
            record=axis,
            expected_version=expected_version,
            changes={**changes, "countries": axis.countries} if "countries" in changes else changes,
        )


def stakeholder_create(
    *,
    user: Actorish,
    owner: Organisation,
    group: str,
    name: str,
    actor: Actor | None = None,
    international_agenda: str = "",
    contact_person: str = "",
    visibility: str | None = None,
) -> Stakeholder:
    if actor is not None:
        _visible_or_error(Actor, user, [actor], "actor")
    stakeholder = Stakeholder(
        group=group,
        name=name,
        actor=actor,
        international_agenda=international_agenda,
        contact_person=contact_person,
    )
    _prepare(stakeholder, user=user, owner=owner, visibility=visibility)
    stakeholder.save()
    return stakeholder


def stakeholder_update(
    *, user: Actorish, stakeholder: Stakeholder, expected_version: int, changes: dict[str, Any]
) -> Stakeholder:
    if changes.get("actor") is not None:
        _visible_or_error(Actor, user, [changes["actor"]], "actor")
    with transaction.atomic():
        return _update(user=user, record=stakeholder, expected_version=expected_version, changes=changes)


# --- Consultations, externalities ------------------------------------------------------------------------


def consultation_create(
    *,
    user: Actorish,
    strategy: Strategy,
    date: dt.date,
    format: str,
    participants: Iterable[Stakeholder] = (),
    other_participants: str = "",
    requests: str = "",
    response: str = "",
) -> Consultation:
    access_write(user, strategy.owner_id)
    chosen = _same_owner(strategy, participants, "participants")
    consultation = Consultation(
        strategy=strategy,
        date=date,
        format=format,
        other_participants=other_participants,
        requests=requests,
        response=response,
    )
    _save_child(consultation, strategy=strategy, user=user, links={"participants": chosen})
    return consultation


def consultation_update(
    *,
    user: Actorish,
    consultation: Consultation,
    expected_version: int,
    changes: dict[str, Any],
    participants: Iterable[Stakeholder] | None = None,
) -> Consultation:
    chosen = (
        _same_owner(consultation.strategy, participants, "participants") if participants is not None else None
    )
    with transaction.atomic():
        _update(user=user, record=consultation, expected_version=expected_version, changes=changes)
        if chosen is not None:
            consultation.participants.set(chosen)
    return consultation


def externality_create(
    *,
    user: Actorish,
    strategy: Strategy,
    title: str,
    description: str = "",
    mitigation: str = "",
    status: str = "",
    objectives: Iterable[Objective] = (),
) -> Externality:
    access_write(user, strategy.owner_id)
    linked = _of_strategy(strategy, objectives)
    externality = Externality(strategy=strategy, title=title, description=description, mitigation=mitigation)
    if status:
        externality.status = status
    _save_child(externality, strategy=strategy, user=user, links={"objectives": linked})
    return externality


def _of_strategy(strategy: Strategy, objectives: Iterable[Objective]) -> list[Objective]:
    chosen = list(dict.fromkeys(objectives))
    if any(objective.strategy_id != strategy.pk for objective in chosen):
        raise ValidationError({"objectives": [_("Link only objectives of the same strategy.")]})
    return chosen


def externality_update(
    *,
    user: Actorish,
    externality: Externality,
    expected_version: int,
    changes: dict[str, Any],
    objectives: Iterable[Objective] | None = None,
) -> Externality:
    linked = _of_strategy(externality.strategy, objectives) if objectives is not None else None
    with transaction.atomic():
        _update(user=user, record=externality, expected_version=expected_version, changes=changes)
        if linked is not None:
            externality.objectives.set(linked)
    return externality


# --- SDG tags of registry projects --------------------------------------------------------------------


def project_sdg_tags_set(
    *, user: Actorish, project: Project, targets: Iterable[SdgTarget]
) -> list[ProjectSdgTag]:
    """Replace a project's SDG targets. Whoever may edit the project may tag it (a reference project:
    curators only)."""
    access_write(user, project.owner_id)
    wanted = {target.pk: target for target in targets}
    with transaction.atomic():
        ProjectSdgTag.objects.filter(project=project).exclude(target_id__in=wanted).delete()
        have = set(ProjectSdgTag.objects.filter(project=project).values_list("target_id", flat=True))
        ProjectSdgTag.objects.bulk_create(
            [
                ProjectSdgTag(
                    project=project,
                    target=target,
                    created_by=user if user and user.is_authenticated else None,
                )
                for pk, target in wanted.items()
                if pk not in have
            ]
        )
    return list(ProjectSdgTag.objects.filter(project=project).select_related("target"))
