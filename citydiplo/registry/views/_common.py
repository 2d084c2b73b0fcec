"""Helpers shared by the registry views: pagination, HTMX partials, form pages, map data."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseForm, BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from citydiplo.accounts.access import writable_organisations
from citydiplo.accounts.models import Organisation
from citydiplo.accounts.records import Record
from citydiplo.registry import services
from citydiplo.registry.models import Actor
from citydiplo.registry.services import StaleEdit

PAGE_SIZE = 50
T = TypeVar("T")
R = TypeVar("R", bound=Record)


def found_or_404(getter: Callable[..., T], **kwargs: Any) -> T:
    """Call a `*_get` selector; "absent" and "not visible to you" are the same 404, on purpose."""
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404(_("No such record.")) from exc


def paginate(request: HttpRequest, items: QuerySet[Any]) -> Page:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def wants_partial(request: HttpRequest) -> bool:
    """An HTMX request from a list's filters or pagination; a history restore needs the whole page."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request and not htmx.boosted


def list_page(
    request: HttpRequest,
    *,
    template: str,
    partial: str,
    filters: BaseForm,
    items: QuerySet[Any],
    **context: Any,
) -> HttpResponse:
    """A list with filters: the whole page, or only the results table for HTMX."""
    context.update(filters=filters, page_obj=paginate(request, items), results_template=partial)
    response = render(request, partial if wants_partial(request) else template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def add_service_error(form: BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the named field where the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_page(
    request: HttpRequest,
    *,
    form: BaseForm,
    template: str,
    save: Callable[[], Any],
    success_url: Callable[[Any], str],
    success_message: str,
    extra_valid: Iterable[BaseForm | BaseFormSet] = (),
    **context: Any,
) -> HttpResponse:
    """Validate, call the service, redirect to the saved record; or show the form again with why not.

    PermissionDenied from the service propagates (403). A stale edit is answered with 409 and the form as
    the user filled it, still naming the old version, so submitting it again cannot overwrite the newer one.
    """
    status = 200
    searching = bool(getattr(form, "searching", False))
    if request.method == "POST" and not searching:
        valid = form.is_valid()
        valid = all([other.is_valid() for other in extra_valid]) and valid
        if valid:
            try:
                record = save()
            except StaleEdit as exc:
                form.add_error(None, str(exc))
                context["conflict"] = exc.record
                status = 409
            except ValidationError as exc:
                add_service_error(form, exc)
                status = 400
            else:
                messages.success(request, success_message)
                return redirect(success_url(record))
        else:
            status = 400
    context.update(form=form, hide_errors=searching)
    return render(request, template, context, status=status)


# --- Map data --------------------------------------------------------------------------------------------


def map_point(actor: Actor, *, detail: str = "") -> dict[str, Any] | None:
    if not actor.has_coordinates:
        return None
    return {
        "name": actor.name,
        "url": reverse("registry:actor-detail", args=[actor.slug]),
        "lat": actor.latitude,
        "lng": actor.longitude,
        "detail": detail,
    }


def map_data(*, origin: Actor | None, others: Iterable[tuple[Actor, str]], connect: bool) -> dict[str, Any]:
    """The JSON block read by static/js/map.js: an optional origin, points, and whether to draw lines
    from the origin to each point. Actors without coordinates are left out (the page lists them)."""
    points: list[dict[str, Any]] = []
    seen: set[int] = set()
    for actor, detail in others:
        if actor.pk in seen:
            continue
        seen.add(actor.pk)
        point = map_point(actor, detail=detail)
        if point is not None:
            points.append(point)
    return {
        "origin": map_point(origin) if origin is not None else None,
        "points": points,
        "connect": connect,
    }


# --- Writing helpers ---------------------------------------------------------------------------------


def may_create(user: Any, *, reference: bool = False) -> bool:
    """Should the page offer a "new" button? (The service decides for real when it is pressed.)"""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(writable_organisations(user)) or (reference and bool(getattr(user, "is_curator", False)))


def create_and_share(*, user: Any, create: Callable[[], R], shared_with: Iterable[Organisation]) -> R:
    """Create a record and name the organisations it is shared with, both or neither."""
    organisations = list(shared_with)
    with transaction.atomic():
        record = create()
        if organisations:
            services.record_share(user=user, record=record, organisations=organisations)
    return record
