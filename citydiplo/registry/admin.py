"""Registry models in the Django admin, for platform curators.

Curators get no extra reading rights over organisations' records (see citydiplo.accounts.records), so
the admin shows a staff member what `visible_to` shows them and lets them change only what
`can_edit_record` allows; superusers, who hold the database anyway, see everything. Saving through the
admin bumps the record's version, so an edit open in the web UI at the same time is refused as stale
instead of silently overwriting the admin's change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from citydiplo.accounts.access import can_edit_record
from citydiplo.accounts.records import Origin
from citydiplo.registry.models import (
    Actor,
    Agreement,
    AgreementNote,
    AgreementParty,
    Contact,
    Document,
    Event,
    Membership,
    Project,
    ProjectPartner,
    ProjectTransaction,
    RolePeriod,
    Theme,
)


class OwnerLayerFilter(admin.SimpleListFilter):
    title = _("layer")
    parameter_name = "layer"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("reference", _("Reference facts")), ("owned", _("Organisations' records"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "reference":
            return queryset.filter(owner__isnull=True)
        if self.value() == "owned":
            return queryset.filter(owner__isnull=False)
        return queryset


class RecordAdminMixin:
    """Visibility, write rights and optimistic locking for every `Record` model."""

    readonly_fields: list[str] | tuple[str, ...] = ("version", "created_at", "updated_at", "created_by")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)  # type: ignore[misc]
        if request.user.is_superuser:
            return qs
        return qs.visible_to(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        if obj is None or request.user.is_superuser:
            return allowed
        return allowed and can_edit_record(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        if obj is None or request.user.is_superuser:
            return allowed
        return allowed and can_edit_record(request.user, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            # A curator's correction is kept by the next reference reload, like one made in the UI.
            obj.origin = Origin.MANUAL
            obj.version = F("version") + 1
        elif obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        if change:
            obj.refresh_from_db(fields=["version"])


# --- Themes and actors --------------------------------------------------------------------------------


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ("key", "name", "sdg_goals", "order")
    search_fields = ("key", "name")
    ordering = ("order", "key")


@admin.register(Actor)
class ActorAdmin(RecordAdminMixin, TranslationAdmin):
    list_display = ("name", "kind", "country", "admin_area", "population", "owner", "visibility", "verified")
    list_filter = (OwnerLayerFilter, "kind", "visibility", "origin", "verified", "network_kind", "scope")
    search_fields = ("name", "acronym", "slug", "wikidata_id")
    autocomplete_fields = ("parent", "secretariat")
    filter_horizontal = ("themes", "shared_with")
    list_select_related = ("owner",)
    show_full_result_count = False  # the reference load brings tens of thousands of places
    # Networks are actors of kind "network" (the `Network` proxy is not registered for translation, so
    # it has no admin of its own): filter by kind or network kind here.


# --- Memberships --------------------------------------------------------------------------------------


class RolePeriodInline(admin.TabularInline):
    model = RolePeriod
    extra = 1
    fields = ("role", "since", "until")


@admin.register(Membership)
class MembershipAdmin(RecordAdminMixin, TranslationAdmin):
    list_display = ("member", "network", "since", "until", "owner", "visibility")
    list_filter = (OwnerLayerFilter, "visibility", "origin", "verified")
    search_fields = ("member__name", "network__name", "network__acronym")
    autocomplete_fields = ("member", "network")
    list_select_related = ("member", "network", "owner")
    inlines = (RolePeriodInline,)


# --- Agreements ---------------------------------------------------------------------------------------


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 2
    autocomplete_fields = ("actor",)


@admin.register(Agreement)
class AgreementAdmin(RecordAdminMixin, TranslationAdmin):
    list_display = ("__str__", "kind", "signed", "ended", "status", "owner", "visibility")
    list_filter = (OwnerLayerFilter, "kind", "status", "visibility", "origin", "verified")
    search_fields = ("title", "party_links__actor__name", "reference_key")
    filter_horizontal = ("themes", "shared_with")
    list_select_related = ("owner",)
    inlines = (AgreementPartyInline,)


@admin.register(AgreementNote)
class AgreementNoteAdmin(RecordAdminMixin, TranslationAdmin):
    list_display = ("agreement", "owner", "visibility", "created_at")
    list_filter = ("visibility",)
    search_fields = ("agreement__title", "why_signed", "notes")
    raw_id_fields = ("agreement",)
    list_select_related = ("agreement", "owner")


# --- Projects -----------------------------------------------------------------------------------------


class ProjectPartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 1
    autocomplete_fields = ("actor",)


class ProjectTransactionInline(admin.TabularInline):
    model = ProjectTransaction
    extra = 0
    fields = ("date", "kind", "amount", "currency", "provider", "receiver", "description")
    autocomplete_fields = ("provider", "receiver")


@admin.register(Project)
class ProjectAdmin(RecordAdminMixin, TranslationAdmin):
    list_display = (
        "title",
        "modality",
        "status",
        "start",
        "end",
        "budget",
        "currency",
        "owner",
        "visibility",
    )
    list_filter = ("status", "modality", "visibility", "origin")
    search_fields = ("title", "iati_identifier")
    filter_horizontal = ("themes", "shared_with")
    list_select_related = ("owner",)
    inlines = (ProjectPartnerInline, ProjectTransactionInline)


# --- Events, contacts, documents ----------------------------------------------------------------------


@admin.register(Event)
class EventAdmin(RecordAdminMixin, TranslationAdmin):
    list_display = ("title", "kind", "start_date", "end_date", "place", "network", "owner", "visibility")
    list_filter = ("kind", "visibility", "origin")
    search_fields = ("title", "venue", "place__name")
    date_hierarchy = "start_date"
    autocomplete_fields = ("place", "network", "participants")
    filter_horizontal = ("themes", "shared_with")
    list_select_related = ("place", "network", "owner")


@admin.register(Contact)
class ContactAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("full_name", "institution", "position", "email", "owner", "visibility")
    list_filter = ("visibility",)
    search_fields = ("full_name", "position", "email", "institution__name")
    autocomplete_fields = ("institution",)
    filter_horizontal = ("shared_with",)
    list_select_related = ("institution", "owner")


@admin.register(Document)
class DocumentAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("title", "agreement", "project", "event", "owner", "visibility", "created_at")
    list_filter = ("visibility",)
    search_fields = ("title",)
    raw_id_fields = ("agreement", "project", "event")
    filter_horizontal = ("shared_with",)
    list_select_related = ("owner",)
