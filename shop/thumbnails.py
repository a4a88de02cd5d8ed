"""Oscar's thumbnailer, made for this shop: WebP files on the media storage.

Oscar's default (sorl-thumbnail) keeps a key-value store in the database, so a
product page would pay queries per image. Here a thumbnail's name is derived
from its source and geometry, so finding one costs a file-system check, and
the answers are remembered per process. A source that is missing or that
Pillow cannot read gives the static placeholder instead of an error.
"""

import hashlib
import io
import logging
from dataclasses import dataclass
from functools import lru_cache

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.templatetags.static import static
from oscar.core.thumbnails import AbstractThumbnailer
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

PLACEHOLDER = "shop/img/placeholder.svg"
CACHE_DIR = "cache/thumbnails"


@dataclass(frozen=True)
class Thumbnail:
    url: str
    width: int
    height: int

    def __str__(self):
        return self.url


def parse_size(size: str) -> tuple[int | None, int | None]:
    """Oscar's geometry strings: "400x400", "400x", "x155"."""
    width, _, height = str(size).partition("x")
    return (int(width) if width else None, int(height) if height else None)


def fit(source: tuple[int, int], box: tuple[int | None, int | None]) -> tuple[int, int]:
    """The size of `source` scaled down (never up) to fit in `box`."""
    src_w, src_h = source
    box_w, box_h = box
    scale = min(
        1.0,
        box_w / src_w if box_w else 1.0,
        box_h / src_h if box_h else 1.0,
    )
    return max(1, round(src_w * scale)), max(1, round(src_h * scale))


def placeholder(box: tuple[int | None, int | None]) -> Thumbnail:
    side = box[0] or box[1] or 400
    return Thumbnail(url=static(PLACEHOLDER), width=side, height=side)


@lru_cache(maxsize=4096)
def _thumbnail(name: str, size: str, quality: int) -> Thumbnail:
    box = parse_size(size)
    try:
        with default_storage.open(name, "rb") as source:
            image = Image.open(source)
            image.load()
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        logger.warning("Image %r cannot be read (%s); showing the placeholder", name, exc)
        raise

    width, height = fit(image.size, box)
    digest = hashlib.sha1(f"{name}|{size}|{quality}".encode()).hexdigest()[:16]
    thumb_name = f"{CACHE_DIR}/{digest[:2]}/{digest}_{width}x{height}.webp"
    if not default_storage.exists(thumb_name):
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        buffer = io.BytesIO()
        image.resize((width, height), Image.Resampling.LANCZOS).save(
            buffer, "WEBP", quality=quality, method=4
        )
        default_storage.save(thumb_name, ContentFile(buffer.getvalue()))
    return Thumbnail(url=default_storage.url(thumb_name), width=width, height=height)


class WebPThumbnailer(AbstractThumbnailer):
    def generate_thumbnail(self, source, **opts) -> Thumbnail:
        size = opts.get("size", "400x400")
        name = getattr(source, "name", source)
        if not name:
            return placeholder(parse_size(size))
        try:
            return _thumbnail(str(name), size, int(opts.get("quality", 80)))
        except (OSError, UnidentifiedImageError, ValueError):
            return placeholder(parse_size(size))

    def delete_thumbnails(self, source):
        # Thumbnails are named after their source, so a replaced image gets new
        # ones; forgetting the remembered answers is enough.
        _thumbnail.cache_clear()
