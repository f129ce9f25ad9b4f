"""Dedicated IT staff: information security (IU14, the information-security area of Circular 11/2015)."""

from decimal import Decimal

from cms.choices import CourseLevel
from courses.choices import AccessMode
from courses.tracks import Track
from organisations.models import Audience

from . import drawing
from .spec import Course, Lesson, Picture, Section, code, figure, heading, note, step, steps, text, tip, warning

PICTURES = {
    "cover": Picture(
        "Ảnh bìa: An toàn, bảo mật thông tin",
        lambda: drawing.cover(
            ["An toàn, bảo mật", "thông tin cho cán bộ", "chuyên trách CNTT"],
            "IU14 · Chuyên trách CNTT",
            colour=drawing.GREEN,
            light=drawing.LIGHT_GREEN,
            motif="shield",
        ),
    ),
    "risk-matrix": Picture(
        "Ma trận đánh giá rủi ro",
        lambda: drawing.risk_matrix(
            "Ma trận rủi ro: khả năng xảy ra × mức độ ảnh hưởng",
            "Khả năng",
            "Mức độ ảnh hưởng",
            ["Thấp", "Vừa", "Cao"],
        ),
    ),
    "backup-321": Picture(
        "Sơ đồ sao lưu 3-2-1",
        lambda: drawing.backup_321(
            "Quy tắc sao lưu 3-2-1",
            [
                ["Bản 1", "Dữ liệu gốc", "trên máy chủ"],
                ["Bản 2", "Ổ đĩa sao lưu", "(NAS) riêng"],
                ["Bản 3", "Ngoại tuyến hoặc", "ở trụ sở khác"],
            ],
            [
                "3 bản sao của dữ liệu quan trọng",
                "2 loại phương tiện lưu trữ khác nhau",
                "1 bản đặt ở nơi khác, tách khỏi mạng của cơ quan",
            ],
        ),
    ),
    "incident-cycle": Picture(
        "Quy trình ứng cứu sự cố",
        lambda: drawing.cycle(
            "Sáu bước ứng cứu sự cố an toàn thông tin",
            ["Chuẩn bị", "Phát hiện", "Ngăn chặn", "Loại bỏ", "Khôi phục", "Rút kinh nghiệm"],
        ),
    ),
}

risks = Lesson(
    title="Phân loại tài sản thông tin và đánh giá rủi ro",
    slug="phan-loai-tai-san-va-danh-gia-rui-ro",
    body=[
        text(
            "<p>Không thể bảo vệ thứ mà ta không biết mình đang có. Việc đầu tiên của cán bộ chuyên trách "
            "CNTT là lập <b>danh mục tài sản thông tin</b> của cơ quan: máy chủ, máy trạm, thiết bị mạng, "
            "phần mềm, cơ sở dữ liệu và cả những tài khoản quản trị đang được dùng.</p>"
        ),
        heading("Bảng danh mục tài sản cần có những gì"),
        text(
            "<ul>"
            "<li>Tên tài sản, vị trí đặt và người chịu trách nhiệm quản lý.</li>"
            "<li>Loại dữ liệu tài sản đó xử lý: công khai, nội bộ, hay dữ liệu cá nhân, bí mật công tác.</li>"
            "<li>Phiên bản hệ điều hành, phần mềm và thời hạn hỗ trợ của nhà sản xuất.</li>"
            "<li>Hệ thống thông tin mà tài sản thuộc về và cấp độ an toàn của hệ thống đó.</li>"
            "</ul>"
        ),
        note(
            "<p>Nghị định 85/2016/NĐ-CP chia hệ thống thông tin thành <b>năm cấp độ</b> theo mức ảnh hưởng "
            "khi bị tấn công. Hồ sơ đề xuất cấp độ là cơ sở để chọn biện pháp bảo vệ tương xứng.</p>"
        ),
        heading("Đánh giá rủi ro bằng ma trận"),
        text(
            "<p>Với mỗi mối đe doạ (mã độc tống tiền, lộ mật khẩu, mất điện, hỏng ổ cứng…), hãy ước lượng hai "
            "yếu tố: <b>khả năng xảy ra</b> và <b>mức độ ảnh hưởng</b> nếu xảy ra. Ghép hai yếu tố lại, ta được "
            "mức rủi ro để quyết định việc nào làm trước.</p>"
        ),
        figure(
            "risk-matrix",
            "Lưới ba hàng ba cột: hàng là khả năng xảy ra từ thấp đến cao, cột là mức độ ảnh hưởng từ thấp "
            "đến cao; các ô chuyển từ xanh (rủi ro thấp) sang đỏ (rủi ro rất cao) về góc trên bên phải.",
            "Rủi ro nằm ở các ô màu đỏ phải được xử lý trước.",
        ),
        tip(
            "<p>Xem lại danh mục tài sản và ma trận rủi ro ít nhất mỗi năm một lần, và mỗi khi đưa hệ thống "
            "mới vào vận hành.</p>"
        ),
    ],
)

