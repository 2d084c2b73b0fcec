"""Load the illustrative demo dataset, idempotently.

Preconditions: migrations applied, and the Montevideo actor present (created by `citydiplo load-reference`
from GeoNames). Other places are taken from the reference data when it has them and otherwise created
as actors owned by the demo office (never as reference facts, so a later reference load is not disturbed).

Every organisation record goes through the registry services, with the demo owner as the acting user, so
the demo obeys the permission and validation rules users meet. Each demo record carries a stable
`reference_key` ("demo:...") and is looked up by it before being created: a second run changes nothing,
and an edit made in the demo UI (a new title, say) does not make the next run create a duplicate.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.text import slugify

from citydiplo.accounts.models import Organisation, OrganisationMember, TermOfGovernment, User
from citydiplo.accounts.records import Visibility
from citydiplo.demo.credentials import DEMO_PASSWORD, DEMO_SECOND_USERNAME, DEMO_USERNAME
from citydiplo.registry import services
from citydiplo.registry.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    AgreementNote,
    AgreementStatus,
    Contact,
    Event,
    EventKind,
    LawfulBasis,
    PartnerRole,
    Project,
    ProjectModality,
    ProjectStatus,
    Theme,
    TransactionKind,
)

MONTEVIDEO_GEONAMES_ID = 3441575
MAIN_OFFICE_SLUG = "demo-montevideo"
SECOND_OFFICE_SLUG = "demo-rosario"
KEY_PREFIX = "demo:"
ILLUSTRATIVE_EN = "Illustrative demo data: people, amounts and dates are invented."
ILLUSTRATIVE_ES = "Datos ilustrativos de demostración: personas, montos y fechas son inventados."


class DemoPreconditionError(Exception):
    """The database lacks something the demo builds on; the message says what to run."""


@dataclass
class DemoResult:
    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)

    def note(self, kind: str, created: bool) -> None:
        (self.created if created else self.existing)[kind] += 1


# --- Places ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceSpec:
    key: str
    name: str
    country: str = ""
    geonames_id: int | None = None
    kind: str = ActorKind.MUNICIPALITY
    acronym: str = ""


PLACES = [
    PlaceSpec("rosario", "Rosario", "AR", 3838583),
    PlaceSpec("barcelona", "Barcelona", "ES", 3128760),
    PlaceSpec("maputo", "Maputo", "MZ", 1040652),
    PlaceSpec("quito", "Quito", "EC", 3652462),
    PlaceSpec("asuncion", "Asunción", "PY", 3439389),
    PlaceSpec("belem", "Belém", "BR", 3405870),
    PlaceSpec("mercociudades", "Mercociudades", kind=ActorKind.NETWORK),
]


def montevideo_get() -> Actor:
    actor = (
        Actor.objects.reference().filter(geonames_id=MONTEVIDEO_GEONAMES_ID).first()
        or Actor.objects.reference().filter(slug__startswith="montevideo-uy").order_by("slug").first()
    )
    if actor is None:
        raise DemoPreconditionError(
            "The Montevideo actor is missing (GeoNames id 3441575): run `citydiplo load-reference` first."
        )
    return actor


def _place_get_or_create(spec: PlaceSpec, *, user: User, office: Organisation, result: DemoResult) -> Actor:
    """The reference actor for the place if the reference data has it, else a demo-owned public one."""
    found: Actor | None = None
    if spec.geonames_id:
        found = Actor.objects.filter(geonames_id=spec.geonames_id).first()
    if found is None and spec.kind == ActorKind.NETWORK:
        found = (
            Actor.objects.reference()
            .filter(kind=ActorKind.NETWORK)
            .filter(Q(slug=slugify(spec.name)) | Q(name__iexact=spec.name))
            .first()
        )
    demo_slug = f"demo-{spec.key}"
    if found is None:
        found = Actor.objects.filter(slug=demo_slug).first()
    if found is not None:
        result.note("actor", created=False)
        return found
    actor = services.actor_create(
        user=user,
        owner=office,
        name=spec.name,
        kind=spec.kind,
        slug=demo_slug,
        country=spec.country,
        acronym=spec.acronym,
        visibility=Visibility.PUBLIC,
        description=(
            "Created by the illustrative demo because the reference data has no such actor yet; "
            "`citydiplo load-reference` brings the real one."
        ),
        reference_key=f"{KEY_PREFIX}actor:{spec.key}",
    )
    result.note("actor", created=True)
    return actor


# --- Organisations, people, terms ---------------------------------------------------------------------


def _office_get_or_create(
    *, slug: str, name_en: str, name_es: str, currency: str, place: Actor | None, result: DemoResult
) -> Organisation:
    office = Organisation.objects.filter(slug=slug).first()
    if office is None:
        office = Organisation.objects.create(
            slug=slug,
            name=name_en,
            name_en=name_en,
            name_es=name_es,
            kind=Organisation.Kind.LOCAL_GOVERNMENT_OFFICE,
            language="es",
            currency=currency,
            place=place,
            is_illustrative=True,
        )
        result.note("organisation", created=True)
    else:
        result.note("organisation", created=False)
    return office


def _user_get_or_create(*, username: str, first_name: str, office: Organisation, result: DemoResult) -> User:
    """The demo login. Created only when missing: a password changed since is left alone."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username, first_name=first_name, email=f"{username}@example.org", preferred_language="es"
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        result.note("user", created=True)
    else:
        result.note("user", created=False)
    _, created = OrganisationMember.objects.get_or_create(
        organisation=office, user=user, defaults={"role": OrganisationMember.Role.OWNER}
    )
    result.note("seat", created=created)
    return user


