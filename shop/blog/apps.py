from django.apps import AppConfig


class BlogConfig(AppConfig):
    """The educational pages made from the owner's guide."""

    name = "shop.blog"
    label = "blog"
    verbose_name = "Guide"