backup = Lesson(
    title="Sao lưu dữ liệu theo quy tắc 3-2-1",
    slug="sao-luu-du-lieu-3-2-1",
    body=[
        text(
            "<p>Mã độc tống tiền mã hoá cả dữ liệu trên máy chủ lẫn ổ sao lưu nếu ổ đó luôn được cắm vào mạng. "
            "Một bản sao lưu chỉ có giá trị khi nó <b>còn nguyên vẹn</b> và <b>khôi phục được</b>.</p>"
        ),
        heading("Quy tắc 3-2-1"),
        figure(
            "backup-321",
            "Sơ đồ ba bản sao dữ liệu: bản gốc trên máy chủ và bản trên ổ sao lưu riêng đặt tại cơ quan, "
            "bản thứ ba đặt ở nơi khác, tách khỏi mạng.",
            "Ba bản sao, hai loại phương tiện, một bản ở nơi khác.",
        ),
        text(
            "<ul>"
            "<li><b>3</b> bản sao của dữ liệu quan trọng (kể cả bản gốc).</li>"
            "<li><b>2</b> loại phương tiện lưu trữ khác nhau, ví dụ ổ đĩa mạng và băng từ hoặc ổ cứng rời.</li>"
            "<li><b>1</b> bản đặt ở nơi khác hoặc ngoại tuyến, để một sự cố tại chỗ không xoá được mọi bản.</li>"
            "</ul>"
        ),
        heading("Tự động hoá việc sao lưu"),
        text(
            "<p>Trên máy chủ Linux, có thể dùng <code>cron</code> để sao lưu thư mục dữ liệu mỗi đêm. "
            "Dòng dưới đây, đặt trong <code>crontab -e</code> của tài khoản quản trị, chạy lúc 1 giờ 30 sáng "
            "và ghi kết quả vào tệp nhật ký:</p>"
        ),
        code(
            "bash",
            "30 1 * * * rsync -a --delete /srv/du-lieu/ /mnt/sao-luu/du-lieu/ "
            ">> /var/log/sao-luu.log 2>&1",
        ),
        warning(
            "<p>Tuỳ chọn <code>--delete</code> xoá ở bản sao những tệp đã bị xoá ở bản gốc. Vì vậy vẫn cần "
            "giữ thêm các bản sao theo ngày hoặc theo tuần, nếu không, một tệp bị xoá nhầm sẽ mất luôn "
            "ở bản sao lưu sau đêm đó.</p>"
        ),
        tip(
            "<p>Mỗi quý hãy <b>thử khôi phục</b> một phần dữ liệu ra máy khác. Chưa khôi phục thử thì chưa "
            "thể coi là đã có bản sao lưu.</p>"
        ),
    ],
)

