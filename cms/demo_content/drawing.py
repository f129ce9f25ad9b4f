"""Small illustrations for the demo courses, drawn with Pillow: covers, labelled diagrams, mock screens.

Text is drawn with DejaVu Sans, which has the Vietnamese glyphs. Where that font is not installed
the pictures are drawn without their labels (the alt text and captions still describe them).
Each picture is a palette PNG of a few kilobytes, light enough for phones on slow connections.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
WIDTH, HEIGHT = 800, 450
INK = (33, 37, 41)
MUTED = (95, 99, 104)
WHITE = (255, 255, 255)
PAPER = (248, 249, 250)
BLUE = (13, 71, 161)
LIGHT_BLUE = (227, 238, 252)
GREEN = (27, 122, 62)
LIGHT_GREEN = (225, 243, 230)
ORANGE = (191, 87, 0)
LIGHT_ORANGE = (255, 239, 219)
RED = (176, 32, 32)
LIGHT_RED = (252, 228, 228)
YELLOW = (255, 244, 204)


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | None:
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    return ImageFont.truetype(str(path), size) if path.exists() else None


def fonts_available() -> bool:
    return font(16) is not None


class Canvas:
    def __init__(self, width: int = WIDTH, height: int = HEIGHT, background=PAPER):
        self.image = Image.new("RGB", (width, height), background)
        self.draw = ImageDraw.Draw(self.image)

    def text(self, xy, text: str, *, size: int = 18, bold: bool = False, fill=INK, anchor: str = "la") -> None:
        face = font(size, bold)
        if face is not None:
            self.draw.text(xy, text, font=face, fill=fill, anchor=anchor)

    def vertical_text(self, centre, text: str, *, size: int = 14, fill=INK) -> None:
        """Text turned a quarter to the left, centred on `centre` (for narrow upright spaces)."""
        face = font(size)
        if face is None:
            return
        left, top, right, bottom = face.getbbox(text)
        label = Image.new("RGBA", (right - left + 4, bottom - top + 4), (0, 0, 0, 0))
        ImageDraw.Draw(label).text((2 - left, 2 - top), text, font=face, fill=fill)
        label = label.rotate(90, expand=True)
        x, y = int(centre[0] - label.width / 2), int(centre[1] - label.height / 2)
        self.image.paste(label, (x, y), label)

    def lines(self, xy, lines: Sequence[str], *, size: int = 18, fill=INK, gap: int = 6, anchor_x: str = "l") -> None:
        x, y = xy
        for line in lines:
            self.text((x, y), line, size=size, fill=fill, anchor=f"{anchor_x}a")
            y += size + gap

    def box(self, rect, *, fill=WHITE, outline=BLUE, width: int = 3, radius: int = 12) -> None:
        self.draw.rounded_rectangle(rect, radius=radius, fill=fill, outline=outline, width=width)

    def labelled_box(self, rect, lines: Sequence[str], *, fill=WHITE, outline=BLUE, size: int = 18) -> None:
        self.box(rect, fill=fill, outline=outline)
        x0, y0, x1, y1 = rect
        block = len(lines) * (size + 6) - 6
        self.lines(((x0 + x1) // 2, (y0 + y1 - block) // 2), lines, size=size, anchor_x="m")

    def arrow(self, start, end, *, fill=MUTED, width: int = 4) -> None:
        self.draw.line([start, end], fill=fill, width=width)
        (x0, y0), (x1, y1) = start, end
        length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1)
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        head = [
            (x1, y1),
            (x1 - 14 * ux + 8 * uy, y1 - 14 * uy - 8 * ux),
            (x1 - 14 * ux - 8 * uy, y1 - 14 * uy + 8 * ux),
        ]
        self.draw.polygon(head, fill=fill)

    def title(self, text: str) -> None:
        self.text((self.image.width // 2, 22), text, size=24, bold=True, anchor="ma")

    def png(self) -> bytes:
        out = io.BytesIO()
        self.image.quantize(colors=48, method=Image.Quantize.MEDIANCUT).save(out, format="PNG", optimize=True)
        return out.getvalue()


def cover(title_lines: Sequence[str], tag: str, *, colour, light, motif: str) -> bytes:
    """A course cover: a coloured band with the course's short name, its tag and a simple motif."""
    canvas = Canvas(background=light)
    canvas.draw.rectangle((0, 0, WIDTH, 70), fill=colour)
    canvas.text((32, 35), tag, size=26, bold=True, fill=WHITE, anchor="lm")
    canvas.lines((32, 120), title_lines, size=34, gap=12)
    MOTIFS[motif](canvas, colour)
    return canvas.png()


