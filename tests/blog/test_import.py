"""import_guide: the owner's guide becomes the blog, completely, word for word, once."""

import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from shop.blog.models import Article, Guide
from tests.blog.conftest import GUIDE, Region, visible_text
from tests.factories import create_cream

pytestmark = pytest.mark.django_db


def source():
    """The guide read independently of the importer: title, intro and (heading, blocks)."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    blocks = [b for b in blocks if not b.startswith("<!--")]
    assert blocks[0].startswith("# ")
    intro, sections = [], []
    for block in blocks[1:]:
        if block.startswith("## "):
            sections.append((block[3:], []))
        elif sections:
            sections[-1][1].append(block)
        else:
            intro.append(block)
    return blocks[0][2:], intro, sections


def paragraphs(blocks):
    return [b for b in blocks if not b.startswith("#")]


def import_guide(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_guide", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_each_section_becomes_one_article_in_guide_order(imported):
    title, _intro, sections = source()

    assert len(sections) == 21
    assert list(Article.objects.in_guide_order().values_list("title", flat=True)) == [
        heading for heading, _ in sections
    ]
    assert all(a.is_published for a in Article.objects.all())
    assert Guide.objects.get().title == title


def test_every_paragraph_appears_in_exactly_one_page_word_for_word(client, imported):
    _title, intro, sections = source()
    expected = paragraphs(intro) + [p for _, blocks in sections for p in paragraphs(blocks)]
    pages = ["/blog/"] + [a.get_absolute_url() for a in Article.objects.in_guide_order()]
    html = {url: client.get(url).content.decode() for url in pages}

    rendered = [p for url in pages for p in Region(html[url]).paragraphs]
    assert Counter(rendered) == Counter(expected)  # complete, nothing added, word for word
    texts = {url: visible_text(page) for url, page in html.items()}
    for paragraph in expected:
        assert [url for url in pages if paragraph in texts[url]] != [], paragraph[:60]
        assert len([url for url in pages if paragraph in texts[url]]) == 1, paragraph[:60]


def test_subsections_stay_headings_inside_their_article(client, imported):
    _title, _intro, sections = source()

    for (heading, blocks), article in zip(sections, Article.objects.in_guide_order(), strict=True):
        page = Region(client.get(article.get_absolute_url()).content.decode())
        assert page.headings == [b[4:] for b in blocks if b.startswith("### ")], heading
    states = Article.objects.get(title="The Three Functional States of QL Dysfunction")
    assert [item["name"] for item in states.toc] == [
        "A Constantly Tight QL",
        "An Overworked or Irritated QL",
        "A Strained QL Muscle",
    ]


def test_the_editorial_comment_is_not_published(client, imported):
    assert "<!--" not in Guide.objects.get().intro
    assert "verbatim; headings marked" not in client.get("/blog/").content.decode()


def test_importing_twice_changes_nothing(imported):
    before = list(Article.objects.values_list("pk", "updated_at", "share_image", "body_html"))
    guide_updated = Guide.objects.get().updated_at

    out, err = import_guide()

    assert "0 created, 0 replaced, 22 unchanged, 0 differ" in out
    assert err == ""
    assert list(Article.objects.values_list("pk", "updated_at", "share_image", "body_html")) == (
        before
    )
    assert Guide.objects.get().updated_at == guide_updated


def test_a_staff_edit_is_reported_and_kept_until_overwrite(imported):
    article = Article.objects.get(slug="conclusion")
    guide_body = article.body
    article.body = guide_body.replace("simple but powerful", "simple and powerful")
    article.save()

    out, err = import_guide()

    assert "1 differ from the guide" in out
    assert "Differs from the guide, kept as it is: conclusion" in err
    assert re.search(r"^\s+-The key takeaways are simple and powerful", err, re.M)
    assert re.search(r"^\s+\+The key takeaways are simple but powerful", err, re.M)
    assert "--overwrite" in err
    article.refresh_from_db()
    assert "simple and powerful" in article.body

    out, err = import_guide("--overwrite")

    assert "1 replaced" in out
    article.refresh_from_db()
    assert article.body == guide_body
    assert "simple but powerful" in article.body_html


def test_a_changed_guide_is_reported_not_applied_silently(imported, tmp_path):
    edited = tmp_path / "guide.md"
    text = GUIDE.read_text(encoding="utf-8")
    edited.write_text(text.replace("simple but powerful", "simple yet powerful"), "utf-8")

    _out, err = import_guide("--source", str(edited))

    assert "Differs from the guide, kept as it is: conclusion" in err
    assert "simple yet powerful" in err
    assert "simple but powerful" in Article.objects.get(slug="conclusion").body


def test_a_renamed_section_is_a_new_article_and_the_old_one_is_reported(imported, tmp_path):
    edited = tmp_path / "guide.md"
    text = GUIDE.read_text(encoding="utf-8")
    edited.write_text(text.replace("## Conclusion", "## In Conclusion"), encoding="utf-8")

    out, err = import_guide("--source", str(edited))

    assert "1 created" in out
    assert "No longer a section of the guide, kept as it is: conclusion" in err
    assert Article.objects.get(slug="in-conclusion").position == 21
    assert Article.objects.get(slug="conclusion").title == "Conclusion"


def test_a_section_no_longer_in_the_guide_is_reported_and_kept(imported, tmp_path):
    edited = tmp_path / "guide.md"
    text = GUIDE.read_text(encoding="utf-8")
    edited.write_text(text[: text.index("## Conclusion")], encoding="utf-8")

    _out, err = import_guide("--source", str(edited))

    assert "No longer a section of the guide, kept as it is: conclusion" in err
    assert Article.objects.filter(slug="conclusion").exists()


def test_a_missing_or_wrong_guide_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read the guide at .*nowhere.md"):
        call_command("import_guide", "--source", str(tmp_path / "nowhere.md"))
    empty = tmp_path / "empty.md"
    empty.write_text("Just a paragraph.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="has no title"):
        call_command("import_guide", "--source", str(empty))
    assert not Article.objects.exists()


def test_articles_about_the_cream_are_related_to_the_parent_product(media):
    cream = create_cream()
    cream.upc = "MGC-100"
    cream.save()

    call_command("import_guide", verbosity=0)

    related = {a.slug for a in Article.objects.filter(related_products=cream).order_by("position")}
    assert related == {
        "whats-inside-the-cream-and-why-each-ingredient-matters",
        "choosing-a-fragrance-that-supports-comfort-and-consistency",
        "how-i-recommend-using-the-magnesium-cream-for-ql-muscle-pain",
        "using-magnesium-cream-as-part-of-a-sleep-and-relaxation-routine",
    }


def test_each_article_gets_a_1200x630_share_image_drawn_from_its_title(imported):
    for article in Article.objects.all():
        assert article.share_image.name == f"blog/share/{article.slug}.png"
        with article.share_image.open("rb") as file, Image.open(file) as image:
            assert image.format == "PNG"
            assert image.size == (1200, 630)
            # Drawn, not blank: the title's ink is on it.
            assert len(image.convert("L").getcolors(maxcolors=1 << 16)) > 10


def test_a_missing_share_image_is_drawn_again(imported):
    article = Article.objects.get(slug="conclusion")
    article.share_image.storage.delete(article.share_image.name)

    import_guide()

    article.refresh_from_db()
    assert article.share_image.storage.exists(article.share_image.name)
