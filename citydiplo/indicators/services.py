"""Writes of the indicators app. Every write checks `access_write` first (owner or editor of the
indicator's organisation); views, the API, the importer and the demo all come through here."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citydiplo.accounts.access import access_write
from citydiplo.accounts.models import Organisation
from citydiplo.accounts.records import Origin, Visibility
from citydiplo.indicators.computed import COMPUTATIONS
from citydiplo.indicators.models import (
    Baseline,
    Indicator,
    Kind,
    Observation,
    ReviewState,
    Target,
    disaggregation_key,
)
from citydiplo.indicators.periods import PeriodError, period_parse
from citydiplo.indicators.starter import STARTER_SETS, starter_fields
from citydiplo.indicators.values import number_parse
from citydiplo.lib.uploads import document_upload_check
from citydiplo.registry.services import StaleEdit, history_user_set

DIMENSION_NAME = re.compile(r"^[a-z0-9_]{1,60}$")
EDITABLE_FIELDS = (
    "code",
    "name",
    "definition",
    "level",
    "kind",
    "unit",
    "currency",
    "scale",
    "direction",
    "aggregation",
    "frequency",
    "method",
    "department",
    "is_key",
    "dimensions",
    "computed",
    "formula_numerator",
    "formula_denominator",
    "formula_factor",
    "visibility",
    "source",
)


def _clean_dimensions(names: Any) -> list[str]:
    cleaned = []
    for name in names or []:
        key = re.sub(r"[\s\-./]+", "_", str(name).strip().lower()).strip("_")
        if not key:
            continue
        if not DIMENSION_NAME.match(key):
            raise ValidationError(
                {
                    "dimensions": _("%(name)r: a dimension name holds letters, digits and underscores.")
                    % {"name": name}
                }
            )
        if key not in cleaned:
            cleaned.append(key)
    return cleaned


def _check_indicator(indicator: Indicator) -> None:
    """The rules a form cannot express alone: scale labels for scales, currency for amounts, a known
    computation, formula parts of the same organisation and numeric."""
    errors: dict[str, str] = {}
    indicator.dimensions = _clean_dimensions(indicator.dimensions)
    indicator.scale = [str(label).strip() for label in (indicator.scale or []) if str(label).strip()]
    if indicator.kind == Kind.QUALITATIVE_SCALE and len(indicator.scale) < 2:
        errors["scale"] = _("A qualitative scale needs at least two labels, from worst to best.")
    if indicator.kind != Kind.QUALITATIVE_SCALE:
        indicator.scale = []
    if indicator.kind == Kind.CURRENCY and not re.fullmatch(r"[A-Z]{3}", indicator.currency or ""):
        errors["currency"] = _("An amount of money needs its ISO currency code (EUR, USD, UYU...).")
    if indicator.computed and indicator.computed not in COMPUTATIONS:
        errors["computed"] = _("Unknown computation %(key)r.") % {"key": indicator.computed}
    parts = (indicator.formula_numerator, indicator.formula_denominator)
    if any(parts) and not all(parts):
        errors["formula_denominator"] = _("A formula needs both a numerator and a denominator.")
    for part in parts:
        if part is not None and (part.owner_id != indicator.owner_id or not part.is_numeric):
            errors["formula_numerator"] = _(
                "Formula parts must be numeric indicators of the same organisation."
            )
        if part is not None and indicator.pk and part.pk == indicator.pk:
            errors["formula_numerator"] = _("An indicator cannot be part of its own formula.")
    if indicator.computed and all(parts):
        errors["computed"] = _("Choose a computation or a formula, not both.")
    if errors:
        raise ValidationError(errors)
    indicator.full_clean(exclude=["owner", "shared_with"])


def indicator_create(*, user: Any, owner: Organisation, **fields: Any) -> Indicator:
    access_write(user, owner.pk)
    objectives = fields.pop("objectives", None)
    sdg_targets = fields.pop("sdg_targets", None)
    indicator = Indicator(owner=owner, created_by=user if getattr(user, "pk", None) else None, **fields)
    if Indicator.objects.filter(owner=owner, code=indicator.code).exists():
        raise ValidationError({"code": _("Your organisation already has an indicator with this code.")})
    _check_indicator(indicator)
    history_user_set(indicator, user)  # API tokens and commands have no request user for the middleware
    with transaction.atomic():
        indicator.save()
        _set_links(indicator, objectives, sdg_targets)
    return indicator


def _set_links(indicator: Indicator, objectives: Any, sdg_targets: Any) -> None:
    if objectives is not None:
        foreign = [o for o in objectives if o.owner_id != indicator.owner_id]
        if foreign:
            raise ValidationError({"objectives": _("Link only your own organisation's objectives.")})
        indicator.objectives.set(objectives)
    if sdg_targets is not None:
        indicator.sdg_targets.set(sdg_targets)


def indicator_update(
    *, user: Any, indicator: Indicator, expected_version: int | None = None, **changes: Any
) -> Indicator:
    """Change an indicator. With `expected_version`, refused (StaleEdit) if someone saved it since."""
    access_write(user, indicator.owner_id)
    objectives = changes.pop("objectives", None)
    sdg_targets = changes.pop("sdg_targets", None)
    with transaction.atomic():
        stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if expected_version is not None and expected_version != stored.version:
            raise StaleEdit(stored, expected_version)
        for name, value in changes.items():
            if name not in EDITABLE_FIELDS:
                raise ValidationError(_("%(name)s cannot be changed here.") % {"name": name})
            setattr(indicator, name, value)
        if (
            "code" in changes
            and Indicator.objects.filter(owner_id=indicator.owner_id, code=indicator.code)
            .exclude(pk=indicator.pk)
            .exists()
        ):
            raise ValidationError({"code": _("Your organisation already has an indicator with this code.")})
        if "kind" in changes and stored.kind != indicator.kind and indicator.observations.exists():
            raise ValidationError({"kind": _("The kind cannot change once the indicator has observations.")})
        _check_indicator(indicator)
        indicator.version = stored.version + 1
        history_user_set(indicator, user)
        indicator.save()
        _set_links(indicator, objectives, sdg_targets)
    return indicator


def indicator_delete(*, user: Any, indicator: Indicator) -> None:
    access_write(user, indicator.owner_id)
    if (
        Indicator.objects.filter(formula_numerator=indicator).exists()
        or Indicator.objects.filter(formula_denominator=indicator).exists()
    ):
        raise ValidationError(_("Another indicator's formula uses this one: change that formula first."))
    indicator.delete()


def _point_value(indicator: Indicator, value: Any, text_value: str, field: str) -> tuple[Decimal | None, str]:
    """(value, text) of a baseline, target or observation, checked against the indicator's kind."""
    if indicator.kind == Kind.QUALITATIVE_TEXT:
        if not str(text_value or "").strip():
            raise ValidationError({field: _("Write the value.")})
        return None, str(text_value).strip()
    if indicator.kind == Kind.QUALITATIVE_SCALE:
        label = str(text_value or value or "").strip()
        lowered = [s.lower() for s in indicator.scale]
        if label.lower() not in lowered:
            raise ValidationError(
                {
                    field: _("Choose one of the scale's labels: %(labels)s.")
                    % {"labels": ", ".join(indicator.scale)}
                }
            )
        index = lowered.index(label.lower())
        return Decimal(index + 1), indicator.scale[index]
    parsed = number_parse(value if value not in (None, "") else "")
    if isinstance(parsed, str):
        raise ValidationError({field: parsed})
    return parsed, ""


