"""The Celery task that builds a large gradebook export (registered through assessments.tasks)."""

from celery import shared_task
from django.contrib.auth import get_user_model

from .exports import export_path, export_write
from .selectors import gradebook_scope
from .xlsx import gradebook_workbook


@shared_task(acks_late=True)
def gradebook_export_build(token: str, user_id: int, course_id: int, query: str = "", unit_id: str = "") -> bool:
    """Build the workbook the user asked for, re-checking what they may see now. Idempotent: a rerun
    rewrites the same file. Returns whether a file was written."""
    if export_path(token).exists():
        return True
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    scope = gradebook_scope(user, course_id) if user is not None else None
    if scope is None:
        return False
    export_write(token, gradebook_workbook(scope, query=query, unit_id=unit_id))
    return True
