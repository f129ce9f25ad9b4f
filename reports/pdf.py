"""The PDF summary of a periodic report: the official header, the unit, the period, the main figures,
a bar chart of enrolments and completions per unit and the programme targets with red / amber / green.

Drawn with reportlab (platypus for the layout, reportlab.graphics for the charts) in DejaVu Sans, the
font the certificates embed, so Vietnamese diacritics render and extract correctly. Built only from
the snapshot's stored figures, written once and stored with the snapshot: a download never redraws it.
Like the workbook, the text is Vietnamese: it is the official document sent to the People's Committee.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from certification.pdf import FONT, FONT_BOLD, fonts_register

from .charts import CHART_ROWS

CHART_UNITS = CHART_ROWS  # the chart shows the first units; the workbook has every row
RAG_COLOURS = {
    "green": colors.HexColor("#c8e6c9"),
    "amber": colors.HexColor("#ffe0b2"),
    "red": colors.HexColor("#ffcdd2"),
    "unknown": colors.HexColor("#eeeeee"),
}
RAG_LABELS = {"green": "Đạt", "amber": "Gần đạt", "red": "Chưa đạt", "unknown": "Chưa có số liệu"}
SUMMARY = [
    ("assigned", "Người được phân công học"),
    ("enrolled", "Lượt đăng ký học"),
    ("started", "Lượt bắt đầu học"),
    ("completed", "Lượt hoàn thành"),
    ("completion_rate", "Tỷ lệ hoàn thành (%)"),
    ("quiz_attempts", "Bài kiểm tra đã nộp"),
    ("pass_rate", "Tỷ lệ đạt (%)"),
    ("average_score", "Điểm trung bình (%)"),
    ("certificates", "Chứng chỉ đã cấp"),
    ("hours", "Giờ học"),
    ("classes_held", "Lớp đã tổ chức"),
    ("participant_times", "Lượt tham dự lớp"),
]


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "national": ParagraphStyle("national", fontName=FONT_BOLD, fontSize=12, leading=15, alignment=TA_CENTER),
        "motto": ParagraphStyle("motto", fontName=FONT_BOLD, fontSize=11, leading=14, alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=14, leading=18, alignment=TA_CENTER,
                                spaceBefore=8, spaceAfter=6),
        "heading": ParagraphStyle("heading", fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=10,
                                  spaceAfter=4),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=10.5),
    }


def _number(value) -> str:
    """Vietnamese style: 1.234 for thousands, 12,5 for decimals."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):  # a stored decimal, e.g. hours "14.5"
        return value.replace(".", ",")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def _table(rows: list[list], widths: list[float], *, header: bool = True, extra: list | None = None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
    ]
    if header:
        style += [("FONT", (0, 0), (-1, 0), FONT_BOLD, 9), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3eaf3"))]
    table.setStyle(TableStyle(style + (extra or [])))
    return table


def units_chart(units: list[dict], width: float) -> Drawing:
    """Horizontal bars: enrolments and completions of each unit (the numbers are in the table)."""
    shown = units[:CHART_UNITS]
    bar_space = 22
    height = max(len(shown), 1) * bar_space + 60
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 35
    chart.width, chart.height = width - 170, height - 60
    # Rows from the top down: reportlab draws the first category at the bottom.
    ordered = list(reversed(shown))
    chart.data = [[entry["enrolled"] or 0 for entry in ordered], [entry["completed"] or 0 for entry in ordered]]
    chart.categoryAxis.categoryNames = [entry["unit"][:30] for entry in ordered]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.forceZero = 1
    largest = max([value for series in chart.data for value in series] + [1])
    chart.valueAxis.valueMax = largest
    chart.valueAxis.valueStep = max(1, -(-largest // 5))
    chart.bars[0].fillColor = colors.HexColor("#90a4ae")
    chart.bars[1].fillColor = colors.HexColor("#1565c0")
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 150, 14
    legend.fontName = FONT
    legend.fontSize = 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.colorNamePairs = [(chart.bars[0].fillColor, "Ghi danh"), (chart.bars[1].fillColor, "Hoàn thành")]
    drawing.add(legend)
    drawing.add(String(0, height - 12, "Ghi danh và hoàn thành theo đơn vị", fontName=FONT_BOLD, fontSize=9))
    return drawing


def targets_chart(targets: list[dict], width: float) -> Drawing:
    """Bars of each percentage target's current value against the target, coloured by status."""
    shares = [entry for entry in targets if entry["percent"] and entry["value"] is not None]
    bar_space = 26
    height = max(len(shares), 1) * bar_space + 40
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 20
    chart.width, chart.height = width - 170, height - 40
    ordered = list(reversed(shares))
    chart.data = [[float(entry["value"]) for entry in ordered], [float(entry["target"]) for entry in ordered]]
    chart.categoryAxis.categoryNames = [entry["short"][:30] for entry in ordered]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7.5
    chart.bars[1].fillColor = colors.HexColor("#cfd8dc")
    for index, entry in enumerate(ordered):
        chart.bars[(0, index)].fillColor = {
            "green": colors.HexColor("#2e7d32"), "amber": colors.HexColor("#ef6c00"), "red": colors.HexColor("#c62828"),
        }.get(entry["status"], colors.grey)
    drawing.add(chart)
    drawing.add(String(0, height - 12, "Giá trị hiện tại (màu theo đánh giá) và chỉ tiêu (xám), %", fontName=FONT_BOLD,
                       fontSize=9))
    return drawing


def summary_pdf_bytes(*, unit_name: str, period_start, period_end, version: int, reason: str, generated_at,
                      figures: dict) -> bytes:
    """The PDF summary, from stored figures only (same input, same bytes: the document is invariant)."""
    fonts_register()
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
        title=f"Báo cáo kết quả đào tạo CNTT – {unit_name}", author="LMS", creator="LMS", invariant=1,
    )
    width = document.width
    story = [
        Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", styles["national"]),
        Paragraph("Độc lập - Tự do - Hạnh phúc", styles["motto"]),
        Spacer(1, 4 * mm),
        Paragraph("BÁO CÁO KẾT QUẢ ĐÀO TẠO CÔNG NGHỆ THÔNG TIN", styles["title"]),
        Paragraph(f"Đơn vị: {escape(unit_name)}", styles["body"]),
        Paragraph(f"Kỳ báo cáo: {period_start:%d/%m/%Y} – {period_end:%d/%m/%Y}", styles["body"]),
        Paragraph(f"Thời điểm lập: {timezone.localtime(generated_at):%H:%M %d/%m/%Y}", styles["body"]),
        Paragraph(f"Phiên bản: {version}" + (f" (lý do cấp lại: {escape(reason)})" if reason else ""), styles["body"]),
        Paragraph("1. Số liệu tổng hợp", styles["heading"]),
    ]
    total = figures["total"]
    story.append(_table([["Chỉ số", "Giá trị"]] + [[label, _number(total.get(name))] for name, label in SUMMARY],
                        [width * 0.7, width * 0.3]))

    story.append(Paragraph("2. Kết quả theo đơn vị", styles["heading"]))
    units = figures["units"]
    if units:
        story.append(units_chart(units, width))
        story.append(Spacer(1, 3 * mm))
        header = ["Đơn vị", "Ghi danh", "Hoàn thành", "Tỷ lệ HT (%)", "Tỷ lệ đạt (%)", "Chứng nhận"]
        rows = [[Paragraph(escape(entry["unit"]), styles["cell"]), _number(entry["enrolled"]), _number(entry["completed"]),
                 _number(entry.get("completion_rate")), _number(entry.get("pass_rate")), _number(entry["certificates"])]
                for entry in units]
        story.append(_table([header] + rows, [width * 0.36] + [width * 0.128] * 5))
    else:
        story.append(Paragraph("Không có số liệu trong kỳ.", styles["body"]))

    story.append(Paragraph("3. Chỉ tiêu của chương trình", styles["heading"]))
    targets = figures.get("targets") or []
    if targets:
        if any(entry["percent"] and entry["value"] is not None for entry in targets):
            story.append(targets_chart(targets, width))
            story.append(Spacer(1, 3 * mm))
        rows, extra = [], []
        for index, entry in enumerate(targets, start=1):
            suffix = "%" if entry["percent"] else ""
            rows.append([
                Paragraph(escape(entry["name"]), styles["cell"]),
                f"{_number(entry['value'])}{suffix if entry['value'] is not None else ''}",
                f"{_number(entry['target'])}{suffix}",
                RAG_LABELS.get(entry["status"], entry["status"]),
            ])
            extra.append(("BACKGROUND", (3, index), (3, index), RAG_COLOURS.get(entry["status"], colors.white)))
        story.append(_table([["Chỉ tiêu", "Hiện tại", "Chỉ tiêu", "Đánh giá"]] + rows,
                            [width * 0.52, width * 0.15, width * 0.15, width * 0.18], extra=extra))
    else:
        story.append(Paragraph("Chưa đặt chỉ tiêu cho năm của kỳ báo cáo.", styles["body"]))
    document.build(story)
    return buffer.getvalue()
