"""Farmers and residents: using a smartphone for online public services and staying safe from scams."""

from decimal import Decimal

from cms.choices import CourseLevel
from courses.choices import AccessMode
from courses.tracks import Track
from organisations.models import Audience

from . import drawing
from .spec import Course, Lesson, Picture, figure, heading, note, step, steps, text, tip, warning

PICTURES = {
    "cover": Picture(
        "Ảnh bìa: Dùng điện thoại thông minh",
        lambda: drawing.cover(
            ["Dùng điện thoại", "thông minh an toàn,", "làm thủ tục tại nhà"],
            "Nông dân và người dân",
            colour=drawing.GREEN,
            light=drawing.YELLOW,
            motif="phone",
        ),
    ),
    "vneid-login": Picture(
        "Các bước đăng nhập VNeID",
        lambda: drawing.phone_steps(
            "Đăng nhập ứng dụng VNeID",
            [
                ("Mở ứng dụng VNeID", ["VNeID", "", "Đăng nhập", "", "Đăng ký"]),
                ("Nhập số định danh", ["Số định danh", "cá nhân:", "0401 2345 6789"]),
                ("Nhập mật khẩu", ["Mật khẩu:", "••••••••", "", "Quên mật khẩu?"]),
                ("Nhập mã OTP gửi về máy", ["Mã xác thực", "đã gửi qua", "tin nhắn:", "_ _ _ _ _ _"]),
            ],
        ),
    ),
    "public-service": Picture(
        "Các bước nộp hồ sơ trên Cổng Dịch vụ công",
        lambda: drawing.phone_steps(
            "Nộp hồ sơ trên Cổng Dịch vụ công quốc gia",
            [
                ("Vào dichvucong.gov.vn", ["dichvucong", ".gov.vn", "", "Đăng nhập"]),
                ("Đăng nhập bằng VNeID", ["Tài khoản", "định danh", "điện tử", "(VNeID)"]),
                ("Tìm thủ tục cần làm", ["Tìm kiếm:", "cấp bản sao", "trích lục…"]),
                ("Điền thông tin, nộp", ["Tờ khai", "Giấy tờ kèm", "theo", "Nộp hồ sơ"]),
            ],
        ),
    ),
    "scam-sms": Picture(
        "Dấu hiệu của tin nhắn lừa đảo",
        lambda: drawing.scam_message(
            "Tin nhắn lừa đảo có những dấu hiệu gì?",
            "Số lạ: +84 9xx xxx xxx",
            [
                "[Dien luc] Quy khach",
                "no tien dien 2 thang.",
                "Se CAT DIEN trong",
                "2 gio neu khong",
                "thanh toan tai:",
                "dienluc-vn.top/tt",
            ],
            [
                (130, "Số lạ, mạo danh"),
                (210, "Dọa dẫm, giục gấp"),
                (270, "Đường link lạ"),
            ],
        ),
    ),
}

vneid = Lesson(
    title="Tài khoản định danh điện tử VNeID",
    slug="tai-khoan-vneid",
    body=[
        text(
            "<p>VNeID là ứng dụng của Bộ Công an. Có tài khoản định danh điện tử, bà con dùng được căn cước "
            "trên điện thoại và đăng nhập vào Cổng Dịch vụ công để làm thủ tục tại nhà.</p>"
        ),
        note(
            "<p>Để kích hoạt tài khoản lần đầu, bà con mang căn cước ra công an xã. Cán bộ sẽ giúp đăng ký "
            "và chụp ảnh khuôn mặt.</p>"
        ),
        figure(
            "vneid-login",
            "Bốn màn hình điện thoại nối nhau: mở ứng dụng VNeID, nhập số định danh cá nhân, nhập mật khẩu, "
            "nhập mã xác thực gửi qua tin nhắn.",
            "Bốn bước đăng nhập VNeID.",
        ),
        steps(
            "Đăng nhập VNeID",
            [
                step("<p>Mở ứng dụng <b>VNeID</b>, bấm <b>Đăng nhập</b>.</p>"),
                step("<p>Nhập <b>số định danh cá nhân</b>: 12 số in trên thẻ căn cước.</p>"),
                step("<p>Nhập <b>mật khẩu</b> của mình.</p>"),
                step("<p>Nếu đăng nhập trên máy mới, nhập <b>mã xác thực</b> gửi về qua tin nhắn.</p>"),
            ],
        ),
        warning("<p>Không đưa mật khẩu hay mã xác thực cho bất kỳ ai, kể cả người xưng là công an.</p>"),
    ],
)

