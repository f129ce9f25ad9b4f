"""load_admin_units: the official communes of a province, the departments, and the former units."""

import io
from collections import Counter
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from vietnam_provinces import ProvinceCode, Ward

from organisations.admin_units import (
    COMMUNE_LEVEL_SINCE,
    UnknownProvince,
    admin_units_load,
    province_departments_load,
    province_history_load,
    units_append,
)
from organisations.models import COMMUNE_LEVEL_KINDS, OrganisationUnit, UnitKind

pytestmark = pytest.mark.django_db


def _communes(province):
    return OrganisationUnit.objects.filter(
        path__startswith=province.path, depth=province.depth + 1, kind__in=COMMUNE_LEVEL_KINDS
    )


def _assert_tree_sound():
    assert OrganisationUnit.find_problems() == ([], [], [], [], [])


def test_nghe_an_gets_its_130_official_communes():
    out = io.StringIO()
    call_command("load_admin_units", "--province", "40", stdout=out)

    province = OrganisationUnit.objects.get(code="40")
    assert province.is_root()
    assert (province.name, province.kind) == ("Tỉnh Nghệ An", UnitKind.PROVINCE)
    communes = _communes(province)
    assert communes.count() == 130 == province.numchild
    official = {str(ward.code.value): ward.name for ward in Ward.iter_by_province(ProvinceCode(40))}
    assert dict(communes.values_list("code", "name")) == official
    assert Counter(communes.values_list("kind", flat=True)) == {UnitKind.COMMUNE: 119, UnitKind.WARD: 11}
    assert set(communes.values_list("valid_from", flat=True)) == {COMMUNE_LEVEL_SINCE}
    assert not communes.filter(valid_to__isnull=False).exists()
    assert communes.get(code="17329").name == "Xã Anh Sơn"
    assert "tạo mới 131" in out.getvalue()  # commands speak the site language
    _assert_tree_sound()


def test_loading_takes_a_few_queries_not_one_per_commune(django_assert_max_num_queries):
    # SQLite splits the one INSERT of 130 rows in two (999 parameters at most per statement).
    with django_assert_max_num_queries(20):
        admin_units_load(province_code=40)
    assert OrganisationUnit.objects.count() == 131


def test_loading_twice_changes_nothing():
    admin_units_load(province_code=40)
    before = list(OrganisationUnit.objects.values_list("pk", "path", "name", "kind", "code", "valid_to", "numchild"))

    result = admin_units_load(province_code=40)

    assert (result.created, result.updated, result.closed, result.unchanged) == (0, 0, 0, 130)
    after = list(OrganisationUnit.objects.values_list("pk", "path", "name", "kind", "code", "valid_to", "numchild"))
    assert after == before


def test_a_rerun_restores_the_official_name_and_kind():
    province = admin_units_load(province_code=40).province
    _communes(province).filter(code="17329").update(name="Xã Anh Sơn cũ", kind=UnitKind.WARD)

    result = admin_units_load(province_code=40)

    assert result.updated == 1
    commune = OrganisationUnit.objects.get(code="17329")
    assert (commune.name, commune.kind) == ("Xã Anh Sơn", UnitKind.COMMUNE)


def test_a_commune_gone_from_the_official_list_is_closed_not_deleted():
    province = admin_units_load(province_code=40).province
    gone = province.add_child(
        name="Xã Đã Sáp Nhập", kind=UnitKind.COMMUNE, code="99999", valid_from=COMMUNE_LEVEL_SINCE
    )

    result = admin_units_load(province_code=40)

    assert result.closed == 1
    gone.refresh_from_db()
    assert gone.valid_to == timezone.localdate()
    assert admin_units_load(province_code=40).closed == 0  # already closed: left as it is
    gone.refresh_from_db()
    assert gone.valid_to == timezone.localdate()


def test_a_closed_commune_back_in_the_official_list_is_reopened():
    admin_units_load(province_code=40)
    OrganisationUnit.objects.filter(code="17329").update(valid_to=date(2025, 12, 31))

    assert admin_units_load(province_code=40).updated == 1

    assert OrganisationUnit.objects.get(code="17329").valid_to is None


def test_new_communes_are_appended_after_existing_children():
    province = admin_units_load(province_code=40).province
    OrganisationUnit.objects.filter(code="17329").delete()
    province.refresh_from_db()
    extra = OrganisationUnit.objects.get(code="40").add_child(name="Sở Thử", kind=UnitKind.DEPARTMENT, code="40-THU")

    assert admin_units_load(province_code=40).created == 1

    restored = OrganisationUnit.objects.get(code="17329")
    assert restored.path > extra.path and restored.get_parent().code == "40"
    _assert_tree_sound()


