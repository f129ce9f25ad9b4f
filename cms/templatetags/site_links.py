"""Links every page's header shows, cached until the page tree changes (cms.page_cache).

`{% slugurl 'khoa-hoc' %}` in the base template looked the site and the page up on every request.
"""

from django import template
from django.core.cache import cache

from cms import page_cache, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def catalogue_url(context) -> str:
    request = context.get("request")
    host = request.get_host() if request is not None else ""
    key = page_cache.key("catalogue-url", host)
    url = cache.get(key)
    if url is None:
        catalogue = selectors.live_catalogue()
        url = (catalogue.get_url(request=request) if catalogue is not None else None) or "/"
        cache.set(key, url, page_cache.TIMEOUT)
    return url
