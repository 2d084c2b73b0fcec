"""The canonical, vendor-independent form of a row: what a backup writes and what its hashes cover.

A row is one JSON object per line, keyed by column attribute name (``owner_id``, not ``owner``), keys
sorted, no spaces, UTF-8 (not ``\\u`` escapes), ending in ``\\n``. Values are normalised so the same data
reads back byte for byte the same from SQLite and from PostgreSQL:

* Decimal → string with exactly the field's decimal places (``"1250.00"``);
* datetime → ISO 8601 in UTC with microseconds (``"2024-05-01T09:30:00.000000+00:00"``);
  date and time → ISO 8601; duration → ISO 8601 duration; UUID → hyphenated lower-case hex;
* JSON fields → the JSON value itself (objects, lists...), its keys sorted like the row's;
* file fields → the stored name (``"documents/3/minutes.pdf"``);
* binary → base64; booleans, integers, floats, strings and null as JSON has them.

A table's hash is the SHA-256 of its lines in primary-key order, which are also exactly the bytes of its
``tables/*.jsonl`` file. Equal hashes therefore mean equal files, whichever database they came from.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.dateparse import parse_duration
from django.utils.duration import duration_iso_string

Encoder = Callable[[Any], Any]


def _value_field(field: models.Field) -> models.Field:
    """A foreign key's column holds its target's value: encode it the way the target field is encoded."""
    while isinstance(field, models.ForeignKey):
        field = field.target_field
    return field


def _datetime(value: dt.datetime) -> str:
    if value.tzinfo is None:
        # Only with USE_TZ=False; citydiplo always runs with USE_TZ=True, so values arrive aware.
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _binary(value: bytes | memoryview) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


def _same(value: Any) -> Any:
    return value


def encoder_for(field: models.Field) -> Encoder:
    """A function turning the field's Python value (as the ORM returns it) into its canonical JSON value."""
    field = _value_field(field)
    if isinstance(field, models.JSONField):
        return _same
    if isinstance(field, models.DecimalField):
        places = Decimal(1).scaleb(-field.decimal_places) if field.decimal_places is not None else None

        def decimal(value: Any) -> Any:
            if value is None:
                return None
            value = Decimal(value)
            return format(value.quantize(places) if places is not None else value, "f")

        return decimal
    if isinstance(field, models.FloatField):
        return lambda value: None if value is None else float(value)
    if isinstance(field, models.BooleanField):
        return lambda value: None if value is None else bool(value)
    if isinstance(field, models.IntegerField):
        return lambda value: None if value is None else int(value)
    return encode_value


def encode_value(value: Any) -> Any:
    """Canonical JSON value chosen by the value's type (for fields without a dedicated encoder)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return _datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bytes | memoryview):
        return _binary(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name
    if isinstance(value, list | dict):
        return value
    return str(value)


def decoder_for(field: models.Field) -> Encoder:
    """The inverse of encoder_for: a canonical JSON value back to what the field's get_db_prep_save takes."""
    field = _value_field(field)
    if isinstance(field, models.JSONField):
        return _same

    def optional(parse: Callable[[Any], Any]) -> Encoder:
        return lambda value: None if value is None else parse(value)

    if isinstance(field, models.DateTimeField):
        return optional(dt.datetime.fromisoformat)
    if isinstance(field, models.DateField):
        return optional(dt.date.fromisoformat)
    if isinstance(field, models.TimeField):
        return optional(dt.time.fromisoformat)
    if isinstance(field, models.DurationField):
        return optional(parse_duration)
    if isinstance(field, models.DecimalField):
        return optional(Decimal)
    if isinstance(field, models.UUIDField):
        return optional(uuid.UUID)
    if isinstance(field, models.BinaryField):
        return optional(base64.b64decode)
    return _same


def canonical_line(row: dict[str, Any]) -> bytes:
    """One row as its canonical JSONL line (the bytes that are written and hashed)."""
    return (
        json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=True) + "\n"
    ).encode("utf-8")
