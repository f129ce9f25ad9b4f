"""Leaders and CIOs: the role of the CIO in digital transformation."""

from decimal import Decimal

from cms.choices import CourseLevel
from courses.choices import AccessMode
from courses.tracks import Track
from organisations.models import Audience

from . import drawing
from .spec import Course, Lesson, Picture, figure, heading, note, step, steps, text, tip, warning

PICTURES = {
    "cover": Picture(
        "Ảnh bìa: Vai trò của Giám đốc CNTT",
        lambda: drawing.cover(
            ["Vai trò của Giám đốc", "CNTT (CIO) trong", "chuyển đổi số"],
            "Lãnh đạo · CIO",
            colour=drawing.ORANGE,
            light=drawing.LIGHT_ORANGE,
            motif="network",
        ),
    ),
    "architecture": Picture(
        "Các lớp của kiến trúc chính quyền số cấp tỉnh",
        lambda: drawing.layers(
            "Kiến trúc chính quyền số cấp tỉnh",
            [
                "Người dân, doanh nghiệp, cán bộ",
                "Kênh giao tiếp: cổng thông tin, ứng dụng di động",
                "Dịch vụ công trực tuyến, hệ thống giải quyết thủ tục",
                "Ứng dụng nghiệp vụ: văn bản, một cửa, chuyên ngành",
                "Nền tảng dùng chung: tích hợp (LGSP), định danh",
                "Dữ liệu: cơ sở dữ liệu, kho dữ liệu dùng chung",
                "Hạ tầng: trung tâm dữ liệu, mạng chuyên dùng",
            ],
            "An toàn thông tin ở mọi lớp",
        ),
    ),
    "project-cycle": Picture(
        "Các giai đoạn của dự án đầu tư CNTT",
        lambda: drawing.flow(
            "Vòng đời một dự án ứng dụng CNTT",
            [
                ["Chuẩn bị", "đầu tư", "(chủ trương)"],
                ["Thiết kế,", "dự toán"],
                ["Lựa chọn", "nhà thầu,", "triển khai"],
                ["Nghiệm thu,", "vận hành,", "đánh giá"],
            ],
            notes=[
                "Mỗi giai đoạn kết thúc bằng một quyết định của người có thẩm quyền.",
                "Chi phí vận hành nhiều năm phải được tính ngay từ khâu chuẩn bị.",
            ],
            colour=drawing.ORANGE,
            light=drawing.LIGHT_ORANGE,
        ),
    ),
}

role = Lesson(
    title="CIO là ai và làm gì trong cơ quan nhà nước",
    slug="cio-la-ai",
    body=[
        text(
            "<p>Giám đốc CNTT (CIO) là <b>một lãnh đạo</b> của cơ quan được giao phụ trách ứng dụng CNTT và "
            "chuyển đổi số, không phải người giỏi kỹ thuật nhất phòng. Ở sở, ngành, đó thường là một phó giám "
            "đốc; ở UBND cấp xã, một phó chủ tịch.</p>"
        ),
        heading("Bốn nhiệm vụ chính"),
        text(
            "<ol>"
            "<li><b>Định hướng</b>: gắn kế hoạch chuyển đổi số với nhiệm vụ chính trị của cơ quan.</li>"
            "<li><b>Đầu tư</b>: quyết định làm gì trước, làm gì sau, dùng ngân sách có hiệu quả.</li>"
            "<li><b>An toàn</b>: chịu trách nhiệm bảo đảm an toàn hệ thống thông tin của đơn vị.</li>"
            "<li><b>Con người</b>: dẫn dắt cán bộ thay đổi cách làm việc, từ giấy tờ sang môi trường số.</li>"
            "</ol>"
        ),
        note(
            "<p>Nghị quyết 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị xác định chuyển đổi số là một đột phá; "
            "người đứng đầu trực tiếp chỉ đạo và chịu trách nhiệm về kết quả chuyển đổi số của cơ quan mình.</p>"
        ),
        tip(
            "<p>CIO không cần tự viết phần mềm, nhưng cần đặt được câu hỏi đúng: việc này giúp người dân bớt "
            "đi lại thế nào, dữ liệu nằm ở đâu, ai chịu trách nhiệm vận hành sau khi dự án kết thúc?</p>"
        ),
    ],
)

