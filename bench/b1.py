"""B1: roster import of N people and assigning a course to M people, each against B_bulk (bulk_create of the same
rows, committed like the product's). `python -m bench.b1 --people N --assign M`; prints one JSON line. A small
warm-up of both comes first (so neither side pays the process's first queries). Everything written (the import,
the assignments and the baselines' rows) is removed afterwards, so later scenarios see dataset P unchanged.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from courses.models import Assignment, Course, Enrolment  # noqa: E402
from courses.services import assignment_create  # noqa: E402
from organisations.models import OrganisationUnit, Person  # noqa: E402
from organisations.roster.columns import COLUMNS, EXAMPLE_ROW  # noqa: E402
from organisations.roster.services import roster_import_apply, roster_preview_create  # noqa: E402


def roster_rows(count: int, unit_codes: list[str]) -> list[dict]:
    rows = []
    for n in range(count):
        row = dict(EXAMPLE_ROW)
        row.update(employee_code=f"BENCHB1-{n:06d}", full_name=f"Nguyễn Văn Thử {n}", email=f"b1.{n}@example.com",
                   unit_code=unit_codes[n % len(unit_codes)], birth_year=str(1960 + n % 40), phone="")
        rows.append(row)
    return rows


def roster(count: int) -> dict:
    admin = User.objects.get(username="demo.quantri")
    units = list(OrganisationUnit.objects.exclude(code="").filter(valid_to__isnull=True, depth__gte=2)
                 .values_list("code", flat=True)[:200])
    rows = roster_rows(count, units)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[column.key for column in COLUMNS])
    writer.writeheader()
    writer.writerows(rows)
    upload = SimpleUploadedFile("roster.csv", buffer.getvalue().encode("utf-8"), content_type="text/csv")
    started = time.monotonic()
    preview = roster_preview_create(user=admin, upload=upload)
    checked = time.monotonic()
    applied = roster_import_apply(roster_import=preview, user=admin)
    done = time.monotonic()
    created = applied.created_count
    # B_bulk: the same rows as bulk_create in one transaction, committed like the import's (the commit and its
    # deferred foreign key checks are part of both figures), then removed: per person the account, its learner
    # group membership, its e-mail address and the person, the four rows the import writes.
    unit_ids = dict(OrganisationUnit.objects.filter(code__in=units).values_list("code", "id"))
    password = make_password(None)
    learner = Group.objects.get(name=Role.LEARNER)
    bulk_started = time.monotonic()
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"BULKB1-{n:06d}", email=f"bulk.{row['email']}", password=password)
             for n, row in enumerate(rows)], batch_size=2000)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=user.pk, group_id=learner.pk) for user in users], batch_size=2000)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users], batch_size=2000)
        Person.objects.bulk_create(
            [Person(user=user, full_name=row["full_name"], employee_code=f"BULKB1-{n:06d}",
                    unit_id=unit_ids[row["unit_code"]], position=row["position"], birth_year=int(row["birth_year"]))
             for n, (user, row) in enumerate(zip(users, rows))], batch_size=2000)
    bulk_seconds = time.monotonic() - bulk_started
    # Remove what the import and the baseline made, so the dataset stays P.
    User.objects.filter(username__startswith="BENCHB1-").delete()
    User.objects.filter(username__startswith="BULKB1-").delete()
    return {"rows": count, "created": created, "rejected": applied.rejected_count,
            "check_seconds": round(checked - started, 2), "apply_seconds": round(done - checked, 2),
            "rows_per_s": round(count / (done - started), 1), "bulk_seconds": round(bulk_seconds, 2),
            "bulk_rows_per_s": round(count / bulk_seconds, 1)}


def assign(count: int) -> dict:
    admin = User.objects.get(username="demo.quantri")
    courses = list(Course.objects.filter(is_live=True).order_by("-id")[:2])
    course, other = courses[0], courses[1]
    people = list(Person.objects.exclude(enrolments__course=course).exclude(enrolments__course=other)
                  .exclude(assignments__course=other).order_by("id")[:count])
    due = datetime.date.today() + datetime.timedelta(days=30)
    before = Assignment.objects.count()
    since = datetime.datetime.now(datetime.UTC)
    started = time.monotonic()
    result = assignment_create(course=course, people=people, due_date=due, assigned_by=admin)
    seconds = time.monotonic() - started
    made = Assignment.objects.count() - before
    # B_bulk: the same rows on another course nobody of them has, committed like the assignment's, then removed.
    bulk_started = time.monotonic()
    with transaction.atomic():
        assignments = Assignment.objects.bulk_create(
            [Assignment(course=other, person=person, due_date=due, assigned_by=admin) for person in people],
            batch_size=5000)
        enrolments = Enrolment.objects.bulk_create(
            [Enrolment(course=other, person=person, source="assignment", status="active") for person in people],
            batch_size=5000)
    bulk_seconds = time.monotonic() - bulk_started
    with transaction.atomic():
        Enrolment.objects.filter(pk__in=[row.pk for row in enrolments]).delete()
        Assignment.objects.filter(pk__in=[row.pk for row in assignments]).delete()
        Enrolment.objects.filter(course=course, person__in=people, enrolled_at__gte=since).delete()
        Assignment.objects.filter(course=course, person__in=people).delete()
    return {"people": len(people), "assignments_created": made, "result": str(result)[:200],
            "seconds": round(seconds, 2), "rows_per_s": round(len(people) / seconds, 1),
            "bulk_seconds": round(bulk_seconds, 2), "bulk_rows_per_s": round(len(people) / bulk_seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--assign", type=int, default=30_000)
    args = parser.parse_args()
    for function, size in ((assign, 50), (roster, 50)):  # warm-up: first queries, caches, imports; not reported
        function(size)
    out = {}
    for name, function, size in (("assign", assign, args.assign), ("roster", roster, args.people)):
        try:
            out[name] = function(size)
        except Exception as error:  # report, do not hide the other half
            out[name] = {"error": f"{type(error).__name__}: {error}"[:300]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
