"""Share images (Open Graph, 1200x630) drawn with Pillow from an article's title."""

import io

from PIL import Image, ImageDraw

from shop.images import BACKGROUND, INK
from shop.images import font as _font

WIDTH, HEIGHT = 1200, 630
ACCENT = "#3E6B54"
MARGIN = 80


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def draw_share_image(*, title: str, shop_name: str, kicker: str) -> bytes:
    """A PNG: the shop's name, a kicker line and the title, as large as fits."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 18), fill=ACCENT)
    draw.text((MARGIN, 70), shop_name, font=_font(40), fill=ACCENT)
    draw.text((MARGIN, 125), kicker, font=_font(30), fill=INK)
    for size in (76, 66, 58, 50, 44):
        font = _font(size)
        lines = _wrap(draw, title, font, WIDTH - 2 * MARGIN)
        line_height = int(size * 1.25)
        if len(lines) * line_height <= HEIGHT - 220 - MARGIN:
            break
    y = 210
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += line_height
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
