"""schema.org data (JSON-LD) for the shop's pages, built from what the page shows.

The product page's `ProductGroup` is built from the same `product_family` the
page renders, so each fragrance's offer (price, availability) is the page's.
"""

from collections.abc import Callable

from django.conf import settings

SCHEMA = "https://schema.org"
# Our availability codes (shop/partner/availability.py and Oscar's) as schema.org says them.
AVAILABILITY = {
    "instock": f"{SCHEMA}/InStock",
    "available": f"{SCHEMA}/InStock",
    "lowstock": f"{SCHEMA}/LimitedAvailability",
    "outofstock": f"{SCHEMA}/OutOfStock",
    "unavailable": f"{SCHEMA}/OutOfStock",
}
# Not one of schema.org's own properties (color, size, ...): named as the page names it,
# and given on each variant as an `additionalProperty` of that name.
VARIES_BY = "Fragrance"

BuildUrl = Callable[[str], str]


def schema_availability(variant) -> str:
    if not variant.is_available_to_buy:
        return AVAILABILITY["outofstock"]
    return AVAILABILITY.get(variant.availability.code, AVAILABILITY["instock"])


def _sku(variant) -> str | None:
    # The stock record the strategy chose for the page's price and availability.
    record = variant.stockrecord
    return record.partner_sku if record else variant.product.upc or None


def product_group(family, *, build_url: BuildUrl) -> dict:
    parent = family.parent
    url = build_url(parent.get_absolute_url())
    data = {
        "@context": SCHEMA,
        "@type": "ProductGroup",
        "@id": f"{url}#product",
        "name": parent.get_title(),
        "description": parent.get_meta_description(),
        "url": url,
        "productGroupID": parent.upc or str(parent.pk),
        "variesBy": VARIES_BY,
        "brand": {"@type": "Brand", "name": settings.OSCAR_SHOP_NAME},
        "hasVariant": [],
    }
    if family.image is not None:
        data["image"] = build_url(family.image.original.url)
    for variant in family.variants:
        variant_url = build_url(variant.url)
        offer = {
            "@type": "Offer",
            "url": variant_url,
            "availability": schema_availability(variant),
            "itemCondition": f"{SCHEMA}/NewCondition",
        }
        if variant.price.exists:
            offer["price"] = f"{variant.price.incl_tax:.2f}"
            offer["priceCurrency"] = variant.price.currency
        item = {
            "@type": "Product",
            "@id": f"{variant_url}#product",
            "name": variant.product.get_title(),
            "url": variant_url,
            "isVariantOf": {"@id": data["@id"]},
            "additionalProperty": {
                "@type": "PropertyValue",
                "name": VARIES_BY,
                "value": variant.name,
            },
            "offers": offer,
        }
        sku = _sku(variant)
        if sku:
            item["sku"] = sku
        if variant.image is not None:
            item["image"] = build_url(variant.image.original.url)
        data["hasVariant"].append(item)
    return data


def article(article, *, build_url: BuildUrl) -> dict:
    url = build_url(article.get_absolute_url())
    data = {
        "@context": SCHEMA,
        "@type": "Article",
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "inLanguage": "en-GB",
        "publisher": {"@type": "Organization", "name": settings.OSCAR_SHOP_NAME},
    }
    if article.share_image:
        data["image"] = build_url(article.share_image.url)
    return data