def _motif_computer(canvas: Canvas, colour) -> None:
    canvas.box((520, 180, 760, 340), fill=WHITE, outline=colour, width=6)
    canvas.draw.rectangle((620, 340, 660, 380), fill=colour)
    canvas.draw.rectangle((580, 380, 700, 392), fill=colour)
    canvas.draw.rectangle((420, 300, 500, 392), outline=colour, width=6)


def _motif_shield(canvas: Canvas, colour) -> None:
    shield = [(640, 170), (740, 205), (730, 320), (640, 400), (550, 320), (540, 205)]
    canvas.draw.polygon(shield, fill=WHITE, outline=colour, width=6)
    canvas.draw.rounded_rectangle((605, 265, 675, 330), radius=8, fill=colour)
    canvas.draw.arc((612, 225, 668, 285), start=180, end=360, fill=colour, width=8)


def _motif_network(canvas: Canvas, colour) -> None:
    nodes = [(640, 200), (540, 290), (740, 290), (590, 380), (700, 380)]
    for a in nodes:
        for b in nodes:
            if a < b:
                canvas.draw.line([a, b], fill=colour, width=3)
    for x, y in nodes:
        canvas.draw.ellipse((x - 22, y - 22, x + 22, y + 22), fill=WHITE, outline=colour, width=5)


def _motif_document(canvas: Canvas, colour) -> None:
    canvas.draw.rectangle((560, 160, 720, 400), fill=WHITE, outline=colour, width=5)
    for row, y in enumerate(range(195, 380, 24)):
        canvas.draw.line([(585, y), (695 if row % 3 else 650, y)], fill=colour, width=5)


def _motif_phone(canvas: Canvas, colour) -> None:
    canvas.box((580, 150, 710, 410), fill=WHITE, outline=colour, width=6, radius=20)
    canvas.draw.rectangle((598, 180, 692, 370), fill=YELLOW)
    canvas.draw.ellipse((635, 378, 655, 398), outline=colour, width=4)
    canvas.draw.line([(605, 215), (685, 215)], fill=colour, width=5)
    canvas.draw.line([(605, 245), (665, 245)], fill=colour, width=5)


MOTIFS = {
    "computer": _motif_computer,
    "shield": _motif_shield,
    "network": _motif_network,
    "document": _motif_document,
    "phone": _motif_phone,
}


