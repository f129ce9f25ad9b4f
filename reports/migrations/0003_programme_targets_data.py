"""The provincial programme's targets for 2026 (editable afterwards in the Wagtail admin)."""

from decimal import Decimal

from django.db import migrations

YEAR = 2026
TARGETS = [
    ("basic_it_standard", "100", "Cán bộ, công chức, viên chức đạt chuẩn kỹ năng sử dụng CNTT cơ bản."),
    ("departments_cio", "100", "Sở, ban, ngành có lãnh đạo phụ trách CNTT (CIO) đạt chuẩn."),
    ("communes_cio", "70", "Xã, phường, đặc khu có CIO đạt chuẩn (70% như mục tiêu cấp huyện trước đây)."),
    ("units_with_it_staff", "100", "Cơ quan, đơn vị có cán bộ chuyên trách CNTT."),
    ("it_staff_degree", "100", "Cán bộ chuyên trách CNTT có trình độ từ cao đẳng CNTT trở lên."),
    ("it_staff_security_sysadmin", "100", "Cán bộ chuyên trách CNTT được đào tạo an toàn thông tin và quản trị hệ thống."),
    ("farmers_reached", "10000", "Nông dân và người dân được phổ cập kỹ năng số: đặt theo kế hoạch của tỉnh."),
]


def load(apps, schema_editor):
    ProgrammeTarget = apps.get_model("reports", "ProgrammeTarget")
    for indicator, value, note in TARGETS:
        ProgrammeTarget.objects.update_or_create(
            indicator=indicator, year=YEAR, defaults={"target_value": Decimal(value), "note": note}
        )


def unload(apps, schema_editor):
    apps.get_model("reports", "ProgrammeTarget").objects.filter(year=YEAR, indicator__in=[t[0] for t in TARGETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_programme_targets")]
    operations = [migrations.RunPython(load, unload)]
