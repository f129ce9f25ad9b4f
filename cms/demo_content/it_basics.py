"""Civil servants and public employees: IU01, basic IT knowledge (Circular 03/2014/TT-BTTTT)."""

from decimal import Decimal

from cms.choices import CourseLevel
from courses.choices import AccessMode
from courses.tracks import Track
from organisations.models import Audience

from . import drawing
from .spec import Course, Lesson, Picture, Section, demo_quiz, figure, heading, note, step, steps, text, tip, warning

PICTURES = {
    "cover": Picture(
        "Ảnh bìa: IU01 Hiểu biết về CNTT cơ bản",
        lambda: drawing.cover(
            ["Hiểu biết về", "công nghệ thông tin", "cơ bản"],
            "IU01 · Cán bộ, công chức, viên chức",
            colour=drawing.BLUE,
            light=drawing.LIGHT_BLUE,
            motif="computer",
        ),
    ),
    "computer-parts": Picture(
        "Sơ đồ các bộ phận của máy tính",
        lambda: drawing.flow(
            "Máy tính xử lý thông tin như thế nào",
            [
                ["Thiết bị vào", "bàn phím, chuột,", "máy quét"],
                ["Bộ xử lý (CPU)", "và bộ nhớ trong", "(RAM)"],
                ["Thiết bị ra", "màn hình, máy in,", "loa"],
            ],
            notes=[
                "Dữ liệu được lưu lâu dài trên bộ nhớ ngoài: ổ cứng, ổ SSD, USB, thẻ nhớ.",
                "Khi tắt máy, nội dung trong RAM mất đi; hãy lưu tệp trước khi tắt.",
            ],
        ),
    ),
    "network": Picture(
        "Sơ đồ mạng cơ quan kết nối Internet",
        lambda: drawing.flow(
            "Từ máy tính của bạn ra Internet",
            [
                ["Máy tính,", "máy in"],
                ["Bộ chuyển mạch", "(switch)", "mạng LAN"],
                ["Tường lửa và", "bộ định tuyến", "(router)"],
                ["Internet", "và mạng", "chuyên dùng"],
            ],
            notes=[
                "Mạng LAN nối các máy trong cơ quan; tường lửa kiểm soát những gì đi ra, đi vào.",
                "Mạng truyền số liệu chuyên dùng nối các cơ quan nhà nước với nhau.",
            ],
            colour=drawing.GREEN,
            light=drawing.LIGHT_GREEN,
        ),
    ),
}

hardware = Lesson(
    title="Máy tính và các thiết bị ngoại vi",
    slug="may-tinh-va-thiet-bi",
    body=[
        text(
            "<p>Máy tính là thiết bị nhận dữ liệu, xử lý theo chương trình rồi đưa ra kết quả. Dù là máy để "
            "bàn, máy xách tay hay điện thoại thông minh, mọi máy tính đều có các bộ phận giống nhau.</p>"
        ),
        figure(
            "computer-parts",
            "Sơ đồ ba khối nối bằng mũi tên: thiết bị vào (bàn phím, chuột, máy quét), bộ xử lý và bộ nhớ "
            "trong, thiết bị ra (màn hình, máy in, loa).",
            "Dữ liệu đi từ thiết bị vào, qua bộ xử lý, đến thiết bị ra.",
        ),
        heading("Các bộ phận chính"),
        text(
            "<ul>"
            "<li><b>Bộ xử lý trung tâm (CPU)</b>: thực hiện các lệnh của chương trình.</li>"
            "<li><b>Bộ nhớ trong (RAM)</b>: giữ dữ liệu đang làm việc; mất khi tắt máy.</li>"
            "<li><b>Bộ nhớ ngoài</b>: ổ cứng, ổ SSD, USB, thẻ nhớ; giữ dữ liệu lâu dài.</li>"
            "<li><b>Thiết bị vào, ra</b>: bàn phím, chuột, máy quét, màn hình, máy in, loa, webcam.</li>"
            "</ul>"
        ),
        heading("Đơn vị đo dung lượng"),
        text(
            "<p>Dung lượng được đo bằng byte: 1 KB ≈ 1.000 byte, 1 MB ≈ 1.000 KB, 1 GB ≈ 1.000 MB. Một trang "
            "văn bản chỉ vài chục KB, một ảnh chụp điện thoại khoảng 2–5 MB, một phim ngắn có thể vài GB.</p>"
        ),
        tip(
            "<p>Máy chạy chậm thường do thiếu RAM hoặc ổ cứng gần đầy. Hãy xoá tệp tạm và gỡ phần mềm không "
            "dùng đến trước khi nghĩ đến việc thay máy.</p>"
        ),
    ],
)

