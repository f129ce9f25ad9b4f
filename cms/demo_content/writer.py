"""Open-source software: LibreOffice Writer for office work, with administrative documents per Decree 30/2020."""

from decimal import Decimal

from cms.choices import CourseLevel
from courses.choices import AccessMode
from courses.tracks import Track
from organisations.models import Audience

from . import drawing
from .spec import Course, Lesson, Picture, Section, figure, heading, note, step, steps, text, tip, warning

MENU = ["Tệp", "Sửa", "Xem", "Chèn", "Định dạng", "Kiểu dáng", "Bảng", "Công cụ", "Cửa sổ"]
WINDOW_TITLE = "Giay-moi-hop.odt — LibreOffice Writer"

PICTURES = {
    "cover": Picture(
        "Ảnh bìa: LibreOffice Writer cho công việc văn phòng",
        lambda: drawing.cover(
            ["LibreOffice Writer", "cho công việc", "văn phòng"],
            "Phần mềm nguồn mở",
            colour=drawing.BLUE,
            light=drawing.LIGHT_BLUE,
            motif="document",
        ),
    ),
    "a4": Picture(
        "Khổ giấy A4 với lề theo Nghị định 30/2020/NĐ-CP",
        lambda: drawing.a4_margins(
            "Khổ A4 và lề văn bản hành chính",
            {"top": "Trên 20–25 mm", "bottom": "Dưới 20–25 mm", "left": "Trái 30–35 mm", "right": "Phải 15–20 mm"},
            [
                "Khổ giấy A4: 210 × 297 mm",
                "Trình bày theo chiều đứng",
                "Lề trên, lề dưới: 20–25 mm",
                "Lề trái: 30–35 mm",
                "Lề phải: 15–20 mm",
                "Phông Times New Roman,",
                "cỡ chữ nội dung 13–14",
            ],
        ),
    ),
    "page-style": Picture(
        "Ảnh màn hình: mở hộp thoại Kiểu trang",
        lambda: drawing.window(
            WINDOW_TITLE,
            MENU,
            4,
            ["Ký tự…", "Đoạn văn…", "Dấu đầu dòng và đánh số…", "Kiểu trang…", "Cột…"],
            3,
            "Định dạng → Kiểu trang… rồi chọn thẻ Trang để đặt khổ giấy và lề.",
        ),
    ),
    "toc": Picture(
        "Ảnh màn hình: chèn mục lục",
        lambda: drawing.window(
            WINDOW_TITLE,
            MENU,
            3,
            ["Ngắt trang", "Hình ảnh…", "Chú thích cuối trang", "Mục lục và chỉ mục", "Trường"],
            3,
            "Chèn → Mục lục và chỉ mục → Mục lục, chỉ mục hoặc thư mục…",
        ),
    ),
    "mail-merge": Picture(
        "Ảnh màn hình: mở trình hướng dẫn trộn thư",
        lambda: drawing.window(
            WINDOW_TITLE,
            MENU,
            7,
            ["Chính tả…", "Đếm từ và ký tự…", "Trình hướng dẫn trộn thư…", "Tùy chọn…"],
            2,
            "Công cụ → Trình hướng dẫn trộn thư… để gửi giấy mời cho nhiều người.",
        ),
    ),
    "pdf": Picture(
        "Ảnh màn hình: xuất văn bản ra PDF",
        lambda: drawing.window(
            WINDOW_TITLE,
            MENU,
            0,
            ["Mới", "Mở…", "Lưu", "Lưu thành…", "Xuất ra PDF…", "In…"],
            4,
            "Tệp → Xuất ra PDF… Chọn PDF/A nếu văn bản cần lưu trữ lâu dài.",
        ),
    ),
}

