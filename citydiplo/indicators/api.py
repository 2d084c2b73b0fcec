"""The indicators endpoints of the REST API (see citydiplo/api.py for authentication and errors).

No `from __future__ import annotations`: django-ninja reads the annotations at import time (see the
registry's api.py).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from citydiplo.accounts.api_auth import READ_AUTH, WRITE_AUTH
from citydiplo.accounts.models import Organisation
from citydiplo.indicators import selectors, services
from citydiplo.indicators.models import Indicator
from citydiplo.indicators.schemas import (
    DashboardRowOut,
    IndicatorCreate,
    IndicatorDetail,
    IndicatorOut,
    IndicatorPatch,
    ObservationIn,
    ObservationOut,
    ReviewIn,
)
from citydiplo.registry.api import EDIT, READ, READ_ONE, WRITE, Page
from citydiplo.registry.schemas import ErrorOut

router = Router(tags=["indicators"])


def _caller(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class IndicatorFilters(Schema):
    organisation: str = ""
    level: str = ""
    sdg: str = ""
    key_only: bool = False


def _organisation(slug: str) -> Organisation:
    try:
        return Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist:
        raise ValidationError(
            {"owner": [_("There is no organisation “%(slug)s”.") % {"slug": slug}]}
        ) from None


def _text_kind(indicator: Indicator) -> bool:
    return indicator.kind in ("qualitative_scale", "qualitative_text")


@router.get("/indicators", response={200: list[IndicatorOut], **READ}, auth=READ_AUTH)
@paginate(Page)
def indicator_list_api(request: HttpRequest, filters: Query[IndicatorFilters]) -> Any:
    organisation = (
        Organisation.objects.filter(slug=filters.organisation).first() if filters.organisation else None
    )
    if filters.organisation and organisation is None:
        return Indicator.objects.none()
    return selectors.indicator_list(
        user=_caller(request),
        organisation=organisation,
        level=filters.level,
        sdg=filters.sdg,
        key_only=filters.key_only,
    )


@router.get("/indicators/dashboard/{slug}", response={200: list[DashboardRowOut], **READ_ONE}, auth=READ_AUTH)
def indicator_dashboard_api(request: HttpRequest, slug: str) -> Any:
    organisation = get_object_or_404(Organisation, slug=slug)
    rows = selectors.dashboard(user=_caller(request), organisation=organisation)
    return [
        {
            "indicator": row.indicator,
            "status": {
                "status": row.assessment.status,
                "reason": str(row.assessment.reason),
                "ratio": row.assessment.ratio,
            },
            "latest_value": row.latest_value,
            "latest_period": row.latest_period,
            "unapproved": row.unapproved,
        }
        for row in rows
    ]


@router.get("/indicators/{indicator_id}", response={200: IndicatorDetail, **READ_ONE}, auth=READ_AUTH)
def indicator_get_api(request: HttpRequest, indicator_id: int) -> Any:
    return selectors.indicator_get(user=_caller(request), pk=indicator_id)


@router.post("/indicators", response={201: IndicatorDetail, **WRITE}, auth=WRITE_AUTH)
def indicator_create_api(request: HttpRequest, payload: IndicatorCreate) -> Any:
    data = payload.dict()
    owner = _organisation(data.pop("owner"))
    indicator = services.indicator_create(user=_caller(request), owner=owner, **data)
    return 201, selectors.indicator_get(user=_caller(request), pk=indicator.pk)


@router.patch("/indicators/{indicator_id}", response={200: IndicatorDetail, **EDIT}, auth=WRITE_AUTH)
def indicator_update_api(request: HttpRequest, indicator_id: int, payload: IndicatorPatch) -> Any:
    user = _caller(request)
    indicator = selectors.indicator_get(user=user, pk=indicator_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    services.indicator_update(user=user, indicator=indicator, expected_version=payload.version, **changes)
    return selectors.indicator_get(user=user, pk=indicator_id)


@router.get(
    "/indicators/{indicator_id}/observations",
    response={200: list[ObservationOut], **READ_ONE},
    auth=READ_AUTH,
)
@paginate(Page)
def observation_list_api(request: HttpRequest, indicator_id: int, breakdown: str | None = None) -> Any:
    indicator = selectors.indicator_get(user=_caller(request), pk=indicator_id)
    return selectors.observation_list(user=_caller(request), indicator=indicator, breakdown=breakdown)


@router.post(
    "/indicators/{indicator_id}/observations", response={201: ObservationOut, **WRITE}, auth=WRITE_AUTH
)
def observation_save_api(request: HttpRequest, indicator_id: int, payload: ObservationIn) -> Any:
    """Record a value (a draft), or correct the one of the same period and disaggregation."""
    user = _caller(request)
    indicator = selectors.indicator_get(user=user, pk=indicator_id)
    text = payload.value if _text_kind(indicator) else ""
    observation = services.observation_save(
        user=user,
        indicator=indicator,
        period=payload.period,
        value=None if text else payload.value,
        text_value=text,
        disaggregation=payload.disaggregation,
        source=payload.source,
        comment=payload.comment,
    )
    return 201, observation


@router.post(
    "/indicators/observations/{observation_id}/review",
    response={200: ObservationOut, **WRITE, 409: ErrorOut},
    auth=WRITE_AUTH,
)
def observation_review_api(request: HttpRequest, observation_id: int, payload: ReviewIn) -> Any:
    user = _caller(request)
    observation = selectors.observation_get(user=user, pk=observation_id)
    return services.observation_review(user=user, observation=observation, action=payload.action)