patches = Lesson(
    title="Quản lý bản vá và các dịch vụ đang mở",
    slug="quan-ly-ban-va-va-dich-vu",
    body=[
        text(
            "<p>Phần lớn các vụ tấn công khai thác những lỗ hổng <b>đã có bản vá</b> từ lâu nhưng chưa được "
            "cài. Quản lý bản vá là việc đều đặn, không phải việc làm một lần.</p>"
        ),
        heading("Chu trình vá lỗi hằng tháng"),
        steps(
            "Một vòng vá lỗi",
            [
                step("<p>Theo dõi cảnh báo lỗ hổng của nhà sản xuất và của Cục An toàn thông tin.</p>"),
                step("<p>Đối chiếu với danh mục tài sản để biết máy nào bị ảnh hưởng.</p>"),
                step("<p>Cài thử bản vá trên một máy thử nghiệm hoặc một nhóm máy nhỏ.</p>"),
                step("<p>Triển khai cho toàn bộ, ưu tiên máy chủ có kết nối Internet.</p>"),
                step("<p>Ghi lại ngày cài, máy đã cài và máy chưa cài được kèm lý do.</p>"),
            ],
        ),
        heading("Biết máy chủ đang mở những cổng nào"),
        text(
            "<p>Dịch vụ không dùng đến mà vẫn mở cổng là cửa ngõ cho kẻ tấn công. Lệnh sau liệt kê các cổng "
            "TCP và UDP đang lắng nghe cùng tiến trình sở hữu chúng:</p>"
        ),
        code("bash", "sudo ss -tulpn"),
        text(
            "<p>Với mỗi dòng, hãy trả lời: dịch vụ này để làm gì, có cần mở ra mạng ngoài không? Dịch vụ không "
            "cần thì tắt hẳn, dịch vụ chỉ dùng nội bộ thì chỉ cho phép từ dải địa chỉ nội bộ trên tường lửa.</p>"
        ),
        code("bash", "sudo apt update && sudo apt list --upgradable"),
        note(
            "<p>Lệnh thứ hai (trên Debian, Ubuntu) cho biết các gói đang chờ cập nhật trước khi bạn quyết định "
            "cài đặt.</p>"
        ),
    ],
)

accounts = Lesson(
    title="Tài khoản, phân quyền và xác thực đa yếu tố",
    slug="tai-khoan-va-xac-thuc-da-yeu-to",
    body=[
        heading("Nguyên tắc quyền tối thiểu"),
        text(
            "<p>Mỗi người chỉ được cấp đúng những quyền cần cho công việc của mình. Tài khoản quản trị dùng "
            "riêng cho việc quản trị, không dùng để đọc thư hay duyệt web hằng ngày.</p>"
            "<ul>"
            "<li>Mỗi người một tài khoản riêng; không dùng chung tài khoản <code>admin</code>.</li>"
            "<li>Khoá tài khoản ngay khi cán bộ nghỉ việc hoặc chuyển công tác.</li>"
            "<li>Rà soát danh sách tài khoản có quyền quản trị ít nhất mỗi quý.</li>"
            "</ul>"
        ),
        heading("Xác thực đa yếu tố"),
        text(
            "<p>Mật khẩu có thể bị lộ qua thư giả mạo hoặc phần mềm gián điệp. Xác thực đa yếu tố đòi hỏi thêm "
            "một yếu tố thứ hai, thường là mã 6 chữ số sinh ra trên điện thoại, nên kẻ gian có mật khẩu vẫn "
            "chưa đăng nhập được.</p>"
        ),
        steps(
            "Bật xác thực hai yếu tố cho tài khoản quản trị",
            [
                step("<p>Cài một ứng dụng tạo mã trên điện thoại công vụ, ví dụ Aegis hoặc FreeOTP.</p>"),
                step("<p>Trong trang quản lý tài khoản của hệ thống, chọn bật xác thực hai yếu tố.</p>"),
                step("<p>Quét mã QR bằng ứng dụng, rồi nhập mã 6 chữ số để xác nhận.</p>"),
                step("<p>Lưu các mã khôi phục ở nơi an toàn, tách khỏi điện thoại.</p>"),
            ],
        ),
        warning(
            "<p>Không bao giờ đọc mã xác thực cho người khác qua điện thoại, kể cả người tự xưng là cán bộ "
            "kỹ thuật của nhà cung cấp.</p>"
        ),
    ],
)

