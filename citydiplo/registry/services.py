"""Writes to the registry. Views, API endpoints, CLI commands and importers all call these functions,
so they check the same permissions and behave the same way.

Every function takes the acting user (None only for reference loads run by the platform itself) and
checks access inside. Multi-row writes are one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from citydiplo.accounts.access import access_write
from citydiplo.accounts.models import Organisation
from citydiplo.accounts.records import Origin, Record, Visibility
from citydiplo.registry.models import (
    Actor,
    ActorKind,
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

R = TypeVar("R", bound=Record)


class StaleEdit(Exception):
    """Someone else saved the record after this edit started; the edit is refused, not silently merged."""

    def __init__(self, record: Record, expected: int) -> None:
        self.record = record
        self.expected = expected
        super().__init__(
            _(
                "This record was changed by someone else (version %(current)s, you edited version %(expected)s). "
                "Reload it, then apply your change again."
            )
            % {"current": record.version, "expected": expected}
        )


# The acting party of a write: a platform user, or None for the platform's own reference loads.
Actorish = Any


def _check(user: Actorish, owner: Organisation | None, origin: str) -> None:
    # The platform itself (no user) may write reference facts: reference loads, and imports run by the
    # operator at the shell. Anything owned by an organisation always needs a user with a write role.
    if user is None and owner is None and origin in (Origin.REFERENCE_LOAD, Origin.IMPORT):
        return
    access_write(user, owner.pk if owner else None)


def _prepare(
    record: R, *, user: Actorish, owner: Organisation | None, origin: str, visibility: str | None
) -> R:
    record.owner = owner
    record.origin = origin
    # Reference facts are public by nature; organisation records default to private.
    record.visibility = Visibility.PUBLIC if owner is None else (visibility or Visibility.PRIVATE)
    if user is not None and getattr(user, "is_authenticated", False):
        record.created_by = user
    history_user_set(record, user)
    record.full_clean(exclude=["shared_with"])
    return record


def history_user_set(record: models.Model, user: Actorish) -> None:
    """Name the author of the change history row the next save writes. On web pages simple-history's
    middleware knows the signed-in user; API calls with a token, imports and commands have no such
    request user, so the services say who acts."""
    if user is not None and getattr(user, "is_authenticated", False):
        record._history_user = user  # type: ignore[attr-defined]


def _check_links(
    *,
    user: Actorish,
    owner: Organisation | None,
    visibility: str | None,
    actors: Iterable[Actor | None],
    shared_with: Iterable[Organisation] = (),
) -> None:
    """A record may point only at actors that its own readers may see.

    Otherwise a public agreement naming an office's private partner would show that partner's name to
    everyone. Reference facts and public records link only reference or public actors; an organisation's
    private record may also link the private actors the writer can see; a shared record only those that
    every organisation it is shared with may read as well (the actor is theirs, or shared with them).
    """
    record_is_public = owner is None or visibility == Visibility.PUBLIC
    readers = {org.pk: org for org in shared_with} if visibility == Visibility.SHARED else {}
    for actor in actors:
        if actor is None or actor.owner_id is None or actor.visibility == Visibility.PUBLIC:
            continue
        if record_is_public:
            raise ValidationError(
                _("%(name)s is a private record of an organisation; a public record cannot point at it.")
                % {"name": actor.name}
            )
        if not Actor.objects.visible_to(user).filter(pk=actor.pk).exists():
            raise ValidationError(_("Actor %(pk)s does not exist.") % {"pk": actor.pk})
        allowed = {actor.owner_id}
        if actor.visibility == Visibility.SHARED:
            allowed |= set(actor.shared_with.values_list("pk", flat=True))
        kept_from = [org.name for pk, org in readers.items() if pk not in allowed]
        if kept_from:
            raise ValidationError(
                _(
                    "%(name)s is private to your organisation, so a record shared with %(organisations)s "
                    "cannot name it: share %(name)s with them first, or leave it out."
                )
                % {"name": actor.name, "organisations": ", ".join(sorted(kept_from))}
            )


# Many-to-many fields through which a record names actors (parties, participants, partners).
_ACTOR_M2M = ("parties", "participants", "partners")


def _linked_actors(record: Record, m2m: dict[str, Iterable[Any]] | None = None) -> list[Actor]:
    """Every actor the record points at after an edit: its foreign keys to actors and its actor lists
    (the new lists when the edit replaces them, the stored ones otherwise)."""
    actors: list[Actor] = []
    for field in record._meta.concrete_fields:
        if field.is_relation and field.related_model is Actor:
            actor = getattr(record, field.name)
            if actor is not None:
                actors.append(actor)
    for name in _ACTOR_M2M:
        if not hasattr(record, name):
            continue
        if m2m and name in m2m:
            actors.extend(item for item in m2m[name] if isinstance(item, Actor))
        elif record.pk:
            actors.extend(getattr(record, name).all())
    return actors


def record_share(*, user: Actorish, record: Record, organisations: Iterable[Organisation]) -> None:
    access_write(user, record.owner_id)
    if record.owner_id is None:
        raise ValidationError(_("Reference facts are public; there is nothing to share."))
    orgs = list(organisations)
    if orgs:
        _check_links(
            user=user,
            owner=record.owner,
            visibility=Visibility.SHARED,
            actors=_linked_actors(record),
            shared_with=orgs,
        )
    with transaction.atomic():
        record.shared_with.set(orgs)
        if orgs and record.visibility == Visibility.PRIVATE:
            record.visibility = Visibility.SHARED
            history_user_set(record, user)
            record.save(update_fields=["visibility"])


def record_update(
    *,
    user: Actorish,
    record: R,
    expected_version: int,
    changes: dict[str, Any],
    m2m: dict[str, Iterable[Any]] | None = None,
    origin: str = Origin.MANUAL,
) -> R:
    """Apply field changes if nobody saved the record since `expected_version`, else raise StaleEdit.

    A manual change to a reference fact marks it `origin=manual`, so the next reference reload leaves it
    alone instead of overwriting the local correction.
    """
    if not (user is None and origin == Origin.REFERENCE_LOAD):
        access_write(user, record.owner_id)
    model = type(record)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(record, name, value)
        record.origin = origin
        exclude = ["shared_with"]
        record.full_clean(exclude=exclude, validate_unique=False)
        # An edit may change a link or the visibility: the links must still be readable by the
        # record's readers, as on creation.
        if m2m and "shared_with" in m2m:
            shared_with = list(m2m["shared_with"])
        else:
            shared_with = list(record.shared_with.all()) if record.pk else []
        _check_links(
            user=user,
            owner=record.owner,
            visibility=record.visibility,
            actors=_linked_actors(record, m2m),
            shared_with=shared_with,
        )
        # Claim the next version first: the conditional UPDATE is what makes two concurrent edits of
        # the same version collide. Then save the whole record, which writes the change history (who,
        # when, which fields) through simple-history's post_save.
        claimed = model.objects.filter(pk=record.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            current = model.objects.get(pk=record.pk)
            raise StaleEdit(current, expected_version)
        record.version = expected_version + 1
        history_user_set(record, user)
        record.save()
        for name, items in (m2m or {}).items():
            getattr(record, name).set(list(items))
    record.refresh_from_db()
    return record


# --- Actors -------------------------------------------------------------------------------------


# Words used by the registry's own addresses (/registry/actors/new/ ...): never an actor's slug.
RESERVED_SLUGS = frozenset({"new", "search", "pick", "edit", "api", "admin"})


def actor_slug(name: str, country: str = "", *, taken: set[str] | None = None) -> str:
    """A readable unique slug: "montevideo-uy", then "montevideo-uy-2" for a homonym."""
    base = slugify(f"{name} {country}".strip())[:110] or "actor"
    if base in RESERVED_SLUGS:
        base = f"{base}-actor"
    candidate, n = base, 2
    while (taken is not None and candidate in taken) or Actor.objects.filter(slug=candidate).exists():
        candidate = f"{base}-{n}"
        n += 1
    if taken is not None:
        taken.add(candidate)
    return candidate


def actor_create(
    *,
    user: Actorish,
    name: str,
    kind: str,
    owner: Organisation | None = None,
    origin: str = Origin.MANUAL,
    visibility: str | None = None,
    themes: Sequence[Theme] = (),
    **fields: Any,
) -> Actor:
    _check(user, owner, origin)
    with transaction.atomic():
        actor = Actor(name=name, kind=kind, **fields)
        # Its parent body or secretariat must be readable by whoever may read the new actor.
        _check_links(user=user, owner=owner, visibility=visibility, actors=_linked_actors(actor))
        if not actor.slug:
            actor.slug = actor_slug(name, fields.get("country", "") if kind != ActorKind.NETWORK else "")
        _prepare(actor, user=user, owner=owner, origin=origin, visibility=visibility)
        actor.save()
        if themes:
            actor.themes.set(themes)
    return actor


# Every foreign key that points at an actor, as (model, field name). Kept next to the merge so a new
# relation added to the registry is merged too (tests check this list against the model graph).
def _actor_references() -> list[tuple[type[models.Model], str]]:
    refs: list[tuple[type[models.Model], str]] = []
    for rel in Actor._meta.related_objects:
        if rel.many_to_many or rel.one_to_many:
            if rel.related_model is None or rel.remote_field is None:
                continue
            if isinstance(rel, models.ManyToManyRel):
                continue
            refs.append((rel.related_model, rel.field.name))
    return refs


@transaction.atomic
def actor_merge(*, user: Actorish, keep: Actor, duplicate: Actor, origin: str = Origin.MANUAL) -> Actor:
    """Join a duplicate actor into `keep`: every relation is moved, the duplicate's external ids are
    remembered in `keep.other_ids`, empty fields of `keep` are filled from it, and it is deleted.

    Relations that would become duplicates (both were members of the same network) are joined too:
    the role periods move to the kept membership.
    """
    if not (user is None and origin == Origin.REFERENCE_LOAD):
        access_write(user, keep.owner_id)
        access_write(user, duplicate.owner_id)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("An actor cannot be merged into itself."))

    # Memberships held by both: keep one, move the other's role periods.
    for dup_membership in Membership.objects.filter(member=duplicate):
        twin = Membership.objects.filter(
            member=keep, network=dup_membership.network, owner=dup_membership.owner
        ).first()
        if twin:
            RolePeriod.objects.filter(membership=dup_membership).update(membership=twin)
            dup_membership.delete()
    for dup_membership in Membership.objects.filter(network=duplicate):
        twin = Membership.objects.filter(
            network=keep, member=dup_membership.member, owner=dup_membership.owner
        ).first()
        if twin:
            RolePeriod.objects.filter(membership=dup_membership).update(membership=twin)
            dup_membership.delete()
    # Agreements where both were already parties: drop the duplicate's party row.
    AgreementParty.objects.filter(actor=duplicate, agreement__party_links__actor=keep).delete()
    ProjectPartner.objects.filter(actor=duplicate, project__partner_links__actor=keep).delete()

    for model, field in _actor_references():
        model._default_manager.filter(**{field: duplicate}).update(**{field: keep})
    for event in Event.objects.filter(participants=duplicate):
        event.participants.remove(duplicate)
        event.participants.add(keep)
    keep.themes.add(*duplicate.themes.all())

    other_ids: dict[str, list[str]] = {k: list(v) for k, v in (keep.other_ids or {}).items()}
    if duplicate.wikidata_id and duplicate.wikidata_id != keep.wikidata_id:
        other_ids.setdefault("wikidata", []).append(duplicate.wikidata_id)
    if duplicate.geonames_id and duplicate.geonames_id != keep.geonames_id:
        other_ids.setdefault("geonames", []).append(str(duplicate.geonames_id))
    for scheme, values in (duplicate.other_ids or {}).items():
        other_ids.setdefault(scheme, []).extend(values)
    other_ids.setdefault("merged_slugs", []).append(duplicate.slug)
    fill = {}
    for name in ("population", "latitude", "longitude", "website", "admin_area", "acronym"):
        if getattr(keep, name) in (None, "") and getattr(duplicate, name) not in (None, ""):
            fill[name] = getattr(duplicate, name)
    duplicate_wikidata, duplicate_geonames = duplicate.wikidata_id, duplicate.geonames_id
    duplicate.delete()
    if keep.wikidata_id is None and duplicate_wikidata:
        fill["wikidata_id"] = duplicate_wikidata
        other_ids["wikidata"] = [q for q in other_ids.get("wikidata", []) if q != duplicate_wikidata]
    if keep.geonames_id is None and duplicate_geonames:
        fill["geonames_id"] = duplicate_geonames
        other_ids["geonames"] = [g for g in other_ids.get("geonames", []) if g != str(duplicate_geonames)]
    Actor.objects.filter(pk=keep.pk).update(
        other_ids={k: sorted(set(v)) for k, v in other_ids.items() if v}, version=F("version") + 1, **fill
    )
    keep.refresh_from_db()
    return keep


# --- Memberships ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleSpec:
    role: str
    since: str = ""
    until: str = ""


def membership_create(
    *,
    user: Actorish,
    member: Actor,
    network: Actor,
    roles: Sequence[RoleSpec] = (),
    owner: Organisation | None = None,
    origin: str = Origin.MANUAL,
    visibility: str | None = None,
    since: str = "",
    until: str = "",
    annual_fee: Decimal | None = None,
    fee_currency: str = "",
    **fields: Any,
) -> Membership:
    _check(user, owner, origin)
    if network.kind != ActorKind.NETWORK:
        raise ValidationError({"network": _("%(name)s is not a network.") % {"name": network.name}})
    _check_links(user=user, owner=owner, visibility=visibility, actors=[member, network])
    if annual_fee is not None and not fee_currency:
        raise ValidationError({"fee_currency": _("Give the currency of the annual fee.")})
    with transaction.atomic():
        membership = Membership(
            member=member,
            network=network,
            since=since,
            until=until,
            annual_fee=annual_fee,
            fee_currency=fee_currency,
            **fields,
        )
        _prepare(membership, user=user, owner=owner, origin=origin, visibility=visibility)
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("%(member)s is already recorded as a member of %(network)s.")
                % {"member": member.name, "network": network.name}
            ) from exc
        for spec in roles or [RoleSpec("member", since, until)]:
            role_period_add(user=user, membership=membership, spec=spec, origin=origin)
    return membership


def role_period_add(
    *, user: Actorish, membership: Membership, spec: RoleSpec, origin: str = Origin.MANUAL
) -> RolePeriod:
    if not (user is None and origin == Origin.REFERENCE_LOAD):
        access_write(user, membership.owner_id)
    period = RolePeriod(membership=membership, role=spec.role, since=spec.since, until=spec.until)
    period.full_clean(exclude=["membership"])
    if spec.since and spec.until and spec.until < spec.since:
        raise ValidationError({"until": _("A role cannot end before it starts.")})
    period.save()
    return period


# --- Agreements ----------------------------------------------------------------------------------


def agreement_create(
    *,
    user: Actorish,
    kind: str,
    parties: Sequence[Actor],
    owner: Organisation | None = None,
    origin: str = Origin.MANUAL,
    visibility: str | None = None,
    themes: Sequence[Theme] = (),
    **fields: Any,
) -> Agreement:
    _check(user, owner, origin)
    distinct = {p.pk: p for p in parties}
    if len(distinct) < 2:
        raise ValidationError({"parties": _("An agreement needs at least two different parties.")})
    _check_links(user=user, owner=owner, visibility=visibility, actors=distinct.values())
    with transaction.atomic():
        agreement = Agreement(kind=kind, **fields)
        if not agreement.title:
            agreement.title = " – ".join(p.name for p in distinct.values())[:300]
        _prepare(agreement, user=user, owner=owner, origin=origin, visibility=visibility)
        agreement.save()
        AgreementParty.objects.bulk_create(
            [AgreementParty(agreement=agreement, actor=p) for p in distinct.values()]
        )
        if themes:
            agreement.themes.set(themes)
    return agreement


def agreement_note_create(
    *,
    user: Actorish,
    agreement: Agreement,
    owner: Organisation,
    why_signed: str = "",
    notes: str = "",
    visibility: str | None = None,
) -> AgreementNote:
    _check(user, owner, Origin.MANUAL)
    note = AgreementNote(agreement=agreement, why_signed=why_signed, notes=notes)
    _prepare(note, user=user, owner=owner, origin=Origin.MANUAL, visibility=visibility)
    note.save()
    return note


# --- Projects, events, contacts, documents -----------------------------------------------------------


@dataclass(frozen=True)
class PartnerSpec:
    actor: Actor
    role: str


def project_create(
    *,
    user: Actorish,
    owner: Organisation,
    title: str,
    modality: str,
    partners: Sequence[PartnerSpec] = (),
    themes: Sequence[Theme] = (),
    visibility: str | None = None,
    origin: str = Origin.MANUAL,
    **fields: Any,
) -> Project:
    _check(user, owner, origin)
    if fields.get("budget") is not None and not fields.get("currency"):
        raise ValidationError({"currency": _("Give the currency of the budget.")})
    _check_links(user=user, owner=owner, visibility=visibility, actors=[spec.actor for spec in partners])
    with transaction.atomic():
        project = Project(title=title, modality=modality, **fields)
        _prepare(project, user=user, owner=owner, origin=origin, visibility=visibility)
        project.save()
        for spec in partners:
            ProjectPartner.objects.create(project=project, actor=spec.actor, role=spec.role)
        if themes:
            project.themes.set(themes)
    return project


def project_transaction_add(*, user: Actorish, project: Project, **fields: Any) -> ProjectTransaction:
    access_write(user, project.owner_id)
    txn = ProjectTransaction(project=project, **fields)
    if not txn.currency:
        raise ValidationError({"currency": _("Give the currency of the amount.")})
    txn.full_clean(exclude=["project"])
    txn.save()
    return txn


def event_create(
    *,
    user: Actorish,
    owner: Organisation,
    kind: str,
    title: str,
    start_date: Any,
    participants: Sequence[Actor] = (),
    themes: Sequence[Theme] = (),
    visibility: str | None = None,
    origin: str = Origin.MANUAL,
    **fields: Any,
) -> Event:
    _check(user, owner, origin)
    if fields.get("cost") is not None and not fields.get("cost_currency"):
        raise ValidationError({"cost_currency": _("Give the currency of the cost.")})
    _check_links(
        user=user,
        owner=owner,
        visibility=visibility,
        actors=[fields.get("place"), fields.get("network"), *participants],
    )
    with transaction.atomic():
        event = Event(kind=kind, title=title, start_date=start_date, **fields)
        _prepare(event, user=user, owner=owner, origin=origin, visibility=visibility)
        event.save()
        if participants:
            event.participants.set(participants)
        if themes:
            event.themes.set(themes)
    return event


def contact_create(
    *, user: Actorish, owner: Organisation, full_name: str, visibility: str | None = None, **fields: Any
) -> Contact:
    _check(user, owner, Origin.MANUAL)
    _check_links(user=user, owner=owner, visibility=visibility, actors=[fields.get("institution")])
    if not fields.get("retention_until"):
        from citydiplo.registry.privacy import retention_default

        fields["retention_until"] = retention_default()
    contact = Contact(full_name=full_name, **fields)
    _prepare(
        contact, user=user, owner=owner, origin=Origin.MANUAL, visibility=visibility or Visibility.PRIVATE
    )
    contact.save()
    return contact


def document_attach(*, user: Actorish, owner: Organisation, title: str, file: Any, **target: Any) -> Document:
    from citydiplo.lib.uploads import document_upload_check

    _check(user, owner, Origin.MANUAL)
    # Extension, size, declared type and the file's first bytes: one check for every upload path.
    document_upload_check(file)
    if sum(1 for v in target.values() if v is not None) != 1:
        raise ValidationError(_("A document is attached to exactly one agreement, project or event."))
    document = Document(title=title, file=file, uploaded_by=user, **target)
    _prepare(document, user=user, owner=owner, origin=Origin.MANUAL, visibility=None)
    document.save()
    return document


# --- Edits with related rows (added for the registry forms) ----------------------------------------


def agreement_update(
    *,
    user: Actorish,
    agreement: Agreement,
    expected_version: int,
    changes: dict[str, Any],
    parties: Sequence[Actor],
    themes: Iterable[Theme] = (),
    shared_with: Iterable[Organisation] | None = None,
) -> Agreement:
    """Edit an agreement and its parties in one transaction; the same two-party rule as on creation."""
    distinct = {p.pk: p for p in parties}
    if len(distinct) < 2:
        raise ValidationError({"parties": _("An agreement needs at least two different parties.")})
    _check_links(
        user=user,
        owner=agreement.owner,
        visibility=changes.get("visibility", agreement.visibility),
        actors=distinct.values(),
    )
    m2m: dict[str, Iterable[Any]] = {"parties": list(distinct.values()), "themes": list(themes)}
    if shared_with is not None and agreement.owner_id is not None:
        m2m["shared_with"] = list(shared_with)
    return record_update(
        user=user, record=agreement, expected_version=expected_version, changes=changes, m2m=m2m
    )


def project_update(
    *,
    user: Actorish,
    project: Project,
    expected_version: int,
    changes: dict[str, Any],
    partners: Sequence[PartnerSpec],
    themes: Iterable[Theme] = (),
    shared_with: Iterable[Organisation] | None = None,
) -> Project:
    """Edit a project and replace its partners (with their IATI roles) in one transaction."""
    if changes.get("budget") is not None and not changes.get("currency", project.currency):
        raise ValidationError({"currency": _("Give the currency of the budget.")})
    _check_links(
        user=user,
        owner=project.owner,
        visibility=changes.get("visibility", project.visibility),
        actors=[spec.actor for spec in partners],
    )
    m2m: dict[str, Iterable[Any]] = {"themes": list(themes)}
    if shared_with is not None:
        m2m["shared_with"] = list(shared_with)
    with transaction.atomic():
        project = record_update(
            user=user, record=project, expected_version=expected_version, changes=changes, m2m=m2m
        )
        # The partner rows carry a role, so they are replaced rather than `set()` through the M2M.
        wanted = {(spec.actor.pk, spec.role): spec for spec in partners}
        ProjectPartner.objects.filter(project=project).delete()
        ProjectPartner.objects.bulk_create(
            [ProjectPartner(project=project, actor=spec.actor, role=spec.role) for spec in wanted.values()]
        )
    return project
