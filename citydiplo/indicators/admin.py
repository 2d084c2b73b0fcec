"""Indicators in the Django admin, for platform curators: the same reading and writing rules as the
registry's admin (a staff member sees what `visible_to` shows and changes what `can_edit_record` allows).
Observations are not listed here: there may be millions; the indicator pages show them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from citydiplo.accounts.access import can_edit_record
from citydiplo.indicators.models import Baseline, Indicator, Target


class BaselineInline(admin.StackedInline):
    model = Baseline
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "owner", "level", "kind", "is_key", "visibility", "computed")
    list_filter = ("level", "kind", "is_key", "visibility", "is_illustrative")
    search_fields = ("code", "name")
    list_select_related = ("owner",)
    readonly_fields = ("version", "created_at", "updated_at", "created_by")
    raw_id_fields = ("formula_numerator", "formula_denominator")
    filter_horizontal = ("shared_with", "objectives", "sdg_targets")
    inlines = (BaselineInline, TargetInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Indicator]:
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.visible_to(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return (
            allowed
            if obj is None or request.user.is_superuser
            else allowed and can_edit_record(request.user, obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return (
            allowed
            if obj is None or request.user.is_superuser
            else allowed and can_edit_record(request.user, obj)
        )

    def save_model(self, request: HttpRequest, obj: Indicator, form: Any, change: bool) -> None:
        # A plain increment, not F(): the history table copies the row and cannot store an expression.
        if change:
            obj.version += 1
        elif obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
