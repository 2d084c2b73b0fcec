"""Model fields shared by every app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from citydiplo.lib.partial_dates import PartialDateError, partial_date_parse, validate_partial_date


class PartialDateField(models.CharField):
    """A date known to the year, the month or the day, stored as an ISO prefix that sorts as text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)
        self.validators.append(validate_partial_date)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        # validators are added in __init__, never serialised into migrations.
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def to_python(self, value: Any) -> str:
        # full_clean() calls this first: a bad value must name the field, not crash with a ValueError.
        try:
            return partial_date_parse(value) if value not in (None, "") else ""
        except PartialDateError as exc:
            raise ValidationError(str(exc), code="partial_date") from exc


class MoneyField(models.DecimalField):
    """An amount of money: a Decimal, never a float. The currency lives in a sibling CurrencyField."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class CurrencyField(models.CharField):
    """An ISO 4217 code such as EUR, USD, UYU, BRL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)