software = Lesson(
    title="Phần mềm: hệ điều hành và ứng dụng",
    slug="phan-mem",
    body=[
        text(
            "<p>Phần cứng chỉ làm việc được khi có phần mềm. Phần mềm chia làm hai nhóm chính.</p>"
            "<ul>"
            "<li><b>Hệ điều hành</b> quản lý máy và chạy các chương trình khác: Windows, Ubuntu, macOS "
            "trên máy tính; Android, iOS trên điện thoại.</li>"
            "<li><b>Phần mềm ứng dụng</b> phục vụ một công việc cụ thể: soạn thảo văn bản, bảng tính, "
            "trình duyệt web, phần mềm quản lý văn bản và hồ sơ công việc.</li>"
            "</ul>"
        ),
        heading("Phần mềm nguồn mở"),
        text(
            "<p>Phần mềm nguồn mở như LibreOffice, Firefox, Thunderbird được dùng, sao chép và phân phối "
            "miễn phí, hợp pháp. Nhà nước khuyến khích dùng phần mềm nguồn mở trong cơ quan nhà nước để tiết "
            "kiệm chi phí và chủ động về công nghệ.</p>"
        ),
        heading("Cập nhật phần mềm"),
        text(
            "<p>Nhà sản xuất thường xuyên phát hành bản cập nhật để sửa lỗi và vá lỗ hổng bảo mật. Khi máy "
            "báo có bản cập nhật, hãy lưu công việc rồi cho máy cài đặt, đừng trì hoãn nhiều ngày.</p>"
        ),
        warning(
            "<p>Chỉ cài phần mềm từ nguồn chính thức hoặc do bộ phận CNTT của cơ quan cung cấp. Phần mềm "
            "\"bẻ khoá\" tải trên mạng vừa vi phạm bản quyền, vừa hay kèm mã độc.</p>"
        ),
    ],
)

networks = Lesson(
    title="Mạng máy tính và Internet",
    slug="mang-may-tinh-va-internet",
    body=[
        text(
            "<p>Mạng máy tính là các máy tính nối với nhau để dùng chung dữ liệu, máy in và đường truyền. "
            "Mạng trong một cơ quan gọi là <b>mạng cục bộ (LAN)</b>; Internet là mạng của các mạng trên "
            "toàn thế giới.</p>"
        ),
        figure(
            "network",
            "Sơ đồ bốn khối: máy tính và máy in nối vào bộ chuyển mạch của mạng LAN, qua tường lửa và bộ định "
            "tuyến, ra Internet và mạng chuyên dùng.",
            "Đường đi của dữ liệu từ máy tính trong cơ quan ra Internet.",
        ),
        heading("Những dịch vụ thường dùng"),
        text(
            "<ul>"
            "<li><b>Web</b>: xem thông tin qua trình duyệt; địa chỉ bắt đầu bằng <code>https://</code> là kết "
            "nối đã được mã hoá.</li>"
            "<li><b>Thư điện tử công vụ</b>: trao đổi công việc; không dùng hộp thư cá nhân cho văn bản của "
            "cơ quan.</li>"
            "<li><b>Dịch vụ công trực tuyến</b>: người dân, doanh nghiệp nộp hồ sơ qua Cổng Dịch vụ công.</li>"
            "<li><b>Lưu trữ đám mây</b>: lưu tệp trên máy chủ của nhà cung cấp; chỉ dùng dịch vụ được cơ quan "
            "cho phép.</li>"
            "</ul>"
        ),
        note(
            "<p>Tên miền <code>.gov.vn</code> dành riêng cho cơ quan nhà nước Việt Nam. Trang tự xưng là cơ quan "
            "nhà nước mà không dùng tên miền này thì cần cảnh giác.</p>"
        ),
    ],
)