page_setup = Lesson(
    title="Khổ giấy A4 và lề trang theo Nghị định 30/2020/NĐ-CP",
    slug="kho-giay-va-le-trang",
    body=[
        text(
            "<p>Nghị định 30/2020/NĐ-CP về công tác văn thư quy định thể thức và kỹ thuật trình bày văn bản "
            "hành chính. Thiết lập trang đúng ngay từ đầu giúp văn bản in ra và văn bản điện tử giống hệt nhau.</p>"
        ),
        figure(
            "a4",
            "Một tờ A4 đứng vẽ theo tỷ lệ, với khung lề: lề trên và lề dưới 20 đến 25 mm, lề trái 30 đến 35 mm, "
            "lề phải 15 đến 20 mm; bên cạnh là tóm tắt các quy định.",
            "Khổ giấy và lề của văn bản hành chính.",
        ),
        steps(
            "Đặt khổ giấy và lề trong Writer",
            [
                step(
                    "<p>Mở <b>Định dạng → Kiểu trang…</b> (<i>Format → Page Style…</i>).</p>",
                    "page-style",
                    "Cửa sổ Writer với trình đơn Định dạng đang mở, mục Kiểu trang được tô sáng.",
                ),
                step("<p>Ở thẻ <b>Trang</b>, chọn định dạng <b>A4</b> và hướng <b>Đứng</b>.</p>"),
                step(
                    "<p>Nhập lề: trái <b>3 cm</b>, phải <b>2 cm</b>, trên <b>2 cm</b>, dưới <b>2 cm</b> "
                    "(nằm trong khoảng Nghị định cho phép), rồi nhấn <b>OK</b>.</p>"
                ),
            ],
        ),
        tip(
            "<p>Nếu hộp thoại hiển thị đơn vị inch, hãy đổi sang xentimét ở <b>Công cụ → Tùy chọn → "
            "LibreOffice Writer → Chung</b>.</p>"
        ),
    ],
)

fonts = Lesson(
    title="Phông chữ, cỡ chữ và đoạn văn",
    slug="phong-chu-va-doan-van",
    body=[
        heading("Những quy định cần nhớ"),
        text(
            "<ul>"
            "<li>Phông chữ <b>Times New Roman</b>, bộ mã Unicode (TCVN 6909:2001), màu đen.</li>"
            "<li>Cỡ chữ phần nội dung <b>13 đến 14</b>.</li>"
            "<li>Đoạn văn căn đều hai lề; lùi đầu dòng <b>1 cm hoặc 1,27 cm</b>.</li>"
            "<li>Khoảng cách giữa các đoạn tối thiểu <b>6 pt</b>; cách dòng từ dòng đơn đến <b>1,5 dòng</b>.</li>"
            "<li>Số trang đặt giữa, ở lề trên, bằng chữ số Ả Rập; không hiện số ở trang thứ nhất.</li>"
            "</ul>"
        ),
        steps(
            "Định dạng đoạn văn nội dung",
            [
                step("<p>Chọn đoạn văn cần định dạng (hoặc nhấn <b>Ctrl + A</b> để chọn cả văn bản).</p>"),
                step("<p>Trên thanh công cụ, chọn phông <b>Times New Roman</b>, cỡ <b>14</b>.</p>"),
                step(
                    "<p>Mở <b>Định dạng → Đoạn văn…</b>. Ở thẻ <b>Thụt lề và giãn cách</b>: dòng đầu "
                    "<b>1,27 cm</b>, bên dưới đoạn <b>0,21 cm</b> (6 pt), giãn cách dòng <b>Đơn</b>.</p>"
                ),
                step("<p>Ở thẻ <b>Căn lề</b>, chọn <b>Căn đều</b> rồi nhấn <b>OK</b>.</p>"),
            ],
        ),
        warning(
            "<p>Không dùng phím cách hay phím Tab nhiều lần để căn chỉnh: khi đổi phông hoặc mở trên máy "
            "khác, văn bản sẽ bị xô lệch.</p>"
        ),
    ],
)