architecture = Lesson(
    title="Chiến lược và kiến trúc chính quyền số",
    slug="chien-luoc-va-kien-truc",
    body=[
        text(
            "<p>Kiến trúc chính quyền số giống bản quy hoạch của một đô thị: nó cho biết hệ thống nào nằm ở "
            "đâu, kết nối với nhau ra sao, để mỗi dự án mới khớp vào tổng thể thay vì trở thành một \"ốc đảo\" "
            "dữ liệu.</p>"
        ),
        figure(
            "architecture",
            "Bảy lớp xếp chồng, từ trên xuống: người dân và doanh nghiệp; kênh giao tiếp; dịch vụ công; ứng "
            "dụng nghiệp vụ; nền tảng dùng chung; dữ liệu; hạ tầng. Một cột dọc bên phải ghi: an toàn thông "
            "tin ở mọi lớp.",
            "Mỗi lớp dùng dịch vụ của lớp bên dưới; an toàn thông tin xuyên suốt mọi lớp.",
        ),
        heading("Từ kiến trúc đến kế hoạch"),
        text(
            "<ul>"
            "<li>Rà soát hiện trạng: hệ thống nào đang chạy, dữ liệu nào đang trùng lặp.</li>"
            "<li>Ưu tiên nền tảng dùng chung và dữ liệu dùng chung trước các ứng dụng riêng lẻ.</li>"
            "<li>Yêu cầu mọi hệ thống mới kết nối qua nền tảng tích hợp, chia sẻ dữ liệu (LGSP) của tỉnh.</li>"
            "<li>Đo bằng kết quả cho người dân: tỷ lệ hồ sơ trực tuyến toàn trình, thời gian giải quyết.</li>"
            "</ul>"
        ),
        tip(
            "<p>Nguyên tắc \"người dân chỉ cung cấp thông tin một lần\": dữ liệu cơ quan nhà nước đã có (như "
            "dữ liệu dân cư) thì khai thác lại, không bắt người dân khai báo lại.</p>"
        ),
    ],
)

investment = Lesson(
    title="Quản lý đầu tư và dự án CNTT",
    slug="quan-ly-dau-tu-va-du-an",
    body=[
        text(
            "<p>Dự án CNTT dùng ngân sách nhà nước tuân theo quy định về quản lý đầu tư ứng dụng CNTT "
            "(Nghị định 73/2019/NĐ-CP và các văn bản sửa đổi, bổ sung). Với vai trò lãnh đạo, điều quan trọng "
            "là nắm được các điểm quyết định.</p>"
        ),
        figure(
            "project-cycle",
            "Bốn khối nối bằng mũi tên: chuẩn bị đầu tư, thiết kế và dự toán, lựa chọn nhà thầu và triển khai, "
            "nghiệm thu, vận hành và đánh giá.",
            "Các giai đoạn chính của một dự án ứng dụng CNTT.",
        ),
        heading("Những câu hỏi trước khi phê duyệt"),
        text(
            "<ul>"
            "<li>Dự án giải quyết vấn đề gì, đo kết quả bằng chỉ tiêu nào?</li>"
            "<li>Có thể dùng nền tảng sẵn có của tỉnh hoặc thuê dịch vụ thay vì tự xây dựng không?</li>"
            "<li>Tổng chi phí trong 5 năm, gồm cả vận hành, bảo trì, bản quyền và đào tạo, là bao nhiêu?</li>"
            "<li>Hồ sơ đề xuất cấp độ an toàn hệ thống thông tin đã có chưa?</li>"
            "<li>Dữ liệu thuộc về ai, và có xuất ra được theo định dạng mở khi đổi nhà cung cấp không?</li>"
            "</ul>"
        ),
        warning(
            "<p>Tránh phụ thuộc vào một nhà cung cấp: hợp đồng phải ghi rõ quyền sở hữu dữ liệu, mã nguồn "
            "(nếu đặt hàng phát triển) và nghĩa vụ bàn giao khi kết thúc.</p>"
        ),
    ],
)

security = Lesson(
    title="An toàn thông tin ở cấp lãnh đạo",
    slug="an-toan-thong-tin-cap-lanh-dao",
    body=[
        text(
            "<p>Theo Nghị định 85/2016/NĐ-CP, người đứng đầu cơ quan chịu trách nhiệm bảo đảm an toàn hệ "
            "thống thông tin thuộc phạm vi quản lý. Sự cố an toàn thông tin vì vậy là việc của lãnh đạo, "
            "không chỉ của phòng kỹ thuật.</p>"
        ),
        heading("Những việc lãnh đạo phải làm"),
        steps(
            "Một năm làm việc của CIO về an toàn thông tin",
            [
                step("<p>Phê duyệt cấp độ an toàn cho từng hệ thống thông tin của đơn vị.</p>"),
                step("<p>Bố trí đủ người và kinh phí: tối thiểu một cán bộ chuyên trách được đào tạo.</p>"),
                step("<p>Ban hành quy chế bảo đảm an toàn thông tin và phương án ứng cứu sự cố.</p>"),
                step("<p>Tổ chức diễn tập ứng cứu sự cố ít nhất mỗi năm một lần.</p>"),
                step("<p>Xem báo cáo kiểm tra, đánh giá và theo dõi việc khắc phục đến cùng.</p>"),
            ],
        ),
        note(
            "<p>Khi sự cố làm lộ dữ liệu cá nhân, Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 đòi hỏi thông báo "
            "trong 72 giờ. Hãy chắc chắn đơn vị biết ai báo, báo cho ai.</p>"
        ),
    ],
)

