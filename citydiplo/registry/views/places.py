"""Networks, cities and other actors, memberships, and the actor picker used by every form."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from citydiplo.accounts.access import can_edit_record, writable_organisations
from citydiplo.registry import selectors, services
from citydiplo.registry.forms import (
    ActorFilterForm,
    ActorForm,
    MembershipForm,
    NetworkFilterForm,
    RolePeriodFormSet,
    role_specs,
)
from citydiplo.registry.models import Actor, ActorKind
from citydiplo.registry.templatetags.registry_tags import partial_date, role_periods
from citydiplo.registry.views._common import (
    create_and_share,
    form_page,
    found_or_404,
    list_page,
    map_data,
    may_create,
)

# --- Networks -----------------------------------------------------------------------------------------


@require_GET
def network_list(request: HttpRequest) -> HttpResponse:
    filters = NetworkFilterForm(request.GET)
    return list_page(
        request,
        template="registry/network_list.html",
        partial="registry/_network_table.html",
        filters=filters,
        items=selectors.network_search(user=request.user, **filters.values()),
        can_create=may_create(request.user, reference=True),
    )


def _visible(request: HttpRequest, actor: Actor | None) -> Actor | None:
    """The related actor if the reader may see it (a foreign key does not check visibility)."""
    if actor is None:
        return None
    found = selectors.actor_pick(user=request.user, pks=[actor.pk])
    return found[0] if found else None


@require_GET
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = found_or_404(selectors.actor_get, user=request.user, slug=slug)
    if not network.is_network:
        return redirect("registry:actor-detail", slug=network.slug)
    overview = selectors.network_overview(user=request.user, network=network)
    secretariat = _visible(request, network.secretariat)
    return render(
        request,
        "registry/network_detail.html",
        {
            "network": network,
            "overview": overview,
            "secretariat": secretariat,
            "map_data": map_data(
                origin=secretariat,
                others=[(m.member, role_periods(m.role_periods.all(), "current")) for m in overview.current],
                connect=False,
            ),
            "can_edit": can_edit_record(request.user, network),
            "can_add_member": may_create(request.user, reference=True),
        },
    )


# --- Actors (the city page) ---------------------------------------------------------------------------


@require_GET
def actor_list(request: HttpRequest) -> HttpResponse:
    filters = ActorFilterForm(request.GET)
    return list_page(
        request,
        template="registry/actor_list.html",
        partial="registry/_actor_table.html",
        filters=filters,
        items=selectors.actor_list(user=request.user, **filters.values()).select_related("owner"),
        can_create=may_create(request.user, reference=True),
    )


@require_GET
def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = found_or_404(selectors.actor_get, user=request.user, slug=slug)
    if actor.is_network:
        return redirect("registry:network-detail", slug=actor.slug)
    overview = selectors.place_overview(user=request.user, actor=actor)
    partner_labels = [
        (partner, " · ".join(filter(None, [agreement.get_kind_display(), partial_date(agreement.signed)])))
        for partner, agreement in overview.partners
    ]
    return render(
        request,
        "registry/actor_detail.html",
        {
            "actor": actor,
            "overview": overview,
            "parent": _visible(request, actor.parent),
            "map_data": map_data(origin=actor, others=partner_labels, connect=True),
            "can_edit": can_edit_record(request.user, actor),
            "can_create": may_create(request.user),
            "can_add_membership": may_create(request.user, reference=True),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def actor_create(request: HttpRequest) -> HttpResponse:
    form = ActorForm(request.POST or None, user=request.user)
    if not form.can_create:
        raise PermissionDenied(_("You need an owner or editor role in an organisation to add actors."))

    def save() -> Actor:
        data = form.cleaned_data
        return create_and_share(
            user=request.user,
            create=lambda: services.actor_create(
                user=request.user,
                name=data["name"],
                kind=data["kind"],
                owner=data.get("owner"),
                visibility=data.get("visibility"),
                themes=data.get("themes") or [],
                **form.create_fields(),
            ),
            shared_with=data.get("shared_with") or [],
        )

    return form_page(
        request,
        form=form,
        template="registry/record_form.html",
        save=save,
        success_url=Actor.get_absolute_url,
        success_message=_("The actor was added."),
        title=_("New actor"),
        cancel_url=reverse("registry:actor-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def actor_edit(request: HttpRequest, slug: str) -> HttpResponse:
    actor = found_or_404(selectors.actor_get, user=request.user, slug=slug)
    if not can_edit_record(request.user, actor):
        raise PermissionDenied(_("You may not change this record."))
    form = ActorForm(request.POST or None, user=request.user, instance=actor)

    def save() -> Actor:
        data = form.cleaned_data
        m2m = {"themes": data.get("themes") or []}
        if "shared_with" in form.fields:
            m2m["shared_with"] = data["shared_with"]
        return services.record_update(
            user=request.user, record=actor, expected_version=data["version"], changes=form.changes(), m2m=m2m
        )

    return form_page(
        request,
        form=form,
        template="registry/record_form.html",
        save=save,
        success_url=Actor.get_absolute_url,
        success_message=_("Your changes were saved."),
        title=_("Edit %(name)s") % {"name": actor.name},
        cancel_url=actor.get_absolute_url(),
        record=actor,
    )


# --- The actor picker's endpoints -----------------------------------------------------------------------

_HTML_NAME = re.compile(r"^[\w-]{1,100}$")


def _picker_params(request: HttpRequest) -> dict[str, object]:
    """The picker's field name and element ids travel in the query string; accept only plain names."""
    name = request.GET.get("_name", "")
    chosen = request.GET.get("_chosen", "")
    kind = request.GET.get("_kind", "")
    return {
        "name": name if _HTML_NAME.match(name) else "actor",
        "chosen_id": chosen if _HTML_NAME.match(chosen) else "",
        "multiple": request.GET.get("_multiple", "1") != "0",
        "kind": kind if kind in ActorKind.values or kind == "government" else "",
    }


