"""The public surface of certification for other apps: import only from here (and `competency_record`
from services for assessments). Everything else in this app may change without notice."""

from .services import competency_record  # noqa: F401 (re-exported: assessments record quiz results)
from .tasks import certificate_issue


def course_completion_notify(*, enrolment_id: int) -> None:
    """A course was completed: issue its certificate once the caller's transaction commits.

    courses calls this inside its completion transaction; a rolled-back completion enqueues nothing.
    """
    certificate_issue.delay_on_commit(enrolment_id)