logging_lesson = Lesson(
    title="Ghi nhật ký và phát hiện sự cố",
    slug="ghi-nhat-ky-va-phat-hien-su-co",
    body=[
        text(
            "<p>Nhật ký hệ thống là dấu vết duy nhất giúp trả lời câu hỏi <i>chuyện gì đã xảy ra, khi nào và "
            "do ai</i>. Nhật ký cần được bật, đồng bộ thời gian (NTP) và lưu đủ lâu.</p>"
        ),
        heading("Những gì cần ghi lại"),
        text(
            "<ul>"
            "<li>Đăng nhập thành công và thất bại, nhất là của tài khoản quản trị.</li>"
            "<li>Thay đổi quyền, tạo hoặc xoá tài khoản.</li>"
            "<li>Cảnh báo của tường lửa và phần mềm phòng chống mã độc.</li>"
            "</ul>"
        ),
        heading("Tìm dấu hiệu dò mật khẩu"),
        text("<p>Lệnh sau đếm số lần đăng nhập SSH thất bại theo địa chỉ nguồn trong 24 giờ qua:</p>"),
        code(
            "bash",
            "sudo journalctl -u ssh --since '24 hours ago' | grep 'Failed password' \\\n"
            "  | grep -oE 'from [0-9.]+' | sort | uniq -c | sort -rn | head",
        ),
        tip(
            "<p>Một địa chỉ có hàng trăm lần thất bại là dấu hiệu dò mật khẩu. Hãy chặn địa chỉ đó trên "
            "tường lửa và kiểm tra xem có lần đăng nhập thành công nào từ địa chỉ ấy không.</p>"
        ),
        note(
            "<p>Sao chép nhật ký về một máy chủ nhật ký tập trung: kẻ tấn công chiếm được máy thường xoá "
            "nhật ký trên chính máy đó.</p>"
        ),
    ],
)

incident = Lesson(
    title="Ứng cứu sự cố an toàn thông tin",
    slug="ung-cuu-su-co",
    body=[
        text(
            "<p>Khi sự cố xảy ra, làm theo một quy trình đã chuẩn bị sẵn giúp hạn chế thiệt hại và giữ được "
            "chứng cứ. Quy trình gồm sáu bước nối tiếp nhau thành một vòng.</p>"
        ),
        figure(
            "incident-cycle",
            "Vòng sáu bước: chuẩn bị, phát hiện, ngăn chặn, loại bỏ, khôi phục, rút kinh nghiệm; mũi tên "
            "từ bước cuối quay lại bước chuẩn bị.",
            "Bài học sau mỗi sự cố được đưa trở lại khâu chuẩn bị.",
        ),
        steps(
            "Khi phát hiện một máy trạm nhiễm mã độc tống tiền",
            [
                step("<p><b>Ngắt mạng</b> máy đó (rút cáp, tắt Wi-Fi) nhưng <b>không tắt nguồn</b>.</p>"),
                step("<p>Báo ngay cho lãnh đạo đơn vị và đầu mối ứng cứu sự cố của tỉnh.</p>"),
                step("<p>Ghi lại thời điểm, thông báo đòi tiền chuộc và các tệp bị ảnh hưởng.</p>"),
                step("<p>Kiểm tra các máy cùng mạng và các ổ dùng chung để xác định phạm vi lây lan.</p>"),
                step("<p>Cài lại máy sạch, khôi phục dữ liệu từ bản sao lưu, đổi các mật khẩu liên quan.</p>"),
            ],
        ),
        warning("<p>Không trả tiền chuộc: không có gì bảo đảm dữ liệu được trả lại.</p>"),
        note(
            "<p>Nếu sự cố làm lộ dữ liệu cá nhân, Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 yêu cầu thông "
            "báo cho cơ quan chuyên trách chậm nhất <b>72 giờ</b> kể từ khi phát hiện.</p>"
        ),
    ],
)

