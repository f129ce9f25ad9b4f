"""Bulk certificate jobs, run by Celery in the `certificates` queue with their progress in BulkJob:
regenerate every certificate of a course after a template change, issue the certificates a course's completed
enrolments are missing (mass issuing, as `manage.py certificates_issue_missing` for one course), and a ZIP of
a unit's certificates.
Running a job again does nothing once it is done; a job already waiting or running is reused."""

from __future__ import annotations

import json
import tempfile
import zipfile

from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import get_valid_filename

from accounts.roles import Role, user_roles
from courses.models import Course
from organisations.models import OrganisationUnit
from organisations.selectors import units_managed_by

from ..choices import BulkKind, BulkState, CertificateState
from ..errors import CertificationError
from ..models import BulkJob, Certificate
from ..selectors import enrolments_without_certificate
from . import certificate_template_for, certificates_issue, certificates_render

BATCH = 50
TEMPLATE_EDITORS = frozenset({Role.SITE_ADMIN, Role.CURRICULUM_MANAGER})


class BulkNotAllowed(CertificationError):
    def __init__(self):
        from django.utils.translation import gettext as _

        super().__init__(_("You may not run this job."))


def can_regenerate(user) -> bool:
    return bool(user_roles(user) & TEMPLATE_EDITORS)


def _unfinished(**filters) -> BulkJob | None:
    return BulkJob.objects.filter(state__in=[BulkState.PENDING, BulkState.RUNNING], **filters).first()


def bulk_regenerate_start(*, course: Course, requested_by) -> BulkJob:
    return _course_job_start(kind=BulkKind.REGENERATE, course=course, requested_by=requested_by)


def bulk_issue_start(*, course: Course, requested_by) -> BulkJob:
    return _course_job_start(kind=BulkKind.ISSUE, course=course, requested_by=requested_by)


@transaction.atomic
def _course_job_start(*, kind: str, course: Course, requested_by) -> BulkJob:
    """A job on a course's certificates, for template editors; one waiting or running per course and kind."""
    if not can_regenerate(requested_by):
        raise BulkNotAllowed()
    job = _unfinished(kind=kind, course=course)
    if job is None:
        job = BulkJob.objects.create(kind=kind, course=course, requested_by=requested_by)
        _enqueue(job)
    return job


@transaction.atomic
def bulk_zip_start(*, unit: OrganisationUnit, requested_by) -> BulkJob:
    if not units_managed_by(requested_by).filter(pk=unit.pk).exists():
        raise BulkNotAllowed()
    job = _unfinished(kind=BulkKind.ZIP, unit=unit, requested_by=requested_by)
    if job is None:
        job = BulkJob.objects.create(kind=BulkKind.ZIP, unit=unit, requested_by=requested_by)
        _enqueue(job)
    return job


def _enqueue(job: BulkJob) -> None:
    from ..tasks import bulk_job_run

    bulk_job_run.delay_on_commit(job.pk)


def _claim(job_id: int) -> BulkJob | None:
    with transaction.atomic():
        job = BulkJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state in (BulkState.DONE, BulkState.FAILED):
            return None  # gone, or a redelivered message for a finished job: nothing to do
        job.state = BulkState.RUNNING
        job.done = 0
        job.save(update_fields=["state", "done"])
        return job


def _progress(job: BulkJob, count: int) -> None:
    BulkJob.objects.filter(pk=job.pk).update(done=F("done") + count)


def _finish(job: BulkJob, **fields) -> None:
    BulkJob.objects.filter(pk=job.pk).update(finished_at=timezone.now(), **fields)


def bulk_job_run(*, job_id: int) -> BulkJob | None:
    job = _claim(job_id)
    if job is None:
        return BulkJob.objects.filter(pk=job_id).first()
    try:
        if job.kind == BulkKind.REGENERATE:
            _regenerate(job)
        elif job.kind == BulkKind.ISSUE:
            _issue(job)
        else:
            _zip(job)
    except OSError:
        BulkJob.objects.filter(pk=job.pk).update(state=BulkState.PENDING)  # storage trouble: the task retries
        raise
    except Exception as error:
        _finish(job, state=BulkState.FAILED, error=str(error)[:500])
        raise
    _finish(job, state=BulkState.DONE)
    job.refresh_from_db()
    return job


def _regenerate(job: BulkJob) -> None:
    certificates = Certificate.objects.filter(course=job.course).select_related("template", "course").order_by("pk")
    BulkJob.objects.filter(pk=job.pk).update(total=certificates.count())
    template = certificate_template_for(job.course)
    # The course's current template (it may have changed since issuing); the wording snapshots stay.
    certificates.exclude(template=template).update(template=template)
    ids = list(certificates.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = list(
            Certificate.objects.filter(pk__in=ids[start:start + BATCH])
            .select_related("template__background_image", "template__signature_image", "template__seal_image")
            .order_by("pk")
        )
        _progress(job, certificates_render(certificates=batch))


def _issue(job: BulkJob) -> None:
    # A rerun (the task retried after a storage error) counts only what is still missing.
    ids = list(enrolments_without_certificate(course=job.course))
    BulkJob.objects.filter(pk=job.pk).update(total=len(ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        certificates_issue(enrolment_ids=batch)
        _progress(job, len(batch))


def _zip(job: BulkJob) -> None:
    from ..credentials import credential_for

    certificates = (
        Certificate.objects.filter(person__unit__path__startswith=job.unit.path, state=CertificateState.VALID)
        .select_related("template", "course")
        .order_by("serial")
    )
    BulkJob.objects.filter(pk=job.pk).update(total=certificates.count())
    with tempfile.TemporaryFile() as scratch:
        with zipfile.ZipFile(scratch, "w", zipfile.ZIP_DEFLATED) as archive:
            ids = list(certificates.values_list("pk", flat=True))
            for start in range(0, len(ids), BATCH):
                batch = list(certificates.filter(pk__in=ids[start:start + BATCH]))
                missing = [certificate for certificate in batch if not certificate.pdf]
                if missing:
                    certificates_render(certificates=missing)
                for certificate in batch:
                    certificate.refresh_from_db(fields=["pdf"])
                    name = get_valid_filename(f"{certificate.serial} {certificate.holder_name}")
                    with certificate.pdf.open("rb") as handle:
                        archive.writestr(f"{name}.pdf", handle.read())
                    archive.writestr(
                        f"{name}.credential.json",
                        json.dumps(credential_for(certificate), ensure_ascii=False, indent=2),
                    )
                _progress(job, len(batch))
        scratch.seek(0)
        if job.file:
            job.file.delete(save=False)
        job.file.save(f"{job.unit.code or job.unit.pk}-{timezone.localdate():%Y%m%d}.zip", File(scratch), save=False)
        BulkJob.objects.filter(pk=job.pk).update(file=job.file.name)
