"""Models of the indicators app: the catalogue, baselines and targets, and observations.

An indicator belongs to an organisation (a `Record`: owner, visibility, provenance). Its observations are
plain rows, not Records: there may be a million of them, they are written in bulk by imports (one
`interchange.ImportRun` per file, not a history row per line), and who may read them follows from the
indicator plus the review state: an organisation's members see every state, everyone else only approved
values.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from citydiplo.accounts.records import Record

# Observation values are Decimals: currency amounts must stay exact (the project's rule for money) and
# a value typed as "12.10" must compare equal when re-imported, which floats do not guarantee. Six
# decimal places cover percentages and rates; 18 integer digits cover any budget in any currency.
VALUE_DIGITS, VALUE_DECIMALS = 24, 6


class Level(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic (territorial)")
    PROGRAMMATIC = "programmatic", _("Programmatic (political)")
    OPERATIONAL = "operational", _("Operational (institutional)")


class Kind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantity with a unit")
    PERCENTAGE = "percentage", _("Percentage")
    CURRENCY = "currency", _("Amount of money")
    QUALITATIVE_SCALE = "qualitative_scale", _("Qualitative: ordered scale")
    QUALITATIVE_TEXT = "qualitative_text", _("Qualitative: free text with evidence")

    @classmethod
    def numeric(cls) -> tuple[str, ...]:
        return (cls.QUANTITATIVE, cls.PERCENTAGE, cls.CURRENCY)


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    MEAN = "mean", _("Mean")
    LAST = "last", _("Last value")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annual")
    BIENNIAL = "biennial", _("Every two years")
    IRREGULAR = "irregular", _("Irregular")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")


class Indicator(Record):
    """What an office measures: definition, kind, direction and the disaggregations it expects."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    definition = models.TextField(_("definition"), blank=True, default="")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.PROGRAMMATIC)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.QUANTITATIVE)
    unit = models.CharField(_("unit"), max_length=60, blank=True, default="")
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="")
    # For qualitative scales: the labels from worst to best, e.g. ["none", "initial", "advanced"].
    scale = models.JSONField(_("scale"), default=list, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    frequency = models.CharField(
        _("frequency"), max_length=12, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    method = models.TextField(_("method of calculation"), blank=True, default="")
    department = models.CharField(_("responsible department"), max_length=200, blank=True, default="")
    is_key = models.BooleanField(_("key indicator"), default=False)
    # The disaggregation dimensions declared up front ("sex", "partner_country"): an import column that is
    # not one of them is an error, unless the import is told to add it.
    dimensions = models.JSONField(_("disaggregation dimensions"), default=list, blank=True)
    # Key of a computation in citydiplo.indicators.computed.COMPUTATIONS, or "" for observed values.
    computed = models.CharField(_("computed from the registry"), max_length=60, blank=True, default="")
    formula_numerator = models.ForeignKey(
        "self",
        verbose_name=_("numerator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    formula_denominator = models.ForeignKey(
        "self",
        verbose_name=_("denominator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    formula_factor = models.DecimalField(
        _("factor"),
        max_digits=12,
        decimal_places=4,
        default=1,
        help_text=_("Multiply the ratio by this (100 for a percentage)."),
    )
    objectives = models.ManyToManyField(
        "strategy.Objective", verbose_name=_("objectives"), blank=True, related_name="office_indicators"
    )
    sdg_targets = models.ManyToManyField(
        "strategy.SdgTarget", verbose_name=_("SDG targets"), blank=True, related_name="office_indicators"
    )
    starter_set = models.CharField(_("starter set"), max_length=40, blank=True, default="")
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo or synthetic values, not real data.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_key", "level", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "code"], condition=Q(owner__isnull=False), name="one_indicator_code_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator-detail", args=[self.pk])

    @property
    def is_numeric(self) -> bool:
        return self.kind in Kind.numeric()

    @property
    def is_formula(self) -> bool:
        return self.formula_numerator_id is not None and self.formula_denominator_id is not None

    @property
    def is_observed(self) -> bool:
        """Values typed or imported by people (not computed from the registry or other indicators)."""
        return not self.computed and not self.is_formula

    @property
    def unit_label(self) -> str:
        if self.kind == Kind.PERCENTAGE:
            return "%"
        if self.kind == Kind.CURRENCY:
            return self.currency
        return self.unit


class Baseline(models.Model):
    """Where the indicator started: the reference point of the status method."""

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="baseline")
    value = models.DecimalField(
        _("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS, null=True, blank=True
    )
    text_value = models.CharField(_("scale value"), max_length=200, blank=True, default="")
    date = models.DateField(_("date"))
    comment = models.CharField(_("comment"), max_length=500, blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")

    def __str__(self) -> str:
        return f"{self.indicator.code} baseline {self.value if self.value is not None else self.text_value}"


class Target(models.Model):
    """A value to reach by a date. An indicator may have several (2027 milestone, 2030 goal)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(
        _("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS, null=True, blank=True
    )
    text_value = models.CharField(_("scale value"), max_length=200, blank=True, default="")
    date = models.DateField(_("to reach by"))
    comment = models.CharField(_("comment"), max_length=500, blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["indicator", "date"], name="one_target_per_date")]

    def __str__(self) -> str:
        return f"{self.indicator.code} target {self.value if self.value is not None else self.text_value}"


class RowIdField(models.BigAutoField):
    """A big auto-increment key that, on SQLite, is the plain rowid (no AUTOINCREMENT keyword).

    SQLite's AUTOINCREMENT reads and rewrites its sqlite_sequence table for every row inserted, which
    doubled the time of a million-row import. Without it, a new row gets the largest id plus one; an id
    can come back only after the newest observation is deleted, and nothing refers to observations by id
    for longer than a page view. PostgreSQL is unchanged (an identity column).
    """

    def db_type_suffix(self, connection: Any) -> str | None:
        if connection.vendor == "sqlite":
            return None
        return super().db_type_suffix(connection)


def evidence_upload_to(instance: Observation, filename: str) -> str:
    return f"indicators/evidence/{instance.indicator.owner_id or 'reference'}/{filename}"


class Observation(models.Model):
    """One value of an indicator for one period and one combination of disaggregation values.

    `disaggregation` holds {"sex": "female", "partner_country": "BR"}; `disaggregation_key` is the same
    as text in a canonical form ("partner_country=BR|sex=female", "" for the total), so the upsert key
    (indicator, breakdown, period) is a unique constraint and also the index the dashboard reads the
    latest total through.
    """

    id = RowIdField(primary_key=True)
    # No separate index on indicator: the unique constraint's index starts with it.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    period = models.CharField(_("period"), max_length=10)
    period_key = models.CharField(max_length=11)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(
        _("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS, null=True, blank=True
    )
    text_value = models.TextField(_("text value"), blank=True, default="")
    disaggregation = models.JSONField(_("disaggregation"), default=dict, blank=True)
    disaggregation_key = models.CharField(max_length=500, blank=True, default="")
    source = models.CharField(_("source"), max_length=500, blank=True, default="")
    comment = models.TextField(_("comment"), blank=True, default="")
    evidence = models.FileField(_("evidence"), upload_to=evidence_upload_to, blank=True)
    review_state = models.CharField(
        _("review state"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    # Not indexed: an index here would slow every bulk import for the rare deletion of a run.
    import_run = models.ForeignKey(
        "interchange.ImportRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["indicator", "period_key", "disaggregation_key"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "disaggregation_key", "period_key"], name="one_observation_per_key"
            ),
        ]

    def __str__(self) -> str:
        shown = self.value if self.value is not None else self.text_value
        return f"{self.indicator_id} {self.period} {self.disaggregation_key or 'total'}: {shown}"

    @property
    def display_value(self) -> Any:
        return self.value if self.value is not None else self.text_value


def disaggregation_key(values: dict[str, str]) -> str:
    """The canonical text of a breakdown: sorted `dimension=value` pairs joined by `|`; "" for the total.

    `|`, `=` and `%` inside values are percent-escaped so two different breakdowns never share a key.
    """
    if not values:
        return ""
    return "|".join(f"{name}={_escape(values[name])}" for name in sorted(values))


def _escape(text: str) -> str:
    if "%" in text or "|" in text or "=" in text:
        return text.replace("%", "%25").replace("|", "%7C").replace("=", "%3D")
    return text
