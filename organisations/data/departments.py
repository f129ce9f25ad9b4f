"""The departments and agencies of a province since the 2025 reorganisation, and its former units.

Since 1 March 2025 a province has at most 14 specialised agencies: twelve that every province has,
plus Sở Dân tộc và Tôn giáo and Sở Ngoại vụ where the province kept them. The former Departments of
Information and Communications were merged into Sở Khoa học và Công nghệ, which now owns curricula.

Codes are given by the province, "<province code>-<abbreviation>" (e.g. "40-SNV"); a sub-unit adds
its own abbreviation ("40-SNV-CCVC"). `{level}` in a name becomes "tỉnh" or "thành phố".
"""

from dataclasses import dataclass, field
from datetime import date

from organisations.models import UnitKind


@dataclass(frozen=True)
class UnitSpec:
    abbreviation: str
    name: str
    kind: str = UnitKind.DEPARTMENT
    sub_units: tuple["UnitSpec", ...] = field(default=())


@dataclass(frozen=True)
class HistoricalUnitSpec:
    """A unit that no longer exists, kept so that records made while it existed still add up."""

    code: str
    name: str
    kind: str
    valid_from: date | None
    valid_to: date
    successor_code: str


def _sub(abbreviation: str, name: str) -> UnitSpec:
    return UnitSpec(abbreviation, name, UnitKind.SUB_UNIT)


HOME_AFFAIRS = "SNV"
SCIENCE_AND_TECHNOLOGY = "SKHCN"
HEALTH = "SYT"
FINANCE = "STC"
FARMERS_UNION = "HND"

COMMON_DEPARTMENTS: tuple[UnitSpec, ...] = (
    UnitSpec(
        HOME_AFFAIRS,
        "Sở Nội vụ",
        sub_units=(
            _sub("VP", "Văn phòng Sở Nội vụ"),
            _sub("TCBC", "Phòng Tổ chức, biên chế và Tổ chức phi chính phủ"),
            _sub("CCVC", "Phòng Công chức, viên chức"),
            _sub("XDCQ", "Phòng Xây dựng chính quyền và Công tác thanh niên"),
        ),
    ),
    UnitSpec("STP", "Sở Tư pháp"),
    UnitSpec(
        FINANCE,
        "Sở Tài chính",
        sub_units=(
            _sub("QLNS", "Phòng Quản lý ngân sách"),
            _sub("QLDT", "Phòng Quản lý đầu tư"),
        ),
    ),
    UnitSpec("SCT", "Sở Công Thương"),
    UnitSpec(
        "SNNMT",
        "Sở Nông nghiệp và Môi trường",
        sub_units=(
            _sub("CCKL", "Chi cục Kiểm lâm"),
            _sub("CCTTBVTV", "Chi cục Trồng trọt và Bảo vệ thực vật"),
        ),
    ),
    UnitSpec("SXD", "Sở Xây dựng"),
    UnitSpec(
        SCIENCE_AND_TECHNOLOGY,
        "Sở Khoa học và Công nghệ",
        sub_units=(
            _sub("VP", "Văn phòng Sở Khoa học và Công nghệ"),
            _sub("CDS", "Phòng Chuyển đổi số"),
            _sub("TTCNTT", "Trung tâm Công nghệ thông tin và Truyền thông"),
        ),
    ),
    UnitSpec("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    UnitSpec("SGDDT", "Sở Giáo dục và Đào tạo"),
    UnitSpec(
        HEALTH,
        "Sở Y tế",
        sub_units=(
            _sub("VP", "Văn phòng Sở Y tế"),
            _sub("NVY", "Phòng Nghiệp vụ Y"),
            _sub("NVD", "Phòng Nghiệp vụ Dược"),
        ),
    ),
    UnitSpec("TT", "Thanh tra {level}"),
    UnitSpec(
        "VPUB",
        "Văn phòng Ủy ban nhân dân {level}",
        sub_units=(_sub("TTPVHCC", "Trung tâm Phục vụ hành chính công"),),
    ),
)

ETHNIC_AND_RELIGIOUS_AFFAIRS = UnitSpec("SDTTG", "Sở Dân tộc và Tôn giáo")
FOREIGN_AFFAIRS = UnitSpec("SNGV", "Sở Ngoại vụ")

# The optional departments each province kept; a province not listed has only the common twelve.
EXTRA_DEPARTMENTS: dict[int, tuple[UnitSpec, ...]] = {
    40: (ETHNIC_AND_RELIGIOUS_AFFAIRS, FOREIGN_AFFAIRS),  # Nghệ An: a border province with many ethnic groups
}

MASS_ORGANISATIONS: tuple[UnitSpec, ...] = (
    UnitSpec(
        FARMERS_UNION,
        "Hội Nông dân {level}",
        UnitKind.ORGANISATION,
        sub_units=(
            _sub("VP", "Văn phòng Hội Nông dân {level}"),
            _sub("TTHTND", "Trung tâm Hỗ trợ nông dân"),
        ),
    ),
)


def province_departments(province_code: int) -> tuple[UnitSpec, ...]:
    """The departments, agencies and mass organisations of a province, in display order."""
    return COMMON_DEPARTMENTS + EXTRA_DEPARTMENTS.get(province_code, ()) + MASS_ORGANISATIONS


def unit_code(province_code: int | str, *abbreviations: str) -> str:
    return "-".join([str(province_code), *abbreviations])


# District-level units abolished on 1 July 2025, with the commune that took over their centre.
# Codes are the official (General Statistics Office) district codes.
HISTORICAL_UNITS: dict[int, tuple[HistoricalUnitSpec, ...]] = {
    40: (
        HistoricalUnitSpec(
            code="413",
            name="Thị xã Cửa Lò",
            kind=UnitKind.DISTRICT,
            valid_from=None,
            valid_to=date(2025, 6, 30),
            successor_code="16732",  # Phường Cửa Lò
        ),
    ),
}
