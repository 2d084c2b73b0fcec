"""Reads about organisations, their people and a user's own security settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django_otp import user_has_device

from citydiplo.accounts.access import access_member, is_owner
from citydiplo.accounts.models import (
    ApiToken,
    Invitation,
    Organisation,
    OrganisationMember,
    TermOfGovernment,
)
from citydiplo.accounts.records import Record, Visibility

# The session key holding the organisation a user with several seats chose to work for.
CHOSEN_ORGANISATION = "citydiplo_organisation"


def seats_of(*, user: Any) -> QuerySet[OrganisationMember]:
    """The user's seats, with their organisations, by organisation name."""
    if not getattr(user, "is_authenticated", False):
        return OrganisationMember.objects.none()
    return (
        OrganisationMember.objects.filter(user_id=user.pk)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def seat_of(*, user: Any, session: Mapping[str, Any] | None = None) -> OrganisationMember | None:
    """The seat a user works in: the organisation chosen in this session if they still hold a seat there,
    else their first seat."""
    if not getattr(user, "is_authenticated", False):
        return None
    seats = OrganisationMember.objects.filter(user_id=user.pk).select_related("organisation")
    chosen = session.get(CHOSEN_ORGANISATION) if session is not None else None
    if chosen is not None:
        seat = seats.filter(organisation_id=chosen).first()
        if seat is not None:
            return seat
    return seats.order_by("pk").first()


def organisation_of(*, user: Any, session: Mapping[str, Any] | None = None) -> Organisation | None:
    """The organisation a user works for: the one chosen in this session (pass `request.session`), else
    their first seat's."""
    seat = seat_of(user=user, session=session)
    return seat.organisation if seat else None


def organisation_for(*, user: Any, pk: Any) -> Organisation:
    """One of the user's own organisations; any other raises DoesNotExist, like a missing one."""
    if not getattr(user, "is_authenticated", False):
        raise Organisation.DoesNotExist
    return Organisation.objects.get(pk=pk, members__user_id=user.pk)


def _organisation_ids(user: Any) -> QuerySet[OrganisationMember, int]:
    seats = seats_of(user=user)
    return seats.values_list("organisation_id", flat=True).order_by()


def member_list(*, organisation: Organisation) -> QuerySet[OrganisationMember]:
    """An organisation's people, owners first."""
    rank = Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(OrganisationMember.Role.values)),
        output_field=IntegerField(),
    )
    return organisation.members.select_related("user").alias(rank=rank).order_by("rank", "user__username")


def member_get(*, user: Any, pk: int) -> OrganisationMember:
    """A seat in one of the user's organisations: whether they may change it is the services' question.
    A seat elsewhere raises DoesNotExist, like a missing one."""
    return OrganisationMember.objects.select_related("user", "organisation").get(
        pk=pk, organisation_id__in=_organisation_ids(user)
    )


def invitation_list_pending(*, user: Any, organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations still open, for the organisation's owners only: they show people's addresses."""
    if not is_owner(user, organisation.pk):
        return Invitation.objects.none()
    return organisation.invitations.pending().select_related("invited_by")


def invitation_get(*, user: Any, pk: int) -> Invitation:
    """An invitation of one of the user's organisations; any other raises DoesNotExist."""
    return Invitation.objects.select_related("organisation").get(
        pk=pk, organisation_id__in=_organisation_ids(user)
    )


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation a link's token opens, whatever its status, or None."""
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=Invitation.digest(token))
        .first()
    )


# --- What member organisations share with their parent body ---------------------------------------------


@dataclass
class SharedKind:
    key: str
    label: str
    count: int
    records: list[Record] = field(default_factory=list)


@dataclass
class ChildShare:
    organisation: Organisation
    kinds: list[SharedKind]

    @property
    def total(self) -> int:
        return sum(kind.count for kind in self.kinds)


def _shared_models() -> list[tuple[str, type[Record], tuple[str, ...]]]:
    # Imported here: the registry's models build on this app's, not the other way round.
    from citydiplo.registry.models import Agreement, Contact, Event, Membership, Project

    return [
        ("agreements", Agreement, ()),
        ("projects", Project, ()),
        ("events", Event, ("place",)),
        ("memberships", Membership, ("member", "network")),
        ("contacts", Contact, ("institution",)),
    ]


def _shared_with_parent(
    model: type[Record], *, user: Any, parent: Organisation, child_ids: list[int]
) -> QuerySet[Any]:
    """Records of the children that the parent body may read because of what the children chose: public,
    or shared with the parent by name. Not merely what the reading user may see: someone seated in both
    the parent and a child must not find the child's private records on the parent's page."""
    through: Any = model.shared_with.through  # type: ignore[attr-defined]
    own_fk = f"{model._meta.model_name}_id"
    shared_ids = through.objects.filter(organisation_id=parent.pk).values(own_fk)
    return (
        model.objects.visible_to(user)  # type: ignore[attr-defined]
        .filter(owner_id__in=child_ids)
        .filter(Q(visibility=Visibility.PUBLIC) | Q(visibility=Visibility.SHARED, pk__in=shared_ids))
    )


def shared_by_children(
    *, user: Any, organisation: Organisation, with_records: bool = False
) -> list[ChildShare]:
    """For each member organisation (Organisation.parent is this one): how many agreements, projects,
    events, memberships and contacts it shares with this body or made public, and with `with_records`
    the records themselves. For the body's members only. Five queries plus one per kind with records."""
    access_member(user, organisation.pk)
    children = list(organisation.children.order_by("name"))
    if not children:
        return []
    child_ids = [child.pk for child in children]
    kinds: dict[int, list[SharedKind]] = {child.pk: [] for child in children}
    for key, model, related in _shared_models():
        qs = _shared_with_parent(model, user=user, parent=organisation, child_ids=child_ids)
        label = str(model._meta.verbose_name_plural)
        by_owner: dict[int, list[Record]] = {pk: [] for pk in child_ids}
        if with_records:
            for record in qs.select_related(*related):
                by_owner[record.owner_id].append(record)
            counts = {pk: len(records) for pk, records in by_owner.items()}
        else:
            counts = dict(qs.order_by().values_list("owner_id").annotate(n=Count("pk")))
        for pk in child_ids:
            kinds[pk].append(SharedKind(key, label, counts.get(pk, 0), by_owner[pk]))
    return [ChildShare(child, kinds[child.pk]) for child in children]


# --- Terms and the user's own security ------------------------------------------------------------------


def term_at(*, organisation: Organisation, day: dt.date) -> TermOfGovernment | None:
    """The administration in office on a given day, if recorded."""
    return organisation.terms.filter(start__lte=day).exclude(end__lt=day).order_by("-start").first()


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    """A user's own tokens, newest first, revoked ones included (their last use stays worth seeing)."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk)


def api_token_get(*, user: Any, pk: int) -> ApiToken:
    """One of the user's own tokens; another user's raises DoesNotExist, like a missing one."""
    return api_token_list(user=user).get(pk=pk)


def two_factor_enabled(*, user: Any) -> bool:
    """Does signing in ask this user for a code from an authenticator app?"""
    return bool(getattr(user, "is_authenticated", False)) and user_has_device(user, confirmed=True)
