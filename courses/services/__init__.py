"""Writes of the learning records. Every service is atomic and takes keyword arguments only.

- structure: keeping course, lesson and activity anchors in step with the pages (cms calls it);
- enrolment: self-enrolment and assignment by a unit's training officer;
- progress: lessons opened, activities passed, the course completion rule;
- classes: classes (cohorts), their in-person sessions and attendance;
- reminders: assignment reminders and the officers' weekly digest (Celery beat).
"""

from .classes import (
    attendance_record,
    MembersResult,
    cohort_create,
    cohort_member_remove,
    cohort_members_add,
    cohort_members_add_by_audience,
    session_create,
    session_delete,
)
from .enrolment import AssignmentResult, assignment_create, assignment_create_for_audience, enrolment_create
from .progress import activity_result_record, enrolment_complete_if_done, lesson_open
from .reminders import assignment_reminders_send, officer_digests_send
from .structure import ActivitySpec, LessonSpec, course_structure_sync

__all__ = [
    "ActivitySpec",
    "AssignmentResult",
    "MembersResult",
    "LessonSpec",
    "activity_result_record",
    "assignment_create",
    "assignment_create_for_audience",
    "assignment_reminders_send",
    "attendance_record",
    "cohort_create",
    "cohort_member_remove",
    "cohort_members_add",
    "cohort_members_add_by_audience",
    "course_structure_sync",
    "enrolment_complete_if_done",
    "enrolment_create",
    "lesson_open",
    "officer_digests_send",
    "session_create",
    "session_delete",
]
