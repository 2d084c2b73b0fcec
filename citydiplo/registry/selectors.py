"""Reads from the registry. Every function takes the reading user and returns only what that user may
see (reference facts, public records, their organisations' records and those shared with them).

Views, API endpoints and exports call these, never `Model.objects` directly, so a new page cannot leak
a private record by forgetting a filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from citydiplo.registry.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementNote,
    Contact,
    Document,
    Event,
    Membership,
    Project,
    RolePeriod,
    Theme,
)

User = Any  # a User, an AnonymousUser or None


def _name_search(field: str, q: str) -> Q:
    """Match a translated name in any language, plus the acronym where there is one."""
    cond = Q()
    for lang in ("en", "es", "pt", "fr"):
        cond |= Q(**{f"{field}_{lang}__icontains": q})
    return cond


def actor_list(
    *, user: User, q: str = "", kind: str = "", country: str = "", theme: str = "", network: str = ""
) -> QuerySet[Actor]:
    qs = Actor.objects.visible_to(user)
    if q:
        qs = qs.filter(
            _name_search("name", q) | Q(acronym__iexact=q) | Q(slug__icontains=q) | Q(wikidata_id=q)
        )
    if kind == "government":
        qs = qs.filter(
            kind__in=[
                ActorKind.MUNICIPALITY,
                ActorKind.METROPOLITAN_BODY,
                ActorKind.REGION,
                ActorKind.NATIONAL_GOVERNMENT,
            ]
        )
    elif kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(country=country.upper())
    if theme:
        qs = qs.filter(themes__key=theme)
    if network:
        qs = qs.filter(
            memberships__network__slug=network, memberships__in=Membership.objects.visible_to(user)
        )
    return qs.distinct().order_by("name", "pk")


def actor_get(*, user: User, slug: str) -> Actor:
    """Raises Actor.DoesNotExist when the actor does not exist or is not visible: the same answer
    either way, so a private record's existence is not revealed."""
    return Actor.objects.visible_to(user).select_related("parent", "secretariat").get(slug=slug)


def network_list(*, user: User, q: str = "", scope: str = "", theme: str = "") -> QuerySet[Actor]:
    """Networks with their number of current members (members the user may see)."""
    visible_memberships = Membership.objects.visible_to(user).filter(until="")
    qs = Actor.objects.visible_to(user).filter(kind=ActorKind.NETWORK)
    if q:
        qs = qs.filter(_name_search("name", q) | Q(acronym__icontains=q) | Q(slug__icontains=q))
    if scope:
        qs = qs.filter(scope=scope)
    if theme:
        qs = qs.filter(themes__key=theme)
    return (
        qs.annotate(
            # Distinct members: an office's own record beside the reference membership counts once.
            member_count=Count(
                "network_memberships__member",
                filter=Q(network_memberships__in=visible_memberships),
                distinct=True,
            ),
            country_count=Count(
                "network_memberships__member__country",
                filter=Q(network_memberships__in=visible_memberships)
                & ~Q(network_memberships__member__country=""),
                distinct=True,
            ),
        )
        .prefetch_related("themes")
        .order_by("-member_count", "name")
    )


def membership_list(
    *,
    user: User,
    network: Actor | None = None,
    member: Actor | None = None,
    role: str = "",
    current: bool | None = None,
) -> QuerySet[Membership]:
    qs = Membership.objects.visible_to(user).select_related("member", "network")
    if network is not None:
        qs = qs.filter(network=network)
    if member is not None:
        qs = qs.filter(member=member)
    if role:
        qs = qs.filter(role_periods__role=role, role_periods__until="").distinct()
    if current is True:
        qs = qs.filter(until="")
    elif current is False:
        qs = qs.exclude(until="")
    return qs.prefetch_related(Prefetch("role_periods", queryset=RolePeriod.objects.order_by("since", "pk")))


