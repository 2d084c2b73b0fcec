"""Registry services: visibility layers, write permissions, optimistic locking and the actor merge."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from citydiplo.accounts.records import Origin, Visibility
from citydiplo.registry import services
from citydiplo.registry.models import Actor, ActorKind, Agreement, Membership, Project, RolePeriod
from tests.factories import AgreementFactory, CityFactory, MembershipFactory, NetworkFactory


@pytest.fixture
def two_cities(db: None) -> tuple[Actor, Actor]:
    return CityFactory(name="Montevideo", country="UY"), CityFactory(name="Rosario", country="AR")


def test_private_agreement_of_one_office_is_invisible_to_another(cast, two_cities):
    agreement = services.agreement_create(
        user=cast.editor,
        owner=cast.office_a,
        kind="cooperation",
        parties=list(two_cities),
        title="Secret MoU",
    )
    assert agreement.visibility == Visibility.PRIVATE
    assert Agreement.objects.visible_to(cast.owner).filter(pk=agreement.pk).exists()
    assert Agreement.objects.visible_to(cast.viewer).filter(pk=agreement.pk).exists()
    assert not Agreement.objects.visible_to(cast.other_owner).filter(pk=agreement.pk).exists()
    assert not Agreement.objects.visible_to(cast.outsider).filter(pk=agreement.pk).exists()
    assert not Agreement.objects.visible_to(None).filter(pk=agreement.pk).exists()
    # Platform staff get no reading rights over private records.
    assert not Agreement.objects.visible_to(cast.curator).filter(pk=agreement.pk).exists()


def test_shared_record_is_visible_to_the_named_organisation_only(cast, two_cities):
    from tests.factories import OrganisationFactory

    third = OrganisationFactory(slug="third-office")
    agreement = services.agreement_create(
        user=cast.owner, owner=cast.office_a, kind="mou", parties=list(two_cities), title="Shared MoU"
    )
    services.record_share(user=cast.owner, record=agreement, organisations=[cast.office_b])
    assert Agreement.objects.visible_to(cast.other_owner).filter(pk=agreement.pk).count() == 1
    from tests.factories import SeatFactory

    third_user = SeatFactory(organisation=third).user
    assert not Agreement.objects.visible_to(third_user).filter(pk=agreement.pk).exists()


def test_reference_facts_are_visible_to_everyone_including_anonymous(db):
    agreement = AgreementFactory()
    assert Agreement.objects.visible_to(None).filter(pk=agreement.pk).exists()


def test_viewer_and_outsider_cannot_create_records(cast, two_cities):
    for user in (cast.viewer, cast.outsider, cast.other_owner):
        with pytest.raises(PermissionDenied):
            services.agreement_create(user=user, owner=cast.office_a, kind="mou", parties=list(two_cities))


def test_only_curators_change_reference_facts(cast):
    city = CityFactory(name="Montevideo")
    with pytest.raises(PermissionDenied):
        services.record_update(user=cast.owner, record=city, expected_version=1, changes={"population": 5})
    updated = services.record_update(
        user=cast.curator, record=city, expected_version=1, changes={"population": 5}
    )
    assert updated.population == 5
    # A manual correction is marked so the next reference reload leaves it alone.
    assert updated.origin == Origin.MANUAL
    assert updated.version == 2


def test_stale_edit_is_refused_not_lost(cast, two_cities):
    project = services.project_create(
        user=cast.editor, owner=cast.office_a, title="Water", modality="decentralised"
    )
    services.record_update(
        user=cast.editor, record=project, expected_version=1, changes={"title": "Water v2"}
    )
    stale = Project.objects.get(pk=project.pk)
    with pytest.raises(services.StaleEdit):
        services.record_update(
            user=cast.owner, record=stale, expected_version=1, changes={"title": "Older edit"}
        )
    assert Project.objects.get(pk=project.pk).title == "Water v2"


def test_agreement_needs_two_distinct_parties(cast, two_cities):
    with pytest.raises(ValidationError):
        services.agreement_create(
            user=cast.editor, owner=cast.office_a, kind="mou", parties=[two_cities[0], two_cities[0]]
        )


def test_membership_role_periods(cast):
    network = NetworkFactory(name="Mercociudades")
    city = CityFactory(name="Montevideo")
    membership = services.membership_create(
        user=cast.curator,
        member=city,
        network=network,
        since="1995",
        roles=[
            services.RoleSpec("member", "1995"),
            services.RoleSpec("board", "2017", "2020"),
            services.RoleSpec("co-president", "2020", "2023"),
        ],
    )
    assert [p.role for p in membership.role_periods.all()] == ["member", "board", "co-president"]
    with pytest.raises(ValidationError):
        services.membership_create(user=cast.curator, member=city, network=network)
    with pytest.raises(ValidationError):
        services.role_period_add(
            user=cast.curator, membership=membership, spec=services.RoleSpec("board", "2020", "2017")
        )


def test_membership_of_a_non_network_is_refused(cast):
    with pytest.raises(ValidationError):
        services.membership_create(user=cast.curator, member=CityFactory(), network=CityFactory())


def test_merge_moves_relations_and_keeps_ids(cast):
    keep = CityFactory(name="Amsterdam", country="NL", wikidata_id="Q727", geonames_id=2759794)
    duplicate = CityFactory(name="Amsterdam", country="NL", wikidata_id="Q9899", population=900000)
    network = NetworkFactory()
    MembershipFactory(member=keep, network=network)
    dup_membership = MembershipFactory(member=duplicate, network=network)
    RolePeriod.objects.create(membership=dup_membership, role="board", since="2019")
    other = CityFactory(name="Leeds")
    AgreementFactory(parties=[duplicate, other])
    merged = services.actor_merge(user=cast.curator, keep=keep, duplicate=duplicate)
    assert not Actor.objects.filter(pk=duplicate.pk).exists()
    assert merged.other_ids["wikidata"] == ["Q9899"]
    assert merged.population == 900000
    assert Membership.objects.filter(member=keep, network=network).count() == 1
    assert RolePeriod.objects.filter(membership__member=keep, role="board").exists()
    assert Agreement.objects.filter(party_links__actor=keep).filter(party_links__actor=other).exists()


def test_actor_slugs_are_readable_and_unique(cast):
    a = services.actor_create(user=cast.curator, name="Córdoba", kind=ActorKind.MUNICIPALITY, country="AR")
    b = services.actor_create(user=cast.curator, name="Córdoba", kind=ActorKind.MUNICIPALITY, country="AR")
    assert a.slug == "cordoba-ar"
    assert b.slug == "cordoba-ar-2"


def test_public_record_cannot_point_at_a_private_actor(cast, two_cities):
    private_partner = services.actor_create(
        user=cast.editor, owner=cast.office_a, name="Confidential foundation", kind=ActorKind.FUND
    )
    with pytest.raises(ValidationError):
        services.agreement_create(
            user=cast.editor,
            owner=cast.office_a,
            visibility=Visibility.PUBLIC,
            kind="mou",
            parties=[two_cities[0], private_partner],
        )
    # The office's own private agreement may name its private partner...
    services.agreement_create(
        user=cast.editor, owner=cast.office_a, kind="mou", parties=[two_cities[0], private_partner]
    )
    # ...but another office cannot link an actor it cannot see.
    with pytest.raises(ValidationError):
        services.agreement_create(
            user=cast.other_owner, owner=cast.office_b, kind="mou", parties=[two_cities[1], private_partner]
        )


def test_network_member_count_counts_members_not_rows(cast):
    from citydiplo.registry import selectors

    network = NetworkFactory(name="Mercociudades")
    city = CityFactory(name="Montevideo")
    MembershipFactory(member=city, network=network)
    services.membership_create(
        user=cast.editor, owner=cast.office_a, member=city, network=network, visibility=Visibility.PUBLIC
    )
    listed = selectors.network_list(user=cast.owner).get(pk=network.pk)
    assert listed.member_count == 1


def test_reserved_words_are_never_actor_slugs(cast):
    actor = services.actor_create(user=cast.curator, name="New", kind=ActorKind.OTHER)
    assert actor.slug == "new-actor"
