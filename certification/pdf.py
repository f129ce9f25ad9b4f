"""Certificate PDFs with reportlab: A4 landscape, DejaVu Sans embedded (every Vietnamese diacritic), the
template's texts with placeholders filled, its images, the serial with its check code, and a QR code of
the public verification address.

Fonts are registered once per process, and each template's images read once (`renderer_for`), however
many certificates are rendered one by one or in a batch (`render_many`).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

import qrcode
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .defaults import DEFAULT_TEMPLATE
from .models import Certificate, CertificateTemplate
from .placeholders import placeholders_fill

# Binary (Flate) streams rather than ASCII85 text ones: valid PDF readers all take, a fifth smaller, and no
# pure-Python ASCII85 pass over every page, font and image (a tenth of a certificate's rendering time).
rl_config.useA85 = 0

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 18 * mm
QR_SIZE = 32 * mm
QR_BOX = 4  # pixels per module: each module stays a whole square of pixels, at 130 dpi on the page
QR_MASK = 0

# Fixed wording of the page, in the certificate's language (document text, not interface text).
LABELS = {
    "vi": {
        "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": "Độc lập – Tự do – Hạnh phúc",
        "serial": "Số hiệu",
        "check": "Mã kiểm tra",
        "verify": "Tra cứu tại",
        "months": None,
    },
    "en": {
        "nation": "SOCIALIST REPUBLIC OF VIETNAM",
        "motto": "Independence – Freedom – Happiness",
        "serial": "Serial",
        "check": "Check code",
        "verify": "Verify at",
        "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December"],
    },
}


def fonts_register() -> None:
    """Register DejaVu Sans once per process; reportlab embeds the subset each PDF uses."""
    registered = pdfmetrics.getRegisteredFontNames()
    if FONT not in registered:
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    if FONT_BOLD not in registered:
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def public_base_url() -> str:
    return (getattr(settings, "LMS_PUBLIC_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def verification_url(certificate: Certificate) -> str:
    return public_base_url() + reverse("certification:verify_token", args=[certificate.token])


def qr_image(url: str) -> PILImage.Image:
    """The QR code of a URL as a greyscale PIL image (medium error correction: survives a worn printout).

    The mask pattern is fixed: qrcode would otherwise build the symbol with each of the eight masks and score
    them (two thirds of its time), and every mask gives a valid symbol that readers decode. The image is
    drawn from the module matrix, one byte per pixel (greyscale: a third of an RGB image's data to compress).
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=QR_BOX, border=2, mask_pattern=QR_MASK
    )
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()  # rows of booleans (dark = True), quiet zone included
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    return PILImage.frombytes("L", (size, size), pixels).resize((size * QR_BOX, size * QR_BOX), PILImage.NEAREST)


def _format_date(certificate: Certificate, language: str) -> str:
    day = timezone.localtime(certificate.issued_at).date()
    months = LABELS[language]["months"]
    if months is None:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _format_number(value: Decimal | None, language: str) -> str:
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text.replace(".", ",") if language == "vi" else text


def placeholder_values(certificate: Certificate, language: str) -> dict[str, str]:
    return {
        "name": certificate.holder_name,
        "course": certificate.course_title,
        "hours": _format_number(certificate.hours, language),
        "date": _format_date(certificate, language),
        "grade": _format_number(certificate.grade, language),
    }


def _nfc(text: str) -> str:
    # Precomposed letters: DejaVu has a glyph for each, and extracted text matches what people type.
    return unicodedata.normalize("NFC", text)


def _image_reader(image) -> ImageReader | None:
    if image is None:
        return None
    try:
        with image.file.open("rb") as handle:
            picture = PILImage.open(io.BytesIO(handle.read()))
            picture.load()
    except (OSError, ValueError):
        return None  # a missing or broken upload must not stop issuing: the certificate prints without it
    return ImageReader(picture)


