"""Background work of certification. Tasks take ids, fetch again and call a service; they are idempotent,
so a redelivered message (acks_late) does no harm. Routed to the `certificates` queue (settings).

A worker killed while issuing (kill -9, OOM, power) has not acknowledged the message (acks_late), so the
broker hands it to a worker again: with Redis once its visibility timeout has passed (one hour by default),
at once when only a prefork child dies (reject_on_worker_lost). The rerun finds the certificate (one per
enrolment: row lock and unique constraint), renders the PDF if it is missing, and sends the holder's
e-mail only if it was not sent before (at most once, services.mail). tests/reliability/test_kill_worker.py.
"""

from celery import shared_task

from .services import certificate_issue_for_enrolment, certificates_issue


# Storage errors (a full or unmounted media disk) are retried; the certificate row, once created, is reused.
# acks_late and reject_on_worker_lost are the project's defaults (settings); issuing must not lose them.
# No result is stored (nobody reads it: completion enqueues with delay_on_commit, which ignores it too), so a
# worker issuing thousands does not also write thousands of results to Redis.
@shared_task(
    acks_late=True, reject_on_worker_lost=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True,
    max_retries=6,
)
def certificate_issue(enrolment_id: int) -> int | None:
    """Issue (once) the certificate of a completed enrolment; returns its id, or None if not completed."""
    certificate = certificate_issue_for_enrolment(enrolment_id=enrolment_id)
    return certificate.pk if certificate is not None else None


@shared_task(
    acks_late=True, reject_on_worker_lost=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True,
    max_retries=6,
)
def certificates_issue_batch(enrolment_ids: list[int]) -> int:
    """Issue (once) the certificates of these completed enrolments together: mass issuing
    (`manage.py certificates_issue_missing`); a completion issues its own (`certificate_issue`). Returns how
    many certificates the enrolments have. A rerun issues only what is missing, as `certificate_issue` does."""
    return len(certificates_issue(enrolment_ids=enrolment_ids))


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def competencies_expire() -> dict:
    """Daily (beat): expire competencies past their date, remind those expiring within 30 days once."""
    from .services.expiry import competencies_expiry_run

    result = competencies_expiry_run()
    return {"expired": result.expired, "people": result.people_reminded, "officers": result.officers_reminded}


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def bulk_job_run(job_id: int) -> str | None:
    """Run a bulk certificate job (regenerate a course's PDFs, ZIP a unit's certificates); idempotent."""
    from .services.bulk import bulk_job_run as run

    job = run(job_id=job_id)
    return job.state if job is not None else None
