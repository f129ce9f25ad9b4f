"""Domain errors of quizzes and attempts; views answer them with the status each one names."""

from django.utils.translation import gettext as _

from assessments.errors import AssessmentsError


class QuizError(AssessmentsError):
    status = 409


class QuizNotOpen(QuizError):
    def __init__(self):
        super().__init__(_("This quiz is not open yet."))


class QuizClosed(QuizError):
    def __init__(self):
        super().__init__(_("This quiz has closed."))


class NoAttemptsLeft(QuizError):
    def __init__(self):
        super().__init__(_("You have used all your attempts at this quiz."))


class NotEnoughQuestions(QuizError):
    def __init__(self):
        super().__init__(_("This quiz cannot start: its question bank has too few questions. Tell the trainer."))


class AttemptRace(QuizError):
    def __init__(self):
        super().__init__(_("The attempt could not start; please try again."))


class AttemptFinished(QuizError):
    def __init__(self):
        super().__init__(_("This attempt has been submitted; answers can no longer change."))


class TimeUp(QuizError):
    def __init__(self):
        super().__init__(_("Time is up: answers given after the deadline are not saved."))


class PageLocked(QuizError):
    def __init__(self):
        super().__init__(_("This quiz moves forward only: this question is not on the current page."))


class SlotNotFound(QuizError):
    status = 404

    def __init__(self):
        super().__init__(_("This question is not part of the attempt."))


# Results: manual grading and regrades ------------------------------------------------------------------


class GradingOutOfScope(QuizError):
    """The quiz is not one the user may grade: answered as 404, like an id that does not exist."""

    status = 404

    def __init__(self):
        super().__init__(_("This quiz is not one you grade."))


class NotGradedByHand(QuizError):
    def __init__(self):
        super().__init__(_("Only essay answers of submitted attempts are graded by hand."))


class ManualMarkInvalid(QuizError):
    status = 400

    def __init__(self, maximum):
        super().__init__(_("Give a mark between 0 and %(max)s.") % {"max": maximum})


class RegradeReasonMissing(QuizError):
    status = 400

    def __init__(self):
        super().__init__(_("Say why the attempts are regraded (for example, which question was fixed)."))
