"""Who may change what. Services call these before writing; views never decide on their own.

Reading rules live in `RecordQuerySet.visible_to`. Writing rules:
- a reference fact (no owner) may be changed only by a curator (active staff user) or a reference load;
- an organisation's record may be changed by that organisation's owners and editors;
- creating a record for an organisation needs an owner or editor seat in it;
- managing an organisation's people (invitations, roles, removal, ownership) needs an owner seat.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from citydiplo.accounts.models import Organisation, OrganisationMember, User

WRITE_ROLES = (OrganisationMember.Role.OWNER, OrganisationMember.Role.EDITOR)


def role_in(user: User | Any, organisation_id: int | None) -> str | None:
    if organisation_id is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        OrganisationMember.objects.filter(user_id=user.pk, organisation_id=organisation_id)
        .values_list("role", flat=True)
        .first()
    )


def can_write_for(user: User | Any, organisation_id: int | None) -> bool:
    """May the user create or change records owned by this organisation (None = reference facts)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if organisation_id is None:
        return bool(user.is_staff)
    return role_in(user, organisation_id) in WRITE_ROLES


def access_write(user: User | Any, organisation_id: int | None) -> None:
    if not can_write_for(user, organisation_id):
        if organisation_id is None:
            raise PermissionDenied(_("Only platform curators may change reference facts."))
        raise PermissionDenied(
            _("You need an owner or editor role in this organisation to change its records.")
        )


def is_owner(user: User | Any, organisation_id: int | None) -> bool:
    """May the user manage the organisation's people? Only its owners may, not platform staff."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return role_in(user, organisation_id) == OrganisationMember.Role.OWNER


def access_owner(user: User | Any, organisation_id: int | None) -> None:
    if not is_owner(user, organisation_id):
        raise PermissionDenied(_("Only an owner of this organisation may manage its people."))


def access_member(user: User | Any, organisation_id: int | None) -> None:
    """Any seat, even a viewer's: reading what the organisation itself may read."""
    if not getattr(user, "is_active", False) or role_in(user, organisation_id) is None:
        raise PermissionDenied(_("You are not a member of this organisation."))


def can_edit_record(user: User | Any, record: Any) -> bool:
    return can_write_for(user, record.owner_id)


def writable_organisations(user: User | Any) -> list[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Organisation.objects.filter(members__user_id=user.pk, members__role__in=WRITE_ROLES).order_by("name")
    )
