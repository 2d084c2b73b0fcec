"""Typed shapes of the registry API (/api/v1/): what comes in, what goes out.

Conventions every schema follows, so a client learns them once:
- a record names its owner organisation by slug (null for a shared reference fact) and carries its
  provenance (`origin`, `source`, `as_of`, `verified`) and its `version` for safe editing;
- actors are referred to by slug, other records by id;
- money is `{"amount": "1200.50", "currency": "EUR"}`: a decimal string and an ISO 4217 code, never a float;
- partial dates are "YYYY", "YYYY-MM", "YYYY-MM-DD" or "" (unknown).

Input schemas only check shape and formats; permissions and business rules stay in the services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema, field_validator

from citydiplo.accounts.records import Origin, Visibility
from citydiplo.lib.money import amount_parse, currency_validate
from citydiplo.lib.partial_dates import validate_partial_date
from citydiplo.registry.models import (
    ActorKind,
    AgreementKind,
    AgreementStatus,
    EventKind,
    LawfulBasis,
    NetworkKind,
    PartnerRole,
    ProjectModality,
    ProjectStatus,
    Role,
    Scope,
    TransactionKind,
)

# --- Value types --------------------------------------------------------------------------------------


def _partial_date(value: str) -> str:
    # The model's own validator, so the API accepts exactly what the database accepts.
    try:
        validate_partial_date(value)
    except DjangoValidationError as exc:
        raise ValueError(exc.messages[0]) from exc
    return value


PartialDate = Annotated[
    str,
    AfterValidator(_partial_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(\d{4}(-\d{2}(-\d{2})?)?)?$",
            "description": 'A date known to the year, month or day: "1995", "2017-05", "2017-05-03", or "" if unknown.',
            "examples": ["1995", "2017-05", "2017-05-03", ""],
        }
    ),
]


def _currency(value: str) -> str:
    return currency_validate(value)  # MoneyError is a ValueError: pydantic reports it on the field


Currency = Annotated[
    str,
    AfterValidator(_currency),
    WithJsonSchema(
        {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code", "examples": ["EUR"]}
    ),
]


def _amount(value: Any) -> Decimal:
    # JSON numbers arrive as binary floats; refusing them keeps 0.1 + 0.2 out of budgets.
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        raise ValueError('Give the amount as a string such as "1200.50", not as a number.')
    return amount_parse(value)


Amount = Annotated[
    Decimal,
    BeforeValidator(_amount),
    Field(max_digits=18, decimal_places=2),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d{1,16}(\.\d{1,2})?$", "examples": ["1200.50"]}),
]


def _country(value: str) -> str:
    return value.upper()


Country = Annotated[
    str,
    Field(pattern=r"^([A-Za-z]{2})?$", description='ISO 3166-1 alpha-2 code, or "" for none'),
    AfterValidator(_country),
]
Slug = Annotated[str, Field(min_length=1, max_length=120, description="An actor's slug, e.g. montevideo-uy")]
ThemeKeys = Annotated[list[str], Field(description="Theme keys from GET /themes")]


class MoneyIn(Schema):
    amount: Amount
    currency: Currency


class MoneyOut(Schema):
    amount: str = Field(..., description="Decimal amount as a string", examples=["1200.50"])
    currency: str = Field(..., description="ISO 4217 code", examples=["EUR"])


def money_out(amount: Decimal | None, currency: str) -> dict[str, str] | None:
    return None if amount is None else {"amount": str(amount), "currency": currency}


# --- Errors (documented in the OpenAPI schema; produced by the handlers in citydiplo/api.py) -------------


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        ...,
        description='Messages by field name ("roles.0.since" for nested fields, "__all__" for the record)',
    )


class StaleEditOut(Schema):
    detail: str
    current_version: int = Field(
        ..., description="The version now stored: reload the record, then edit again"
    )


# --- Shared pieces of records ----------------------------------------------------------------------------


class RecordOut(Schema):
    """Fields every record carries."""

    owner: str | None = Field(None, description="Slug of the owning organisation; null for a reference fact")
    visibility: Visibility
    origin: Origin
    source: str
    as_of: str
    verified: bool
    version: int

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return obj.owner.slug if obj.owner_id else None


class RecordIn(Schema):
    """Fields every created record may set. `owner` must be given, even as null, so nobody creates a
    reference fact by forgetting it."""

    owner: str | None = Field(
        ...,
        description="Slug of an organisation where you are owner or editor; "
        "null for a shared reference fact (platform curators only)",
    )
    visibility: Visibility | None = Field(None, description="Default: private (reference facts are public)")
    source: str = Field("", max_length=500)
    as_of: PartialDate = ""
    verified: bool = False


class OwnedRecordIn(RecordIn):
    """Records that always belong to an organisation (projects, events, contacts)."""

    owner: str = Field(..., description="Slug of an organisation where you are owner or editor")


# Default of PATCH fields, meaning "not sent" (the endpoints read `model_fields_set`). Typed Any so a
# field keeps its real type: pydantic does not validate defaults, and still refuses an explicit null for
# a field that is not nullable.
NOT_SENT: Any = None


class RecordPatch(Schema):
    """A partial edit. Only the fields sent are changed; `version` is the version the edit started from."""

    version: int = Field(
        ..., ge=1, description="The version you read; a newer stored version refuses the edit (409)"
    )
    visibility: Visibility = NOT_SENT
    source: str = Field(NOT_SENT, max_length=500)
    as_of: PartialDate = NOT_SENT
    verified: bool = NOT_SENT


class ThemeOut(Schema):
    key: str
    name: str
    sdg_goals: list[int]


class ActorRef(Schema):
    slug: str
    name: str
    kind: ActorKind
    country: str


class RolePeriodOut(Schema):
    role: Role
    since: str
    until: str


class RolePeriodIn(Schema):
    role: Role
    since: PartialDate = ""
    until: PartialDate = ""


def _theme_keys(obj: Any) -> list[str]:
    return [theme.key for theme in obj.themes.all()]


# --- Actors and networks ---------------------------------------------------------------------------------


class ActorOut(RecordOut):
    slug: str
    kind: ActorKind
    name: str
    acronym: str
    country: str
    admin_area: str
    latitude: float | None
    longitude: float | None
    population: int | None
    wikidata_id: str | None
    geonames_id: int | None
    website: str
    parent: str | None = Field(None, description="Slug of the actor this one is part of")
    network_kind: NetworkKind | Literal[""]
    scope: Scope | Literal[""]
    founded: str
    themes: list[str]

    @staticmethod
    def resolve_parent(obj: Any) -> str | None:
        return obj.parent.slug if obj.parent_id else None

    @staticmethod
    def resolve_themes(obj: Any) -> list[str]:
        return _theme_keys(obj)


class NetworkOut(RecordOut):
    slug: str
    name: str
    acronym: str
    network_kind: NetworkKind | Literal[""]
    scope: Scope | Literal[""]
    founded: str
    website: str
    member_count: int = Field(..., description="Current members you may see")
    country_count: int = Field(..., description="Countries of those members")
    themes: list[str]

    @staticmethod
    def resolve_themes(obj: Any) -> list[str]:
        return _theme_keys(obj)


class MembershipBase(RecordOut):
    id: int
    since: str
    until: str
    current: bool = Field(..., description="True while the membership has no end")
    roles: list[RolePeriodOut] = Field(..., description="Roles held, each for its period")
    annual_fee: MoneyOut | None
    notes: str

    @staticmethod
    def resolve_current(obj: Any) -> bool:
        return obj.is_current

    @staticmethod
    def resolve_roles(obj: Any) -> list[Any]:
        return list(obj.role_periods.all())

    @staticmethod
    def resolve_annual_fee(obj: Any) -> dict[str, str] | None:
        return money_out(obj.annual_fee, obj.fee_currency)


class NetworkMemberOut(MembershipBase):
    member: ActorRef


class ActorMembershipOut(MembershipBase):
    network: ActorRef


class MembershipOut(MembershipBase):
    member: ActorRef
    network: ActorRef


class NetworkDetail(NetworkOut):
    description: str
    secretariat: str | None = Field(None, description="Slug of the actor hosting the secretariat")
    members: list[NetworkMemberOut] = Field(..., description="Current members first, then former ones")

    # Read by the endpoint through the selectors (only memberships the reader may see) and attached
    # to the network like an annotation; the schema never queries on its own.
    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        return obj.visible_members

    @staticmethod
    def resolve_secretariat(obj: Any) -> str | None:
        return obj.secretariat.slug if obj.secretariat_id else None


class AgreementRef(Schema):
    id: int
    kind: AgreementKind
    title: str
    signed: str
    status: AgreementStatus


class AgreementPartnerOut(Schema):
    partner: ActorRef
    agreement: AgreementRef


class ActorDetail(ActorOut):
    description: str
    secretariat: str | None = None
    other_ids: dict[str, Any]
    memberships: list[ActorMembershipOut] = Field(
        ..., description="Networks this actor belongs or belonged to"
    )
    partners: list[AgreementPartnerOut] = Field(..., description="Actors linked to this one by an agreement")

    # Attached by the endpoint from the selectors (see NetworkDetail).
    @staticmethod
    def resolve_memberships(obj: Any) -> list[Any]:
        return obj.visible_memberships

    @staticmethod
    def resolve_partners(obj: Any) -> list[dict[str, Any]]:
        return [{"partner": partner, "agreement": agreement} for partner, agreement in obj.visible_partners]

    @staticmethod
    def resolve_secretariat(obj: Any) -> str | None:
        return obj.secretariat.slug if obj.secretariat_id else None


class ActorFields(Schema):
    """Descriptive fields of an actor, shared by creation and editing."""

    acronym: str = Field("", max_length=40)
    description: str = ""
    country: Country = ""
    admin_area: str = Field("", max_length=120)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    population: int | None = Field(None, ge=0)
    wikidata_id: str | None = Field(None, pattern=r"^Q\d+$")
    geonames_id: int | None = Field(None, ge=1)
    website: str = Field("", max_length=200)
    parent: Slug | None = None
    network_kind: NetworkKind | Literal[""] = ""
    scope: Scope | Literal[""] = ""
    founded: PartialDate = ""


class ActorCreate(RecordIn, ActorFields):
    name: str = Field(..., min_length=1, max_length=250)
    kind: ActorKind
    themes: ThemeKeys = []


class ActorPatch(RecordPatch):
    name: str = Field(NOT_SENT, min_length=1, max_length=250)
    kind: ActorKind = NOT_SENT
    acronym: str = Field(NOT_SENT, max_length=40)
    description: str = NOT_SENT
    country: Country = NOT_SENT
    admin_area: str = Field(NOT_SENT, max_length=120)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    population: int | None = Field(None, ge=0)
    wikidata_id: str | None = Field(None, pattern=r"^Q\d+$")
    geonames_id: int | None = Field(None, ge=1)
    website: str = Field(NOT_SENT, max_length=200)
    parent: Slug | None = None
    network_kind: NetworkKind | Literal[""] = NOT_SENT
    scope: Scope | Literal[""] = NOT_SENT
    founded: PartialDate = NOT_SENT
    themes: ThemeKeys = NOT_SENT


# --- Memberships ---------------------------------------------------------------------------------------


class MembershipCreate(RecordIn):
    member: Slug
    network: Slug
    since: PartialDate = ""
    until: PartialDate = ""
    roles: list[RolePeriodIn] = Field([], description='Default: one "member" role over the membership period')
    annual_fee: MoneyIn | None = None
    notes: str = ""


# --- Agreements --------------------------------------------------------------------------------------


class AgreementOut(RecordOut):
    id: int
    kind: AgreementKind
    title: str
    signed: str
    ended: str
    status: AgreementStatus
    parties: list[ActorRef]
    themes: list[str]

    @staticmethod
    def resolve_themes(obj: Any) -> list[str]:
        return _theme_keys(obj)


class AgreementDetail(AgreementOut):
    description: str


def _two_distinct(slugs: list[str]) -> list[str]:
    if len(set(slugs)) < 2:
        raise ValueError("An agreement needs at least two different parties.")
    return slugs


class AgreementCreate(RecordIn):
    kind: AgreementKind
    parties: list[Slug] = Field(..., description="Slugs of the actors that signed (at least two)")
    title: str = Field("", max_length=300, description="Default: the parties' names")
    description: str = ""
    signed: PartialDate = ""
    ended: PartialDate = ""
    status: AgreementStatus = AgreementStatus.UNKNOWN
    themes: ThemeKeys = []

    @field_validator("parties")
    @classmethod
    def check_parties(cls, slugs: list[str]) -> list[str]:
        return _two_distinct(slugs)


class AgreementPatch(RecordPatch):
    kind: AgreementKind = NOT_SENT
    parties: list[Slug] = NOT_SENT
    title: str = Field(NOT_SENT, max_length=300)
    description: str = NOT_SENT
    signed: PartialDate = NOT_SENT
    ended: PartialDate = NOT_SENT
    status: AgreementStatus = NOT_SENT
    themes: ThemeKeys = NOT_SENT

    @field_validator("parties")
    @classmethod
    def check_parties(cls, slugs: list[str]) -> list[str]:
        return _two_distinct(slugs)


class AgreementNoteOut(RecordOut):
    id: int
    agreement: int
    why_signed: str
    notes: str
    created_at: dt.datetime

    @staticmethod
    def resolve_agreement(obj: Any) -> int:
        return obj.agreement_id


class AgreementNoteCreate(Schema):
    owner: str = Field(..., description="Slug of an organisation where you are owner or editor")
    visibility: Visibility | None = Field(None, description="Default: private")
    why_signed: str = ""
    notes: str = ""


# --- Projects ------------------------------------------------------------------------------------------


class ProjectPartnerOut(Schema):
    actor: ActorRef
    role: PartnerRole


class ProjectPartnerIn(Schema):
    actor: Slug
    role: PartnerRole


class TransactionOut(Schema):
    id: int
    kind: TransactionKind
    date: dt.date
    amount: MoneyOut
    provider: ActorRef | None
    receiver: ActorRef | None
    description: str

    @staticmethod
    def resolve_amount(obj: Any) -> dict[str, str] | None:
        return money_out(obj.amount, obj.currency)


class TransactionIn(Schema):
    kind: TransactionKind
    date: dt.date
    amount: MoneyIn
    provider: Slug | None = None
    receiver: Slug | None = None
    description: str = Field("", max_length=300)


class ProjectOut(RecordOut):
    id: int
    title: str
    modality: ProjectModality
    status: ProjectStatus
    start: str
    end: str
    budget: MoneyOut | None
    iati_identifier: str
    themes: list[str]

    @staticmethod
    def resolve_budget(obj: Any) -> dict[str, str] | None:
        return money_out(obj.budget, obj.currency)

    @staticmethod
    def resolve_themes(obj: Any) -> list[str]:
        return _theme_keys(obj)


class ProjectDetail(ProjectOut):
    description: str
    partners: list[ProjectPartnerOut]
    transactions: list[TransactionOut]

    @staticmethod
    def resolve_partners(obj: Any) -> list[Any]:
        return list(obj.partner_links.all())


class ProjectCreate(OwnedRecordIn):
    title: str = Field(..., min_length=1, max_length=300)
    modality: ProjectModality
    status: ProjectStatus = ProjectStatus.PIPELINE
    description: str = ""
    start: PartialDate = ""
    end: PartialDate = ""
    budget: MoneyIn | None = None
    iati_identifier: str = Field("", max_length=150)
    partners: list[ProjectPartnerIn] = []
    themes: ThemeKeys = []


class ProjectPatch(RecordPatch):
    title: str = Field(NOT_SENT, min_length=1, max_length=300)
    modality: ProjectModality = NOT_SENT
    status: ProjectStatus = NOT_SENT
    description: str = NOT_SENT
    start: PartialDate = NOT_SENT
    end: PartialDate = NOT_SENT
    budget: MoneyIn | None = None
    iati_identifier: str = Field(NOT_SENT, max_length=150)
    partners: list[ProjectPartnerIn] = Field(NOT_SENT, description="Replaces every partner when given")
    themes: ThemeKeys = NOT_SENT


# --- Events ----------------------------------------------------------------------------------------------


class EventOut(RecordOut):
    id: int
    kind: EventKind
    title: str
    start_date: dt.date
    end_date: dt.date | None
    place: ActorRef | None
    venue: str
    network: ActorRef | None
    cost: MoneyOut | None
    themes: list[str]

    @staticmethod
    def resolve_cost(obj: Any) -> dict[str, str] | None:
        return money_out(obj.cost, obj.cost_currency)

    @staticmethod
    def resolve_themes(obj: Any) -> list[str]:
        return _theme_keys(obj)


class EventDetail(EventOut):
    description: str
    participants: list[ActorRef] = Field(..., description="Participating institutions")
    participant_names: str = Field(..., description="People taking part")


class EventCreate(OwnedRecordIn):
    kind: EventKind
    title: str = Field(..., min_length=1, max_length=300)
    description: str = ""
    start_date: dt.date
    end_date: dt.date | None = None
    place: Slug | None = None
    venue: str = Field("", max_length=200)
    network: Slug | None = None
    participants: list[Slug] = []
    participant_names: str = ""
    cost: MoneyIn | None = None
    themes: ThemeKeys = []


class EventPatch(RecordPatch):
    kind: EventKind = NOT_SENT
    title: str = Field(NOT_SENT, min_length=1, max_length=300)
    description: str = NOT_SENT
    start_date: dt.date = NOT_SENT
    end_date: dt.date | None = None
    place: Slug | None = None
    venue: str = Field(NOT_SENT, max_length=200)
    network: Slug | None = None
    participants: list[Slug] = NOT_SENT
    participant_names: str = NOT_SENT
    cost: MoneyIn | None = None
    themes: ThemeKeys = NOT_SENT


# --- Contacts --------------------------------------------------------------------------------------------


class ContactOut(RecordOut):
    id: int
    full_name: str
    institution: ActorRef | None
    position: str
    email: str
    phone: str
    since: str
    until: str
    notes: str
    lawful_basis: LawfulBasis | Literal[""]
    consent_given_on: dt.date | None
    consent_evidence: str
    retention_until: dt.date | None = Field(None, description="Kept until this date, then reviewed")
    erased: bool = Field(False, description="The person asked to be forgotten: identity removed")

    @staticmethod
    def resolve_erased(obj: Any) -> bool:
        return obj.erased_at is not None


class ContactCreate(OwnedRecordIn):
    full_name: str = Field(..., min_length=1, max_length=200)
    institution: Slug | None = None
    position: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    since: PartialDate = ""
    until: PartialDate = ""
    notes: str = ""
    lawful_basis: LawfulBasis = Field(..., description="Why the office may hold this person's data")
    consent_given_on: dt.date | None = Field(None, description="Required when the lawful basis is consent")
    consent_evidence: str = Field("", max_length=300)
    retention_until: dt.date | None = Field(
        None, description="Kept until this date; by default CITYDIPLO_CONTACT_RETENTION_DAYS from today"
    )


class ContactPatch(RecordPatch):
    full_name: str = Field(NOT_SENT, min_length=1, max_length=200)
    institution: Slug | None = None
    position: str = Field(NOT_SENT, max_length=200)
    email: str = Field(NOT_SENT, max_length=254)
    phone: str = Field(NOT_SENT, max_length=50)
    since: PartialDate = NOT_SENT
    until: PartialDate = NOT_SENT
    notes: str = NOT_SENT
    lawful_basis: LawfulBasis = NOT_SENT
    consent_given_on: dt.date | None = NOT_SENT
    consent_evidence: str = Field(NOT_SENT, max_length=300)
    retention_until: dt.date | None = NOT_SENT


class PersonalDataExport(Schema):
    """Everything an office holds on a person (registry/privacy.py, contact_export)."""

    subject: str
    controller: str
    exported_at: dt.datetime
    exported_by: str
    records: list[dict[str, Any]]


# --- List filters (query strings), mirroring the selectors' keyword arguments ----------------------------

# The years the list filters accept, as the pages' filter forms do (registry/forms.py).
YEAR_MIN, YEAR_MAX = 1000, 2200


class NetworkFilters(Schema):
    q: str = ""
    scope: Scope | Literal[""] = ""
    theme: str = ""
    network_kind: NetworkKind | Literal[""] = ""


class ActorFilters(Schema):
    q: str = ""
    kind: ActorKind | Literal["government", ""] = Field(
        "", description='An actor kind, or "government" for any level'
    )
    country: str = ""
    theme: str = ""
    network: str = Field("", description="Slug of a network: its members")


class MembershipFilters(Schema):
    network: str = Field("", description="Slug of the network")
    member: str = Field("", description="Slug of the member")
    role: Role | Literal[""] = Field("", description="A role held now")
    current: bool | None = None


class AgreementFilters(Schema):
    q: str = ""
    kind: AgreementKind | Literal[""] = ""
    status: AgreementStatus | Literal[""] = ""
    actor: str = Field("", description="Slug of a party")
    country: str = Field("", description="Country of a party")
    owner: str = Field("", description="Slug of the owning organisation")
    year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="Year of signing")
    theme: str = ""


class ProjectFilters(Schema):
    q: str = ""
    status: ProjectStatus | Literal[""] = ""
    modality: ProjectModality | Literal[""] = ""
    theme: str = ""
    partner: str = Field("", description="Slug of a partner")


class EventFilters(Schema):
    q: str = ""
    kind: EventKind | Literal[""] = ""
    # Bounded like the pages' year filters: a year past 9999 made the date lookup fail with a server error.
    year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)
    place: str = Field("", description="Slug of the place or of a participating institution")


class ContactFilters(Schema):
    q: str = ""
    institution: str = Field("", description="Slug of the institution")