def agreement_list(
    *,
    user: User,
    q: str = "",
    kind: str = "",
    status: str = "",
    actor: Actor | None = None,
    country: str = "",
    owner_id: int | None = None,
) -> QuerySet[Agreement]:
    qs = Agreement.objects.visible_to(user)
    if q:
        qs = qs.filter(_name_search("title", q) | Q(party_links__actor__name__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if actor is not None:
        qs = qs.filter(party_links__actor=actor)
    if country:
        qs = qs.filter(party_links__actor__country=country.upper())
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs.distinct().prefetch_related("parties").select_related("owner").order_by("-signed", "-pk")


def agreement_get(*, user: User, pk: int) -> Agreement:
    return (
        Agreement.objects.visible_to(user)
        .prefetch_related("parties", "themes")
        .select_related("owner")
        .get(pk=pk)
    )


def agreement_notes(*, user: User, agreement: Agreement) -> QuerySet[AgreementNote]:
    return AgreementNote.objects.visible_to(user).filter(agreement=agreement).select_related("owner")


def twinning_partners(*, user: User, actor: Actor) -> list[tuple[Actor, Agreement]]:
    """The actors linked to `actor` by a visible agreement, with that agreement, nearest names first."""
    agreements = agreement_list(user=user, actor=actor).prefetch_related("party_links__actor")
    pairs: list[tuple[Actor, Agreement]] = []
    for agreement in agreements:
        for link in agreement.party_links.all():
            if link.actor_id != actor.pk:
                pairs.append((link.actor, agreement))
    return sorted(pairs, key=lambda pair: pair[0].name)


def project_list(
    *,
    user: User,
    q: str = "",
    status: str = "",
    modality: str = "",
    theme: str = "",
    partner: Actor | None = None,
) -> QuerySet[Project]:
    qs = Project.objects.visible_to(user)
    if q:
        qs = qs.filter(_name_search("title", q))
    if status:
        qs = qs.filter(status=status)
    if modality:
        qs = qs.filter(modality=modality)
    if theme:
        qs = qs.filter(themes__key=theme)
    if partner is not None:
        qs = qs.filter(partner_links__actor=partner)
    return qs.distinct().select_related("owner").prefetch_related("themes").order_by("-start", "title")


def project_get(*, user: User, pk: int) -> Project:
    return (
        Project.objects.visible_to(user)
        .select_related("owner")
        .prefetch_related("partner_links__actor", "transactions", "themes")
        .get(pk=pk)
    )


def event_list(
    *, user: User, q: str = "", kind: str = "", year: int | None = None, place: Actor | None = None
) -> QuerySet[Event]:
    qs = Event.objects.visible_to(user)
    if q:
        qs = qs.filter(_name_search("title", q))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(start_date__year=year)
    if place is not None:
        qs = qs.filter(Q(place=place) | Q(participants=place))
    return qs.distinct().select_related("place", "network", "owner").order_by("-start_date", "title")


def event_get(*, user: User, pk: int) -> Event:
    return (
        Event.objects.visible_to(user)
        .select_related("place", "network", "owner")
        .prefetch_related("participants")
        .get(pk=pk)
    )


def contact_list(
    *, user: User, q: str = "", institution: Actor | None = None, due: bool = False
) -> QuerySet[Contact]:
    """Contacts the user may see; `due`: only those kept past their "keep until" date (registry/privacy.py)."""
    qs = Contact.objects.visible_to(user)
    if due:
        qs = qs.filter(erased_at__isnull=True, retention_until__lt=timezone.localdate())
    if q:
        qs = qs.filter(
            Q(full_name__icontains=q) | Q(position__icontains=q) | Q(institution__name__icontains=q)
        )
    if institution is not None:
        qs = qs.filter(institution=institution)
    return qs.select_related("institution", "owner").order_by("full_name")


def contact_get(*, user: User, pk: int) -> Contact:
    return Contact.objects.visible_to(user).select_related("institution", "owner").get(pk=pk)


def document_get(*, user: User, pk: int) -> Document:
    return Document.objects.visible_to(user).get(pk=pk)


@dataclass(frozen=True)
class PlaceOverview:
    """Everything the city page shows, read once."""

    actor: Actor
    memberships: list[Membership]
    partners: list[tuple[Actor, Agreement]]
    projects: list[Project]
    events: list[Event]
    children: list[Actor]


def place_overview(*, user: User, actor: Actor) -> PlaceOverview:
    return PlaceOverview(
        actor=actor,
        memberships=list(membership_list(user=user, member=actor).order_by("until", "network__name")),
        partners=twinning_partners(user=user, actor=actor),
        projects=list(project_list(user=user, partner=actor)[:50]),
        events=list(event_list(user=user, place=actor)[:50]),
        children=list(Actor.objects.visible_to(user).filter(parent=actor).order_by("name")[:100]),
    )


def home_counts(*, user: User) -> dict[str, int]:
    return {
        "networks": Actor.objects.visible_to(user).filter(kind=ActorKind.NETWORK).count(),
        "memberships": Membership.objects.visible_to(user).count(),
        "agreements": Agreement.objects.visible_to(user).count(),
        "places": Actor.objects.visible_to(user).exclude(kind=ActorKind.NETWORK).count(),
    }


# --- Reads added for the registry pages (search, filters, network page, documents) ----------------


def theme_list() -> QuerySet[Theme]:
    """The controlled list of themes: reference data, the same for every reader."""
    return Theme.objects.order_by("order", "key")


def actor_search(*, user: User, q: str, kind: str = "", limit: int = 20) -> list[Actor]:
    """Actors to pick in a form: names starting with the query first, then those containing it.

    A query of fewer than two characters returns nothing, so a picker never lists the whole registry.
    """
    q = q.strip()
    if len(q) < 2:
        return []
    matches = list(actor_list(user=user, q=q, kind=kind).select_related("owner")[: limit * 3])
    folded = q.casefold()
    matches.sort(key=lambda actor: (not actor.name.casefold().startswith(folded), actor.name.casefold()))
    return matches[:limit]


def actor_pick(*, user: User, pks: list[int]) -> list[Actor]:
    """The visible actors among `pks`, in the given order (a picker's current selection)."""
    found = {actor.pk: actor for actor in Actor.objects.visible_to(user).filter(pk__in=pks)}
    return [found[pk] for pk in dict.fromkeys(pks) if pk in found]


def network_search(
    *, user: User, q: str = "", scope: str = "", theme: str = "", network_kind: str = ""
) -> QuerySet[Actor]:
    """`network_list` plus the network kind filter of the networks page."""
    qs = network_list(user=user, q=q, scope=scope, theme=theme).select_related("owner")
    if network_kind:
        qs = qs.filter(network_kind=network_kind)
    return qs


def agreement_search(
    *, user: User, year: int | None = None, theme: str = "", **filters: Any
) -> QuerySet[Agreement]:
    """`agreement_list` plus the year of signing and the theme filters of the agreements page.

    Partial dates are stored as ISO prefixes, so "signed in 2017" is a prefix match on the text.
    """
    qs = agreement_list(user=user, **filters)
    if year:
        qs = qs.filter(signed__startswith=f"{year:04d}")
    if theme:
        qs = qs.filter(themes__key=theme)
    return qs


@dataclass(frozen=True)
class NetworkOverview:
    """Everything the network page shows, read once. Counts are of current members the reader may see."""

    network: Actor
    current: list[Membership]
    former: list[Membership]
    member_count: int
    country_count: int


def network_overview(*, user: User, network: Actor) -> NetworkOverview:
    memberships = list(
        membership_list(user=user, network=network).select_related("owner").order_by("member__name", "pk")
    )
    current = [m for m in memberships if m.is_current]
    former = [m for m in memberships if not m.is_current]
    return NetworkOverview(
        network=network,
        current=current,
        former=former,
        # An office's own record of a membership may sit beside the reference one: count members, not rows.
        member_count=len({m.member_id for m in current}),
        country_count=len({m.member.country for m in current if m.member.country}),
    )


def document_list(
    *,
    user: User,
    agreement: Agreement | None = None,
    project: Project | None = None,
    event: Event | None = None,
) -> QuerySet[Document]:
    """Documents attached to one record that the user may see (a visible agreement may carry another
    office's private documents)."""
    qs = Document.objects.visible_to(user).select_related("owner")
    if agreement is not None:
        qs = qs.filter(agreement=agreement)
    if project is not None:
        qs = qs.filter(project=project)
    if event is not None:
        qs = qs.filter(event=event)
    return qs.order_by("-created_at", "pk")


# --- Reads added for the REST API (citydiplo/registry/api.py) -------------------------------------------


def network_get(*, user: User, slug: str) -> Actor:
    """A network the user may see. Raises Actor.DoesNotExist alike for a missing, hidden or non-network
    actor, so the API answers 404 without revealing which."""
    return (
        Actor.objects.visible_to(user)
        .filter(kind=ActorKind.NETWORK)
        .select_related("owner", "secretariat")
        .prefetch_related("themes")
        .get(slug=slug)
    )


def record_owner_get(*, slug: str) -> Any:
    """The organisation a write names as owner. Raises Organisation.DoesNotExist. Whether the user may
    write for it is decided by the service (citydiplo.accounts.access), not here."""
    from citydiplo.accounts.models import Organisation

    return Organisation.objects.get(slug=slug)
