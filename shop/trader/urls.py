from django.contrib.flatpages.views import flatpage
from django.urls import path

app_name = "trader"

# The information pages are flat pages (staff edit them); named here so the footer, the
# checkout and the e-mails link to them by name.
PAGES = {
    "delivery": "/delivery/",
    "returns": "/returns/",
    "terms": "/terms/",
    "privacy": "/privacy/",
    "cookies": "/cookies/",
    "accessibility": "/accessibility/",
}

urlpatterns = [
    path(url.strip("/") + "/", flatpage, {"url": url}, name=name) for name, url in PAGES.items()
]
