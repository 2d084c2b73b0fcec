"""Strategy models in the Django admin, for platform curators.

The organisation-owned records reuse the registry's RecordAdminMixin: a staff member sees what
`visible_to` shows them and changes only what `can_edit_record` allows. The SDG catalogue is reference
data, read-only here: `citydiplo load-reference` is its only writer, so a reload stays the truth.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from citydiplo.registry.admin import OwnerLayerFilter, RecordAdminMixin
from citydiplo.strategy.models import (
    Axis,
    Consultation,
    Externality,
    Objective,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    Stakeholder,
    Strategy,
    StrategyVersion,
)


class ReadOnlyCatalogueAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SdgGoal)
class SdgGoalAdmin(ReadOnlyCatalogueAdmin):
    list_display = ["number", "short_name", "title"]


@admin.register(SdgTarget)
class SdgTargetAdmin(ReadOnlyCatalogueAdmin):
    list_display = ["code", "goal", "title"]
    list_filter = ["goal"]
    search_fields = ["code", "title_en", "title_es", "title_fr"]


@admin.register(SdgIndicator)
class SdgIndicatorAdmin(ReadOnlyCatalogueAdmin):
    list_display = ["code", "unsd_code", "target", "translation_outdated"]
    list_filter = ["translation_outdated", "target__goal"]
    search_fields = ["code", "unsd_code", "title_en"]


class StrategyVersionInline(admin.TabularInline):
    model = StrategyVersion
    fields = ["number", "created_at", "created_by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Strategy)
class StrategyAdmin(RecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "owner", "status", "horizon_start", "horizon_end", "visibility"]
    list_filter = ["status", OwnerLayerFilter, "visibility"]
    search_fields = ["title"]
    inlines = [StrategyVersionInline]


@admin.register(Objective)
class ObjectiveAdmin(RecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "strategy", "family", "owner"]
    list_filter = ["family"]
    search_fields = ["title"]
    raw_id_fields = ["strategy", "projects", "agreements", "memberships", "events"]
    filter_horizontal = ["axes", "sdg_targets"]


@admin.register(Axis)
class AxisAdmin(RecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "owner"]
    list_filter = ["kind"]


@admin.register(Stakeholder)
class StakeholderAdmin(RecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "group", "owner"]
    list_filter = ["group"]
    search_fields = ["name"]
    raw_id_fields = ["actor"]


@admin.register(Consultation)
class ConsultationAdmin(RecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["strategy", "date", "format", "owner"]
    raw_id_fields = ["strategy"]


@admin.register(Externality)
class ExternalityAdmin(RecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "strategy", "status", "owner"]
    list_filter = ["status"]
    raw_id_fields = ["strategy"]
