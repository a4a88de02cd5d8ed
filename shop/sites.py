from django.conf import settings
from django.contrib.sites.models import Site


def site_sync(**kwargs) -> bool:
    """The site's domain (links in e-mails) and name come from the settings — SHOP_DOMAIN
    and OSCAR_SHOP_NAME — never from data: run after every `migrate` and by the demo
    loader, so neither can leave e-mails pointing at another host. True if created."""
    values = {"domain": settings.SHOP_DOMAIN, "name": settings.OSCAR_SHOP_NAME}
    site, created = Site.objects.get_or_create(pk=settings.SITE_ID, defaults=values)
    if not created and (site.domain, site.name) != (values["domain"], values["name"]):
        Site.objects.filter(pk=site.pk).update(**values)
        Site.objects.clear_cache()
    return created