def _term_get_or_create(
    *,
    office: Organisation,
    head_name: str,
    head_title: str,
    start: dt.date,
    end: dt.date | None,
    result: DemoResult,
) -> None:
    _, created = TermOfGovernment.objects.get_or_create(
        organisation=office,
        start=start,
        defaults={"head_name": head_name, "head_title": head_title, "end": end},
    )
    result.note("term", created=created)


# --- Registry records ------------------------------------------------------------------------------


def _existing(model: type[Any], office: Organisation, key: str) -> Any:
    return model.objects.filter(owner=office, reference_key=f"{KEY_PREFIX}{key}").first()


def _themes(*keys: str) -> list[Theme]:
    return list(Theme.objects.filter(key__in=keys))


@dataclass(frozen=True)
class Txn:
    kind: str
    date: dt.date
    amount: str
    currency: str
    description: str
    provider: str = ""
    receiver: str = ""


@dataclass(frozen=True)
class Writer:
    """Who writes the records, for which office, with which places at hand."""

    user: User
    office: Organisation
    places: dict[str, Actor]
    result: DemoResult


def _project(
    key: str,
    *,
    by: Writer,
    partners: list[tuple[str, str]],
    transactions: Sequence[Txn] = (),
    themes: tuple[str, ...] = (),
    **fields: Any,
) -> Project:
    user, places, result = by.user, by.places, by.result
    project = _existing(Project, by.office, f"project:{key}")
    if project is not None:
        result.note("project", created=False)
        return project
    project = services.project_create(
        user=user,
        owner=by.office,
        partners=[services.PartnerSpec(actor=places[name], role=role) for name, role in partners],
        themes=_themes(*themes),
        reference_key=f"{KEY_PREFIX}project:{key}",
        source="citydiplo demo (illustrative)",
        **fields,
    )
    for txn in transactions:
        services.project_transaction_add(
            user=user,
            project=project,
            kind=txn.kind,
            date=txn.date,
            amount=Decimal(txn.amount),
            currency=txn.currency,
            provider=places.get(txn.provider),
            receiver=places.get(txn.receiver),
            description=txn.description,
        )
        result.note("transaction", created=True)
    result.note("project", created=True)
    return project


