"""The competency framework is data: loaded by the migration on a fresh database, edited in the Wagtail
admin by site administrators and curriculum managers only; templates validate their placeholders."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from certification.choices import CompetencyGroup
from certification.models import CertificateTemplate, Competency, Standard

pytestmark = pytest.mark.django_db


def test_the_fifteen_modules_of_the_it_skill_standard_are_loaded():
    basic = Competency.objects.filter(group=CompetencyGroup.IT_BASIC).order_by("position")
    advanced = Competency.objects.filter(group=CompetencyGroup.IT_ADVANCED).order_by("position")

    assert [c.code for c in basic] == [f"IU{n:02d}" for n in range(1, 7)]
    assert [c.code for c in advanced] == [f"IU{n:02d}" for n in range(7, 16)]
    iu03 = Competency.objects.get(code="IU03")
    assert (iu03.name_vi, iu03.name_en) == ("Xử lý văn bản cơ bản", "Basic word processing")
    assert Competency.objects.get(code="IU11").name_vi == "Thiết kế đồ họa hai chiều"


def test_the_other_groups_are_loaded_with_validity_where_it_applies():
    counts = {group: Competency.objects.filter(group=group).count() for group in CompetencyGroup.values}
    assert counts[CompetencyGroup.IT_STAFF] == 5
    assert counts[CompetencyGroup.FARMERS] == 5
    assert counts[CompetencyGroup.CIO] >= 5 and counts[CompetencyGroup.OPEN_SOURCE] >= 3
    security = Competency.objects.get(group=CompetencyGroup.IT_STAFF, name_en="Information security")
    assert security.validity_months == 24
    assert Competency.objects.get(code="IU01").validity_months is None


def test_the_two_composite_standards_are_data():
    basic = Standard.objects.get(code="it_basic")
    advanced = Standard.objects.get(code="it_advanced")

    assert sorted(c.code for c in basic.required.all()) == [f"IU{n:02d}" for n in range(1, 7)]
    assert (basic.builds_on, basic.optional_minimum, basic.optional.count()) == (None, 0, 0)
    assert advanced.builds_on == basic
    assert sorted(c.code for c in advanced.optional.all()) == [f"IU{n:02d}" for n in range(7, 16)]
    assert advanced.optional_minimum == 3
    assert basic.name_vi == "Chuẩn kỹ năng sử dụng CNTT cơ bản"


def test_a_default_certificate_template_exists_on_a_fresh_database():
    default = CertificateTemplate.objects.get(course__isnull=True, track="")
    assert default.language == "vi"
    assert "{name}" in default.body and "{course}" in default.body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Chứng nhận {name} – {ten}", "Unknown placeholders: {ten}"),
        ("{name.__class__}", "Unknown placeholders"),
        ("{name!r}", "Unknown placeholders"),
        ("Chứng nhận {name", "Unbalanced braces"),
    ],
)
def test_unknown_or_malformed_placeholders_are_refused_with_a_clear_error(body, message):
    template = CertificateTemplate(name="Mẫu thử", title="CHỨNG NHẬN", body=body, track="farmers")
    with pytest.raises(ValidationError) as raised:
        template.full_clean()
    assert message in " ".join(raised.value.message_dict["body"])


def test_known_placeholders_pass():
    template = CertificateTemplate(
        name="Mẫu thử", title="CHỨNG NHẬN", body="{name} {course} {hours} {date} {grade} {{ngoặc}}", track="farmers"
    )
    template.full_clean()


@pytest.mark.parametrize("role", [Role.SITE_ADMIN, Role.CURRICULUM_MANAGER])
def test_site_admins_and_curriculum_managers_edit_the_framework(role, make_person, province, mfa_client):
    editor = make_person(unit=province, roles=[role]).user
    client = mfa_client(editor)

    for name in ("competencies", "competency_standards", "certificate_templates"):
        assert client.get(reverse(f"{name}:index")).status_code == 200
    iu14 = Competency.objects.get(code="IU14")
    response = client.get(reverse("competencies:edit", args=[iu14.pk]))
    assert response.status_code == 200
    assert "An toàn, bảo mật thông tin" in response.content.decode()


def test_trainers_do_not_see_the_framework(make_person, province, client):
    trainer = make_person(unit=province, roles=[Role.TRAINER]).user
    client.force_login(trainer)

    response = client.get(reverse("competencies:index"))
    assert response.status_code in (302, 403)
    assert client.get(reverse("certificate_templates:index")).status_code in (302, 403)


def test_the_admin_refuses_a_template_with_an_unknown_placeholder(make_person, province, mfa_client):
    manager = make_person(unit=province, roles=[Role.CURRICULUM_MANAGER]).user
    client = mfa_client(manager)
    data = {"name": "Mẫu tuyến nông dân", "track": "farmers", "language": "vi", "title": "GIẤY CHỨNG NHẬN",
            "body": "Chứng nhận {ho_ten}", "signatory_name": "", "signatory_title": ""}

    response = client.post(reverse("certificate_templates:add"), data)

    assert response.status_code == 200
    assert "Unknown placeholders: {ho_ten}" in response.content.decode()
    assert not CertificateTemplate.objects.filter(track="farmers").exists()

    response = client.post(reverse("certificate_templates:add"), {**data, "body": "Chứng nhận {name}"})
    assert response.status_code == 302
    assert CertificateTemplate.objects.get(track="farmers").body == "Chứng nhận {name}"


def test_the_admin_edits_a_standard_and_never_deletes_competencies(make_person, province, mfa_client):
    admin = make_person(unit=province, roles=[Role.SITE_ADMIN]).user
    client = mfa_client(admin)
    advanced = Standard.objects.get(code="it_advanced")

    assert client.get(reverse("competency_standards:edit", args=[advanced.pk])).status_code == 200
    iu01 = Competency.objects.get(code="IU01")
    assert client.get(reverse("competencies:delete", args=[iu01.pk])).status_code in (302, 403)
    assert Competency.objects.filter(pk=iu01.pk).exists()
