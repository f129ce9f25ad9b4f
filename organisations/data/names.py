"""Vietnamese names and job titles for generated demo people, with rough real-world frequencies."""

# Family names, weighted by their approximate share of the population (percent).
FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 5.1),
    ("Phan", 4.5),
    ("Vũ", 3.9),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Võ", 1.0),
    ("Thái", 0.4),
    ("Cao", 0.4),
    ("Chu", 0.3),
    ("Lương", 0.3),
    ("Đinh", 0.4),
    ("Trịnh", 0.3),
    ("Lưu", 0.2),
    ("Mai", 0.2),
    ("Tạ", 0.2),
    ("Lò", 0.1),
    ("Vi", 0.1),
    ("Lữ", 0.1),
)

MALE_MIDDLE_NAMES: tuple[str, ...] = (
    "Văn", "Văn", "Văn", "Đức", "Hữu", "Minh", "Quang", "Xuân", "Công", "Đình", "Thanh", "Ngọc", "Quốc",
    "Trọng", "Anh", "Tiến", "Mạnh", "Duy",
)  # fmt: skip

FEMALE_MIDDLE_NAMES: tuple[str, ...] = (
    "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Mai", "Khánh", "Bích", "Kim",
    "Thùy", "Hải", "Diệu",
)  # fmt: skip

MALE_GIVEN_NAMES: tuple[str, ...] = (
    "An", "Bảo", "Bình", "Cường", "Dũng", "Đạt", "Đông", "Đức", "Giang", "Hải", "Hiếu", "Hòa", "Hoàng",
    "Hùng", "Huy", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Lộc", "Luân", "Mạnh", "Minh", "Nam", "Nghĩa",
    "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thịnh", "Toàn", "Trung",
    "Tuấn", "Tùng", "Việt", "Vinh", "Vũ",
)  # fmt: skip

FEMALE_GIVEN_NAMES: tuple[str, ...] = (
    "Anh", "Châu", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Huyền", "Hương",
    "Lan", "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh",
    "Tâm", "Thảo", "Thơ", "Thu", "Thủy", "Trang", "Trinh", "Tuyết", "Vân", "Yến",
)  # fmt: skip

# Job titles by kind of workplace.
DEPARTMENT_STAFF_POSITIONS: tuple[str, ...] = (
    "Chuyên viên", "Chuyên viên", "Chuyên viên", "Chuyên viên chính", "Cán sự", "Văn thư", "Kế toán",
    "Chuyên viên pháp chế", "Thanh tra viên",
)  # fmt: skip
CENTRE_STAFF_POSITIONS: tuple[str, ...] = ("Viên chức", "Viên chức", "Kỹ thuật viên", "Kế toán", "Nhân viên hành chính")
COMMUNE_STAFF_POSITIONS: tuple[str, ...] = (
    "Công chức Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch", "Công chức Tài chính - Kế toán",
    "Công chức Địa chính - Xây dựng", "Công chức Văn hóa - Xã hội", "Chuyên viên Phòng Kinh tế",
    "Chuyên viên Phòng Văn hóa - Xã hội", "Chuyên viên Trung tâm Phục vụ hành chính công",
)  # fmt: skip
IT_STAFF_POSITIONS: tuple[str, ...] = (
    "Chuyên viên công nghệ thông tin", "Chuyên viên chuyển đổi số", "Kỹ sư phần mềm", "Quản trị mạng",
    "Chuyên viên an toàn thông tin",
)  # fmt: skip
FARMER_POSITIONS: tuple[str, ...] = ("", "", "", "Xã viên hợp tác xã", "Chủ trang trại", "Tổ trưởng tổ hợp tác")

# Head and deputy titles, by the first words of the unit's name.
HEAD_TITLES: tuple[tuple[str, str, str], ...] = (
    ("Sở ", "Giám đốc Sở", "Phó Giám đốc Sở"),
    ("Thanh tra", "Chánh Thanh tra", "Phó Chánh Thanh tra"),
    ("Văn phòng", "Chánh Văn phòng", "Phó Chánh Văn phòng"),
    ("Hội ", "Chủ tịch Hội", "Phó Chủ tịch Hội"),
    ("Phòng ", "Trưởng phòng", "Phó Trưởng phòng"),
    ("Chi cục", "Chi cục trưởng", "Phó Chi cục trưởng"),
    ("Trung tâm", "Giám đốc Trung tâm", "Phó Giám đốc Trung tâm"),
    ("Xã ", "Chủ tịch Ủy ban nhân dân xã", "Phó Chủ tịch Ủy ban nhân dân xã"),
    ("Phường ", "Chủ tịch Ủy ban nhân dân phường", "Phó Chủ tịch Ủy ban nhân dân phường"),
    ("Đặc khu ", "Chủ tịch Ủy ban nhân dân đặc khu", "Phó Chủ tịch Ủy ban nhân dân đặc khu"),
)
DEFAULT_HEAD_TITLES = ("Thủ trưởng đơn vị", "Phó Thủ trưởng đơn vị")


def head_titles(unit_name: str) -> tuple[str, str]:
    """The titles of the head and of a deputy head of a unit ("Giám đốc Sở", "Phó Giám đốc Sở")."""
    for prefix, head, deputy in HEAD_TITLES:
        if unit_name.startswith(prefix):
            return head, deputy
    return DEFAULT_HEAD_TITLES
