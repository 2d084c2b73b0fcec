"""The internationalisation strategy as public policy, and the SDG catalogue it is aligned with.

Two kinds of data live here:
- the SDG catalogue (goals, targets, indicators): reference data shared by every organisation, loaded by
  `citydiplo load-reference`, with no owner and no visibility;
- an organisation's strategy and everything hanging from it (objectives, axes, stakeholders,
  consultations, externalities): `Record`s, read through `visible_to` and written through the services.

Objectives link to the registry's actions (projects, agreements, memberships, events) from this side, so
the registry app stays free of this one. Project SDG tags live here for the same reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from citydiplo.accounts.records import Record

# --- The SDG catalogue --------------------------------------------------------------------------------


class SdgGoal(models.Model):
    """One of the 17 goals. Short names are written by the project (goals.py); titles come from the load."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    short_name = models.CharField(_("short name"), max_length=120)
    title = models.CharField(_("title"), max_length=300, blank=True, default="")

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG goal")
        verbose_name_plural = _("SDG goals")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1) & Q(number__lte=17), name="sdg_goal_1_to_17")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.short_name}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:sdg-goal", args=[self.number])

    @property
    def colour(self) -> str:
        from citydiplo.strategy.goals import GOAL_COLOURS

        return GOAL_COLOURS.get(self.number, "#666666")


