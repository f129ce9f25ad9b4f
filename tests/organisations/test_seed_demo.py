"""seed_demo: the demo province, one login per role, people of every audience, and the bulk generator."""

import io
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.models import ConsentRecord
from accounts.roles import Role, user_roles
from organisations import demo_people
from organisations.admin_units import admin_units_load, province_departments_load
from organisations.demo import DEMO_ACCOUNTS
from organisations.demo_people import DEMO_PASSWORD, demo_people_ensure
from organisations.models import (
    COMMUNE_LEVEL_KINDS,
    SELF_REGISTERED_AUDIENCES,
    Audience,
    ITQualification,
    OrganisationUnit,
    Person,
    UnitKind,
)
from organisations.selectors import people_in_scope

pytestmark = pytest.mark.django_db
User = get_user_model()


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(settings):
    settings.LMS_PROVINCE_CODE = 40
    return _seed()


@pytest.fixture
def bare_province(settings):
    """The demo province with its units but nobody in it."""
    province = admin_units_load(province_code=40).province
    province_departments_load(province=province)
    return province


def test_every_role_has_a_demo_login_with_a_profile(seeded):
    assert {role for account in DEMO_ACCOUNTS for role in account.roles} == set(Role)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert account.roles <= user_roles(user)
        assert set(user.groups.values_list("name", flat=True)) == {role.value for role in account.roles}
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(user=user, email=account.email, verified=True, primary=True).exists()
        person = Person.objects.get(user=user)
        assert person.full_name == account.full_name
        assert person.home_unit is not None
        assert account.login in seeded and account.email in seeded
    assert DEMO_PASSWORD in seeded
    assert User.objects.get(username="demo.quantri").is_superuser
    assert Person.objects.get(user__username="demo.hoinongdan").unit.get_parent().code == "40-HND"
    assert Person.objects.get(user__username="demo.quanlychuongtrinh").unit.get_parent().code == "40-SKHCN"
    assert Person.objects.get(user__username="demo.sonoivu").unit.get_parent().code == "40-SNV"


def test_the_demo_farmer_registered_in_a_commune_with_consent(seeded):
    farmer = Person.objects.get(user__username="_rdemo.nongdan")
    assert farmer.audience == Audience.FARMER
    assert farmer.unit is None and farmer.commune.kind in COMMUNE_LEVEL_KINDS
    assert farmer.employee_code is None
    assert ConsentRecord.objects.filter(user=farmer.user).exists()


def test_the_demo_password_passes_the_password_rules(seeded):
    validate_password(DEMO_PASSWORD, User.objects.get(username="demo.hocvien"))


