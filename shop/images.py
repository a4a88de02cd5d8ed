"""The shop's drawing basics, shared by the pictures it draws (the demo jars, share images)."""

from PIL import ImageFont

BACKGROUND = "#F7F4EF"
INK = "#2B2B2B"


def font(size: int) -> ImageFont.ImageFont:
    # Pillow's bundled font: no system fonts needed on a fresh machine.
    return ImageFont.load_default(size=size)