class SdgTarget(models.Model):
    """A target such as 11.2. Titles in en/es/fr from Open SDG; English is shown where one is missing."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    goal = models.ForeignKey(
        SdgGoal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="targets"
    )
    title = models.TextField(_("title"), blank=True, default="")
    # File order: "11.a" comes after "11.7", which text sorting would not give.
    position = models.PositiveIntegerField(default=0, db_index=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self) -> str:
        return self.code


class SdgIndicator(models.Model):
    """One indicator row of the UN 2025 framework. A repeated indicator (1.5.1 = 11.5.1 = 13.1.1) has one
    row per place it appears, sharing the UNSD code, so `unsd_code` is not unique."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    target = models.ForeignKey(
        SdgTarget, verbose_name=_("target"), on_delete=models.CASCADE, related_name="indicators"
    )
    unsd_code = models.CharField(_("UNSD code"), max_length=12, db_index=True)
    title = models.TextField(_("title"), blank=True, default="")
    # True when the Open SDG translation predates the UN's 2025 rewording: the English title is shown.
    translation_outdated = models.BooleanField(_("translation outdated"), default=False)
    position = models.PositiveIntegerField(default=0, db_index=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("SDG indicator")
        verbose_name_plural = _("SDG indicators")

    def __str__(self) -> str:
        return self.code


# --- The strategy --------------------------------------------------------------------------------------


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    UNDER_REVISION = "under_revision", _("Under revision")
    ARCHIVED = "archived", _("Archived")


class Strategy(Record):
    """An organisation's internationalisation strategy: a public policy with a horizon, a vision of the
    city, the current 12-18 month thesis, objectives, and the versions it went through."""

    title = models.CharField(_("title"), max_length=300)
    horizon_start = models.DateField(_("horizon start"), null=True, blank=True)
    horizon_end = models.DateField(_("horizon end"), null=True, blank=True)
    vision = models.TextField(
        _("vision (model of city)"),
        blank=True,
        default="",
        help_text=_("The city the strategy works towards."),
    )
    thesis = models.TextField(
        _("current thesis"),
        blank=True,
        default="",
        help_text=_(
            "What the city wants to achieve in the next 12 to 18 months, and which networks can help."
        ),
    )
    thesis_start = models.DateField(_("thesis from"), null=True, blank=True)
    thesis_end = models.DateField(_("thesis until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=StrategyStatus.choices, default=StrategyStatus.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    development_plan_title = models.CharField(_("development plan"), max_length=300, blank=True, default="")
    development_plan_url = models.URLField(_("development plan link"), max_length=500, blank=True, default="")
    documents = models.ManyToManyField(
        "registry.Document", verbose_name=_("documents"), blank=True, related_name="strategies"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-horizon_start", "title"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.CheckConstraint(
                condition=Q(horizon_end__isnull=True)
                | Q(horizon_start__isnull=True)
                | Q(horizon_end__gte=models.F("horizon_start")),
                name="strategy_horizon_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:strategy-detail", args=[self.pk])


class StrategyVersion(models.Model):
    """A frozen copy of a strategy with its objectives, taken when a revision starts, so the previous
    text stays readable. Not a Record: it is read through its strategy's visibility."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    snapshot = models.JSONField(_("snapshot"), default=dict)
    note = models.TextField(_("note"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["strategy", "-number"]
        verbose_name = _("strategy version")
        verbose_name_plural = _("strategy versions")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="one_strategy_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.strategy} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:version-detail", args=[self.strategy_id, self.number])


class AxisKind(models.TextChoices):
    THEMATIC = "thematic", _("Thematic")
    GEOGRAPHIC = "geographic", _("Geographic")


class Axis(Record):
    """A thematic axis (mobility, water, climate...) or a geographic one (a region, priority countries)."""

    kind = models.CharField(_("kind"), max_length=12, choices=AxisKind.choices)
    name = models.CharField(_("name"), max_length=200)
    theme = models.ForeignKey(
        "registry.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="strategy_axes",
    )
    # ISO 3166-1 alpha-2 codes, upper case.
    countries = models.JSONField(_("countries"), default=list, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("axis")
        verbose_name_plural = _("axes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy:axis-detail", args=[self.pk])


class ObjectiveFamily(models.TextChoices):
    """The five families of a city's international action."""

    PROJECTION = "projection", _("Projection and attraction")
    KNOWLEDGE = "knowledge", _("Knowledge exchange with peers")
    SOLIDARITY = "solidarity", _("Solidarity and cooperation")
    CULTURE = "culture", _("Cultural and citizen exchange")
    ADVOCACY = "advocacy", _("Advocacy and global influence")


class Objective(Record):
    """An objective of a strategy, of one family, with its axes, owners in government, SDG targets and the
    registry actions that serve it. Links to actions need read access to them (see services)."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="objectives"
    )
    family = models.CharField(_("family"), max_length=16, choices=ObjectiveFamily.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, default="")
    # Transversality: any area of government may own an objective. A list of department names.
    responsible_departments = models.JSONField(_("responsible departments"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    axes = models.ManyToManyField(Axis, verbose_name=_("axes"), blank=True, related_name="objectives")
    sdg_targets = models.ManyToManyField(
        SdgTarget, verbose_name=_("SDG targets"), blank=True, related_name="objectives"
    )
    projects = models.ManyToManyField(
        "registry.Project", verbose_name=_("projects"), blank=True, related_name="objectives"
    )
    agreements = models.ManyToManyField(
        "registry.Agreement", verbose_name=_("agreements"), blank=True, related_name="objectives"
    )
    memberships = models.ManyToManyField(
        "registry.Membership", verbose_name=_("memberships"), blank=True, related_name="objectives"
    )
    events = models.ManyToManyField(
        "registry.Event", verbose_name=_("events and missions"), blank=True, related_name="objectives"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "order", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:objective-detail", args=[self.pk])


class StakeholderGroup(models.TextChoices):
    """The six groups of local stakeholders of a city's international action."""

    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    CIVIL_SOCIETY = "civil_society", _("Citizens and civil society")
    DIPLOMATIC = "diplomatic", _("Diplomatic and consular representations")
    INTERNATIONAL = "international", _("International agencies and networks present in the territory")
    MEDIA = "media", _("Media")


class Stakeholder(Record):
    """A local stakeholder: who they are, their own international agenda, whom to talk to."""

    group = models.CharField(_("group"), max_length=20, choices=StakeholderGroup.choices)
    name = models.CharField(_("name"), max_length=250)
    actor = models.ForeignKey(
        "registry.Actor",
        verbose_name=_("registry actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stakeholder_entries",
    )
    international_agenda = models.TextField(_("their international agenda"), blank=True, default="")
    contact_person = models.CharField(_("contact person"), max_length=300, blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy:stakeholder-detail", args=[self.pk])


class ConsultationFormat(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    WORKSHOP = "workshop", _("Workshop")
    SURVEY = "survey", _("Survey")
    PUBLIC_HEARING = "public_hearing", _("Public hearing")
    WRITTEN = "written", _("Written submissions")
    ONLINE = "online", _("Online consultation")
    OTHER = "other", _("Other")


class Consultation(Record):
    """A consultation of local stakeholders on a strategy: who took part, what they asked for, and how
    the strategy answered (the answer is what makes it a consultation rather than a meeting)."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="consultations"
    )
    date = models.DateField(_("date"))
    format = models.CharField(_("format"), max_length=20, choices=ConsultationFormat.choices)
    participants = models.ManyToManyField(
        Stakeholder, verbose_name=_("participants"), blank=True, related_name="consultations"
    )
    other_participants = models.TextField(_("other participants"), blank=True, default="")
    requests = models.TextField(_("what they asked for"), blank=True, default="")
    response = models.TextField(_("how the strategy answered"), blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return f"{self.get_format_display()} {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:consultation-detail", args=[self.pk])


class ExternalityStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    MITIGATING = "mitigating", _("Being mitigated")
    MONITORED = "monitored", _("Under control, monitored")
    CLOSED = "closed", _("Closed")


class Externality(Record):
    """A negative externality of international action (gentrification from foreign real-estate capital,
    mass tourism, port and airport pollution), linked to the objectives that cause it, with mitigation."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="externalities"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, default="")
    objectives = models.ManyToManyField(
        Objective, verbose_name=_("linked objectives"), blank=True, related_name="externalities"
    )
    mitigation = models.TextField(_("mitigation measures"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=16, choices=ExternalityStatus.choices, default=ExternalityStatus.IDENTIFIED
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "title"]
        verbose_name = _("negative externality")
        verbose_name_plural = _("negative externalities")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:externality-detail", args=[self.pk])


class ProjectSdgTag(models.Model):
    """A registry project tagged with an SDG target. Lives here so the registry app stays free of this
    one; the tag is read through its project's visibility and written by those who may edit the project."""

    project = models.ForeignKey("registry.Project", on_delete=models.CASCADE, related_name="sdg_tags")
    target = models.ForeignKey(SdgTarget, on_delete=models.CASCADE, related_name="project_tags")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["project", "target__position"]
        verbose_name = _("project SDG tag")
        verbose_name_plural = _("project SDG tags")
        constraints = [models.UniqueConstraint(fields=["project", "target"], name="one_project_sdg_tag")]

    def __str__(self) -> str:
        return f"{self.project_id} → {self.target_id}"
