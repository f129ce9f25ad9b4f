"""Mass issuing: `manage.py certificates_issue_missing [--course CODE] [--limit N] [--batch 50] [--dry-run]`.

Issues the certificates of completed enrolments that have none (selectors.enrolments_without_certificate):
after issuing failed for good (the failed task is listed under /ops/), or for completions that were written
without passing through a completion (a data migration, an import). The work is queued to the certificate
workers in batches (tasks.certificates_issue_batch), which every worker process shares; the command only
queues and prints how many. With eager Celery (`make run`) it issues them before returning."""

from django.core.management.base import BaseCommand, CommandError

from certification.selectors import enrolments_without_certificate
from certification.tasks import certificates_issue_batch
from courses.models import Course

DEFAULT_BATCH = 50
MAX_BATCH = 500


class Command(BaseCommand):
    help = "Issue the certificates of completed enrolments that have none, in batches, on the certificate workers."

    def add_arguments(self, parser):
        parser.add_argument("--course", help="Only this course (its code).")
        parser.add_argument("--limit", type=int, help="At most this many (the oldest completions first).")
        parser.add_argument("--batch", type=int, default=DEFAULT_BATCH,
                            help=f"Enrolments per task (1 to {MAX_BATCH}; default {DEFAULT_BATCH}).")
        parser.add_argument("--dry-run", action="store_true", help="Only count them.")

    def handle(self, *args, course=None, limit=None, batch=DEFAULT_BATCH, dry_run=False, **options):
        if not 1 <= batch <= MAX_BATCH:
            raise CommandError(f"--batch must be between 1 and {MAX_BATCH}.")
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        selected = None
        if course:
            selected = Course.objects.filter(code=course).first()
            if selected is None:
                raise CommandError(f"No course has the code {course!r}.")
        ids = enrolments_without_certificate(course=selected)
        ids = list(ids[:limit] if limit else ids)
        if dry_run:
            self.stdout.write(f"{len(ids)} completed enrolments have no certificate.")
            return
        for start in range(0, len(ids), batch):
            certificates_issue_batch.delay(ids[start:start + batch])
        tasks = -(-len(ids) // batch)
        self.stdout.write(f"{len(ids)} certificates queued for issuing, in {tasks} tasks of at most {batch}.")
