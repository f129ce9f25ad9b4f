"""The placeholders a certificate template may use, checked when the template is saved and filled when
a certificate is rendered. Plain `{name}` fields only: no attribute access, indexing or format specs, so
a template can never reach into an object."""

from string import Formatter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PLACEHOLDERS = {
    "name": _("the holder's full name"),
    "course": _("the course title"),
    "hours": _("the course's hours"),
    "date": _("the issue date"),
    "grade": _("the final grade, when there is one"),
}


def placeholder_help() -> str:
    return ", ".join(f"{{{key}}}" for key in PLACEHOLDERS)


def placeholders_validate(text: str) -> None:
    """Raise a ValidationError naming every unknown or malformed placeholder of the text."""
    try:
        fields = [(name, spec, conversion) for _text, name, spec, conversion in Formatter().parse(text)
                  if name is not None]
    except ValueError:
        raise ValidationError(
            _("Unbalanced braces: write placeholders as {name} and a literal brace as {{ or }}."), code="braces"
        ) from None
    unknown = sorted({name for name, spec, conversion in fields if name not in PLACEHOLDERS or spec or conversion})
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(unknown)s. Use only %(known)s.")
            % {"unknown": ", ".join(f"{{{name}}}" for name in unknown), "known": placeholder_help()},
            code="unknown_placeholder",
        )


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    """The text with its placeholders replaced (the text was validated when the template was saved)."""
    return text.format_map({key: values.get(key, "") for key in PLACEHOLDERS})