public_services = Lesson(
    title="Làm thủ tục trên Cổng Dịch vụ công quốc gia",
    slug="cong-dich-vu-cong",
    body=[
        text(
            "<p>Nhiều thủ tục như đăng ký khai sinh, xin cấp bản sao trích lục, đăng ký thường trú có thể "
            "nộp trên điện thoại, không phải đi lại nhiều lần.</p>"
        ),
        figure(
            "public-service",
            "Bốn màn hình điện thoại: vào trang dichvucong.gov.vn, đăng nhập bằng tài khoản VNeID, tìm thủ tục "
            "cần làm, điền tờ khai và bấm nộp hồ sơ.",
            "Nộp hồ sơ trực tuyến qua bốn bước.",
        ),
        steps(
            "Nộp một hồ sơ",
            [
                step("<p>Mở trình duyệt, gõ <b>dichvucong.gov.vn</b>.</p>"),
                step("<p>Bấm <b>Đăng nhập</b>, chọn đăng nhập bằng <b>tài khoản định danh điện tử (VNeID)</b>.</p>"),
                step("<p>Gõ tên thủ tục vào ô tìm kiếm, chọn đúng nơi nộp là xã của mình.</p>"),
                step("<p>Điền tờ khai, chụp ảnh giấy tờ kèm theo cho rõ nét, rồi bấm <b>Nộp hồ sơ</b>.</p>"),
                step("<p>Ghi lại <b>mã hồ sơ</b> để tra cứu kết quả sau này.</p>"),
            ],
        ),
        tip("<p>Chưa quen thì nhờ tổ công nghệ số cộng đồng ở thôn, xóm hướng dẫn lần đầu.</p>"),
    ],
)

payment = Lesson(
    title="Thanh toán trực tuyến an toàn",
    slug="thanh-toan-truc-tuyen",
    body=[
        text(
            "<p>Bà con có thể trả lệ phí thủ tục, tiền điện, tiền nước bằng ứng dụng ngân hàng trên điện "
            "thoại. Nhanh, tiện, nhưng cần nhớ mấy điều sau.</p>"
        ),
        heading("Năm điều cần nhớ"),
        text(
            "<ol>"
            "<li>Chỉ tải ứng dụng ngân hàng từ <b>CH Play</b> hoặc <b>App Store</b>.</li>"
            "<li>Đặt mật khẩu riêng, không dùng ngày sinh.</li>"
            "<li><b>Mã OTP chỉ để mình nhập</b>, không đọc cho ai.</li>"
            "<li>Xem kỹ tên người nhận và số tiền trước khi bấm xác nhận.</li>"
            "<li>Bật thông báo biến động số dư để biết ngay khi có giao dịch lạ.</li>"
            "</ol>"
        ),
        steps(
            "Trả lệ phí hồ sơ trên Cổng Dịch vụ công",
            [
                step("<p>Khi hồ sơ báo cần nộp phí, bấm <b>Thanh toán</b>.</p>"),
                step("<p>Chọn ngân hàng hoặc ví điện tử mình đang dùng.</p>"),
                step("<p>Kiểm tra số tiền, xác nhận trong ứng dụng ngân hàng.</p>"),
                step("<p>Chụp lại màn hình biên lai để giữ.</p>"),
            ],
        ),
    ],
)

scams = Lesson(
    title="Nhận biết lừa đảo qua tin nhắn và cuộc gọi",
    slug="nhan-biet-lua-dao",
    body=[
        text(
            "<p>Kẻ gian thường giả làm ngân hàng, điện lực, công an hay người quen để lừa lấy tiền. Chúng "
            "hay làm bà con sợ hoặc mừng để bà con vội vàng làm theo.</p>"
        ),
        figure(
            "scam-sms",
            "Điện thoại hiện một tin nhắn giả điện lực đòi tiền điện và dọa cắt điện trong 2 giờ, kèm đường "
            "link lạ; ba mũi tên đỏ chỉ ra: số lạ mạo danh, dọa dẫm giục gấp, đường link lạ.",
            "Ba dấu hiệu của một tin nhắn lừa đảo.",
        ),
        heading("Dấu hiệu lừa đảo"),
        text(
            "<ul>"
            "<li>Gửi từ số lạ, nhưng xưng là cơ quan hay ngân hàng.</li>"
            "<li>Dọa dẫm: \"cắt điện\", \"khoá tài khoản\", \"liên quan vụ án\".</li>"
            "<li>Báo trúng thưởng, nhận quà, vay tiền lãi thấp không cần giấy tờ.</li>"
            "<li>Gửi đường link lạ, bảo cài ứng dụng, hỏi mã OTP hoặc mật khẩu.</li>"
            "</ul>"
        ),
        warning(
            "<p>Công an không làm việc qua điện thoại và không bao giờ bảo chuyển tiền vào \"tài khoản tạm "
            "giữ\". Ngân hàng không bao giờ hỏi mã OTP.</p>"
        ),
        steps(
            "Khi nghi bị lừa",
            [
                step("<p>Dừng lại, <b>không bấm link</b>, không chuyển tiền.</p>"),
                step("<p>Gọi lại số tổng đài in trên thẻ ngân hàng, hoặc hỏi người thân.</p>"),
                step("<p>Nếu đã chuyển tiền, gọi ngay ngân hàng để khoá tài khoản và báo công an xã.</p>"),
            ],
        ),
    ],
)

