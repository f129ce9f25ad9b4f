"""The default certificate template, created by a data migration and again on first use if it was deleted,
so that every completed course gets a certificate."""

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