def baseline_set(
    *,
    user: Any,
    indicator: Indicator,
    value: Any = None,
    text_value: str = "",
    date: dt.date,
    comment: str = "",
) -> Baseline:
    access_write(user, indicator.owner_id)
    number, text = _point_value(indicator, value, text_value, "value")
    baseline, _created = Baseline.objects.update_or_create(
        indicator=indicator, defaults={"value": number, "text_value": text, "date": date, "comment": comment}
    )
    return baseline


def target_set(
    *,
    user: Any,
    indicator: Indicator,
    value: Any = None,
    text_value: str = "",
    date: dt.date,
    comment: str = "",
) -> Target:
    """Add a target for a date, or change the one already set for that date."""
    access_write(user, indicator.owner_id)
    number, text = _point_value(indicator, value, text_value, "value")
    target, _created = Target.objects.update_or_create(
        indicator=indicator, date=date, defaults={"value": number, "text_value": text, "comment": comment}
    )
    return target


def target_delete(*, user: Any, target: Target) -> None:
    access_write(user, target.indicator.owner_id)
    target.delete()


def observation_save(
    *,
    user: Any,
    indicator: Indicator,
    period: str,
    value: Any = None,
    text_value: str = "",
    disaggregation: dict[str, str] | None = None,
    source: str = "",
    comment: str = "",
    evidence: Any = None,
) -> Observation:
    """Record (or correct) the value of one period and breakdown. A corrected value goes back to draft:
    it must be reviewed again before it is public."""
    access_write(user, indicator.owner_id)
    if not indicator.is_observed:
        raise ValidationError(_("This indicator is computed: its values cannot be typed."))
    try:
        parsed = period_parse(period)
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    number, text = _point_value(indicator, value, text_value, "value")
    breakdown = {}
    for name, item in (disaggregation or {}).items():
        if str(item or "").strip():
            if name not in indicator.dimensions:
                raise ValidationError(
                    {
                        "disaggregation": _("%(name)s is not a declared dimension of this indicator.")
                        % {"name": name}
                    }
                )
            breakdown[name] = str(item).strip()
    if evidence:
        document_upload_check(evidence)
    key = disaggregation_key(breakdown)
    observation = Observation.objects.filter(
        indicator=indicator, disaggregation_key=key, period_key=parsed.key
    ).first() or Observation(
        indicator=indicator, disaggregation_key=key, period_key=parsed.key, created_by=user
    )
    observation.period, observation.period_start, observation.period_end = (
        parsed.text,
        parsed.start,
        parsed.end,
    )
    observation.value, observation.text_value = number, text
    observation.disaggregation, observation.source, observation.comment = breakdown, source, comment
    observation.review_state, observation.reviewed_by = ReviewState.DRAFT, None
    if evidence:
        observation.evidence = evidence
    observation.save()
    return observation


