"""A deletion request carried out: the person's identifying data is gone everywhere it was shown or
exported, the account is closed, and the rows statistics count stay."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from assessments.models import Attempt
from certification.models import Certificate
from courses.models import Enrolment
from organisations.models import Person
from privacy.models import DataRequest, DataRequestStatus
from privacy.selectors import personal_data_export
from privacy.services import data_request_file
from tests.security.conftest import OFFICER_A, OFFICER_B

pytestmark = pytest.mark.django_db


def test_deleting_removes_the_person_and_keeps_the_aggregates(world, django_capture_on_commit_callbacks):
    owner = world.objects.person
    name, email, code, user_id = owner.full_name, owner.user.email, owner.employee_code, owner.user_id
    Person.objects.filter(pk=owner.pk).update(phone="0912 345 678", birth_year=1988, position="Chuyên viên")
    deletion = data_request_file(user=owner.user, kind="deletion", details="Tôi nghỉ việc")
    enrolments, attempts = Enrolment.objects.filter(person=owner).count(), Attempt.objects.filter(person=owner).count()

    officer = world.client(OFFICER_A)
    page = officer.get(reverse("privacy:request_erase", args=[deletion.pk]))
    assert page.status_code == 200 and name in page.content.decode()
    assert DataRequest.objects.get().status == DataRequestStatus.OPEN  # the confirmation page changes nothing
    assert world.client(OFFICER_B).post(reverse("privacy:request_erase", args=[deletion.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert officer.post(reverse("privacy:request_erase", args=[deletion.pk])).status_code == 302

    person = Person.objects.get(pk=owner.pk)
    user = get_user_model().objects.get(pk=user_id)
    assert name not in person.full_name and person.employee_code is None
    assert (person.phone, person.birth_year, person.position) == ("", None, "")
    assert user.email == "" and not user.is_active and not user.has_usable_password()
    assert code not in user.username and not user.emailaddress_set.exists()
    assert person.unit == world.unit_a  # statistics still count the person in their unit

    # Nothing shows or exports the name any more: the officer's pages, the export of the account.
    for url in (reverse("organisations:person_detail", args=[person.pk]), reverse("privacy:request_detail",
                                                                                   args=[deletion.pk])):
        html = officer.get(url).content.decode()
        assert name not in html and email not in html
    exported = json.loads("".join(personal_data_export(user)))
    assert exported["person"]["id"] == person.pk
    certificates = exported.pop("certificates")  # issued certificates keep their holder's name (see below)
    assert all(name not in json.dumps(row, ensure_ascii=False) for row in certificates if row["kind"] != "issued")
    text = json.dumps(exported, ensure_ascii=False)
    assert name not in text and email not in text and "0912 345 678" not in text and "1988" not in text
    assert DataRequest.objects.get().details == ""

    # The aggregates stay; the certificate keeps the name it was issued with (a public record).
    assert Enrolment.objects.filter(person=person).count() == enrolments
    assert Attempt.objects.filter(person=person).count() == attempts
    assert Certificate.objects.get(pk=world.objects.certificate.pk).holder_name == name

    # The request is closed, who/when recorded, and the person told once at the address they had.
    data_request = DataRequest.objects.get()
    assert data_request.status == DataRequestStatus.DONE and data_request.handled_by == world.users[OFFICER_A]
    assert [message.to for message in mail.outbox] == [[email]]
    assert data_request.notify_email == ""


def test_a_refusal_keeps_everything(world, django_capture_on_commit_callbacks):
    owner = world.objects.person
    deletion = data_request_file(user=owner.user, kind="deletion", details="x")
    with django_capture_on_commit_callbacks(execute=True):
        world.client(OFFICER_A).post(reverse("privacy:request_refuse", args=[deletion.pk]),
                                     {"response": "Certificates issued are public records."})
    assert Person.objects.get(pk=owner.pk).full_name == owner.full_name
    assert DataRequest.objects.get().status == DataRequestStatus.REFUSED
    assert len(mail.outbox) == 1


def test_an_administrator_erases_a_person_without_a_unit_officer(people):
    from privacy.services import data_request_erase

    deletion = data_request_file(user=people["yte"].user, kind="deletion", details="x")
    with pytest.raises(PermissionError):
        data_request_erase(actor=people["officer_a"].user, request_id=deletion.pk)
    data_request_erase(actor=people["admin"].user, request_id=deletion.pk)
    assert Person.objects.get(pk=people["yte"].pk).full_name != "Đặng Văn Y"


def test_deleting_erases_what_the_person_wrote_and_uploaded(world, django_capture_on_commit_callbacks):
    """Free text (essays, short answers, H5P responses), the uploaded scan of an external certificate and
    the admin avatar say things about the person that no aggregate needs: they go; marks and records stay."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from wagtail.users.models import UserProfile

    from assessments.models import AttemptSlot
    from assessments.services import question_save
    from certification.models import ExternalCertificate
    from h5p.models import H5PStatement

    owner, objects = world.objects.person, world.objects
    essay = question_save(actor=objects.author, category=chosen_category(objects.quiz), name="Tự luận",
                          qtype="essay", stem="<p>Giới thiệu bản thân.</p>",
                          payload={"response_template": "", "grader_info": ""})
    written = AttemptSlot.objects.create(
        attempt=objects.attempt, number=99, version=essay.versions.get(), max_mark=1, mark=1, fraction=1,
        response={"text": "Tôi là Nguyễn Thị Chủ, sinh năm 1988, nhà ở xã An Bình."},
    )
    chosen = objects.attempt.slots.exclude(pk=written.pk).get()
    AttemptSlot.objects.filter(pk=chosen.pk).update(response={"choice": 1})
    H5PStatement.objects.create(content=objects.h5p, person=owner, verb="answered", statement={
        "actor": {"name": owner.full_name}, "verb": {"id": "answered"},
        "result": {"response": "Nhà tôi ở xã An Bình", "score": {"raw": 1}},
    })
    profile = UserProfile.get_for_user(owner.user)
    profile.avatar.save("mat.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    external_file, avatar_file = objects.external.file.name, profile.avatar.name
    assert default_storage.exists(external_file) and default_storage.exists(avatar_file)

    deletion = data_request_file(user=owner.user, kind="deletion", details="Xin xóa")
    with django_capture_on_commit_callbacks(execute=True):
        assert world.client(OFFICER_A).post(reverse("privacy:request_erase", args=[deletion.pk])).status_code == 302

    written.refresh_from_db()
    assert written.response is None and written.mark == 1  # the text goes, the mark stays
    assert AttemptSlot.objects.get(pk=chosen.pk).response == {"choice": 1}
    statement = H5PStatement.objects.get(person=owner).statement
    assert "response" not in statement["result"] and statement["result"]["score"] == {"raw": 1}
    assert owner.full_name not in json.dumps(statement, ensure_ascii=False)
    external = ExternalCertificate.objects.get(pk=objects.external.pk)
    assert not external.file and external.number == "" and external.title  # the record stays
    assert not default_storage.exists(external_file) and not default_storage.exists(avatar_file)
    assert not UserProfile.objects.get(user=owner.user).avatar
    officer = world.client(OFFICER_A)
    assert officer.get(reverse("certification:external_file", args=[external.pk])).status_code == 404
    page = officer.get(reverse("certification:external_review", args=[external.pk]))
    assert page.status_code == 200 and reverse("certification:external_file", args=[external.pk]) not in page.content.decode()


def chosen_category(quiz):
    from assessments.models import QuizQuestion

    return QuizQuestion.objects.filter(quiz=quiz).select_related("question__category").first().question.category
