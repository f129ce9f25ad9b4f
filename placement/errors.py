"""Domain errors of the survey. Each carries a localised message that views show as it is."""

from django.utils.translation import gettext as _


class PlacementError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SurveyClosed(PlacementError):
    def __init__(self):
        super().__init__(_("This survey is not open at the moment."))


class NoProfile(PlacementError):
    def __init__(self):
        super().__init__(_("Only people with a learner profile can take the survey."))


class AnswersIncomplete(PlacementError):
    def __init__(self, missing: int):
        self.missing = missing
        super().__init__(_("Answer every statement of the self-assessment before continuing."))


class AnswerInvalid(PlacementError):
    def __init__(self):
        super().__init__(_("An answer is not one of the scale's choices."))


class DiagnosticMissing(PlacementError):
    def __init__(self):
        super().__init__(_("Take the diagnostic quiz before submitting the survey."))


class NoDiagnosticQuiz(PlacementError):
    def __init__(self):
        super().__init__(_("This survey has no diagnostic quiz."))
