"""Validators of free text shared by every app."""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django's own messages that its Vietnamese catalogue leaves untranslated: named here so that makemessages puts
# them in ours, which is looked up first. (Every form refuses a NUL character with the first one.)
DJANGO_MESSAGES_UNTRANSLATED = [gettext_noop("Null characters are not allowed.")]


def has_visible_text(value: str) -> bool:
    """Whether the text has a letter or a digit: zero-width spaces, joiners and marks alone show nothing."""
    return any(character.isalnum() for character in value)


@deconstructible
class VisibleTextValidator:
    """Refuses text that shows nothing (only zero-width or other invisible characters): a name made of them
    would print as a blank on a certificate. `str.strip()` does not remove those characters."""

    message = _("Enter some letters or digits: this text shows nothing.")
    code = "invisible"

    def __call__(self, value) -> None:
        if value and not has_visible_text(str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, VisibleTextValidator)


visible_text_validator = VisibleTextValidator()
