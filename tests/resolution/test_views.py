"""The review queue page and a decision made through it (HTMX and plain form posts)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from citydiplo.registry.places.gazetteer import Gazetteer
from citydiplo.registry.resolution import selectors, services
from citydiplo.registry.resolution.decisions import PlaceQuery
from citydiplo.registry.resolution.models import PlaceAlias, PlaceReview
from tests.conftest import Cast

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def review(cast: Cast, gaz: Gazetteer) -> PlaceReview:
    query = PlaceQuery("Springfield", "USA")
    decision = selectors.resolver_for(organisation=cast.office_a, gaz=gaz).resolve_query(query)
    services.place_reviews_queue(
        organisation=cast.office_a, rows=[(7, query, decision)], source_file="partners.csv"
    )
    return PlaceReview.objects.get(organisation=cast.office_a)


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_page_lists_the_candidates_ranked_with_a_button_each(cast: Cast, review: PlaceReview) -> None:
    response = logged_in(cast.editor).get(reverse("resolution:review-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "“Springfield”" in html and "partners.csv" in html and "row 7" in html
    assert html.count("This one") == len(review.candidates)
    for state in ("MO", "MA", "IL"):
        assert f"<td>{state}</td>" in html
    assert "170,188" in html  # population of Springfield MO, the first candidate
    assert "of similar size" in html  # the engine's reason, shown to the person


def test_the_page_has_no_inline_script_or_style(cast: Cast, review: PlaceReview) -> None:
    html = logged_in(cast.editor).get(reverse("resolution:review-list")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and "<style" not in html and "onclick" not in html


def test_a_viewer_sees_the_queue_without_buttons(cast: Cast, review: PlaceReview) -> None:
    html = logged_in(cast.viewer).get(reverse("resolution:review-list")).content.decode()
    assert "“Springfield”" in html and "This one" not in html


def test_another_organisation_sees_nothing_of_it(cast: Cast, review: PlaceReview) -> None:
    html = logged_in(cast.other_owner).get(reverse("resolution:review-list")).content.decode()
    assert "Springfield" not in html


def test_a_decision_by_htmx_replaces_the_row_and_shows_the_alias(
    cast: Cast, review: PlaceReview, gaz: Gazetteer
) -> None:
    chosen = review.candidates[2]
    response = logged_in(cast.editor).post(
        reverse("resolution:review-decide", args=[review.pk]),
        {"action": "confirm", "geonames_id": chosen["geonames_id"]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<section class="card review" id="review-{review.pk}"')
    assert "Confirmed: Springfield" in html and "Remembered" in html and "This one" not in html
    alias = PlaceAlias.objects.get(organisation=cast.office_a)
    assert alias.geonames_id == chosen["geonames_id"]
    after = selectors.resolver_for(organisation=cast.office_a, gaz=gaz).resolve("Springfield", "USA")
    assert after.chosen is not None and after.chosen.geonames_id == chosen["geonames_id"]


def test_a_decision_without_javascript_redirects_to_the_queue(cast: Cast, review: PlaceReview) -> None:
    client = logged_in(cast.owner)
    response = client.post(reverse("resolution:review-decide", args=[review.pk]), {"action": "reject"})
    assert response.status_code == 302 and response["Location"] == reverse("resolution:review-list")
    review.refresh_from_db()
    assert review.status == PlaceReview.Status.REJECTED
    assert "Recently decided" in client.get(reverse("resolution:review-list")).content.decode()


def test_a_viewer_cannot_decide(cast: Cast, review: PlaceReview) -> None:
    response = logged_in(cast.viewer).post(
        reverse("resolution:review-decide", args=[review.pk]),
        {"action": "confirm", "geonames_id": review.candidates[0]["geonames_id"]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.is_pending


def test_another_organisation_cannot_reach_the_review(cast: Cast, review: PlaceReview) -> None:
    response = logged_in(cast.other_owner).post(
        reverse("resolution:review-decide", args=[review.pk]), {"action": "reject"}
    )
    assert response.status_code == 404


def test_a_confirmation_without_a_place_says_what_is_missing(cast: Cast, review: PlaceReview) -> None:
    response = logged_in(cast.editor).post(
        reverse("resolution:review-decide", args=[review.pk]), {"action": "confirm"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "Choose one of the candidates" in response.content.decode()


def test_the_page_needs_a_login(review: PlaceReview) -> None:
    response = Client().get(reverse("resolution:review-list"))
    assert response.status_code == 302 and "login" in response["Location"]
