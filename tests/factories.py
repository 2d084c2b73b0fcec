"""factory_boy factories for the registry and the organisations that own records."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from citydiplo.accounts.models import Organisation, OrganisationMember
from citydiplo.accounts.records import Origin, Visibility
from citydiplo.registry.models import Actor, ActorKind, Agreement, AgreementKind, AgreementParty, Membership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"office-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    kind = Organisation.Kind.LOCAL_GOVERNMENT_OFFICE


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMember

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationMember.Role.EDITOR


class CityFactory(factory.django.DjangoModelFactory):
    """A reference municipality (no owner)."""

    class Meta:
        model = Actor

    kind = ActorKind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    country = "UY"
    origin = Origin.REFERENCE_LOAD
    visibility = Visibility.PUBLIC


class NetworkFactory(CityFactory):
    kind = ActorKind.NETWORK
    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    country = ""


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    member = factory.SubFactory(CityFactory)
    network = factory.SubFactory(NetworkFactory)
    origin = Origin.REFERENCE_LOAD
    visibility = Visibility.PUBLIC


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    kind = AgreementKind.TWINNING
    title = factory.Sequence(lambda n: f"Agreement {n}")
    origin = Origin.REFERENCE_LOAD
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def parties(self, create: bool, extracted: list[Actor] | None, **kwargs: object) -> None:
        if not create:
            return
        for actor in extracted or [CityFactory(), CityFactory()]:
            AgreementParty.objects.create(agreement=self, actor=actor)
