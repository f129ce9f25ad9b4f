"""Demo data: the demo province and one memorable login per role. `manage.py seed_demo` runs `demo_seed`.

The generated people (any number of them) come from organisations.demo_people.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.roles import MFA_REQUIRED_ROLES, Role
from accounts.services import consent_record, user_set_roles

from .admin_units import admin_units_load, province_departments_load, province_history_load
from .data.departments import FARMERS_UNION, FINANCE, HEALTH, HOME_AFFAIRS, SCIENCE_AND_TECHNOLOGY, unit_code
from .demo_people import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, demo_people_ensure
from .models import (
    COMMUNE_LEVEL_KINDS,
    SELF_REGISTERED_AUDIENCES,
    Audience,
    Gender,
    ITQualification,
    OrganisationUnit,
    Person,
    StaffCategory,
)

User = get_user_model()

DEFAULT_PEOPLE = 300


@dataclass(frozen=True)
class DemoAccount:
    """A memorable login for trying one role."""

    label_vi: str
    label: Promise
    username: str
    email: str
    roles: frozenset[Role]
    full_name: str
    gender: str
    birth_year: int
    # Abbreviations of the unit under the province (organisations.data.departments); () = a commune.
    unit_path: tuple[str, ...]
    position: str
    audience: str
    staff_category: str
    is_leader: bool = False
    is_cio: bool = False
    it_qualification: str = ITQualification.NONE

    @property
    def self_registered(self) -> bool:
        return self.audience in SELF_REGISTERED_AUDIENCES

    @property
    def login(self) -> str:
        """Self-registered people log in with their e-mail; staff with their employee code."""
        return self.email if self.self_registered else self.username

    @property
    def needs_totp(self) -> bool:
        return bool(self.roles & MFA_REQUIRED_ROLES)


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        label_vi="Học viên (công chức)",
        label=Role.LEARNER.label,
        username="demo.hocvien",
        email=f"hocvien@{DEMO_EMAIL_DOMAIN}",
        roles=frozenset({Role.LEARNER}),
        full_name="Nguyễn Thị Hồng Nhung",
        gender=Gender.FEMALE,
        birth_year=1991,
        unit_path=(FINANCE, "QLNS"),
        position="Chuyên viên",
        audience=Audience.GENERAL,
        staff_category=StaffCategory.CONG_CHUC,
        it_qualification=ITQualification.CERTIFICATE,
    ),
    DemoAccount(
        label_vi="Giảng viên",
        label=Role.TRAINER.label,
        username="demo.giangvien",
        email=f"giangvien@{DEMO_EMAIL_DOMAIN}",
        roles=frozenset({Role.TRAINER}),
        full_name="Trần Quốc Bảo",
        gender=Gender.MALE,
        birth_year=1985,
        unit_path=(SCIENCE_AND_TECHNOLOGY, "TTCNTT"),
        position="Giảng viên tin học",
        audience=Audience.IT_STAFF,
        staff_category=StaffCategory.VIEN_CHUC,
        it_qualification=ITQualification.MASTER,
    ),
    DemoAccount(
        label_vi="Cán bộ phụ trách đào tạo của đơn vị",
        label=Role.UNIT_OFFICER.label,
        username="demo.canbodaotao",
        email=f"canbodaotao@{DEMO_EMAIL_DOMAIN}",
        roles=frozenset({Role.UNIT_OFFICER, Role.LEARNER}),
        full_name="Lê Thị Minh Thu",
        gender=Gender.FEMALE,
        birth_year=1988,
        unit_path=(HEALTH,),
        position="Chuyên viên phụ trách đào tạo, bồi dưỡng",
        audience=Audience.GENERAL,
        staff_category=StaffCategory.CONG_CHUC,
        it_qualification=ITQualification.CERTIFICATE,
    ),
    DemoAccount(
        label_vi="Quản lý chương trình đào tạo",
        label=Role.CURRICULUM_MANAGER.label,
        username="demo.quanlychuongtrinh",
        email=f"quanlychuongtrinh@{DEMO_EMAIL_DOMAIN}",
        roles=frozenset({Role.CURRICULUM_MANAGER, Role.LEARNER}),
        full_name="Phạm Văn Đức",
        gender=Gender.MALE,
        birth_year=1980,
        unit_path=(SCIENCE_AND_TECHNOLOGY, "CDS"),
        position="Trưởng phòng Chuyển đổi số",
        audience=Audience.LEADER_CIO,
        staff_category=StaffCategory.CONG_CHUC,
        is_leader=True,
        it_qualification=ITQualification.MASTER,
    ),
    DemoAccount(
        label_vi="Điều phối viên Hội Nông dân",
        label=Role.FARMER_COORDINATOR.label,
        username="demo.hoinongdan",
        email=f"hoinongdan@{DEMO_EMAIL_DOMAIN}",
        roles=frozenset({Role.FARMER_COORDINATOR, Role.LEARNER}),
        full_name="Hoàng Văn Sơn",
        gender=Gender.MALE,
        birth_year=1983,
        unit_path=(FARMERS_UNION, "TTHTND"),
        position="Phó Giám đốc Trung tâm Hỗ trợ nông dân",
        audience=Audience.LEADER_CIO,
        staff_category=StaffCategory.CAN_BO,
        is_leader=True,
        it_qualification=ITQualification.CERTIFICATE,
    ),
    DemoAccount(
        label_vi="Cán bộ Sở Nội vụ",
        label=Role.HOME_AFFAIRS.label,
        username="demo.sonoivu",
        email=f"sonoivu@{DEMO_EMAIL_DOMAIN}",
        roles=frozenset({Role.HOME_AFFAIRS, Role.LEARNER}),
        full_name="Võ Thị Thanh Hương",
        gender=Gender.FEMALE,
        birth_year=1986,
        unit_path=(HOME_AFFAIRS, "CCVC"),
        position="Chuyên viên chính",
        audience=Audience.GENERAL,
        staff_category=StaffCategory.CONG_CHUC,
        it_qualification=ITQualification.CERTIFICATE,
    ),
    DemoAccount(
        label_vi="Quản trị hệ thống",
        label=Role.SITE_ADMIN.label,
        username="demo.quantri",
        email=f"quantri@{DEMO_EMAIL_DOMAIN}",
        roles=frozenset({Role.SITE_ADMIN}),
        full_name="Đặng Minh Tuấn",
        gender=Gender.MALE,
        birth_year=1990,
        unit_path=(SCIENCE_AND_TECHNOLOGY, "TTCNTT"),
        position="Quản trị hệ thống",
        audience=Audience.IT_STAFF,
        staff_category=StaffCategory.VIEN_CHUC,
        it_qualification=ITQualification.BACHELOR,
    ),
    DemoAccount(
        label_vi="Nông dân (tự đăng ký)",
        label=_("Farmer (registered themselves)"),
        # A self-registration handle, like the ones the sign-up form generates (accounts.adapters).
        username="_rdemo.nongdan",
        email=f"nongdan@{DEMO_EMAIL_DOMAIN}",
        roles=frozenset({Role.LEARNER}),
        full_name="Bùi Văn Thành",
        gender=Gender.MALE,
        birth_year=1972,
        unit_path=(),
        position="Chủ trang trại",
        audience=Audience.FARMER,
        staff_category=StaffCategory.NON_STATE,
    ),
)


@dataclass(frozen=True)
class SeedResult:
    province: OrganisationUnit
    people_created: int


def demo_seed(*, province_code: int, people: int = DEFAULT_PEOPLE) -> SeedResult:
    """Build the demo province: communes, departments, a former district, demo logins and people."""
    province = admin_units_load(province_code=province_code).province
    province_departments_load(province=province)
    province_history_load(province=province)
    demo_accounts_ensure(province=province)
    return SeedResult(province=province, people_created=demo_people_ensure(province=province, count=people))


def demo_accounts_existing() -> list[DemoAccount]:
    """The demo logins present in the database (none on a real site)."""
    usernames = [account.username for account in DEMO_ACCOUNTS]
    present = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    return [account for account in DEMO_ACCOUNTS if account.username in present]


def _first_commune(province: OrganisationUnit) -> OrganisationUnit:
    return (
        OrganisationUnit.objects.filter(
            path__startswith=province.path,
            depth=province.depth + 1,
            kind__in=COMMUNE_LEVEL_KINDS,
            valid_to__isnull=True,
        )
        .order_by("path")
        .first()
    )


@transaction.atomic
def demo_accounts_ensure(*, province: OrganisationUnit) -> None:
    """Create the demo logins that are missing; give every demo login its roles.

    Existing demo people keep their profile and password: someone trying the demo may have changed them.
    """
    units = {
        unit.code: unit
        for unit in OrganisationUnit.objects.filter(
            code__in=[unit_code(province.code, *a.unit_path) for a in DEMO_ACCOUNTS if a.unit_path]
        )
    }
    commune = _first_commune(province)
    password_hash = make_password(DEMO_PASSWORD)
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(username=account.username, email=account.email, password=password_hash)
            user.full_clean()
            user.save()
        if not EmailAddress.objects.filter(user=user).exists():
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        if not Person.objects.filter(user=user).exists():
            unit = units[unit_code(province.code, *account.unit_path)] if account.unit_path else None
            person = Person(
                user=user,
                full_name=account.full_name,
                employee_code=None if account.self_registered else account.username,
                unit=unit,
                commune=commune if unit is None else None,
                position=account.position,
                staff_category=account.staff_category,
                audience=account.audience,
                is_leader=account.is_leader,
                is_cio=account.is_cio,
                it_qualification=account.it_qualification,
                gender=account.gender,
                birth_year=account.birth_year,
            )
            person.full_clean()
            person.save()
        if account.self_registered:
            consent_record(user=user)
        user_set_roles(user=user, roles=set(account.roles))
