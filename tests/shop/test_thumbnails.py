from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from shop.thumbnails import WebPThumbnailer, fit
from tests.factories import png_bytes


def save(name, content):
    return default_storage.save(name, ContentFile(content))


def test_thumbnail_is_webp_of_the_fitted_size(media):
    name = save("images/wide.png", png_bytes(size=(1000, 500)))

    thumb = WebPThumbnailer().generate_thumbnail(name, size="400x400")

    assert (thumb.width, thumb.height) == (400, 200)
    assert thumb.url.endswith(".webp")
    path = media / thumb.url.removeprefix("/media/")
    with Image.open(path) as image:
        assert image.format == "WEBP"
        assert image.size == (400, 200)


def test_thumbnail_never_upscales(media):
    name = save("images/small.png", png_bytes(size=(300, 300)))

    thumb = WebPThumbnailer().generate_thumbnail(name, size="800x800")

    assert (thumb.width, thumb.height) == (300, 300)


def test_height_only_geometry_as_oscar_writes_it(media):
    name = save("images/tall.png", png_bytes(size=(600, 1200)))

    thumb = WebPThumbnailer().generate_thumbnail(name, size="x155")

    assert thumb.height == 155
    assert thumb.width == 78


def test_missing_source_gives_the_placeholder(media):
    thumb = WebPThumbnailer().generate_thumbnail("images/nowhere.png", size="400x400")

    assert thumb.url == "/static/shop/img/placeholder.svg"
    assert (thumb.width, thumb.height) == (400, 400)


def test_unreadable_source_gives_the_placeholder(media):
    name = save("images/broken.png", b"\x89PNG but not really")

    thumb = WebPThumbnailer().generate_thumbnail(name, size="400x400")

    assert thumb.url == "/static/shop/img/placeholder.svg"


def test_no_source_gives_the_placeholder(media):
    assert WebPThumbnailer().generate_thumbnail(None, size="200x").width == 200


def test_fit():
    assert fit((1200, 1200), (480, 480)) == (480, 480)
    assert fit((1200, 600), (None, 300)) == (600, 300)
    assert fit((100, 50), (480, 480)) == (100, 50)
