"""The personal-data access log (issue 10, "Personal data"): reading the people list, a person's record
and the competency export appends who, when, what and which people; `privacy_accessed` answers within
72 hours which records an account saw or exported. The log is append-only."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from privacy.models import AccessLog

from .conftest import OFFICER_A, OWNER


def test_lists_records_and_exports_are_logged_and_the_command_answers(world):
    officer = world.users[OFFICER_A]
    client = world.client(OFFICER_A)
    person = world.objects.person
    assert client.get(reverse("organisations:people_list"), {"q": "Chủ"}).status_code == 200
    assert client.get(reverse("organisations:person_detail", args=[person.pk])).status_code == 200
    assert client.get(reverse("certification:matrix_xlsx")).status_code == 200

    entries = list(AccessLog.objects.filter(user=officer).order_by("id"))
    assert [(e.action, e.what) for e in entries] == [
        ("list", "organisations:people_list"), ("view", "organisations:person_detail"),
        ("export", "certification:matrix_xlsx"),
    ]
    assert person.pk in entries[0].record_ids and entries[0].filters == "q=Chủ"
    assert entries[1].record_ids == [person.pk]
    assert person.pk in entries[2].record_ids and entries[2].count == len(entries[2].record_ids)

    out = io.StringIO()
    call_command("privacy_accessed", user=officer.username, since="72h", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4 and all(str(person.pk) in line.split("\t")[-1].split(",") for line in lines[:3])
    assert lines[0].split("\t")[1:4] == ["list", "organisations:people_list", "q=Chủ"]


def test_the_window_is_respected(world):
    officer = world.users[OFFICER_A]
    entry = AccessLog.objects.create(user=officer, action="view", what="organisations:person_detail", record_ids=[1])
    # Moving a row back in time needs raw SQL: the application itself cannot change the log.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_accesslog SET at = %s WHERE id = %s",
                       [timezone.now() - datetime.timedelta(hours=80), entry.pk])
    out = io.StringIO()
    call_command("privacy_accessed", user=officer.username, since="72h", stdout=out)
    assert "person_detail" not in out.getvalue()


def test_the_log_is_append_only(world):
    entry = AccessLog.objects.create(user=world.users[OFFICER_A], action="list", what="x")
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AccessLog.objects.filter(pk=entry.pk).update(what="y")
    with pytest.raises(TypeError):
        AccessLog.objects.all().delete()


def test_a_refused_reader_leaves_no_entry(world):
    client = world.client(OWNER)
    assert client.get(reverse("organisations:people_list")).status_code == 403
    assert not AccessLog.objects.exists()


def test_statistics_people_gradebook_roster_preview_and_zip_download_are_logged(world):
    """The other readers of personal lists: the statistics drill-down's people, a course gradebook and its
    export, a roster file's preview, a unit's certificate ZIP. Each appends one row naming what was read."""
    objects = world.objects
    officer = world.users[OFFICER_A]
    client = world.client(OFFICER_A)
    job = objects.job
    job.total, job.state = 1, "done"
    job.file.save("chung-chi.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=True)

    assert client.get(reverse("reports:unit_people", args=[world.unit_a.pk]), {"q": "Chủ"}).status_code == 200
    assert client.get(reverse("assessments:gradebook:course", args=[objects.course.pk])).status_code == 200
    assert client.get(reverse("assessments:gradebook:export", args=[objects.course.pk])).status_code == 200
    assert client.get(reverse("organisations:roster_preview", args=[objects.roster.pk])).status_code == 200
    assert client.get(reverse("certification:job_download", args=[job.pk])).status_code == 200

    entries = {entry.what: entry for entry in AccessLog.objects.filter(user=officer)}
    assert set(entries) == {
        "reports:unit_people", "assessments:gradebook:course", "assessments:gradebook:export",
        "organisations:roster_preview", "certification:job_download",
    }
    people = entries["reports:unit_people"]
    assert (people.action, objects.person.pk in people.record_ids) == ("list", True)
    assert "q=Chủ" in people.filters and f"unit={world.unit_a.pk}" in people.filters
    assert objects.person.pk in entries["assessments:gradebook:course"].record_ids
    exported = entries["assessments:gradebook:export"]
    assert (exported.action, exported.count, objects.person.pk in exported.record_ids) == ("export", 1, True)
    assert entries["organisations:roster_preview"].filters == f"import={objects.roster.pk}"
    assert (entries["certification:job_download"].action, entries["certification:job_download"].count) == ("export", 1)
