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


class ClassNotManaged(CoursesError):
    def __init__(self):
        super().__init__(_("You can only manage classes of your own units."))


class ClassEnded(CoursesError):
    def __init__(self):
        super().__init__(_("This class has ended: people can no longer be added to it."))


class SessionOutsideClass(CoursesError):
    def __init__(self):
        super().__init__(_("A session must take place between the class's first and last day."))


class SessionHasAttendance(CoursesError):
    def __init__(self):
        super().__init__(_("Attendance has been recorded for this session, so it cannot be deleted."))


class SessionNotStarted(CoursesError):
    def __init__(self):
        super().__init__(_("Attendance can be recorded once the session has started."))


class AttendanceNotAllowed(CoursesError):
    def __init__(self):
        super().__init__(_("Only the session's trainer or the class's training officers can record attendance."))


class NotAClassMember(CoursesError):
    def __init__(self):
        super().__init__(_("Attendance can only be recorded for members of the class."))