styles = Lesson(
    title="Kiểu định dạng (styles) và mục lục tự động",
    slug="kieu-dinh-dang-va-muc-luc",
    body=[
        text(
            "<p>Kiểu định dạng là một bộ định dạng có tên, ví dụ \"Tiêu đề 1\" hay \"Nội dung văn bản\". "
            "Định dạng bằng kiểu thay vì chỉnh tay từng đoạn giúp văn bản dài thống nhất, sửa một lần là "
            "đổi cả văn bản, và tạo được mục lục tự động.</p>"
        ),
        steps(
            "Dùng kiểu cho các đề mục",
            [
                step("<p>Nhấn <b>F11</b> để mở bảng <b>Kiểu dáng</b> ở thanh bên.</p>"),
                step(
                    "<p>Đặt con trỏ vào tên một chương, nhấp đúp kiểu <b>Tiêu đề 1</b>; mục nhỏ hơn dùng "
                    "<b>Tiêu đề 2</b>.</p>"
                ),
                step(
                    "<p>Muốn đổi phông cho mọi đề mục, nhấp chuột phải vào kiểu <b>Tiêu đề 1</b>, chọn "
                    "<b>Sửa kiểu…</b>: mọi đoạn dùng kiểu đó đổi theo.</p>"
                ),
            ],
        ),
        heading("Chèn mục lục"),
        steps(
            "Tạo mục lục từ các đề mục",
            [
                step("<p>Đặt con trỏ ở trang sẽ chứa mục lục.</p>"),
                step(
                    "<p>Chọn <b>Chèn → Mục lục và chỉ mục → Mục lục, chỉ mục hoặc thư mục…</b>.</p>",
                    "toc",
                    "Cửa sổ Writer với trình đơn Chèn đang mở, mục Mục lục và chỉ mục được tô sáng.",
                ),
                step("<p>Đặt tiêu đề \"MỤC LỤC\", giữ loại <b>Mục lục</b>, nhấn <b>OK</b>.</p>"),
                step("<p>Khi sửa văn bản, nhấp chuột phải vào mục lục, chọn <b>Cập nhật chỉ mục</b>.</p>"),
            ],
        ),
    ],
)

mail_merge = Lesson(
    title="Trộn thư: gửi giấy mời cho nhiều người",
    slug="tron-thu",
    body=[
        text(
            "<p>Trộn thư ghép một văn bản mẫu với danh sách người nhận để tạo ra nhiều văn bản, mỗi người "
            "một bản có họ tên, chức vụ, đơn vị riêng. Rất tiện khi gửi giấy mời họp hay thông báo.</p>"
        ),
        heading("Chuẩn bị danh sách"),
        text(
            "<p>Lập danh sách trong LibreOffice Calc, dòng đầu là tên cột: <code>Họ tên</code>, "
            "<code>Chức vụ</code>, <code>Đơn vị</code>. Mỗi người một dòng, không để dòng trống ở giữa.</p>"
        ),
        steps(
            "Trộn thư với trình hướng dẫn",
            [
                step(
                    "<p>Mở giấy mời mẫu, chọn <b>Công cụ → Trình hướng dẫn trộn thư…</b>.</p>",
                    "mail-merge",
                    "Cửa sổ Writer với trình đơn Công cụ đang mở, mục Trình hướng dẫn trộn thư được tô sáng.",
                ),
                step("<p>Chọn <b>Dùng tài liệu hiện tại</b>, loại tài liệu <b>Thư</b>.</p>"),
                step("<p>Ở bước chọn địa chỉ, nhấn <b>Chọn danh sách địa chỉ khác…</b> và chọn tệp Calc đã lập.</p>"),
                step(
                    "<p>Chèn các trường <b>Họ tên</b>, <b>Chức vụ</b>, <b>Đơn vị</b> vào đúng chỗ trong "
                    "giấy mời.</p>"
                ),
                step(
                    "<p>Xem trước vài bản, rồi chọn <b>Lưu tài liệu đã trộn</b> hoặc gửi từng bản qua thư "
                    "điện tử.</p>"
                ),
            ],
        ),
        tip(
            "<p>Kiểm tra kỹ danh sách trước khi trộn: một lỗi chính tả trong tên người nhận sẽ lặp lại "
            "trên giấy mời.</p>"
        ),
    ],
)

