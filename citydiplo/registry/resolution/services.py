"""Writes for place resolution: queueing ambiguous rows, deciding reviews, remembering aliases.

Permissions live here (citydiplo.accounts.access): an organisation's reviews and aliases are decided by
its owners and editors; platform-wide aliases by curators.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from citydiplo.accounts.access import access_write
from citydiplo.accounts.models import Organisation
from citydiplo.registry.models import Actor
from citydiplo.registry.places.gazetteer import gazetteer
from citydiplo.registry.places.normalise import name_key
from citydiplo.registry.resolution.decisions import AMBIGUOUS, Decision, PlaceQuery
from citydiplo.registry.resolution.models import PlaceAlias, PlaceReview


def place_reviews_queue(
    *,
    organisation: Organisation,
    rows: Iterable[tuple[int | None, PlaceQuery, Decision]],
    source_file: str = "",
    import_run: Any = None,
) -> int:
    """Queue the ambiguous rows of a file for review; returns how many reviews were created.

    One pending review per (name key, country, admin area): a list that names "Springfield" forty times
    asks once, and the decision (an alias) then resolves every such row. A row already pending from an
    earlier run is not queued again. Rows are numbered as a spreadsheet shows them.
    """
    pending = set(
        PlaceReview.objects.filter(organisation=organisation, status=PlaceReview.Status.PENDING).values_list(
            "key", "country_code", "admin1"
        )
    )
    new: list[PlaceReview] = []
    for row_number, query, decision in rows:
        if decision.status != AMBIGUOUS:
            continue
        key = name_key(query.name)
        identity = (key, decision.country_code, query.admin1.strip())
        if not key or identity in pending:
            continue
        pending.add(identity)
        new.append(
            PlaceReview(
                organisation=organisation,
                import_run=import_run,
                source_file=source_file[:500],
                row_number=row_number,
                name=query.name.strip()[:300],
                key=key[:300],
                country=query.country.strip()[:200],
                country_code=decision.country_code,
                admin1=query.admin1.strip()[:120],
                lat=query.lat,
                lon=query.lon,
                candidates=[c.as_dict() for c in decision.candidates],
                reasons=[r.as_dict() for r in decision.reasons],
            )
        )
    with transaction.atomic():
        PlaceReview.objects.bulk_create(new, batch_size=500)
    return len(new)


def place_alias_set(
    *,
    user: Any,
    organisation: Organisation | None,
    text: str,
    country: str,
    geonames_id: int | None = None,
    actor: Actor | None = None,
) -> PlaceAlias:
    """Remember that ``text`` in ``country`` (ISO code, or "") is this place, for the organisation or,
    ``organisation`` None, for everyone (curators only). Replaces an earlier alias for the same text."""
    access_write(user, organisation.pk if organisation is not None else None)
    key = name_key(text)
    if not key:
        raise ValidationError(_("An alias needs a name with letters or digits."))
    if geonames_id is None and actor is None:
        raise ValidationError(_("Choose a place: a GeoNames id or an actor."))
    alias, _created = PlaceAlias.objects.update_or_create(
        organisation=organisation,
        key=key,
        country=(country or "").upper()[:2],
        defaults={
            "text": text.strip()[:300],
            "geonames_id": geonames_id,
            "actor": actor,
            "created_by": user if getattr(user, "is_authenticated", False) else None,
        },
    )
    return alias


def _known_place(review: PlaceReview, geonames_id: int) -> bool:
    """A GeoNames id the engine offered, or one the gazetteer holds (checked only when typed by hand)."""
    return review.candidate(geonames_id=geonames_id) is not None or gazetteer().get(geonames_id) is not None


@transaction.atomic
def place_review_decide(
    *,
    user: Any,
    review: PlaceReview,
    geonames_id: int | None = None,
    actor: Actor | None = None,
    reject: bool = False,
) -> PlaceReview:
    """Confirm a candidate (or another place) for a pending review, or reject every candidate.

    Confirming remembers the choice as the organisation's alias for the text and country, so the next
    import resolves the row; other pending reviews of the same text and country with no admin area or
    the same one are confirmed with it. Rejecting records that none of the candidates is right.
    Owners and editors of the review's organisation only.
    """
    access_write(user, review.organisation_id)
    review = PlaceReview.objects.select_for_update().get(pk=review.pk)
    if not review.is_pending:
        raise ValidationError(_("This row was already decided."))
    now = timezone.now()
    if reject:
        review.status = PlaceReview.Status.REJECTED
        review.decided_by, review.decided_at = user, now
        review.save(update_fields=["status", "decided_by", "decided_at"])
        return review
    if actor is None and geonames_id is None:
        raise ValidationError(_("Choose one of the candidates, or give a GeoNames id."))
    if actor is not None and not Actor.objects.visible_to(user).filter(pk=actor.pk).exists():
        raise ValidationError(_("That actor is not visible to you."))
    if geonames_id is not None and actor is None and not _known_place(review, geonames_id):
        raise ValidationError(_("No place with GeoNames id %(id)s.") % {"id": geonames_id})
    alias = place_alias_set(
        user=user,
        organisation=review.organisation,
        text=review.name,
        country=review.country_code,
        geonames_id=geonames_id if geonames_id is not None else (actor.geonames_id if actor else None),
        actor=actor,
    )
    fields = {
        "status": PlaceReview.Status.CONFIRMED,
        "chosen_geonames_id": alias.geonames_id,
        "chosen_actor": actor,
        "alias": alias,
        "decided_by": user,
        "decided_at": now,
    }
    for name, value in fields.items():
        setattr(review, name, value)
    review.save(update_fields=list(fields))
    # The same text, country and (no or the same) admin area waiting elsewhere in the queue.
    PlaceReview.objects.filter(
        Q(admin1="") | Q(admin1=review.admin1),
        organisation=review.organisation,
        status=PlaceReview.Status.PENDING,
        key=review.key,
        country_code=review.country_code,
    ).exclude(pk=review.pk).update(**fields)
    return review
