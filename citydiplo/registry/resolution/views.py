"""The review queue: ambiguous place names of the user's organisation, each with its ranked candidates.

Thin views: selectors read, services.place_review_decide decides (and checks the permission). A
decision posted with HTMX gets the review's fragment back (it replaces the pending one in place);
without JavaScript the form posts normally and the page is shown again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from citydiplo.accounts.access import can_write_for
from citydiplo.accounts.selectors import organisation_of
from citydiplo.registry.models import Actor
from citydiplo.registry.resolution import selectors, services
from citydiplo.registry.resolution.decisions import REASON_TEXTS
from citydiplo.registry.resolution.forms import ReviewDecisionForm
from citydiplo.registry.resolution.models import PlaceReview

#: Reviews shown on one page; the rest wait (the count says how many).
PAGE_SIZE = 50


def reason_text(reason: dict[str, Any]) -> str:
    """A stored reason in the reader's language (the English text if the code is unknown)."""
    template = REASON_TEXTS.get(reason.get("code", ""))
    if template is None:
        return str(reason.get("text", ""))
    try:
        return _(template) % reason.get("params", {})
    except (KeyError, TypeError, ValueError):
        return str(reason.get("text", ""))


def _present(review: PlaceReview) -> dict[str, Any]:
    """What the row template shows: candidates with their reasons translated."""
    candidates = [
        {**c, "reason_texts": [reason_text(r) for r in c.get("reasons", [])]} for c in review.candidates
    ]
    chosen = review.candidate(geonames_id=review.chosen_geonames_id, actor_id=review.chosen_actor_id)
    if chosen is not None:
        chosen_name = f"{chosen['name']} ({chosen['admin1_code'] or '–'}, {chosen['country_code']})"
    elif review.chosen_actor_id:
        chosen_name = str(review.chosen_actor)
    else:
        chosen_name = f"GeoNames {review.chosen_geonames_id}" if review.chosen_geonames_id else ""
    return {
        "review": review,
        "chosen_name": chosen_name,
        "candidates": candidates,
        "reasons": [reason_text(r) for r in review.reasons],
        "has_coordinates": review.lat is not None and review.lon is not None,
    }


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(user=request.user, session=request.session)
    if organisation is None:
        return render(request, "accounts/no_organisation.html")
    pending = selectors.place_reviews_pending(user=request.user, organisation=organisation)
    context = {
        "organisation": organisation,
        "rows": [_present(r) for r in pending[:PAGE_SIZE]],
        "pending_count": pending.count(),
        "decided": selectors.place_reviews_decided(user=request.user, organisation=organisation),
        "can_decide": can_write_for(request.user, organisation.pk),
    }
    return render(request, "resolution/review_list.html", context)


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review = selectors.place_review_get(user=request.user, pk=pk)
    except PlaceReview.DoesNotExist as exc:
        raise Http404(_("No such review.")) from exc
    form = ReviewDecisionForm(request.POST)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        actor = Actor.objects.filter(pk=data["actor"]).first() if data.get("actor") else None
        try:
            # PermissionDenied (not an owner or editor) propagates: Django answers 403.
            review = services.place_review_decide(
                user=request.user,
                review=review,
                geonames_id=data.get("geonames_id"),
                actor=actor,
                reject=data["action"] == "reject",
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        return redirect("resolution:review-list")
    context = {
        **_present(review),
        "error": error,
        "can_decide": can_write_for(request.user, review.organisation_id),
    }
    return render(request, "resolution/_review_row.html", context, status=400 if error else 200)
