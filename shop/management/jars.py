"""The demo store's product pictures, drawn from data: no photographs exist yet (STORE.md)."""

import io

from PIL import Image, ImageDraw

from shop.images import BACKGROUND, INK, font

SIZE = 1200


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _ink_for(colour: str) -> str:
    r, g, b = _hex_to_rgb(colour)
    return INK if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#FFFFFF"


def _centered(draw: ImageDraw.ImageDraw, centre_x: int, y: int, text: str, font, fill) -> None:
    width = draw.textlength(text, font=font)
    draw.text((centre_x - width / 2, y), text, font=font, fill=fill)


def _jar(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], colour: str, lines) -> None:
    """A squat cosmetics jar: lid, body, and a label carrying `lines` of text."""
    left, top, right, bottom = box
    width = right - left
    lid_bottom = top + (bottom - top) // 5
    draw.rounded_rectangle(
        (left + width * 0.04, top, right - width * 0.04, lid_bottom),
        radius=width // 25,
        fill=colour,
        outline=INK,
        width=max(2, width // 120),
    )
    draw.rounded_rectangle(
        (left, lid_bottom + width // 60, right, bottom),
        radius=width // 10,
        fill="#FFFFFF",
        outline=INK,
        width=max(2, width // 120),
    )
    label_top = lid_bottom + (bottom - lid_bottom) // 5
    label_bottom = bottom - (bottom - lid_bottom) // 6
    draw.rectangle(
        (left + width * 0.06, label_top, right - width * 0.06, label_bottom), fill=colour
    )
    ink = _ink_for(colour)
    centre = (left + right) // 2
    y = label_top + (label_bottom - label_top) // 6
    for text, size in lines:
        _centered(draw, centre, y, text, font(size), ink)
        y += int(size * 1.35)


def draw_jar_image(*, shop_name: str, label: str, colours: list[str]) -> bytes:
    """A PNG of one jar per colour, the label showing the shop name and `label`."""
    image = Image.new("RGB", (SIZE, SIZE), BACKGROUND)
    draw = ImageDraw.Draw(image)
    count = len(colours)
    if count == 1:
        _jar(
            draw,
            (200, 260, 1000, 1000),
            colours[0],
            [(shop_name, 56), ("", 20), (label, 72), ("100 ml", 44)],
        )
    else:
        gap = 30
        jar_w = (SIZE - 2 * 80 - gap * (count - 1)) // count
        for i, colour in enumerate(colours):
            x = 80 + i * (jar_w + gap)
            _jar(draw, (x, 520, x + jar_w, 900), colour, [("", 20)])
        _centered(draw, SIZE // 2, 220, shop_name, font(84), INK)
        _centered(draw, SIZE // 2, 340, label, font(60), INK)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
