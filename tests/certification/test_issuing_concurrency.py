"""Concurrent issuing on PostgreSQL: task runs racing for one enrolment give exactly one certificate, and
runs for many enrolments get unique, gap-free, sequential serials (locked counter row, not max()+1)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from certification.models import Certificate, CompetencyRecord
from certification.services import certificate_issue_for_enrolment

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL: set DATABASE_URL"),
    # Committed data, so every thread's own connection sees it; the framework data is restored afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 8


def race(enrolment_ids: list[int]) -> list[int]:
    """Run the issuing service for each id in its own thread (own connection), all released at once."""
    barrier = threading.Barrier(len(enrolment_ids))

    def run(enrolment_id: int) -> int:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=30)
            return certificate_issue_for_enrolment(enrolment_id=enrolment_id).pk
        finally:
            thread_connection.close()

    with ThreadPoolExecutor(max_workers=len(enrolment_ids)) as pool:
        return list(pool.map(run, enrolment_ids))


def test_concurrent_runs_for_one_enrolment_give_exactly_one_certificate(learner, course, complete):
    enrolment = complete(learner, course)

    results = race([enrolment.pk] * THREADS)

    assert len(set(results)) == 1
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert CompetencyRecord.objects.filter(person=learner).count() == 2


def test_concurrent_runs_for_many_enrolments_get_unique_sequential_serials(make_person, unit_a, course, complete):
    enrolments = [complete(make_person(unit=unit_a), course) for _ in range(THREADS)]

    results = race([enrolment.pk for enrolment in enrolments])

    assert len(set(results)) == THREADS
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    year = Certificate.objects.first().issued_at.year
    assert serials == [f"NA-{year}-{number:06d}" for number in range(1, THREADS + 1)]


def test_overlapping_batches_and_single_runs_give_one_certificate_each_and_gap_free_serials(
    make_person, unit_a, course, complete,
):
    from certification.services import certificates_issue

    enrolments = [complete(make_person(unit=unit_a), course).pk for _ in range(12)]
    # Batches sharing enrolments, in different orders, and runs for one enrolment, all released at once.
    work = [enrolments[:8], list(reversed(enrolments[4:])), enrolments[::2], [enrolments[5]], [enrolments[11]]]
    barrier = threading.Barrier(len(work))

    def run(ids: list[int]) -> list[int]:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=30)
            return [certificate.enrolment_id for certificate in certificates_issue(enrolment_ids=ids)]
        finally:
            thread_connection.close()

    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        results = list(pool.map(run, work))

    assert results == work  # every run returns the certificate of each enrolment it asked for
    assert sorted(Certificate.objects.values_list("enrolment_id", flat=True)) == sorted(enrolments)
    year = Certificate.objects.first().issued_at.year
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == [
        f"NA-{year}-{number:06d}" for number in range(1, 13)
    ]
    assert CompetencyRecord.objects.filter(state="active").count() == 2 * 12