class CertificateRenderer:
    """Renders certificates of one template: the template's images are read once, here."""

    def __init__(self, template: CertificateTemplate):
        fonts_register()
        self.template = template
        self.background = _image_reader(template.background_image)
        self.signature = _image_reader(template.signature_image)
        self.seal = _image_reader(template.seal_image)

    def render(self, certificate: Certificate) -> bytes:
        language = certificate.language if certificate.language in LABELS else "vi"
        labels = LABELS[language]
        values = placeholder_values(certificate, language)
        buffer = io.BytesIO()
        pdf = canvas.Canvas(
            buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1, initialFontName=FONT, initialFontSize=12
        )
        pdf.setTitle(_nfc(f"{certificate.serial} – {certificate.holder_name}"))
        pdf.setAuthor(_nfc(settings.LMS_SITE_NAME))
        self._frame(pdf)

        y = PAGE_HEIGHT - MARGIN - 10 * mm
        y = self._centred(pdf, labels["nation"], FONT_BOLD, 12, y)
        y = self._centred(pdf, labels["motto"], FONT_BOLD, 11, y - 2)
        y -= 14 * mm
        title = placeholders_fill(self.template.title, values)
        y = self._centred(pdf, title, FONT_BOLD, 30, y)
        y -= 6 * mm
        body = placeholders_fill(self.template.body, values)
        raw_lines = self.template.body.splitlines()
        for raw, line in zip(raw_lines, body.splitlines(), strict=False):
            # A line that is just the name or the course stands out, as on a printed certificate.
            if raw.strip() in {"{name}", "{course}"}:
                size = 24 if raw.strip() == "{name}" else 18
                y = self._centred(pdf, line, FONT_BOLD, size, y - 2)
            else:
                y = self._centred(pdf, line, FONT, 14, y)

        self._signature_block(pdf, values)
        self._serial_and_qr(pdf, certificate, labels)
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()

    def _frame(self, pdf: canvas.Canvas) -> None:
        if self.background is not None:
            pdf.drawImage(self.background, 0, 0, PAGE_WIDTH, PAGE_HEIGHT, preserveAspectRatio=False, mask="auto")
            return
        pdf.setStrokeColorRGB(0.55, 0.1, 0.1)
        pdf.setLineWidth(3)
        pdf.rect(8 * mm, 8 * mm, PAGE_WIDTH - 16 * mm, PAGE_HEIGHT - 16 * mm)
        pdf.setLineWidth(0.8)
        pdf.rect(11 * mm, 11 * mm, PAGE_WIDTH - 22 * mm, PAGE_HEIGHT - 22 * mm)

    def _centred(self, pdf: canvas.Canvas, text: str, font: str, size: float, y: float) -> float:
        """Draw the text centred, wrapped to the page width; return the baseline below it."""
        text = _nfc(text)
        lines = simpleSplit(text, font, size, PAGE_WIDTH - 2 * MARGIN - 20 * mm) or [""]
        pdf.setFillColorRGB(0.1, 0.1, 0.1)
        pdf.setFont(font, size)
        for line in lines:
            y -= size * 1.35
            pdf.drawCentredString(PAGE_WIDTH / 2, y, line)
        return y

    def _signature_block(self, pdf: canvas.Canvas, values: dict[str, str]) -> None:
        centre_x, top = PAGE_WIDTH * 0.72, 62 * mm
        pdf.setFillColorRGB(0.1, 0.1, 0.1)
        if self.template.signatory_title:
            pdf.setFont(FONT_BOLD, 12)
            pdf.drawCentredString(centre_x, top, _nfc(placeholders_fill(self.template.signatory_title, values)))
        if self.seal is not None:
            pdf.drawImage(self.seal, centre_x - 38 * mm, top - 34 * mm, 30 * mm, 30 * mm,
                          preserveAspectRatio=True, mask="auto")
        if self.signature is not None:
            pdf.drawImage(self.signature, centre_x - 25 * mm, top - 30 * mm, 50 * mm, 24 * mm,
                          preserveAspectRatio=True, mask="auto")
        if self.template.signatory_name:
            pdf.setFont(FONT_BOLD, 13)
            name = placeholders_fill(self.template.signatory_name, values)
            pdf.drawCentredString(centre_x, top - 38 * mm, _nfc(name))

    def _serial_and_qr(self, pdf: canvas.Canvas, certificate: Certificate, labels: dict) -> None:
        url = verification_url(certificate)
        x, y = MARGIN, MARGIN
        pdf.drawImage(ImageReader(qr_image(url)), x, y + 6 * mm, QR_SIZE, QR_SIZE)
        pdf.setFillColorRGB(0.1, 0.1, 0.1)
        pdf.setFont(FONT, 10)
        pdf.drawString(x + QR_SIZE + 4 * mm, y + 6 * mm + QR_SIZE - 10,
                       _nfc(f"{labels['serial']}: {certificate.serial}"))
        pdf.drawString(x + QR_SIZE + 4 * mm, y + 6 * mm + QR_SIZE - 24,
                       _nfc(f"{labels['check']}: {certificate.check_code}"))
        pdf.setFont(FONT, 7.5)
        pdf.drawString(x, y, _nfc(f"{labels['verify']}: {url}"))


# Renderers of the templates used lately, kept between tasks so that a worker issuing certificate after
# certificate reads a template's images once. Keyed by what the renderer was built from: editing the template
# (updated_at) or replacing one of its images (a new file name) builds a new one. A few only: a background
# image decoded is megabytes.
RENDERERS_KEPT = 4
_renderers: dict[tuple, CertificateRenderer] = {}


def _renderer_key(template: CertificateTemplate) -> tuple:
    images = (template.background_image, template.signature_image, template.seal_image)
    return (template.pk, template.updated_at, *((image.pk, image.file.name) if image else None for image in images))


def renderer_for(template: CertificateTemplate) -> CertificateRenderer:
    key = _renderer_key(template)
    renderer = _renderers.get(key)
    if renderer is None:
        if len(_renderers) >= RENDERERS_KEPT:
            _renderers.pop(next(iter(_renderers)))  # the oldest
        renderer = _renderers[key] = CertificateRenderer(template)
    return renderer


def render_many(certificates: Iterable[Certificate]) -> Iterator[tuple[Certificate, bytes]]:
    """Render each certificate with its own template, each template loaded once (renderer_for)."""
    default = None
    for certificate in certificates:
        template = certificate.template if certificate.template_id else None
        if template is None:
            # A certificate whose template was deleted prints with the default wording.
            default = default or CertificateTemplate(**DEFAULT_TEMPLATE)
            template = default
        yield certificate, renderer_for(template).render(certificate)
