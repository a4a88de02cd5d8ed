from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import CreateView, FormView, ListView, TemplateView, UpdateView
from oscar.core.loading import get_model

from catalogue.ingredients import PackFacts, label_reviews, labels_for, pack_text
from catalogue.services import ingredient_lines_set
from shop.ingredient.forms import IngredientForm, LineFormSet
from shop.permissions import WritePermissionMixin

Product = get_model("catalogue", "Product")
Ingredient = get_model("catalogue", "Ingredient")


class IngredientListView(ListView):
    template_name = "ingredient/dashboard/ingredient_list.html"
    context_object_name = "ingredients"

    def get_queryset(self):
        return Ingredient.objects.all()


class IngredientCreateView(WritePermissionMixin, CreateView):
    write_permissions = ("catalogue.add_ingredient",)
    template_name = "ingredient/dashboard/ingredient_form.html"
    form_class = IngredientForm
    success_url = reverse_lazy("ingredient-dashboard:ingredient-list")

    def form_valid(self, form):
        messages.success(self.request, f"Ingredient “{form.instance.inci_name}” added.")
        return super().form_valid(form)


class IngredientUpdateView(WritePermissionMixin, UpdateView):
    write_permissions = ("catalogue.change_ingredient",)
    template_name = "ingredient/dashboard/ingredient_form.html"
    form_class = IngredientForm
    model = Ingredient
    success_url = reverse_lazy("ingredient-dashboard:ingredient-list")

    def form_valid(self, form):
        messages.success(self.request, f"Ingredient “{form.instance.inci_name}” saved.")
        return super().form_valid(form)


class LabelListView(TemplateView):
    """Each product family: its base formula and every fragrance's label, checked."""

    template_name = "ingredient/dashboard/label_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        reviews = label_reviews()
        parents = {}
        for review in reviews:
            parents.setdefault(review.product.parent, []).append(review)
        ctx["families"] = list(parents.items())
        return ctx


class ProductLinesView(WritePermissionMixin, FormView):
    """Add, remove and reorder one product's own ingredient lines."""

    # A product's ingredient list is its label: the catalogue's change permission.
    write_permissions = ("catalogue.change_product",)
    template_name = "ingredient/dashboard/product_lines.html"

    def dispatch(self, request, *args, **kwargs):
        self.product = get_object_or_404(Product.objects.select_related("parent"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        if self.request.method == "POST":
            # No initial data: every filled row counts, blank extra rows do not.
            return LineFormSet(self.request.POST, product=self.product, prefix="lines")
        lines = self.product.ingredient_lines.select_related("ingredient").order_by("position")
        return LineFormSet(
            initial=[
                {
                    "ingredient": line.ingredient.inci_name,
                    "section": line.section,
                    "position": line.position,
                    "percent": line.percent,
                }
                for line in lines
            ],
            product=self.product,
            prefix="lines",
        )

    def form_valid(self, form):
        try:
            changed = ingredient_lines_set(product=self.product, lines=form.lines())
        except ValidationError as error:
            # Someone changed the ingredients between the form's check and the write.
            form._non_form_errors = form.error_class(error.messages)
            return self.form_invalid(form)
        title = self.product.get_title()
        messages.success(
            self.request,
            f"Ingredient lines of {title} saved." if changed else f"No change to {title}.",
        )
        return redirect("ingredient-dashboard:label-lines", pk=self.product.pk)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["product"] = self.product
        ctx["formset"] = ctx.pop("form")
        ctx["inci_names"] = Ingredient.objects.values_list("inci_name", flat=True)
        ctx["label"] = labels_for([self.product])[self.product.pk]
        if self.product.is_child:
            family = label_reviews(Product.objects.filter(parent_id=self.product.parent_id))
            ctx["review"] = next(r for r in family if r.product.pk == self.product.pk)
        return ctx


class LabelTextView(View):
    """A fragrance's pack text as a plain-text download."""

    def get(self, request, pk):
        product = get_object_or_404(Product.objects.select_related("parent"), pk=pk)
        label = labels_for([product])[product.pk]
        if not label.lines:
            raise Http404("This product has no ingredient list.")
        text = pack_text(label, PackFacts.from_settings(), name=product.get_title())
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        filename = f"{product.upc or product.pk}-label.txt"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
