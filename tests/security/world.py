"""The world the security tests read and write: two offices, each person in it, and records of every kind.

Every record an office keeps to itself carries a marker in a field the pages and the API show (a title, a
name, a note, a file name): "PRIVATE-A-<kind>" for office A's private records, "SHARED-A-<kind>" for the
one it shares with office B, "PRIVATE-B-<kind>" for office B's own and "SHARED-B-<kind>" for the one
office B (a member municipality of office A's metropolitan body) shares with office A. A response is scanned for these
strings as text, so a leak through any field, table cell, picker, count label or file name is caught,
whatever the page's layout. Slugs of private actors are neutral ("zq-...") and scanned for separately:
a slug a caller typed into the address is not a leak when echoed back, a slug it never gave is.

Reference facts and public records have plain names: every reader sees them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from citydiplo.accounts import services as account_services
from citydiplo.accounts.models import Organisation, TermOfGovernment, User
from citydiplo.accounts.records import Visibility
from citydiplo.interchange.models import ImportRun
from citydiplo.interchange.runs import import_run_finish, import_run_start
from citydiplo.registry import services
from citydiplo.registry.models import (
    Actor,
    Agreement,
    AgreementNote,
    Contact,
    Document,
    Event,
    Membership,
    Project,
    RolePeriod,
)
from citydiplo.registry.resolution.models import PlaceReview
from tests.conftest import Cast
from tests.factories import AgreementFactory, CityFactory, MembershipFactory, NetworkFactory

# Who asks. The names are the matrix's columns.
OWNER, EDITOR, VIEWER = "owner", "editor", "viewer"
OTHER_ORG, OUTSIDER, ANONYMOUS = "other_org", "outsider", "anonymous"
PRINCIPALS = (OWNER, EDITOR, VIEWER, OTHER_ORG, OUTSIDER, ANONYMOUS)
OFFICE_A = (OWNER, EDITOR, VIEWER)
WRITERS_A = (OWNER, EDITOR)

# Marker prefixes. A principal must never read a marker of a group it is not allowed to see.
PRIVATE_A, SHARED_A, PRIVATE_B, SHARED_B = "PRIVATE-A-", "SHARED-A-", "PRIVATE-B-", "SHARED-B-"

# Slugs of actors that only their office may see (scanned for besides the names).
SECRET_SLUGS = {
    PRIVATE_A: ("zq-a-actor-slug", "zq-a-network-slug"),
    SHARED_A: (),
    PRIVATE_B: ("zq-b-actor-slug",),
    SHARED_B: (),
}


def forbidden_groups(principal: str) -> tuple[str, ...]:
    """The marker groups this principal may never see, anywhere."""
    if principal in OFFICE_A:
        return (PRIVATE_B,)
    if principal == OTHER_ORG:
        return (PRIVATE_A,)
    return (PRIVATE_A, SHARED_A, PRIVATE_B, SHARED_B)


def _pdf(text: str) -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


@dataclass
class World:
    cast: Cast
    users: dict[str, User | None]
    tokens: dict[str, str]
    # Reference facts.
    montevideo: Actor
    rosario: Actor
    porto_alegre: Actor
    network: Actor
    reference_membership: Membership
    reference_agreement: Agreement
    # Office A's private records, one of each kind.
    a_actor: Actor
    a_network: Actor
    a_membership: Membership
    a_agreement: Agreement
    a_note: AgreementNote
    a_project: Project
    a_event: Event
    a_contact: Contact
    a_document: Document
    a_import: ImportRun
    a_review: PlaceReview
    a_term: TermOfGovernment
    # Shared with office B, and public.
    shared_agreement: Agreement
    shared_project: Project
    public_project: Project
    public_event: Event
    # Office B's private records.
    b_actor: Actor
    b_agreement: Agreement
    b_contact: Contact
    b_note: AgreementNote
    b_shared_project: Project
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def office_a(self) -> Organisation:
        return self.cast.office_a

    @property
    def office_b(self) -> Organisation:
        return self.cast.office_b


def build_world(cast: Cast) -> World:
    a, b = cast.office_a, cast.office_b
    editor, other = cast.editor, cast.other_owner

    # --- Reference facts, seen by everyone -------------------------------------------------------------
    montevideo = CityFactory(
        name="Montevideo", slug="montevideo-uy", country="UY", latitude=-34.9, longitude=-56.19
    )
    rosario = CityFactory(name="Rosario", slug="rosario-ar", country="AR", latitude=-32.95, longitude=-60.64)
    porto_alegre = CityFactory(name="Porto Alegre", slug="porto-alegre-br", country="BR")
    network = NetworkFactory(name="Mercociudades", slug="mercociudades", acronym="MC")
    reference_membership = MembershipFactory(member=montevideo, network=network, since="1995")
    RolePeriod.objects.create(membership=reference_membership, role="member", since="1995")
    reference_agreement = AgreementFactory(
        title="Montevideo and Rosario twinning", parties=[montevideo, rosario], signed="1995-05"
    )
    a.place = montevideo
    a.save(update_fields=["place"])

    # --- Office A's private records -------------------------------------------------------------------
    a_actor = services.actor_create(
        user=editor,
        owner=a,
        name="PRIVATE-A-actor",
        kind="company",
        slug="zq-a-actor-slug",
        country="UY",
        latitude=-34.8,
        longitude=-56.1,
    )
    a_network = services.actor_create(
        user=editor, owner=a, name="PRIVATE-A-network", kind="network", slug="zq-a-network-slug"
    )
    # Office A's own knowledge of a reference network: its private actor is a member.
    a_membership = services.membership_create(
        user=editor, owner=a, member=a_actor, network=network, since="2020", notes="PRIVATE-A-membership"
    )
    a_agreement = services.agreement_create(
        user=editor,
        owner=a,
        kind="cooperation",
        parties=[montevideo, rosario, a_actor],
        title="PRIVATE-A-agreement",
        description="PRIVATE-A-agreement-description",
        signed="2021-03",
    )
    # A note of office A on the reference agreement everyone reads.
    a_note = services.agreement_note_create(
        user=editor, agreement=reference_agreement, owner=a, why_signed="PRIVATE-A-note"
    )
    a_project = services.project_create(
        user=editor,
        owner=a,
        title="PRIVATE-A-project",
        modality="decentralised",
        description="PRIVATE-A-project-description",
        start="2022",
        partners=[
            services.PartnerSpec(rosario, "implementing"),
            services.PartnerSpec(a_actor, "funding"),
        ],
    )
    services.project_transaction_add(
        user=editor,
        project=a_project,
        kind="disbursement",
        date=dt.date(2022, 5, 1),
        amount=Decimal("1000.00"),
        currency="EUR",
        receiver=rosario,
        description="PRIVATE-A-transaction",
    )
    a_event = services.event_create(
        user=editor,
        owner=a,
        kind="outgoing_delegation",
        title="PRIVATE-A-event",
        start_date=dt.date(2023, 4, 2),
        place=rosario,
        participants=[montevideo, a_actor],
        participant_names="PRIVATE-A-event-people",
    )
    a_contact = services.contact_create(
        user=editor,
        owner=a,
        full_name="PRIVATE-A-contact",
        institution=rosario,
        email="private-a-contact@example.org",
    )
    # Attached to the reference agreement, which everyone may open: the document must stay A's.
    a_document = services.document_attach(
        user=editor,
        owner=a,
        title="PRIVATE-A-document",
        file=SimpleUploadedFile(
            "PRIVATE-A-document-file.pdf", _pdf("PRIVATE-A-document-content"), content_type="application/pdf"
        ),
        agreement=reference_agreement,
    )
    a_import = import_run_start(
        kind="memberships", file_name="PRIVATE-A-import.csv", user=editor, organisation=a
    )
    import_run_finish(
        run=a_import,
        status=ImportRun.Status.FAILED,
        errors=[],
        counts={"membership": {"added": 0}},
    )
    a_review = PlaceReview.objects.create(
        organisation=a,
        import_run=a_import,
        source_file="PRIVATE-A-import.csv",
        row_number=3,
        name="PRIVATE-A-place",
        key="private a place",
        country_code="UY",
        candidates=[
            {
                "geonames_id": None,
                "actor_id": montevideo.pk,
                "wikidata_id": None,
                "name": "Montevideo",
                "country_code": "UY",
                "admin1_code": "",
                "lat": -34.9,
                "lon": -56.19,
                "population": 1_300_000,
                "match": "exact",
                "score": 0.5,
                "distance_km": None,
                "reasons": [],
            }
        ],
    )
    a_term = TermOfGovernment.objects.create(
        organisation=a, head_name="PRIVATE-A-mayor", start=dt.date(2020, 11, 27), end=dt.date(2025, 7, 9)
    )

    # --- Shared with office B, and public ------------------------------------------------------------
    shared_agreement = services.agreement_create(
        user=editor,
        owner=a,
        kind="mou",
        parties=[montevideo, porto_alegre],
        title="SHARED-A-agreement",
        visibility=Visibility.PRIVATE,
    )
    services.record_share(user=editor, record=shared_agreement, organisations=[b])
    shared_project = services.project_create(
        user=editor, owner=a, title="SHARED-A-project", modality="south_south"
    )
    services.record_share(user=editor, record=shared_project, organisations=[b])
    public_project = services.project_create(
        user=editor,
        owner=a,
        title="Public project of office A",
        modality="technical_assistance",
        visibility=Visibility.PUBLIC,
        partners=[services.PartnerSpec(porto_alegre, "implementing")],
    )
    public_event = services.event_create(
        user=editor,
        owner=a,
        kind="summit",
        title="Public summit of office A",
        start_date=dt.date(2024, 6, 1),
        place=montevideo,
        visibility=Visibility.PUBLIC,
    )

    # --- Office B's private records (office A must not see them either) -------------------------------
    b_actor = services.actor_create(
        user=other, owner=b, name="PRIVATE-B-actor", kind="university", slug="zq-b-actor-slug"
    )
    b_agreement = services.agreement_create(
        user=other, owner=b, kind="mou", parties=[rosario, b_actor], title="PRIVATE-B-agreement"
    )
    b_contact = services.contact_create(user=other, owner=b, full_name="PRIVATE-B-contact")
    b_note = services.agreement_note_create(
        user=other, agreement=reference_agreement, owner=b, why_signed="PRIVATE-B-note"
    )
    TermOfGovernment.objects.create(organisation=b, head_name="PRIVATE-B-mayor", start=dt.date(2019, 12, 10))
    # Office B is a member municipality of office A's metropolitan body, and shares one project with it.
    b.parent = a
    b.save(update_fields=["parent"])
    b_shared_project = services.project_create(
        user=other, owner=b, title="SHARED-B-project", modality="decentralised"
    )
    services.record_share(user=other, record=b_shared_project, organisations=[a])

    # --- Who asks, and the API token each one holds (write scope: the role decides, not the token) -----
    users: dict[str, User | None] = {
        OWNER: cast.owner,
        EDITOR: cast.editor,
        VIEWER: cast.viewer,
        OTHER_ORG: cast.other_owner,
        OUTSIDER: cast.outsider,
        ANONYMOUS: None,
    }
    tokens = {
        name: account_services.api_token_create(user=user, name="security matrix", scope="write")[1]
        for name, user in users.items()
        if user is not None
    }
    world = World(
        cast=cast,
        users=users,
        tokens=tokens,
        montevideo=montevideo,
        rosario=rosario,
        porto_alegre=porto_alegre,
        network=network,
        reference_membership=reference_membership,
        reference_agreement=reference_agreement,
        a_actor=a_actor,
        a_network=a_network,
        a_membership=a_membership,
        a_agreement=a_agreement,
        a_note=a_note,
        a_project=a_project,
        a_event=a_event,
        a_contact=a_contact,
        a_document=a_document,
        a_import=a_import,
        a_review=a_review,
        a_term=a_term,
        shared_agreement=shared_agreement,
        shared_project=shared_project,
        public_project=public_project,
        public_event=public_event,
        b_actor=b_actor,
        b_agreement=b_agreement,
        b_contact=b_contact,
        b_note=b_note,
        b_shared_project=b_shared_project,
    )
    # Each app of tests/security/apps adds its own records (in world.extra, under names it chooses).
    for module in app_modules():
        module.build(world)
    return world


def app_modules() -> list[Any]:
    """tests/security/apps/<app>.py: an app's part of the matrix. Each module has build(world), which adds
    the app's records to world.extra with the same markers, and UI_PROBES, API_PROBES (lists of Probe) and
    optionally EXCLUDED_ROUTES ({route: reason}); expectations.py adds them to its own."""
    import importlib
    import pkgutil

    from tests.security import apps

    return [importlib.import_module(f"{apps.__name__}.{m.name}") for m in pkgutil.iter_modules(apps.__path__)]
