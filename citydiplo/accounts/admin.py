"""Admin for organisations, API tokens and invitations.

A platform administrator creates an organisation, seats its first owner and sets its parent body; from
then on its owners manage its people on the organisation page. An administrator can see and revoke
anyone's token (someone left the office, a token leaked) or invitation, never read one: only hashes are
stored."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citydiplo.accounts.models import ApiToken, Invitation, Organisation, OrganisationMember


class OrganisationMemberInline(admin.TabularInline):
    model = OrganisationMember
    extra = 1
    raw_id_fields = ["user"]
    readonly_fields = ["joined_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "language", "currency", "is_illustrative"]
    list_filter = ["kind", "is_illustrative"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["place", "parent"]
    inlines = [OrganisationMemberInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "scope",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "prefix", "secret_hash", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a token is shown once to its owner: created on the owner's tokens page only

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": count})


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are created by owners on their organisation page, where the link is shown once;
    here an administrator only sees them and withdraws one sent by mistake."""

    list_display = ["email", "organisation", "role", "invited_by", "created_at", "expires_at", "status"]
    list_filter = [
        "role",
        ("accepted_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email", "organisation__name", "invited_by__username"]
    readonly_fields = ["token_hash", "invited_by", "created_at", "accepted_at", "accepted_by"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Withdraw the selected invitations"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        count = queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        self.message_user(request, _("%(count)d invitations withdrawn.") % {"count": count})
