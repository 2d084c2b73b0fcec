"""Money helpers: Decimal amounts with an ISO 4217 currency, named and formatted by babel."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_name, list_currencies


class MoneyError(ValueError):
    pass


def currency_choices(language: str = "en") -> list[tuple[str, str]]:
    return sorted(
        ((code, f"{code} — {get_currency_name(code, locale=language)}") for code in list_currencies()),
        key=lambda item: item[0],
    )


def currency_validate(code: str) -> str:
    code = (code or "").strip().upper()
    if code not in list_currencies():
        raise MoneyError(f"{code!r} is not an ISO 4217 currency code")
    return code


def amount_parse(text: object) -> Decimal:
    """Parse an amount without ever passing through float ("1 200,50" is refused: say 1200.50)."""
    try:
        value = Decimal(str(text).strip().replace("_", ""))
    except InvalidOperation as exc:
        raise MoneyError(f"{text!r} is not an amount: use digits with a dot for decimals") from exc
    if not value.is_finite():
        raise MoneyError(f"{text!r} is not an amount")
    return value


def money_format(amount: Decimal | None, currency: str, language: str = "en") -> str:
    if amount is None:
        return ""
    if not currency:
        return f"{amount:,.2f}"
    return format_currency(amount, currency, locale=language)