pdf = Lesson(
    title="Xuất văn bản ra PDF",
    slug="xuat-pdf",
    body=[
        text(
            "<p>PDF giữ nguyên bố cục trên mọi máy, là định dạng dùng để gửi văn bản điện tử và để ký số. "
            "Writer xuất PDF sẵn có, không cần cài thêm phần mềm.</p>"
        ),
        steps(
            "Xuất PDF",
            [
                step(
                    "<p>Chọn <b>Tệp → Xuất ra PDF…</b> (<i>File → Export as PDF…</i>).</p>",
                    "pdf",
                    "Cửa sổ Writer với trình đơn Tệp đang mở, mục Xuất ra PDF được tô sáng.",
                ),
                step("<p>Với văn bản cần lưu trữ lâu dài, đánh dấu <b>Lưu trữ (PDF/A, ISO 19005)</b>.</p>"),
                step("<p>Nhấn <b>Xuất</b>, đặt tên tệp không dấu, không khoảng trắng, rồi lưu.</p>"),
            ],
        ),
        note(
            "<p>Luôn giữ lại tệp gốc <code>.odt</code>: PDF dùng để phát hành, tệp gốc dùng để chỉnh sửa về sau.</p>"
        ),
    ],
)

review = Lesson(
    title="Ôn tập",
    slug="on-tap",
    body=[
        text(
            "<p>Thực hành tổng hợp: soạn một giấy mời họp đúng thể thức rồi tự kiểm tra theo danh sách sau.</p>"
            "<ol>"
            "<li>Khổ A4 đứng; lề trái 30–35 mm, phải 15–20 mm, trên và dưới 20–25 mm.</li>"
            "<li>Phông Times New Roman, nội dung cỡ 13–14, căn đều hai lề, lùi đầu dòng 1–1,27 cm.</li>"
            "<li>Các đề mục dùng kiểu Tiêu đề; mục lục cập nhật được (nếu văn bản dài).</li>"
            "<li>Đã trộn thư cho ít nhất ba người nhận từ một tệp Calc.</li>"
            "<li>Đã xuất ra PDF và giữ tệp gốc <code>.odt</code>.</li>"
            "</ol>"
        ),
    ],
)

COURSE = Course(
    track=Track.OPEN_SOURCE,
    code="NM-WRITER",
    title="LibreOffice Writer cho công việc văn phòng",
    slug="libreoffice-writer-van-phong",
    summary=(
        "Soạn văn bản hành chính đúng Nghị định 30/2020/NĐ-CP bằng phần mềm nguồn mở LibreOffice Writer: "
        "khổ giấy, lề, phông chữ, kiểu định dạng, mục lục, trộn thư và xuất PDF."
    ),
    audiences=[Audience.GENERAL, Audience.IT_STAFF, Audience.LEADER_CIO],
    level=CourseLevel.BASIC,
    estimated_hours=Decimal("6"),
    access_mode=AccessMode.OPEN,
    competency_codes=["IU03"],
    cover="cover",
    description=[
        text(
            "<p>LibreOffice là bộ phần mềm văn phòng nguồn mở, miễn phí, dùng được trên Windows và Linux. "
            "Khoá học hướng dẫn từng bước, có ảnh màn hình, để soạn văn bản hành chính đúng thể thức.</p>"
        ),
        tip("<p>Cài LibreOffice bản mới nhất từ trang libreoffice.org hoặc nhờ bộ phận CNTT của cơ quan.</p>"),
    ],
    parts=[
        Section(
            "Trình bày văn bản hành chính",
            "trinh-bay-van-ban",
            "Đúng thể thức theo Nghị định 30/2020/NĐ-CP.",
            [page_setup, fonts],
        ),
        Section(
            "Làm việc hiệu quả với Writer",
            "lam-viec-hieu-qua",
            "Kiểu định dạng, mục lục, trộn thư, PDF.",
            [styles, mail_merge, pdf, review],
        ),
    ],
    pictures=PICTURES,
)