def test_other_provinces_load_too():
    tay_ninh = admin_units_load(province_code=80).province
    quang_ninh = admin_units_load(province_code=22).province
    ha_noi = admin_units_load(province_code=1).province

    assert (tay_ninh.name, _communes(tay_ninh).count()) == ("Tỉnh Tây Ninh", 96)
    assert _communes(quang_ninh).filter(kind=UnitKind.SPECIAL_ZONE).count() == 2
    assert ha_noi.name == "Thành phố Hà Nội"
    _assert_tree_sound()


def test_an_unknown_province_code_is_a_clear_error():
    with pytest.raises(UnknownProvince):
        admin_units_load(province_code=41)
    with pytest.raises(CommandError, match="41 is not an official province code"):
        call_command("load_admin_units", "--province", "41", stdout=io.StringIO())
    assert not OrganisationUnit.objects.exists()


def test_a_code_taken_by_another_kind_of_unit_is_a_clear_error():
    OrganisationUnit.add_root(name="Tỉnh Thử", kind=UnitKind.PROVINCE, code="T").add_child(
        name="Sở lạ", kind=UnitKind.DEPARTMENT, code="40"
    )
    with pytest.raises(CommandError, match="not a province"):
        call_command("load_admin_units", "--province", "40", stdout=io.StringIO())


def test_departments_of_nghe_an():
    province = admin_units_load(province_code=40).province

    result = province_departments_load(province=province)

    children = OrganisationUnit.objects.filter(path__startswith=province.path, depth=2)
    departments = children.filter(kind=UnitKind.DEPARTMENT)
    assert departments.count() == 14
    assert set(departments.values_list("name", flat=True)) >= {
        "Sở Nội vụ",
        "Sở Khoa học và Công nghệ",
        "Thanh tra tỉnh",
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Sở Ngoại vụ",
    }
    union = children.get(kind=UnitKind.ORGANISATION)
    assert (union.name, union.code) == ("Hội Nông dân tỉnh", "40-HND")
    home_affairs = departments.get(code="40-SNV")
    assert home_affairs.name == "Sở Nội vụ"
    assert set(home_affairs.get_children().values_list("kind", flat=True)) == {UnitKind.SUB_UNIT}
    assert home_affairs.get_children().get(code="40-SNV-CCVC").name == "Phòng Công chức, viên chức"
    assert result.created == OrganisationUnit.objects.filter(code__startswith="40-").count()
    _assert_tree_sound()

    again = province_departments_load(province=province)
    assert (again.created, again.updated) == (0, 0)


def test_departments_follow_the_province():
    tay_ninh = admin_units_load(province_code=80).province
    ha_noi = admin_units_load(province_code=1).province
    province_departments_load(province=tay_ninh)
    province_departments_load(province=ha_noi)

    assert not OrganisationUnit.objects.filter(code="80-SNGV").exists()  # only some provinces kept it
    assert OrganisationUnit.objects.get(code="80-TT").name == "Thanh tra tỉnh"
    assert OrganisationUnit.objects.get(code="1-TT").name == "Thanh tra thành phố"
    assert OrganisationUnit.objects.get(code="1-HND").name == "Hội Nông dân thành phố"


def test_a_renamed_department_gets_its_name_back():
    province = admin_units_load(province_code=40).province
    province_departments_load(province=province)
    OrganisationUnit.objects.filter(code="40-SYT").update(name="Sở Y tế (cũ)")

    assert province_departments_load(province=province).updated == 1
    assert OrganisationUnit.objects.get(code="40-SYT").name == "Sở Y tế"


def test_the_load_command_can_add_the_departments():
    call_command("load_admin_units", "--province", "40", "--departments", stdout=io.StringIO())
    assert OrganisationUnit.objects.filter(code="40-SKHCN", kind=UnitKind.DEPARTMENT).exists()


def test_a_former_district_is_closed_and_points_to_its_successor():
    province = admin_units_load(province_code=40).province

    province_history_load(province=province)

    district = OrganisationUnit.objects.get(code="413")
    assert (district.name, district.kind, district.valid_to) == ("Thị xã Cửa Lò", UnitKind.DISTRICT, date(2025, 6, 30))
    assert district.successor.name == "Phường Cửa Lò"
    assert not district.is_active
    assert district.get_parent() == province
    assert province_history_load(province=province).created == 0
    _assert_tree_sound()


def test_units_append_builds_the_paths_treebeard_would():
    root = OrganisationUnit.add_root(name="Tỉnh Thử", kind=UnitKind.PROVINCE, code="T")
    first = root.add_child(name="Một", kind=UnitKind.DEPARTMENT, code="T-1")

    appended = units_append(
        parent=root,
        units=[OrganisationUnit(name=f"Đơn vị {n}", kind=UnitKind.DEPARTMENT, code=f"T-{n}") for n in range(2, 40)],
    )
    last = root.add_child(name="Cuối", kind=UnitKind.DEPARTMENT, code="T-last")

    assert root.numchild == 40
    assert [unit.pk for unit in root.get_children()] == [first.pk, *(u.pk for u in appended), last.pk]
    assert OrganisationUnit.objects.filter(path__startswith=root.path).count() == 41
    _assert_tree_sound()