def test_the_demo_learner_can_log_in(seeded, client):
    response = client.post(reverse("account_login"), {"login": "demo.hocvien", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(User.objects.get(username="demo.hocvien").pk)


def test_the_demo_province_has_people_of_every_audience(seeded):
    people = Person.objects.exclude(user__username__in=[a.username for a in DEMO_ACCOUNTS])
    assert 290 <= people.count() <= 310
    assert set(people.values_list("audience", flat=True)) == set(Audience.values)
    assert not people.filter(audience__in=SELF_REGISTERED_AUDIENCES, commune__isnull=True).exists()
    assert not people.exclude(audience__in=SELF_REGISTERED_AUDIENCES).filter(unit__isnull=True).exists()
    for person in people:
        person.full_clean()
    assert any(c in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ" for c in people.first().full_name.lower())
    assert set(people.values_list("gender", flat=True)) >= {"female", "male"}


def test_each_department_has_one_cio_and_it_staff_are_qualified(seeded):
    departments = OrganisationUnit.objects.filter(depth=2, kind__in=[UnitKind.DEPARTMENT, UnitKind.ORGANISATION])
    cios = Counter(Person.objects.filter(is_cio=True).values_list("unit__code", flat=True))
    assert cios == {code: 1 for code in departments.values_list("code", flat=True)}
    assert not Person.objects.filter(is_cio=True, is_leader=False).exists()
    it_staff = Person.objects.filter(audience=Audience.IT_STAFF)
    qualifications = Counter(it_staff.values_list("it_qualification", flat=True))
    degrees = (ITQualification.COLLEGE, ITQualification.BACHELOR, ITQualification.MASTER)
    degree_holders = sum(qualifications[q] for q in degrees)
    assert degree_holders / sum(qualifications.values()) >= 0.8


def test_the_demo_province_keeps_a_former_district(seeded):
    district = OrganisationUnit.objects.get(kind=UnitKind.DISTRICT)
    assert district.valid_to is not None and district.successor.kind in COMMUNE_LEVEL_KINDS


def test_seeding_twice_changes_nothing(seeded):
    def counts():
        return [model.objects.count() for model in (User, Person, OrganisationUnit, EmailAddress, ConsentRecord)]

    before = counts()
    output = _seed()

    assert ": 0 người trong" in output  # commands speak the site language
    assert counts() == before


def test_if_empty_does_nothing_on_a_seeded_database(seeded, django_assert_max_num_queries):
    counts = (User.objects.count(), Person.objects.count(), OrganisationUnit.objects.count())

    with django_assert_max_num_queries(3):
        output = _seed("--if-empty", "--people", "50")

    assert counts == (User.objects.count(), Person.objects.count(), OrganisationUnit.objects.count())
    assert "demo.hocvien" in output and DEMO_PASSWORD in output


def test_if_empty_seeds_an_empty_database(settings):
    settings.LMS_PROVINCE_CODE = 40
    _seed("--if-empty", "--people", "20")
    assert Person.objects.count() == 20 + len(DEMO_ACCOUNTS)


def test_people_n_uses_bulk_inserts(bare_province, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr(demo_people, "BATCH_SIZE", 500)
    # Four batches of six bulk statements, plus a few to read the tree: not one per person. SQLite
    # takes at most 999 parameters per statement, so there Django splits each insert in a few.
    with django_assert_max_num_queries(40 if connection.vendor == "postgresql" else 120):
        created = demo_people_ensure(province=bare_province, count=2000)

    assert created == 2000 == Person.objects.count() == User.objects.count() == EmailAddress.objects.count()
    learners = User.objects.filter(groups__name=Role.LEARNER).count()
    assert learners == 2000
    assert ConsentRecord.objects.count() == Person.objects.filter(audience__in=SELF_REGISTERED_AUDIENCES).count()
    assert Person.objects.values("user__password").distinct().count() == 1
    assert Person.objects.filter(unit__kind=UnitKind.SUB_UNIT).exists()
    assert Person.objects.filter(unit__kind__in=COMMUNE_LEVEL_KINDS).exists()


def test_the_seed_command_takes_a_number_of_people(settings):
    settings.LMS_PROVINCE_CODE = 40
    _seed("--people", "120")
    assert Person.objects.filter(employee_code__startswith="DM40-").count() + Person.objects.filter(
        user__username__startswith="_rdm40-"
    ).count() == 120


def test_asking_for_more_people_adds_only_the_missing_ones(bare_province):
    assert demo_people_ensure(province=bare_province, count=50) == 50
    first = list(Person.objects.order_by("pk").values_list("full_name", "employee_code"))

    assert demo_people_ensure(province=bare_province, count=80) == 30
    assert demo_people_ensure(province=bare_province, count=80) == 0
    assert list(Person.objects.order_by("pk").values_list("full_name", "employee_code"))[:50] == first


def test_subtree_queries_work_over_the_generated_tree(seeded):
    demo_people_ensure(province=OrganisationUnit.objects.get(code="40"), count=1500)
    health = OrganisationUnit.objects.get(code="40-SYT")
    subtree_ids = {health.pk, *health.get_descendants().values_list("pk", flat=True)}
    expected = set(Person.objects.filter(unit_id__in=subtree_ids).values_list("pk", flat=True))

    assert set(Person.objects.filter(unit__path__startswith=health.path).values_list("pk", flat=True)) == expected
    assert len(expected) > 20
    assert Person.objects.filter(unit__in=health.get_children()).exists()

    officer = User.objects.get(username="demo.canbodaotao")
    assert set(people_in_scope(officer).values_list("pk", flat=True)) == expected