def observation_delete(*, user: Any, observation: Observation) -> None:
    access_write(user, observation.indicator.owner_id)
    observation.delete()


def observation_review(*, user: Any, observation: Observation, action: str) -> Observation:
    """Move a value through review: submit (draft → submitted), approve (submitted → approved, public),
    return (submitted or approved → draft). Owners and editors do all three; a viewer none."""
    access_write(user, observation.indicator.owner_id)
    moves = {
        "submit": ((ReviewState.DRAFT,), ReviewState.SUBMITTED),
        "approve": ((ReviewState.SUBMITTED, ReviewState.DRAFT), ReviewState.APPROVED),
        "return": ((ReviewState.SUBMITTED, ReviewState.APPROVED), ReviewState.DRAFT),
    }
    if action not in moves:
        raise ValidationError(_("Unknown review action %(action)r.") % {"action": action})
    allowed, new_state = moves[action]
    if observation.review_state not in allowed:
        raise ValidationError(
            _("This value is %(state)s: it cannot be %(action)s.")
            % {"state": observation.get_review_state_display(), "action": action}
        )
    observation.review_state = new_state
    observation.reviewed_by = user if new_state == ReviewState.APPROVED else None
    observation.save(update_fields=["review_state", "reviewed_by", "updated_at"])
    return observation


def observations_approve_submitted(*, user: Any, indicator: Indicator) -> int:
    """Approve every submitted value of the indicator at once (after checking them in the list)."""
    access_write(user, indicator.owner_id)
    return Observation.objects.filter(indicator=indicator, review_state=ReviewState.SUBMITTED).update(
        review_state=ReviewState.APPROVED, reviewed_by=user
    )


def starter_set_adopt(*, user: Any, organisation: Organisation, key: str) -> list[Indicator]:
    """Add the indicators of a starter set to the organisation's catalogue; codes it already has are
    skipped, so adopting twice adds nothing. Returns the indicators added."""
    access_write(user, organisation.pk)
    starter = STARTER_SETS.get(key)
    if starter is None:
        raise ValidationError(_("Unknown starter set %(key)r.") % {"key": key})
    have = set(Indicator.objects.filter(owner=organisation).values_list("code", flat=True))
    added = []
    with transaction.atomic():
        for item in starter.indicators:
            if item.code in have:
                continue
            added.append(
                indicator_create(
                    user=user,
                    owner=organisation,
                    starter_set=starter.key,
                    origin=Origin.MANUAL,
                    visibility=Visibility.PRIVATE,
                    **starter_fields(item, currency=organisation.currency),
                )
            )
    return added


def require_member_write(user: Any, indicator: Indicator) -> None:
    if indicator.owner_id is None:
        raise PermissionDenied(_("Reference indicators are not edited here."))
    access_write(user, indicator.owner_id)