safety = Lesson(
    title="An toàn khi sử dụng máy tính",
    slug="an-toan-khi-dung-may-tinh",
    body=[
        heading("Mật khẩu"),
        text(
            "<ul>"
            "<li>Dài ít nhất 12 ký tự; một câu dễ nhớ như <i>\"Sáng thứ Hai họp giao ban lúc 7 giờ 30\"</i> "
            "bỏ dấu và khoảng trắng là một mật khẩu tốt.</li>"
            "<li>Mỗi hệ thống một mật khẩu khác nhau; không ghi mật khẩu trên giấy dán cạnh màn hình.</li>"
            "<li>Bật xác thực hai yếu tố ở những nơi cho phép.</li>"
            "</ul>"
        ),
        heading("Thư giả mạo và mã độc"),
        text(
            "<p>Thư giả mạo thường giục giã (\"tài khoản sẽ bị khoá trong 24 giờ\"), gửi từ địa chỉ lạ hoặc "
            "gần giống địa chỉ thật, và kèm tệp hay đường dẫn. Khi nghi ngờ, hãy gọi điện hỏi lại người gửi "
            "qua số điện thoại bạn đã biết.</p>"
        ),
        steps(
            "Khi rời khỏi bàn làm việc",
            [
                step("<p>Nhấn <b>Windows + L</b> (trên Ubuntu: <b>Super + L</b>) để khoá màn hình.</p>"),
                step("<p>Cất các giấy tờ có thông tin cá nhân hoặc mật khẩu.</p>"),
                step("<p>Cuối ngày, tắt máy hoặc đăng xuất khỏi các hệ thống đang dùng.</p>"),
            ],
        ),
        warning(
            "<p>Không cắm USB không rõ nguồn gốc vào máy tính cơ quan. Nếu máy có dấu hiệu lạ (tệp bị đổi "
            "tên hàng loạt, thông báo đòi tiền), hãy rút dây mạng và báo ngay cho cán bộ phụ trách CNTT.</p>"
        ),
    ],
)

law = Lesson(
    title="Bản quyền phần mềm và bảo vệ dữ liệu cá nhân",
    slug="ban-quyen-va-du-lieu-ca-nhan",
    body=[
        heading("Bản quyền phần mềm"),
        text(
            "<p>Theo Luật Sở hữu trí tuệ, chương trình máy tính là tác phẩm được bảo hộ quyền tác giả. Dùng "
            "phần mềm không có giấy phép là vi phạm pháp luật, có thể bị xử phạt và ảnh hưởng đến uy tín của "
            "cơ quan.</p>"
            "<ul>"
            "<li>Phần mềm thương mại: chỉ cài khi cơ quan có giấy phép.</li>"
            "<li>Phần mềm nguồn mở: được dùng tự do, nhưng phải giữ nguyên thông tin giấy phép khi phân phối lại.</li>"
            "</ul>"
        ),
        heading("Dữ liệu cá nhân"),
        text(
            "<p>Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 có hiệu lực từ ngày 1/1/2026, cùng Nghị định "
            "356/2025/NĐ-CP hướng dẫn thi hành. Cán bộ xử lý hồ sơ của người dân cần nhớ:</p>"
            "<ul>"
            "<li>Chỉ thu thập dữ liệu cần cho đúng mục đích đã thông báo.</li>"
            "<li>Sự đồng ý của người dân phải rõ ràng, tự nguyện; không đánh dấu sẵn ô đồng ý.</li>"
            "<li>Dữ liệu nhạy cảm (dân tộc, tôn giáo, ảnh căn cước…) chỉ thu thập khi pháp luật yêu cầu.</li>"
            "<li>Khi phát hiện lộ, mất dữ liệu cá nhân, phải báo cáo trong thời hạn 72 giờ.</li>"
            "</ul>"
        ),
        tip(
            "<p>Trước khi gửi một bảng tính danh sách người dân qua thư điện tử hay mạng xã hội, hãy tự hỏi: "
            "người nhận có thật sự cần các cột số căn cước, số điện thoại, địa chỉ không?</p>"
        ),
    ],
)