def _event(
    key: str,
    *,
    user: User,
    office: Organisation,
    result: DemoResult,
    themes: tuple[str, ...] = (),
    **fields: Any,
) -> Event:
    event = _existing(Event, office, f"event:{key}")
    if event is not None:
        result.note("event", created=False)
        return event
    event = services.event_create(
        user=user, owner=office, themes=_themes(*themes), reference_key=f"{KEY_PREFIX}event:{key}", **fields
    )
    result.note("event", created=True)
    return event


def _contact(key: str, *, user: User, office: Organisation, result: DemoResult, **fields: Any) -> Contact:
    contact = _existing(Contact, office, f"contact:{key}")
    if contact is not None:
        result.note("contact", created=False)
        return contact
    contact = services.contact_create(
        user=user,
        owner=office,
        reference_key=f"{KEY_PREFIX}contact:{key}",
        notes="Fictional person: an illustrative demo contact, not a real official.",
        **fields,
    )
    result.note("contact", created=True)
    return contact


def demo_load() -> DemoResult:
    """Create whatever part of the demo dataset is missing; return what was created and what existed."""
    result = DemoResult()
    # English is the default content language; Spanish translations are given explicitly.
    with translation.override("en"), transaction.atomic():
        montevideo = montevideo_get()
        _load(montevideo, result)
        office = Organisation.objects.get(slug=MAIN_OFFICE_SLUG)
        user = User.objects.get(username=DEMO_USERNAME)
        # The apps built on the registry add their part of the demo, in this order (indicators link to
        # the strategy's objectives): citydiplo/<app>/demo.py, demo_load(office=, user=, result=).
        for app in DEMO_APPS:
            import_module(f"citydiplo.{app}.demo").demo_load(office=office, user=user, result=result)
    return result


DEMO_APPS: tuple[str, ...] = ("strategy", "indicators", "analysis")


