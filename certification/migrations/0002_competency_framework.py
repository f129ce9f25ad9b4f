"""Load the competency framework and the default certificate template, so every fresh database has them.

The modules of the IT skill standard (Circular 03/2014/TT-BTTTT: IU01–IU06 basic, IU07–IU15 advanced) and
its two composite standards; the CIO competencies; the five professional areas of dedicated IT staff
(Circular 11/2015/TT-BTTTT); open-source office skills; the farmers' five basic digital skills. Later edits
are made in the Wagtail admin. The data is copied here (not imported) so this migration never changes.
"""

from django.db import migrations

# (code, Vietnamese, English, group, validity in months)
COMPETENCIES = [
    ("IU01", "Hiểu biết về CNTT cơ bản", "Basic IT knowledge", "it_basic", None),
    ("IU02", "Sử dụng máy tính cơ bản", "Basic computer use", "it_basic", None),
    ("IU03", "Xử lý văn bản cơ bản", "Basic word processing", "it_basic", None),
    ("IU04", "Sử dụng bảng tính cơ bản", "Basic spreadsheets", "it_basic", None),
    ("IU05", "Sử dụng trình chiếu cơ bản", "Basic presentations", "it_basic", None),
    ("IU06", "Sử dụng Internet cơ bản", "Basic Internet use", "it_basic", None),
    ("IU07", "Xử lý văn bản nâng cao", "Advanced word processing", "it_advanced", None),
    ("IU08", "Sử dụng bảng tính nâng cao", "Advanced spreadsheets", "it_advanced", None),
    ("IU09", "Sử dụng trình chiếu nâng cao", "Advanced presentations", "it_advanced", None),
    ("IU10", "Sử dụng hệ quản trị cơ sở dữ liệu", "Using a database system", "it_advanced", None),
    ("IU11", "Thiết kế đồ họa hai chiều", "2-D graphic design", "it_advanced", None),
    ("IU12", "Biên tập ảnh", "Image editing", "it_advanced", None),
    ("IU13", "Biên tập trang thông tin điện tử", "Website editing", "it_advanced", None),
    ("IU14", "An toàn, bảo mật thông tin", "Information security", "it_advanced", None),
    ("IU15", "Sử dụng phần mềm kế hoạch dự án", "Project-planning software", "it_advanced", None),
    ("CIO01", "Chiến lược và chính sách CNTT", "IT strategy and policy", "cio", None),
    ("CIO02", "Kiến trúc Chính phủ điện tử", "E-government architecture", "cio", None),
    ("CIO03", "Quản lý đầu tư và dự án CNTT", "IT investment and project management", "cio", None),
    ("CIO04", "Quản lý an toàn thông tin", "Information security management", "cio", 24),
    ("CIO05", "Cải tiến quy trình nghiệp vụ", "Business process improvement", "cio", None),
    ("CIO06", "Pháp luật về CNTT", "IT law", "cio", None),
    ("CIO07", "Lãnh đạo chuyển đổi số", "Leading digital transformation", "cio", None),
    ("CT01", "Cơ sở dữ liệu", "Databases", "it_staff", None),
    ("CT02", "Hệ thống mạng", "Network systems", "it_staff", None),
    ("CT03", "Quản trị hệ thống CNTT", "IT system management", "it_staff", None),
    ("CT04", "An toàn thông tin", "Information security", "it_staff", 24),
    ("CT05", "Thiết kế và phát triển phần mềm", "Software design and development", "it_staff", None),
    ("MNM01", "Soạn thảo văn bản với LibreOffice Writer", "Word processing with LibreOffice Writer", "open_source", None),
    ("MNM02", "Bảng tính với LibreOffice Calc", "Spreadsheets with LibreOffice Calc", "open_source", None),
    ("MNM03", "Trình chiếu với LibreOffice Impress", "Presentations with LibreOffice Impress", "open_source", None),
    ("MNM04", "Trình duyệt Firefox và thư điện tử Thunderbird", "Firefox browser and Thunderbird e-mail",
     "open_source", None),
    ("ND01", "Sử dụng dịch vụ công trực tuyến", "Using online public services", "farmers", None),
    ("ND02", "Mua sắm trực tuyến", "Shopping online", "farmers", None),
    ("ND03", "Thanh toán trực tuyến", "Paying online", "farmers", None),
    ("ND04", "An toàn trên không gian mạng, nhận biết lừa đảo", "Staying safe online and spotting scams",
     "farmers", None),
    ("ND05", "Sử dụng các nền tảng số của địa phương", "Using local digital platforms", "farmers", None),
]

BASIC = {
    "code": "it_basic",
    "name_vi": "Chuẩn kỹ năng sử dụng CNTT cơ bản",
    "name_en": "Basic IT skill standard",
    "position": 10,
}
ADVANCED = {
    "code": "it_advanced",
    "name_vi": "Chuẩn kỹ năng sử dụng CNTT nâng cao",
    "name_en": "Advanced IT skill standard",
    "position": 20,
    "optional_minimum": 3,
}

DEFAULT_TEMPLATE = {
    "name": "Mẫu chứng nhận mặc định",
    "title": "GIẤY CHỨNG NHẬN",
    "body": (
        "Chứng nhận Ông/Bà\n"
        "{name}\n"
        "đã hoàn thành khoá học\n"
        "{course}\n"
        "Thời lượng: {hours} giờ. Cấp ngày {date}."
    ),
    "signatory_name": "",
    "signatory_title": "GIÁM ĐỐC SỞ NỘI VỤ",
    "language": "vi",
}


def load_framework(apps, schema_editor):
    Competency = apps.get_model("certification", "Competency")
    Standard = apps.get_model("certification", "Standard")
    CertificateTemplate = apps.get_model("certification", "CertificateTemplate")

    by_code = {}
    for position, (code, name_vi, name_en, group, validity) in enumerate(COMPETENCIES, start=1):
        by_code[code], _ = Competency.objects.update_or_create(
            code=code,
            defaults={
                "name_vi": name_vi, "name_en": name_en, "group": group,
                "position": position * 10, "validity_months": validity, "is_active": True,
            },
        )
    basic, _ = Standard.objects.update_or_create(code=BASIC["code"], defaults=BASIC)
    basic.required.set([by_code[f"IU{n:02d}"] for n in range(1, 7)])
    advanced, _ = Standard.objects.update_or_create(
        code=ADVANCED["code"], defaults={**ADVANCED, "builds_on": basic}
    )
    advanced.optional.set([by_code[f"IU{n:02d}"] for n in range(7, 16)])

    if not CertificateTemplate.objects.filter(course__isnull=True, track="").exists():
        CertificateTemplate.objects.create(**DEFAULT_TEMPLATE)


def unload_framework(apps, schema_editor):
    apps.get_model("certification", "CertificateTemplate").objects.filter(course__isnull=True, track="").delete()
    apps.get_model("certification", "Standard").objects.filter(code__in=[ADVANCED["code"], BASIC["code"]]).delete()
    apps.get_model("certification", "Competency").objects.filter(
        code__in=[row[0] for row in COMPETENCIES], records__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [migrations.RunPython(load_framework, unload_framework)]