@require_GET
def actor_search(request: HttpRequest) -> HttpResponse:
    """Actors matching `q` (or `<name>_search`), as an HTMX list to pick from, or as JSON."""
    params = _picker_params(request)
    query = request.GET.get(f"{params['name']}_search") or request.GET.get("q", "")
    results = selectors.actor_search(user=request.user, q=query, kind=str(params["kind"]))
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "results": [
                    {
                        "id": actor.pk,
                        "slug": actor.slug,
                        "name": actor.name,
                        "kind": actor.kind,
                        "country": actor.country,
                        "url": reverse("registry:actor-detail", args=[actor.slug]),
                    }
                    for actor in results
                ]
            }
        )
    return render(
        request,
        "registry/_actor_search_results.html",
        {**params, "query": query, "results": results, "pick_url": reverse("registry:actor-pick")},
    )


@require_GET
def actor_pick(request: HttpRequest) -> HttpResponse:
    """The picker's chosen list with one more actor: the HTMX answer to a match's "Add" button."""
    params = _picker_params(request)
    name = str(params["name"])
    pks: list[int] = []
    sources = (
        [*request.GET.getlist(name), request.GET.get("_pick", "")]
        if params["multiple"]
        else [request.GET.get("_pick", "")]
    )
    for value in sources:
        if value.isdigit():
            pks.append(int(value))
    chosen = selectors.actor_pick(user=request.user, pks=pks)
    return render(request, "registry/widgets/_actor_chosen.html", {"widget": {**params, "chosen": chosen}})


# --- Memberships ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def membership_create(request: HttpRequest) -> HttpResponse:
    """Curators record reference memberships; an office records memberships as its own records."""
    initial = {}
    for name in ("member", "network"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    if "member" not in initial:
        # An office usually records its own city's memberships: start from the place it represents.
        place_ids = [org.place_id for org in writable_organisations(request.user) if org.place_id]
        if place_ids:
            initial["member"] = place_ids[0]
    form = MembershipForm(request.POST or None, user=request.user, initial=initial)
    if not form.can_create:
        raise PermissionDenied(
            _("You need an owner or editor role in an organisation to record memberships.")
        )
    roles = RolePeriodFormSet(request.POST or None, prefix="roles")

    def save() -> object:
        data = form.cleaned_data
        return create_and_share(
            user=request.user,
            create=lambda: services.membership_create(
                user=request.user,
                member=data["member"],
                network=data["network"],
                roles=role_specs(roles),
                owner=data.get("owner"),
                visibility=data.get("visibility"),
                since=data["since"],
                until=data["until"],
                annual_fee=data.get("annual_fee"),
                fee_currency=data.get("fee_currency", ""),
                notes=data.get("notes", ""),
            ),
            shared_with=data.get("shared_with") or [],
        )

    return form_page(
        request,
        form=form,
        extra_valid=[roles],
        template="registry/membership_form.html",
        save=save,
        success_url=lambda membership: reverse("registry:actor-detail", args=[membership.member.slug]),
        success_message=_("The membership was recorded."),
        title=_("New membership"),
        cancel_url=reverse("registry:network-list"),
        roles=roles,
    )