review = Lesson(
    title="Ôn tập",
    slug="on-tap",
    body=[
        text(
            "<p>Bài ôn tập giúp bạn nhắc lại kiến thức của mô-đun IU01 trước khi làm bài kiểm tra.</p>"
            "<ol>"
            "<li>Kể tên ba thiết bị vào và ba thiết bị ra của máy tính.</li>"
            "<li>Khác nhau giữa bộ nhớ trong (RAM) và bộ nhớ ngoài là gì?</li>"
            "<li>Hệ điều hành khác phần mềm ứng dụng ở điểm nào? Cho ví dụ.</li>"
            "<li>Địa chỉ trang web bắt đầu bằng <code>https://</code> cho biết điều gì?</li>"
            "<li>Ba dấu hiệu thường gặp của thư giả mạo là gì?</li>"
            "<li>Luật nào đang quy định về bảo vệ dữ liệu cá nhân, có hiệu lực từ khi nào?</li>"
            "</ol>"
        ),
        note("<p>Mỗi câu tương ứng với một bài trong khoá học; hãy xem lại bài đó nếu chưa chắc.</p>"),
        demo_quiz(),
    ],
)

COURSE = Course(
    track=Track.GENERAL,
    code="IU01",
    title="IU01 – Hiểu biết về CNTT cơ bản",
    slug="iu01-hieu-biet-ve-cntt-co-ban",
    summary=(
        "Máy tính và thiết bị, phần mềm, mạng và Internet, an toàn khi dùng máy tính, bản quyền phần mềm "
        "và bảo vệ dữ liệu cá nhân: mô-đun đầu tiên của chuẩn kỹ năng sử dụng CNTT."
    ),
    audiences=[Audience.GENERAL],
    level=CourseLevel.BASIC,
    estimated_hours=Decimal("8"),
    access_mode=AccessMode.SELF_ENROLMENT,
    competency_codes=["IU01"],
    cover="cover",
    description=[
        text(
            "<p>Khoá học bám theo mô-đun IU01 trong chuẩn kỹ năng sử dụng CNTT (Thông tư 03/2014/TT-BTTTT), "
            "dành cho mọi cán bộ, công chức, viên chức. Không cần kiến thức trước; học trên máy tính hoặc "
            "điện thoại đều được.</p>"
        ),
        heading("Nội dung chính"),
        text(
            "<ul>"
            "<li>Máy tính, thiết bị và phần mềm dùng trong công việc.</li>"
            "<li>Mạng, Internet và các dịch vụ trực tuyến.</li>"
            "<li>An toàn thông tin khi dùng máy tính hằng ngày.</li>"
            "<li>Bản quyền phần mềm và Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15.</li>"
            "</ul>"
        ),
    ],
    parts=[
        Section(
            "Máy tính và phần mềm",
            "may-tinh-va-phan-mem",
            "Phần cứng, phần mềm và cách chúng làm việc.",
            [hardware, software],
        ),
        Section(
            "Mạng, an toàn và pháp luật",
            "mang-an-toan-phap-luat",
            "Làm việc trên mạng an toàn, đúng luật.",
            [networks, safety, law, review],
        ),
    ],
    pictures=PICTURES,
)