def _load(montevideo: Actor, result: DemoResult) -> None:
    office = _office_get_or_create(
        slug=MAIN_OFFICE_SLUG,
        name_en="Montevideo — International Relations (illustrative)",
        name_es="Montevideo — Relaciones Internacionales (ilustrativo)",
        currency="UYU",
        place=montevideo,
        result=result,
    )
    demo = _user_get_or_create(username=DEMO_USERNAME, first_name="Demo", office=office, result=result)
    _term_get_or_create(
        office=office,
        head_name="Previous head of government (fictional)",
        head_title="Intendente",
        start=dt.date(2020, 11, 27),
        end=dt.date(2025, 7, 9),
        result=result,
    )
    _term_get_or_create(
        office=office,
        head_name="Current head of government (fictional)",
        head_title="Intendenta",
        start=dt.date(2025, 7, 10),
        end=None,
        result=result,
    )

    places = {"montevideo": montevideo}
    for spec in PLACES:
        places[spec.key] = _place_get_or_create(spec, user=demo, office=office, result=result)

    second = _office_get_or_create(
        slug=SECOND_OFFICE_SLUG,
        name_en="Rosario — International Relations (illustrative)",
        name_es="Rosario — Relaciones Internacionales (ilustrativo)",
        currency="ARS",
        place=places["rosario"],
        result=result,
    )
    second_user = _user_get_or_create(
        username=DEMO_SECOND_USERNAME, first_name="Demo Rosario", office=second, result=result
    )

    montevideo_writer = Writer(user=demo, office=office, places=places, result=result)

    # Decentralised (North-South) cooperation with a European city, funded by the partner in EUR.
    _project(
        "resilient-neighbourhoods",
        by=montevideo_writer,
        title="Resilient neighbourhoods: sustainable urban drainage",
        title_es="Barrios resilientes: drenaje urbano sostenible",
        description=f"Pilot sustainable-drainage works and flood early warning in two neighbourhoods, "
        f"co-designed with Barcelona's water services. {ILLUSTRATIVE_EN}",
        description_es=f"Obras piloto de drenaje sostenible y alerta temprana de inundaciones en dos barrios, "
        f"co-diseñadas con los servicios de agua de Barcelona. {ILLUSTRATIVE_ES}",
        modality=ProjectModality.DECENTRALISED,
        status=ProjectStatus.IMPLEMENTATION,
        start="2024-03",
        end="2026-12",
        budget=Decimal("450000"),
        currency="EUR",
        visibility=Visibility.PUBLIC,
        partners=[("barcelona", PartnerRole.FUNDING), ("montevideo", PartnerRole.IMPLEMENTING)],
        themes=("resilience", "water", "local-government-cooperation"),
        transactions=[
            Txn(
                TransactionKind.INCOMING_COMMITMENT,
                dt.date(2024, 2, 15),
                "450000",
                "EUR",
                "Grant agreement signed (illustrative)",
                provider="barcelona",
                receiver="montevideo",
            ),
            Txn(
                TransactionKind.INCOMING_FUNDS,
                dt.date(2024, 4, 2),
                "180000",
                "EUR",
                "First instalment (illustrative)",
                provider="barcelona",
                receiver="montevideo",
            ),
            Txn(
                TransactionKind.EXPENDITURE,
                dt.date(2024, 9, 30),
                "3200000",
                "UYU",
                "Pilot works, first neighbourhood (illustrative)",
            ),
            Txn(
                TransactionKind.INCOMING_FUNDS,
                dt.date(2025, 5, 20),
                "150000",
                "EUR",
                "Second instalment (illustrative)",
                provider="barcelona",
                receiver="montevideo",
            ),
            Txn(
                TransactionKind.EXPENDITURE,
                dt.date(2025, 8, 14),
                "2750000",
                "UYU",
                "Early-warning sensors and training (illustrative)",
            ),
        ],
    )

    # South-South cooperation: Montevideo shares its waste-management experience with Maputo, in USD.
    _project(
        "south-south-waste",
        by=montevideo_writer,
        title="South-South exchange on solid-waste management",
        title_es="Intercambio Sur-Sur en gestión de residuos sólidos",
        description=f"Technical exchange between Montevideo and Maputo on recycling cooperatives and landfill "
        f"management, with two study visits. {ILLUSTRATIVE_EN}",
        description_es=f"Intercambio técnico entre Montevideo y Maputo sobre cooperativas de reciclaje y gestión "
        f"de rellenos sanitarios, con dos visitas de estudio. {ILLUSTRATIVE_ES}",
        modality=ProjectModality.SOUTH_SOUTH,
        status=ProjectStatus.IMPLEMENTATION,
        start="2024-09",
        end="2026-06",
        budget=Decimal("120000"),
        currency="USD",
        partners=[("montevideo", PartnerRole.EXTENDING), ("maputo", PartnerRole.IMPLEMENTING)],
        themes=("circular-economy", "local-government-cooperation"),
        transactions=[
            Txn(
                TransactionKind.OUTGOING_COMMITMENT,
                dt.date(2024, 9, 10),
                "120000",
                "USD",
                "Exchange programme approved (illustrative)",
                provider="montevideo",
                receiver="maputo",
            ),
            Txn(
                TransactionKind.DISBURSEMENT,
                dt.date(2024, 11, 5),
                "35000",
                "USD",
                "Study visit to Maputo (illustrative)",
                provider="montevideo",
                receiver="maputo",
            ),
            Txn(
                TransactionKind.EXPENDITURE,
                dt.date(2025, 3, 18),
                "980000",
                "UYU",
                "Hosting Maputo's technical team in Montevideo (illustrative)",
            ),
        ],
    )

    # South-South with the second office as partner: the record shared with Rosario's office.
    markets = _project(
        "proximity-markets",
        by=montevideo_writer,
        title="Network of local food markets",
        title_es="Red de mercados de cercanía",
        description=f"Montevideo, Rosario and Asunción compare municipal market regulations and short food "
        f"supply chains. {ILLUSTRATIVE_EN}",
        description_es=f"Montevideo, Rosario y Asunción comparan normativas de mercados municipales y "
        f"circuitos cortos de alimentos. {ILLUSTRATIVE_ES}",
        modality=ProjectModality.SOUTH_SOUTH,
        status=ProjectStatus.PIPELINE,
        start="2025-10",
        end="2027-03",
        budget=Decimal("2400000"),
        currency="UYU",
        partners=[
            ("montevideo", PartnerRole.ACCOUNTABLE),
            ("rosario", PartnerRole.IMPLEMENTING),
            ("asuncion", PartnerRole.IMPLEMENTING),
        ],
        themes=("food", "local-government-cooperation"),
        transactions=[
            Txn(
                TransactionKind.OUTGOING_COMMITMENT,
                dt.date(2025, 10, 1),
                "2400000",
                "UYU",
                "Municipal budget line approved (illustrative)",
            ),
        ],
    )
    if not markets.shared_with.filter(pk=second.pk).exists():
        services.record_share(user=demo, record=markets, organisations=[*markets.shared_with.all(), second])
        result.note("share", created=True)
    else:
        result.note("share", created=False)

    # Events and missions, with their costs.
    _event(
        "mercociudades-summit-2025",
        user=demo,
        office=office,
        result=result,
        kind=EventKind.SUMMIT,
        title="Mercociudades Summit 2025 (illustrative)",
        title_es="Cumbre de Mercociudades 2025 (ilustrativo)",
        description=f"Annual summit of the Mercociudades network; delegation of three. {ILLUSTRATIVE_EN}",
        description_es=f"Cumbre anual de la red Mercociudades; delegación de tres personas. {ILLUSTRATIVE_ES}",
        start_date=dt.date(2025, 11, 27),
        end_date=dt.date(2025, 11, 28),
        network=places["mercociudades"],
        participants=[places["mercociudades"], places["rosario"], places["asuncion"]],
        participant_names="International relations director; two advisers (fictional)",
        cost=Decimal("85000"),
        cost_currency="UYU",
        visibility=Visibility.PUBLIC,
        themes=("local-government-cooperation",),
    )
    _event(
        "cop30-mission",
        user=demo,
        office=office,
        result=result,
        kind=EventKind.OUTGOING_DELEGATION,
        title="Mission to COP30 in Belém",
        title_es="Misión a la COP30 en Belém",
        description=f"Local-government side events on urban adaptation finance. {ILLUSTRATIVE_EN}",
        description_es=f"Eventos paralelos de gobiernos locales sobre financiamiento de la adaptación urbana. "
        f"{ILLUSTRATIVE_ES}",
        start_date=dt.date(2025, 11, 10),
        end_date=dt.date(2025, 11, 15),
        place=places["belem"],
        participant_names="Climate change adviser; international relations officer (fictional)",
        cost=Decimal("9800"),
        cost_currency="USD",
        themes=("climate", "advocacy"),
    )
    _event(
        "barcelona-delegation",
        user=demo,
        office=office,
        result=result,
        kind=EventKind.INCOMING_DELEGATION,
        title="Incoming delegation from Barcelona: drainage project follow-up",
        title_es="Delegación de Barcelona: seguimiento del proyecto de drenaje",
        description=f"Site visits to the pilot works and a steering-committee meeting. {ILLUSTRATIVE_EN}",
        description_es=f"Visitas a las obras piloto y reunión del comité de seguimiento. {ILLUSTRATIVE_ES}",
        start_date=dt.date(2025, 4, 7),
        end_date=dt.date(2025, 4, 10),
        place=montevideo,
        participants=[places["barcelona"]],
        participant_names="Four officials of Barcelona's water services (fictional)",
        cost=Decimal("45000"),
        cost_currency="UYU",
        themes=("resilience", "water"),
    )

    # Contacts in partner institutions: fictional people, private to the office (personal data).
    for key, full_name, institution, position in [
        (
            "barcelona-coordinator",
            "Laura Vidal (fictional)",
            "barcelona",
            "International cooperation coordinator",
        ),
        ("maputo-engineer", "Tomás Mucavele (fictional)", "maputo", "Solid-waste engineer"),
        ("rosario-director", "Gabriela Ortiz (fictional)", "rosario", "International relations director"),
        (
            "mercociudades-secretariat",
            "Ricardo Benítez (fictional)",
            "mercociudades",
            "Technical secretariat",
        ),
        ("quito-mobility", "Paula Andrade (fictional)", "quito", "Electric mobility programme lead"),
    ]:
        _contact(
            key,
            user=demo,
            office=office,
            result=result,
            full_name=full_name,
            institution=places[institution],
            position=position,
            email=f"{key}@example.org",
            # Public officials contacted in their public role; one counterpart kept past its date so the
            # retention reminder has something to show.
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            retention_until=dt.date(2026, 1, 31) if key == "maputo-engineer" else None,
        )

    # A private cooperation agreement, with the office's note on why it was signed.
    agreement = _existing(Agreement, office, "agreement:quito-electric-mobility")
    if agreement is None:
        agreement = services.agreement_create(
            user=demo,
            owner=office,
            kind=AgreementKind.COOPERATION,
            parties=[montevideo, places["quito"]],
            title="Technical cooperation on electric public transport (Montevideo–Quito)",
            title_es="Cooperación técnica en transporte público eléctrico (Montevideo–Quito)",
            description=f"Exchange of procurement specifications and operating data for electric buses. "
            f"{ILLUSTRATIVE_EN}",
            description_es=f"Intercambio de pliegos y datos de operación de ómnibus eléctricos. {ILLUSTRATIVE_ES}",
            signed="2024-06",
            status=AgreementStatus.ACTIVE,
            visibility=Visibility.PRIVATE,
            themes=_themes("mobility", "energy"),
            reference_key=f"{KEY_PREFIX}agreement:quito-electric-mobility",
        )
        result.note("agreement", created=True)
    else:
        result.note("agreement", created=False)
    if not AgreementNote.objects.filter(agreement=agreement, owner=office).exists():
        services.agreement_note_create(
            user=demo,
            agreement=agreement,
            owner=office,
            why_signed=(
                "Signed before the 2025 bus-fleet tender so that our procurement team could learn from "
                "Quito's specifications and avoid repeating its early battery-warranty problems. "
                f"{ILLUSTRATIVE_EN}"
            ),
            notes="Renewal to be discussed at the next Mercociudades summit (illustrative).",
        )
        result.note("agreement note", created=True)
    else:
        result.note("agreement note", created=False)

    # The second office's own private record: Montevideo's users cannot see it.
    _project(
        "rosario-active-mobility",
        by=Writer(user=second_user, office=second, places=places, result=result),
        title="Active mobility plan — exchange with European cities",
        title_es="Plan de movilidad activa — intercambio con ciudades europeas",
        description=f"Private record of Rosario's office, invisible to Montevideo's. {ILLUSTRATIVE_EN}",
        description_es=f"Registro privado de la oficina de Rosario, invisible para la de Montevideo. "
        f"{ILLUSTRATIVE_ES}",
        modality=ProjectModality.DECENTRALISED,
        status=ProjectStatus.PIPELINE,
        start="2026-02",
        budget=Decimal("35000000"),
        currency="ARS",
        visibility=Visibility.PRIVATE,
        partners=[("rosario", PartnerRole.IMPLEMENTING), ("barcelona", PartnerRole.FUNDING)],
        themes=("mobility",),
    )