market = Lesson(
    title="Tra cứu giá nông sản và thời tiết",
    slug="gia-nong-san-va-thoi-tiet",
    body=[
        text(
            "<p>Biết giá và thời tiết trước giúp bà con chọn lúc thu hoạch, lúc bán cho có lợi.</p>"
        ),
        steps(
            "Xem thời tiết",
            [
                step("<p>Mở trình duyệt, gõ <b>nchmf.gov.vn</b> (Trung tâm Dự báo khí tượng thủy văn quốc gia).</p>"),
                step("<p>Chọn tỉnh của mình để xem dự báo mấy ngày tới và cảnh báo mưa bão.</p>"),
            ],
        ),
        steps(
            "Xem giá nông sản",
            [
                step("<p>Gõ tên nông sản và chữ \"giá hôm nay\", ví dụ <i>giá lúa hôm nay</i>.</p>"),
                step("<p>Ưu tiên tin từ trang của Sở Nông nghiệp và Môi trường hoặc báo chính thống.</p>"),
                step("<p>So sánh giá vài nơi, hỏi thêm thương lái quen trước khi bán.</p>"),
            ],
        ),
        tip("<p>Mạng yếu thì tắt tự động phát video, xem bản tin chữ cho nhanh.</p>"),
    ],
)

review = Lesson(
    title="Ôn tập",
    slug="on-tap",
    body=[
        text(
            "<p>Bà con thử trả lời mấy câu sau. Nếu chưa chắc, mở lại bài học.</p>"
            "<ol>"
            "<li>Kích hoạt tài khoản VNeID lần đầu ở đâu?</li>"
            "<li>Địa chỉ Cổng Dịch vụ công quốc gia là gì?</li>"
            "<li>Có người gọi xưng công an, bảo chuyển tiền vào tài khoản tạm giữ. Làm gì?</li>"
            "<li>Ai được biết mã OTP của mình?</li>"
            "<li>Xem dự báo thời tiết ở trang nào?</li>"
            "</ol>"
        ),
        note(
            "<p>Đáp án gợi ý: công an xã; dichvucong.gov.vn; cúp máy, không chuyển tiền, báo công an xã; "
            "chỉ mình mình; nchmf.gov.vn.</p>"
        ),
    ],
)

COURSE = Course(
    track=Track.FARMERS,
    code="ND-DTTM",
    title="Dùng điện thoại thông minh: dịch vụ công trực tuyến và phòng tránh lừa đảo",
    slug="dien-thoai-thong-minh-dich-vu-cong",
    summary=(
        "Bài ngắn, dễ làm theo: VNeID, Cổng Dịch vụ công quốc gia, thanh toán an toàn, nhận biết lừa đảo, "
        "tra cứu giá nông sản và thời tiết trên điện thoại."
    ),
    audiences=[Audience.FARMER, Audience.RESIDENT],
    level=CourseLevel.BASIC,
    estimated_hours=Decimal("3"),
    access_mode=AccessMode.OPEN,
    cover="cover",
    description=[
        text(
            "<p>Khoá học do Hội Nông dân phối hợp tổ chức, dành cho bà con nông dân và người dân. Mỗi bài "
            "học chỉ vài phút, xem được trên điện thoại, kể cả khi mạng chậm.</p>"
        ),
        tip("<p>Học xong bài nào, bà con làm thử ngay trên điện thoại của mình.</p>"),
    ],
    parts=[vneid, public_services, payment, scams, market, review],
    pictures=PICTURES,
)
