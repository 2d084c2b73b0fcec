"""The review queue's writes and reads: queueing, deciding (with permissions), remembering aliases."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from citydiplo.registry.places.gazetteer import Gazetteer
from citydiplo.registry.resolution import selectors, services
from citydiplo.registry.resolution.decisions import AMBIGUOUS, RESOLVED, PlaceQuery
from citydiplo.registry.resolution.models import PlaceAlias, PlaceReview
from tests.conftest import Cast
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def springfield_il(gaz: Gazetteer) -> int:
    return next(p.geonames_id for p in gaz.lookup("Springfield", "US") if p.admin1_code == "IL")


def queue_springfield(cast: Cast, gaz: Gazetteer, *, rows: int = 1) -> PlaceReview:
    resolver = selectors.resolver_for(organisation=cast.office_a, gaz=gaz)
    queries = [PlaceQuery("Springfield", "USA") for _ in range(rows)]
    decisions = resolver.resolve_many(queries)
    assert decisions[0].status == AMBIGUOUS
    created = services.place_reviews_queue(
        organisation=cast.office_a,
        rows=[(i + 2, q, d) for i, (q, d) in enumerate(zip(queries, decisions, strict=True))],
        source_file="partners.csv",
    )
    assert created == 1
    return PlaceReview.objects.get(organisation=cast.office_a, key="springfield")


def test_a_name_repeated_in_a_file_is_queued_once(cast: Cast, gaz: Gazetteer) -> None:
    review = queue_springfield(cast, gaz, rows=3)
    assert review.row_number == 2 and review.source_file == "partners.csv"
    assert review.country_code == "US"
    assert len(review.candidates) >= 3 and review.candidates[0]["geonames_id"]
    assert review.reasons[-1]["code"] == "homonyms"


def test_confirming_remembers_an_alias_and_the_next_import_resolves(cast: Cast, gaz: Gazetteer) -> None:
    review = queue_springfield(cast, gaz)
    chosen = springfield_il(gaz)
    services.place_review_decide(user=cast.editor, review=review, geonames_id=chosen)
    review.refresh_from_db()
    assert review.status == PlaceReview.Status.CONFIRMED
    assert review.decided_by == cast.editor and review.decided_at is not None
    alias = review.alias
    assert alias is not None and alias.organisation == cast.office_a
    assert (alias.key, alias.country, alias.geonames_id) == ("springfield", "US", chosen)

    again = selectors.resolver_for(organisation=cast.office_a, gaz=gaz).resolve("SPRINGFIELD", "EE. UU.")
    assert again.status == RESOLVED and again.chosen is not None and again.chosen.geonames_id == chosen
    # Another organisation does not inherit the choice.
    other = selectors.resolver_for(organisation=cast.office_b, gaz=gaz).resolve("Springfield", "USA")
    assert other.status == AMBIGUOUS


def test_a_decided_name_is_not_queued_again(cast: Cast, gaz: Gazetteer) -> None:
    review = queue_springfield(cast, gaz)
    services.place_review_decide(user=cast.owner, review=review, geonames_id=springfield_il(gaz))
    resolver = selectors.resolver_for(organisation=cast.office_a, gaz=gaz)
    query = PlaceQuery("Springfield", "USA")
    created = services.place_reviews_queue(
        organisation=cast.office_a, rows=[(2, query, resolver.resolve_query(query))]
    )
    assert created == 0


def test_deciding_one_review_confirms_the_same_name_waiting(cast: Cast, gaz: Gazetteer) -> None:
    first = queue_springfield(cast, gaz)
    twin = PlaceReview.objects.create(
        organisation=cast.office_a,
        name="springfield",
        key="springfield",
        country_code="US",
        candidates=first.candidates,
    )
    services.place_review_decide(user=cast.owner, review=first, geonames_id=springfield_il(gaz))
    twin.refresh_from_db()
    first.refresh_from_db()
    assert twin.status == PlaceReview.Status.CONFIRMED
    assert twin.alias_id == first.alias_id is not None
    assert twin.decided_by == cast.owner


@pytest.mark.parametrize("who", ["viewer", "other_owner", "outsider", "curator"])
def test_only_owners_and_editors_of_the_organisation_decide(cast: Cast, gaz: Gazetteer, who: str) -> None:
    review = queue_springfield(cast, gaz)
    with pytest.raises(PermissionDenied):
        services.place_review_decide(user=getattr(cast, who), review=review, geonames_id=springfield_il(gaz))
    review.refresh_from_db()
    assert review.is_pending
    assert not PlaceAlias.objects.exists()


def test_rejecting_records_none_of_these_and_remembers_nothing(cast: Cast, gaz: Gazetteer) -> None:
    review = queue_springfield(cast, gaz)
    services.place_review_decide(user=cast.editor, review=review, reject=True)
    review.refresh_from_db()
    assert review.status == PlaceReview.Status.REJECTED
    assert not PlaceAlias.objects.exists()


def test_a_decided_review_cannot_be_decided_again(cast: Cast, gaz: Gazetteer) -> None:
    review = queue_springfield(cast, gaz)
    services.place_review_decide(user=cast.editor, review=review, reject=True)
    with pytest.raises(ValidationError):
        services.place_review_decide(user=cast.editor, review=review, geonames_id=springfield_il(gaz))


def test_an_unknown_geonames_id_is_refused(cast: Cast, gaz: Gazetteer) -> None:
    review = queue_springfield(cast, gaz)
    with pytest.raises(ValidationError):
        services.place_review_decide(user=cast.editor, review=review, geonames_id=999_999_999)


def test_another_place_by_geonames_id_is_accepted(cast: Cast, gaz: Gazetteer) -> None:
    review = queue_springfield(cast, gaz)
    elsewhere = gaz.lookup("Springfield", "US")[-1].geonames_id
    services.place_review_decide(user=cast.editor, review=review, geonames_id=elsewhere)
    assert PlaceAlias.objects.get(organisation=cast.office_a).geonames_id == elsewhere


def test_platform_aliases_are_for_curators(cast: Cast, gaz: Gazetteer) -> None:
    with pytest.raises(PermissionDenied):
        services.place_alias_set(
            user=cast.owner, organisation=None, text="Springfield", country="US", geonames_id=1
        )
    services.place_alias_set(
        user=cast.curator,
        organisation=None,
        text="Springfield",
        country="US",
        geonames_id=springfield_il(gaz),
    )
    decision = selectors.resolver_for(organisation=cast.office_b, gaz=gaz).resolve("Springfield", "USA")
    assert decision.chosen is not None and decision.reasons[0].code == "alias_platform"


def test_pending_reviews_are_visible_to_members_only(cast: Cast, gaz: Gazetteer) -> None:
    queue_springfield(cast, gaz)
    assert selectors.place_reviews_pending(user=cast.viewer, organisation=cast.office_a).count() == 1
    assert selectors.place_reviews_pending(user=cast.other_owner, organisation=cast.office_a).count() == 0
    assert selectors.place_reviews_pending(user=cast.outsider, organisation=cast.office_a).count() == 0
    assert selectors.place_reviews_pending(user=cast.curator, organisation=cast.office_a).count() == 0


def test_the_registry_gives_wikidata_ids_to_resolved_rows(cast: Cast, gaz: Gazetteer) -> None:
    montevideo = gaz.lookup("Montevideo", "UY")[0]
    CityFactory(name="Montevideo", country="UY", geonames_id=montevideo.geonames_id, wikidata_id="Q1335")
    decision = selectors.resolver_for(gaz=gaz).resolve("Montevideo", "Uruguay")
    assert decision.chosen is not None and decision.chosen.wikidata_id == "Q1335"


def test_the_importers_bridge_gives_a_place_match(cast: Cast, gaz: Gazetteer) -> None:
    from citydiplo.registry.resolution.matching import decision_to_place_match

    resolver = selectors.resolver_for(gaz=gaz)
    frankfurt = decision_to_place_match(resolver.resolve("Frankfurt", "DE"), gaz=gaz)
    assert (
        frankfurt.is_resolved and frankfurt.place is not None and frankfurt.place.name == "Frankfurt am Main"
    )
    assert frankfurt.reason == "chosen by population"  # actor_for marks such actors unverified
    springfield = decision_to_place_match(resolver.resolve("Springfield", "USA"), gaz=gaz)
    assert springfield.status == AMBIGUOUS and len(springfield.candidates) >= 3
    assert "Springfield" in springfield.describe_candidates()
    city = CityFactory(name="Köln", country="DE", geonames_id=gaz.lookup("Köln", "DE")[0].geonames_id)
    koeln = decision_to_place_match(
        resolver.resolve("Cologne", "DE"), gaz=gaz, actors_by_geonames={city.geonames_id: city}
    )
    assert koeln.actor == city
