"""Who acts internationally and how they are related: actors, networks, memberships, agreements,
cooperation projects, events and missions, contacts, and the one controlled list of themes.

Every model here except the plain child rows (role periods, parties, partners, transactions) is a
`Record`: a shared reference fact when it has no owner, an organisation's own record otherwise.
Child rows take their visibility from their parent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citydiplo.accounts.records import Record, RecordQuerySet
from citydiplo.lib.fields import CurrencyField, MoneyField, PartialDateField


class Theme(models.Model):
    """One controlled list of themes, shared by networks, projects, objectives and analysis alike."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # SDG goal numbers (1-17) the theme contributes to; the strategy app links targets in detail.
    sdg_goals = models.JSONField(_("SDG goals"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class ActorKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    METROPOLITAN_BODY = "metropolitan_body", _("Metropolitan body")
    REGION = "region", _("Region or state")
    NATIONAL_GOVERNMENT = "national_government", _("National government or ministry")
    NETWORK = "network", _("Network or alliance")
    ASSOCIATION_OF_MUNICIPALITIES = "association_of_municipalities", _("Association of municipalities")
    INTERNATIONAL_AGENCY = "international_agency", _("International agency")
    DEVELOPMENT_BANK = "development_bank", _("Development bank")
    FUND = "fund", _("Fund or foundation")
    COMPANY = "company", _("Company")
    UNIVERSITY = "university", _("University or research centre")
    CIVIL_SOCIETY = "civil_society", _("Civil-society group")
    MEDIA = "media", _("Media")
    DIPLOMATIC = "diplomatic", _("Embassy or consulate")
    OTHER = "other", _("Other")


GOVERNMENT_KINDS = (
    ActorKind.MUNICIPALITY,
    ActorKind.METROPOLITAN_BODY,
    ActorKind.REGION,
    ActorKind.NATIONAL_GOVERNMENT,
)


class NetworkKind(models.TextChoices):
    GLOBAL_NETWORK = "global_network", _("Global network")
    REGIONAL_NETWORK = "regional_network", _("Regional network")
    THEMATIC_NETWORK = "thematic_network", _("Thematic network")
    POLITICAL_ALLIANCE = "political_alliance", _("Political alliance")
    AD_HOC_COALITION = "ad_hoc_coalition", _("Ad-hoc coalition")


class Scope(models.TextChoices):
    GLOBAL = "global", _("Global")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


class Actor(Record):
    """Any party of international action: a government at any level, a network, an agency, a company...

    Governments carry a country, coordinates and external ids. A GeoNames id or a Wikidata QID belongs to
    at most one actor; duplicates are joined with `actor_merge`, which keeps the other ids in `other_ids`.
    """

    slug = models.SlugField(_("short name in addresses"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=ActorKind.choices)
    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    country = models.CharField(_("country"), max_length=2, blank=True, default="", db_index=True)
    admin_area = models.CharField(_("admin area"), max_length=120, blank=True, default="")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    population = models.BigIntegerField(_("population"), null=True, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    wikidata_id = models.CharField(_("Wikidata QID"), max_length=20, null=True, blank=True, unique=True)
    other_ids = models.JSONField(_("other identifiers"), default=dict, blank=True)
    website = models.URLField(_("website"), blank=True, default="")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="actors")
    # Networks and alliances only.
    network_kind = models.CharField(
        _("network kind"), max_length=32, choices=NetworkKind.choices, blank=True, default=""
    )
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, blank=True, default="")
    founded = PartialDateField(_("founded"))
    secretariat = models.ForeignKey(
        "self",
        verbose_name=_("secretariat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="secretariat_of",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        indexes = [models.Index(fields=["kind", "country"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})" if self.country else self.name

    def get_absolute_url(self) -> str:
        name = "registry:network-detail" if self.kind == ActorKind.NETWORK else "registry:actor-detail"
        return reverse(name, args=[self.slug])

    @property
    def is_network(self) -> bool:
        return self.kind == ActorKind.NETWORK

    @property
    def is_government(self) -> bool:
        return self.kind in GOVERNMENT_KINDS

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class NetworkQuerySet(RecordQuerySet):
    pass


class NetworkManager(models.Manager.from_queryset(NetworkQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> NetworkQuerySet:
        return super().get_queryset().filter(kind=ActorKind.NETWORK)


class Network(Actor):
    """The actors that are networks and alliances (a view on Actor, not a separate table)."""

    objects = NetworkManager()

    class Meta:
        proxy = True
        verbose_name = _("network")
        verbose_name_plural = _("networks")


class Membership(Record):
    """An actor's membership of a network. Roles change over time and live in role periods."""

    member = models.ForeignKey(
        Actor, verbose_name=_("member"), on_delete=models.CASCADE, related_name="memberships"
    )
    network = models.ForeignKey(
        Actor,
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="network_memberships",
        limit_choices_to={"kind": ActorKind.NETWORK},
    )
    since = PartialDateField(_("member since"))
    until = PartialDateField(_("member until"))
    annual_fee = MoneyField(_("annual fee"), null=True, blank=True)
    fee_currency = CurrencyField(_("fee currency"))
    notes = models.TextField(_("notes"), blank=True, default="")

    class Meta:
        ordering = ["network__name", "member__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "network"], condition=Q(owner__isnull=True), name="one_reference_membership"
            ),
            models.UniqueConstraint(
                fields=["member", "network", "owner"],
                condition=Q(owner__isnull=False),
                name="one_owned_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.network}"

    @property
    def is_current(self) -> bool:
        return not self.until


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    FOUNDER = "founder", _("Founder")
    BOARD = "board", _("Board")
    CO_PRESIDENT = "co-president", _("Co-president")
    VICE_PRESIDENT = "vice-president", _("Vice-president")
    SECRETARIAT = "secretariat", _("Secretariat")
    OBSERVER = "observer", _("Observer")
    LEAD = "lead", _("Lead")


class RolePeriod(models.Model):
    """A role held within a membership for a period: member since 1995, board 2017-2020..."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_periods")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    since = PartialDateField(_("since"))
    until = PartialDateField(_("until"))

    class Meta:
        ordering = ["since", "role"]
        verbose_name = _("role period")
        verbose_name_plural = _("role periods")

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.since or '?'}–{self.until}"


class AgreementKind(models.TextChoices):
    TWINNING = "twinning", _("Twinning / sister city")
    FRIENDSHIP = "friendship", _("Friendship")
    COOPERATION = "cooperation", _("Cooperation agreement")
    MOU = "mou", _("Memorandum of understanding")


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    ENDED = "ended", _("Ended")
    UNKNOWN = "unknown", _("Unknown")


class Agreement(Record):
    """A twinning, friendship or cooperation agreement or MoU between two or more actors."""

    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    signed = PartialDateField(_("signed"))
    ended = PartialDateField(_("ended"))
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.UNKNOWN
    )
    parties = models.ManyToManyField(Actor, through="AgreementParty", related_name="agreements")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="agreements")

    class Meta:
        ordering = ["-signed", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("registry:agreement-detail", args=[self.pk])


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="party_links")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="agreement_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "actor"], name="one_party_once")]

    def __str__(self) -> str:
        return f"{self.actor} in {self.agreement}"


class AgreementNote(Record):
    """An office's own notes on an agreement: above all why it was signed, the question every successor asks."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="notes")
    why_signed = models.TextField(_("why it was signed"), blank=True, default="")
    notes = models.TextField(_("notes"), blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("agreement note")
        verbose_name_plural = _("agreement notes")


class ProjectModality(models.TextChoices):
    DECENTRALISED = "decentralised", _("Decentralised cooperation")
    SOUTH_SOUTH = "south_south", _("South-South cooperation")
    TRIANGULAR = "triangular", _("Triangular cooperation")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")


class ProjectStatus(models.TextChoices):
    """IATI activity status codes, so projects export to IATI without a mapping table."""

    PIPELINE = "pipeline", _("Pipeline / identification")
    IMPLEMENTATION = "implementation", _("Implementation")
    FINALISATION = "finalisation", _("Finalisation")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    SUSPENDED = "suspended", _("Suspended")


class Project(Record):
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, default="")
    modality = models.CharField(_("modality"), max_length=24, choices=ProjectModality.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PIPELINE
    )
    start = PartialDateField(_("start"))
    end = PartialDateField(_("end"))
    budget = MoneyField(_("budget"), null=True, blank=True)
    currency = CurrencyField(_("currency"))
    iati_identifier = models.CharField(_("IATI identifier"), max_length=150, blank=True, default="")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="projects")
    partners = models.ManyToManyField(Actor, through="ProjectPartner", related_name="projects")
    # SDG targets are linked by the strategy app (strategy.SdgTag points here), keeping this app free of it.

    class Meta:
        ordering = ["-start", "title"]
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("registry:project-detail", args=[self.pk])


class PartnerRole(models.TextChoices):
    """IATI organisation roles."""

    FUNDING = "funding", _("Funding")
    ACCOUNTABLE = "accountable", _("Accountable")
    EXTENDING = "extending", _("Extending")
    IMPLEMENTING = "implementing", _("Implementing")


class ProjectPartner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partner_links")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="project_links")
    role = models.CharField(_("role"), max_length=16, choices=PartnerRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "actor", "role"], name="one_partner_role")]

    def __str__(self) -> str:
        return f"{self.actor} ({self.role}) in {self.project}"


class TransactionKind(models.TextChoices):
    """IATI transaction types most used by local governments."""

    INCOMING_FUNDS = "incoming_funds", _("Incoming funds")
    INCOMING_COMMITMENT = "incoming_commitment", _("Incoming commitment")
    OUTGOING_COMMITMENT = "outgoing_commitment", _("Outgoing commitment")
    DISBURSEMENT = "disbursement", _("Disbursement")
    EXPENDITURE = "expenditure", _("Expenditure")


class ProjectTransaction(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transactions")
    kind = models.CharField(_("kind"), max_length=24, choices=TransactionKind.choices)
    date = models.DateField(_("date"))
    amount = MoneyField(_("amount"))
    currency = CurrencyField(_("currency"))
    provider = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    receiver = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    description = models.CharField(_("description"), max_length=300, blank=True, default="")

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency} ({self.date})"


class EventKind(models.TextChoices):
    SUMMIT = "summit", _("Summit")
    CONFERENCE = "conference", _("Conference")
    INCOMING_DELEGATION = "incoming_delegation", _("Incoming delegation")
    OUTGOING_DELEGATION = "outgoing_delegation", _("Outgoing delegation")
    VISIT = "visit", _("Visit")
    WORKSHOP = "workshop", _("Workshop or webinar")
    OTHER = "other", _("Other")


class Event(Record):
    """A summit, conference, delegation or visit: what happened, where, with whom, at what cost."""

    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, default="")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.ForeignKey(
        Actor,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_here",
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True, default="")
    network = models.ForeignKey(
        Actor,
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_events",
        limit_choices_to={"kind": ActorKind.NETWORK},
    )
    participants = models.ManyToManyField(
        Actor, verbose_name=_("participating institutions"), blank=True, related_name="events"
    )
    participant_names = models.TextField(_("people taking part"), blank=True, default="")
    cost = MoneyField(_("cost"), null=True, blank=True)
    cost_currency = CurrencyField(_("cost currency"))
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="events")

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("event or mission")
        verbose_name_plural = _("events and missions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("registry:event-detail", args=[self.pk])


class LawfulBasis(models.TextChoices):
    """The grounds for holding a person's data, as GDPR art. 6(1) names them (LGPD art. 7 and the Latin
    American laws have close equivalents)."""

    CONSENT = "consent", _("Consent")
    CONTRACT = "contract", _("Contract")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
    PUBLIC_TASK = "public_task", _("Public task")
    LEGITIMATE_INTERESTS = "legitimate_interests", _("Legitimate interests")
    VITAL_INTERESTS = "vital_interests", _("Vital interests")


class Contact(Record):
    """A person in a partner institution, with role and period, so a relation survives staff turnover.

    Personal data: private to the owning organisation by default.
    """

    full_name = models.CharField(_("full name"), max_length=200)
    institution = models.ForeignKey(
        Actor,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    position = models.CharField(_("position"), max_length=200, blank=True, default="")
    email = models.EmailField(_("email"), blank=True, default="")
    phone = models.CharField(_("phone"), max_length=50, blank=True, default="")
    since = PartialDateField(_("in this role since"))
    until = PartialDateField(_("in this role until"))
    notes = models.TextField(_("notes"), blank=True, default="")
    # Personal data (GDPR art. 6, LGPD art. 7, Argentina's Law 25.326, Mexico's LFPDPPP): why the office
    # may hold it, until when, and whether the person asked to be forgotten. See registry/privacy.py.
    lawful_basis = models.CharField(
        _("lawful basis"), max_length=24, choices=LawfulBasis.choices, blank=True, default=""
    )
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_evidence = models.CharField(
        _("consent evidence"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("Where the consent is kept: a signed form, an email, the minutes of a meeting."),
    )
    retention_until = models.DateField(
        _("keep until"),
        null=True,
        blank=True,
        help_text=_("After this date the contact is listed for review: extend it, or erase the person."),
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("registry:contact-detail", args=[self.pk])

    def clean(self) -> None:
        """The personal-data rules (registry/privacy.py), on every create and edit."""
        if self.erased_at is not None and (self.email or self.phone or self.notes or self.consent_evidence):
            raise ValidationError(_("This person was erased: their details cannot be recorded again here."))
        if self.lawful_basis == LawfulBasis.CONSENT and not self.consent_given_on:
            raise ValidationError(
                {"consent_given_on": _("Give the date the person consented: consent is the lawful basis.")}
            )
        if self.consent_given_on and self.consent_given_on > timezone.localdate():
            raise ValidationError({"consent_given_on": _("Consent cannot be given in the future.")})


def document_upload_to(instance: Document, filename: str) -> str:
    owner = instance.owner_id or "reference"
    return f"documents/{owner}/{filename}"


class Document(Record):
    """A file attached to an agreement, a project or an event (signed text, report, minutes)."""

    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_upload_to)
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


# The place resolution models (aliases and the review queue) live in their own package.
from citydiplo.registry.resolution.models import PlaceAlias, PlaceReview  # noqa: E402,F401
