from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Ingredient(models.Model):
    """One INCI ingredient, as it reads on a pack, with what it does and why it is there."""

    inci_name = models.CharField(_("INCI name"), max_length=128, unique=True)
    slug = models.SlugField(max_length=128, unique=True)
    common_name = models.CharField(max_length=128)
    function = models.CharField(max_length=255)
    reason = models.TextField(
        blank=True, help_text=_("Why it is in the cream, in the owner's words from the guide.")
    )
    is_allergen = models.BooleanField(
        _("declared fragrance allergen"),
        default=False,
        help_text=_("On the EU list of fragrance allergens that must be named on the label."),
    )

    class Meta:
        ordering = ["inci_name"]

    def __str__(self):
        return self.inci_name

    def get_absolute_url(self):
        return reverse("ingredients:ingredient-detail", kwargs={"slug": self.slug})


class IngredientSection(models.TextChoices):
    # In label order. (At module level so that the model's Meta can name its values.)
    BASE = "base", _("Base formula, before the fragrance")
    FRAGRANCE = "fragrance", _("Fragrance (essential oils)")
    MINOR = "minor", _("Base formula, after the fragrance")
    ALLERGEN = "allergen", _("Declared allergen, naturally occurring in essential oils")


class ProductIngredient(models.Model):
    """One line of a product's INCI list.

    A parent carries the base formula and each child (fragrance) only its own
    lines: essential oil(s) and the allergens they bring. A variant's label is
    derived from both (`catalogue.ingredients.Label`): the sections below give
    the order of the parts, `position` the order within a product's own lines.
    """

    Section = IngredientSection

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="ingredient_lines"
    )
    ingredient = models.ForeignKey(
        Ingredient, on_delete=models.PROTECT, related_name="product_lines"
    )
    section = models.CharField(max_length=16, choices=Section.choices)
    position = models.PositiveSmallIntegerField()
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Only for a percentage the shop makes public (magnesium chloride 25%)."),
    )

    class Meta:
        ordering = ["product", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "ingredient"], name="productingredient_unique_ingredient"
            ),
            models.UniqueConstraint(
                fields=["product", "position"], name="productingredient_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="productingredient_position_from_1"
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__gt=0, percent__lte=100),
                name="productingredient_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(section__in=IngredientSection.values),
                name="productingredient_section_known",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.ingredient}"


from oscar.apps.catalogue.models import *
