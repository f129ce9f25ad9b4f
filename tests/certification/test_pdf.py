"""The certificate PDF: DejaVu Sans embedded, the exact Vietnamese name and course title extracted back,
the serial with its check code, and a QR code that decodes to the public verification address."""

import io

import pypdf
import pytest
import zxingcpp
from PIL import Image

from certification.models import CertificateTemplate
from certification.pdf import qr_image, render_many, verification_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course, issue, settings):
    settings.LMS_PUBLIC_BASE_URL = "https://hoc.nghean.gov.vn"
    return issue(learner, course)


def pdf_of(certificate):
    with certificate.pdf.open("rb") as handle:
        return pypdf.PdfReader(io.BytesIO(handle.read()))


def test_the_pdf_text_has_the_exact_vietnamese_name_and_course(certificate):
    reader = pdf_of(certificate)
    page = reader.pages[0]
    text = page.extract_text()

    assert "Nguyễn Thị Hồng Nhung" in text
    assert "An toàn, bảo mật thông tin cho cán bộ, công chức" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert certificate.serial in text and certificate.check_code in text
    # A4 landscape.
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)


def test_the_fonts_are_embedded(certificate):
    page = pdf_of(certificate).pages[0]
    fonts = page["/Resources"]["/Font"]
    names = set()
    for reference in fonts.values():
        font = reference.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
        names.add(str(font["/BaseFont"]))
    assert any("DejaVuSans" in name for name in names)


def test_the_qr_in_the_pdf_decodes_to_the_verification_url(certificate):
    url = verification_url(certificate)
    assert url == f"https://hoc.nghean.gov.vn/verify/{certificate.token}/"

    images = list(pdf_of(certificate).pages[0].images)
    decoded = []
    for image in images:
        picture = Image.open(io.BytesIO(image.data)).convert("RGB")
        decoded += [result.text for result in zxingcpp.read_barcodes(picture)]
    assert decoded == [url]


def test_the_qr_image_itself_decodes(certificate):
    url = verification_url(certificate)
    [result] = zxingcpp.read_barcodes(qr_image(url))
    assert result.text == url


def test_placeholders_are_filled_from_the_template(certificate):
    CertificateTemplate.objects.create(
        name="Mẫu khoá học", course=certificate.course, title="CHỨNG CHỈ {course}",
        body="Học viên {name}\nĐiểm: {grade}\nSố giờ: {hours}\nNgày {date}", signatory_name="Hồ Văn Kỷ",
        signatory_title="KT. GIÁM ĐỐC",
    )
    certificate.template = CertificateTemplate.objects.get(course=certificate.course)
    [(_, content)] = list(render_many([certificate]))
    text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()

    assert "Học viên Nguyễn Thị Hồng Nhung" in text
    assert "Hồ Văn Kỷ" in text and "KT. GIÁM ĐỐC" in text
    assert f"Số giờ: {certificate.hours.normalize():f}".replace(".", ",") in text
    assert "{name}" not in text


def test_template_images_are_drawn(certificate, make_image_file):
    from wagtail.images.models import Image as WagtailImage

    seal = WagtailImage.objects.create(title="Con dấu", file=make_image_file())
    template = certificate.template
    template.seal_image = template.signature_image = template.background_image = seal
    template.save()

    [(_, content)] = list(render_many([certificate]))
    images = list(pypdf.PdfReader(io.BytesIO(content)).pages[0].images)
    assert len(images) >= 2  # the QR plus the template's picture (drawn once per use, stored once)


@pytest.fixture
def make_image_file():
    from wagtail.images.tests.utils import get_test_image_file

    return get_test_image_file


def test_the_public_address_defaults_to_the_admin_base_url(certificate, settings):
    settings.LMS_PUBLIC_BASE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8080/"

    assert verification_url(certificate) == f"http://127.0.0.1:8080/verify/{certificate.token}/"