def flow(
    title: str, boxes: Sequence[Sequence[str]], *, notes: Sequence[str] = (), colour=BLUE, light=LIGHT_BLUE
) -> bytes:
    """Boxes left to right joined by arrows, with optional notes under the row."""
    canvas = Canvas()
    canvas.title(title)
    count = len(boxes)
    gap = 34
    box_width = (WIDTH - 60 - gap * (count - 1)) // count
    top, bottom = 140, 290
    for index, lines in enumerate(boxes):
        x0 = 30 + index * (box_width + gap)
        canvas.labelled_box((x0, top, x0 + box_width, bottom), lines, fill=light, outline=colour, size=17)
        if index < count - 1:
            canvas.arrow((x0 + box_width + 4, (top + bottom) // 2), (x0 + box_width + gap - 4, (top + bottom) // 2))
    canvas.lines((40, 330), notes, size=17, fill=MUTED)
    return canvas.png()


def cycle(title: str, stages: Sequence[str], *, colour=GREEN, light=LIGHT_GREEN) -> bytes:
    """Stages around a ring, each arrow pointing to the next, the last back to the first."""
    canvas = Canvas()
    canvas.title(title)
    cx, cy, rx, ry = WIDTH // 2, 250, 290, 140
    angles = [-math.pi / 2 + 2 * math.pi * i / len(stages) for i in range(len(stages))]
    points = [(cx + rx * math.cos(angle), cy + ry * math.sin(angle)) for angle in angles]
    for i, (x, y) in enumerate(points):
        nx, ny = points[(i + 1) % len(points)]
        canvas.arrow((x + (nx - x) * 0.3, y + (ny - y) * 0.3), (x + (nx - x) * 0.7, y + (ny - y) * 0.7), fill=colour)
    for i, ((x, y), stage) in enumerate(zip(points, stages, strict=True)):
        label = [f"{i + 1}. {stage}"]
        canvas.labelled_box((x - 95, y - 26, x + 95, y + 26), label, fill=light, outline=colour, size=16)
    return canvas.png()


def layers(title: str, rows: Sequence[str], side: str, *, colour=BLUE, light=LIGHT_BLUE) -> bytes:
    """A stack of horizontal layers (top = closest to people) with one vertical bar beside them."""
    canvas = Canvas()
    canvas.title(title)
    top, bottom = 70, 430
    height = (bottom - top) // len(rows)
    for index, row in enumerate(rows):
        y0 = top + index * height
        fill = light if index % 2 else WHITE
        canvas.labelled_box((30, y0 + 4, 640, y0 + height - 4), [row], fill=fill, outline=colour, size=17)
    canvas.box((660, top + 4, 770, bottom - 4), fill=LIGHT_ORANGE, outline=ORANGE)
    canvas.lines((715, top + 60), _wrap(side, 9), size=17, anchor_x="m")
    return canvas.png()


def risk_matrix(title: str, rows_label: str, cols_label: str, levels: Sequence[str]) -> bytes:
    """A 3 × 3 likelihood × impact grid coloured from green to red."""
    canvas = Canvas()
    canvas.title(title)
    colours = {0: LIGHT_GREEN, 1: YELLOW, 2: LIGHT_ORANGE, 3: LIGHT_RED, 4: LIGHT_RED}
    names = {0: "Thấp", 1: "Trung bình", 2: "Cao", 3: "Rất cao", 4: "Rất cao"}
    x0, y0, cell = 250, 76, 100
    for row in range(3):
        canvas.text((x0 - 12, y0 + row * cell + cell // 2), levels[2 - row], size=17, anchor="rm")
        for col in range(3):
            score = (2 - row) + col
            rect = (x0 + col * cell * 1.5, y0 + row * cell, x0 + (col + 1) * cell * 1.5 - 6, y0 + (row + 1) * cell - 6)
            canvas.box(rect, fill=colours[score], outline=MUTED, width=2, radius=6)
            canvas.text(((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2), names[score], size=17, anchor="mm")
    for col in range(3):
        canvas.text((x0 + col * cell * 1.5 + cell * 0.72, y0 + 3 * cell + 6), levels[col], size=17, anchor="ma")
    canvas.text((x0 + cell * 2.2, y0 + 3 * cell + 34), cols_label, size=18, bold=True, anchor="ma")
    canvas.text((40, y0 + cell * 1.5), rows_label, size=18, bold=True, anchor="lm")
    return canvas.png()


def backup_321(title: str, copies: Sequence[Sequence[str]], legend: Sequence[str]) -> bytes:
    """Three copies of the data: two on different media in the office, one off-site."""
    canvas = Canvas()
    canvas.title(title)
    canvas.box((30, 70, 530, 330), fill=WHITE, outline=BLUE, width=2)
    canvas.text((45, 82), "Tại cơ quan", size=17, bold=True, fill=BLUE)
    canvas.box((560, 70, 770, 330), fill=WHITE, outline=GREEN, width=2)
    canvas.text((575, 82), "Nơi khác", size=17, bold=True, fill=GREEN)
    rects = [(50, 130, 270, 300), (290, 130, 510, 300), (580, 130, 750, 300)]
    fills = [LIGHT_BLUE, LIGHT_ORANGE, LIGHT_GREEN]
    outlines = [BLUE, ORANGE, GREEN]
    for rect, lines, fill, outline in zip(rects, copies, fills, outlines, strict=True):
        canvas.labelled_box(rect, lines, fill=fill, outline=outline, size=17)
    canvas.arrow((270, 215), (290, 215))
    canvas.arrow((510, 215), (580, 215))
    canvas.lines((40, 350), legend, size=18, gap=8)
    return canvas.png()


def a4_margins(title: str, labels: dict[str, str], notes: Sequence[str]) -> bytes:
    """An A4 sheet to scale (210 × 297 mm) with the margins of Decree 30/2020 marked."""
    canvas = Canvas(background=PAPER)
    canvas.title(title)
    scale = 1.25  # pixels per millimetre
    x0, y0 = 60, 60
    w, h = 210 * scale, 297 * scale
    canvas.draw.rectangle((x0, y0, x0 + w, y0 + h), fill=WHITE, outline=INK, width=2)
    left, right, top, bottom = 30 * scale, 20 * scale, 20 * scale, 20 * scale
    canvas.draw.rectangle((x0 + left, y0 + top, x0 + w - right, y0 + h - bottom), outline=BLUE, width=2)
    for y in range(int(y0 + top + 20), int(y0 + h - bottom - 10), 14):
        canvas.draw.line([(x0 + left + 10, y), (x0 + w - right - 10, y)], fill=(200, 205, 212), width=3)
    canvas.text((x0 + w / 2, y0 + top / 2), labels["top"], size=13, fill=RED, anchor="mm")
    canvas.text((x0 + w / 2, y0 + h - bottom / 2), labels["bottom"], size=13, fill=RED, anchor="mm")
    canvas.vertical_text((x0 + left / 2, y0 + h / 2), labels["left"], size=13, fill=RED)
    canvas.vertical_text((x0 + w - right / 2, y0 + h / 2), labels["right"], size=13, fill=RED)
    canvas.lines((400, 110), notes, size=18, gap=12)
    return canvas.png()


def window(title: str, menu: Sequence[str], active: int, items: Sequence[str], highlighted: int, note: str) -> bytes:
    """A mock application window with one menu open and one item highlighted, like a screenshot."""
    canvas = Canvas(background=(230, 233, 237))
    canvas.draw.rectangle((20, 20, 780, 430), fill=WHITE, outline=MUTED, width=2)
    canvas.draw.rectangle((20, 20, 780, 52), fill=(60, 64, 72))
    canvas.text((36, 36), title, size=16, fill=WHITE, anchor="lm")
    canvas.draw.rectangle((22, 52, 778, 84), fill=(240, 242, 245))
    x = 36
    positions = []
    for index, name in enumerate(menu):
        face = font(16)
        width = face.getlength(name) if face else len(name) * 9
        positions.append(x)
        if index == active:
            canvas.draw.rectangle((x - 8, 54, x + width + 8, 84), fill=LIGHT_BLUE)
        canvas.text((x, 69), name, size=16, anchor="lm")
        x += width + 24
    mx = min(positions[active] - 8, 778 - 332)
    canvas.draw.rectangle((mx, 84, mx + 330, 84 + 34 * len(items) + 10), fill=WHITE, outline=MUTED, width=1)
    for index, item in enumerate(items):
        y = 94 + index * 34
        if index == highlighted:
            canvas.draw.rectangle((mx + 2, y - 4, mx + 328, y + 28), fill=BLUE)
        canvas.text((mx + 16, y + 12), item, size=16, fill=WHITE if index == highlighted else INK, anchor="lm")
    text_left, text_right = (mx + 360, 760) if mx < 300 else (40, mx - 30)
    for y in range(110, 400, 26):
        canvas.draw.line([(text_left, y), (text_right, y)], fill=(220, 224, 230), width=6)
    canvas.box((430, 330, 770, 420), fill=YELLOW, outline=ORANGE, width=2, radius=8)
    canvas.lines((445, 345), _wrap(note, 30), size=16)
    return canvas.png()


def phone_steps(title: str, screens: Sequence[tuple[str, Sequence[str]]]) -> bytes:
    """Phones side by side, one per step, each screen showing what to tap or type."""
    canvas = Canvas(height=470)
    canvas.title(title)
    count = len(screens)
    width = 150
    gap = (WIDTH - count * width) // (count + 1)
    for index, (caption, screen_lines) in enumerate(screens):
        x0 = gap + index * (width + gap)
        canvas.box((x0, 70, x0 + width, 380), fill=INK, outline=INK, radius=18)
        canvas.draw.rectangle((x0 + 10, 95, x0 + width - 10, 355), fill=WHITE)
        canvas.lines((x0 + width // 2, 115), screen_lines, size=14, anchor_x="m")
        canvas.draw.rounded_rectangle((x0 + 25, 300, x0 + width - 25, 335), radius=8, fill=GREEN)
        canvas.draw.ellipse((x0 + width // 2 - 18, 18 + 375 - 8, x0 + width // 2 + 18, 18 + 375 + 28), fill=BLUE)
        canvas.text((x0 + width // 2, 375 + 28), str(index + 1), size=18, bold=True, fill=WHITE, anchor="mm")
        canvas.lines((x0 + width // 2, 425), _wrap(caption, 18), size=14, gap=2, anchor_x="m")
        if index < count - 1:
            canvas.arrow((x0 + width + 6, 225), (x0 + width + gap - 6, 225))
    return canvas.png()


def scam_message(title: str, sender: str, message: Sequence[str], flags: Sequence[tuple[int, str]]) -> bytes:
    """A phone showing a scam text message, with the warning signs pointed out beside it."""
    canvas = Canvas(height=470)
    canvas.title(title)
    canvas.box((40, 60, 330, 450), fill=INK, outline=INK, radius=24)
    canvas.draw.rectangle((55, 90, 315, 420), fill=WHITE)
    canvas.text((185, 108), sender, size=16, bold=True, anchor="ma")
    canvas.box((65, 140, 305, 150 + 24 * len(message)), fill=(236, 238, 241), outline=(236, 238, 241), radius=12)
    canvas.lines((78, 150), message, size=15, gap=9)
    for y, label in flags:
        canvas.arrow((560, y + 12), (300, y + 12), fill=RED, width=3)
        canvas.box((560, y - 10, 780, y + 34), fill=LIGHT_RED, outline=RED, width=2, radius=8)
        canvas.text((670, y + 12), label, size=15, anchor="mm")
    return canvas.png()


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines
