"""Domain errors of enrolment and assignment. Each carries a localised message views show as it is."""

from django.utils.translation import gettext as _


class CoursesError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CourseNotLive(CoursesError):
    def __init__(self):
        super().__init__(_("This course is not open: it has not been published, or has been withdrawn."))


class AssignmentOnly(CoursesError):
    def __init__(self):
        super().__init__(_("This course is by assignment only: ask your unit's training officer."))


class AudienceNotAdmitted(CoursesError):
    def __init__(self):
        super().__init__(_("This course is for other audiences, so you cannot enrol yourself."))


class PrerequisitesMissing(CoursesError):
    def __init__(self, titles: list[str]):
        self.titles = titles
        super().__init__(
            _("Complete these courses first: %(titles)s.") % {"titles": ", ".join(titles)}
        )


class OutOfScope(CoursesError):
    def __init__(self):
        super().__init__(_("You can only assign courses to people of your own units."))


class DueDateInPast(CoursesError):
    def __init__(self):
        super().__init__(_("The due date cannot be in the past."))


class UnitOutOfScope(CoursesError):
    def __init__(self):
        super().__init__(_("You can only assign courses within your own units."))
