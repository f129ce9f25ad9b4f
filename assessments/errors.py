"""Domain errors of assessments. Each carries a localised message views show as it is."""

from django.utils.translation import gettext as _


class AssessmentsError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MalformedResponse(AssessmentsError):
    """A learner's response does not fit the question (tampered or broken request): a 4xx, never a 500."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("This answer does not fit the question."))