change = Lesson(
    title="Dẫn dắt thay đổi trong tổ chức",
    slug="dan-dat-thay-doi",
    body=[
        text(
            "<p>Phần mềm mới chỉ phát huy tác dụng khi cách làm việc thay đổi theo. Khó khăn lớn nhất của "
            "chuyển đổi số thường không nằm ở công nghệ mà ở thói quen.</p>"
        ),
        heading("Năm việc giúp thay đổi thành công"),
        text(
            "<ol>"
            "<li><b>Lãnh đạo làm trước</b>: ký số, xử lý văn bản trên hệ thống, họp trực tuyến.</li>"
            "<li><b>Bắt đầu nhỏ</b>: chọn một quy trình đau đầu nhất, làm thử ở một phòng, rồi nhân rộng.</li>"
            "<li><b>Đào tạo sát việc</b>: dạy đúng phần mềm cán bộ đang dùng, kèm người hỗ trợ tại chỗ.</li>"
            "<li><b>Đo và công khai</b>: tỷ lệ văn bản điện tử, hồ sơ trực tuyến của từng phòng.</li>"
            "<li><b>Ghi nhận</b>: khen thưởng cá nhân, tập thể làm tốt.</li>"
            "</ol>"
        ),
        tip(
            "<p>Khi cán bộ phản đối, hãy hỏi cụ thể khó ở bước nào. Phản đối thường chỉ ra một chỗ quy trình "
            "hoặc phần mềm cần sửa.</p>"
        ),
    ],
)

review = Lesson(
    title="Ôn tập",
    slug="on-tap",
    body=[
        text(
            "<p>Trước khi làm bài kiểm tra cuối khoá, hãy trả lời ngắn gọn các câu hỏi sau cho đơn vị của "
            "chính mình:</p>"
            "<ol>"
            "<li>Bốn nhiệm vụ chính của CIO là gì? Nhiệm vụ nào đơn vị bạn đang làm yếu nhất?</li>"
            "<li>Hệ thống thông tin của đơn vị nằm ở những lớp nào của kiến trúc chính quyền số?</li>"
            "<li>Dự án CNTT gần nhất đã tính chi phí vận hành 5 năm chưa?</li>"
            "<li>Các hệ thống của đơn vị đã được phê duyệt cấp độ an toàn chưa?</li>"
            "<li>Quy trình nào nên số hoá trước để người dân thấy rõ lợi ích nhất?</li>"
            "</ol>"
        ),
    ],
)

COURSE = Course(
    track=Track.LEADERS_CIO,
    code="CIO-01",
    title="Vai trò của Giám đốc CNTT (CIO) trong chuyển đổi số",
    slug="vai-tro-cua-cio-trong-chuyen-doi-so",
    summary=(
        "Chiến lược và kiến trúc chính quyền số, quản lý đầu tư và dự án CNTT, trách nhiệm an toàn thông "
        "tin của người đứng đầu và dẫn dắt thay đổi trong cơ quan."
    ),
    audiences=[Audience.LEADER_CIO],
    level=CourseLevel.INTERMEDIATE,
    estimated_hours=Decimal("12"),
    access_mode=AccessMode.ASSIGNMENT_ONLY,
    cover="cover",
    description=[
        text(
            "<p>Khoá bồi dưỡng dành cho lãnh đạo sở, ngành, UBND cấp xã được giao nhiệm vụ Giám đốc CNTT. "
            "Học viên được Sở Nội vụ hoặc đơn vị cử đi học theo kế hoạch đào tạo hằng năm.</p>"
        ),
        heading("Khoá học giúp lãnh đạo"),
        text(
            "<ul>"
            "<li>hiểu vai trò, trách nhiệm của CIO trong cơ quan nhà nước;</li>"
            "<li>đọc được kiến trúc chính quyền số và đặt dự án vào đúng chỗ;</li>"
            "<li>ra quyết định đầu tư CNTT dựa trên kết quả và tổng chi phí;</li>"
            "<li>chỉ đạo công tác an toàn thông tin và dẫn dắt cán bộ thay đổi.</li>"
            "</ul>"
        ),
    ],
    parts=[role, architecture, investment, security, change, review],
    pictures=PICTURES,
)
