"""Model form fields that state the model's own bounds.

A `PositiveSmallIntegerField` gives its form field the type's minimum, 0: a year of birth of -5 was told "at
least 0" while the model wants 1920 or later. `Meta.formfield_callback = bounded_formfield` passes the
model's MinValueValidator / MaxValueValidator limits to the form field instead, so the message, the
input's min/max attributes and the model agree.
"""

from django.core.validators import MaxValueValidator, MinValueValidator


def bounded_formfield(db_field, **kwargs):
    limits = {}
    for validator in getattr(db_field, "_validators", ()):  # the model's own, not the database type's range
        if callable(getattr(validator, "limit_value", None)):
            continue
        if isinstance(validator, MinValueValidator):
            limits["min_value"] = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            limits["max_value"] = validator.limit_value
    return db_field.formfield(**{**limits, **kwargs})