review = Lesson(
    title="Ôn tập",
    slug="on-tap",
    body=[
        text(
            "<p>Hãy tự kiểm tra lại những điểm chính của khoá học trước khi làm bài kiểm tra cuối khoá.</p>"
            "<ol>"
            "<li>Danh mục tài sản của đơn vị bạn đã có đủ máy chủ, phần mềm và tài khoản quản trị chưa?</li>"
            "<li>Quy tắc sao lưu 3-2-1 gồm những gì, và lần gần nhất bạn khôi phục thử là khi nào?</li>"
            "<li>Lệnh nào cho biết các cổng đang lắng nghe trên máy chủ Linux?</li>"
            "<li>Vì sao tài khoản quản trị phải bật xác thực đa yếu tố?</li>"
            "<li>Khi máy trạm nhiễm mã độc tống tiền, việc đầu tiên cần làm là gì?</li>"
            "</ol>"
        ),
        tip("<p>Nếu chưa trả lời chắc chắn được câu nào, hãy mở lại bài học tương ứng trong mục lục khoá học.</p>"),
    ],
)

COURSE = Course(
    track=Track.IT_STAFF,
    code="ATTT-CT01",
    title="An toàn, bảo mật thông tin cho cán bộ chuyên trách CNTT",
    slug="an-toan-bao-mat-thong-tin-chuyen-trach",
    summary=(
        "Nhận diện rủi ro, sao lưu 3-2-1, quản lý bản vá, tài khoản và xác thực đa yếu tố, ghi nhật ký "
        "và ứng cứu sự cố cho hệ thống thông tin của cơ quan nhà nước."
    ),
    audiences=[Audience.IT_STAFF],
    level=CourseLevel.ADVANCED,
    estimated_hours=Decimal("16"),
    access_mode=AccessMode.SELF_ENROLMENT,
    competency_codes=["IU14"],
    cover="cover",
    description=[
        text(
            "<p>Khoá học dành cho cán bộ chuyên trách CNTT của các sở, ngành và UBND cấp xã, bám theo mô-đun "
            "IU14 của chuẩn kỹ năng sử dụng CNTT và lĩnh vực an toàn thông tin trong Thông tư 11/2015/TT-BTTTT.</p>"
        ),
        heading("Sau khoá học, học viên có thể"),
        text(
            "<ul>"
            "<li>lập danh mục tài sản thông tin và đánh giá rủi ro;</li>"
            "<li>tổ chức sao lưu và khôi phục dữ liệu theo quy tắc 3-2-1;</li>"
            "<li>vá lỗi định kỳ, tắt dịch vụ thừa, quản lý tài khoản và bật xác thực đa yếu tố;</li>"
            "<li>theo dõi nhật ký, phát hiện và ứng cứu sự cố theo quy trình.</li>"
            "</ul>"
        ),
    ],
    parts=[
        Section(
            "Nhận diện và phòng ngừa rủi ro",
            "nhan-dien-rui-ro",
            "Biết mình có gì và bảo vệ dữ liệu.",
            [risks, backup],
        ),
        Section("Vận hành an toàn", "van-hanh-an-toan", "Bản vá, dịch vụ và tài khoản.", [patches, accounts]),
        Section(
            "Giám sát và ứng cứu sự cố",
            "giam-sat-va-ung-cuu",
            "Phát hiện sớm, xử lý đúng.",
            [logging_lesson, incident, review],
        ),
    ],
    pictures=PICTURES,
)
