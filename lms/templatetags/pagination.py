"""`{% page_links page %}`: the links of a paginated list, registered for every template in settings
(TEMPLATES' `libraries`), so that one pagination include serves every app."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_links(context, page) -> dict:
    """The URLs of the previous and next pages, and [(number, url)] for the pages around the current one and at
    both ends, with (None, "") where pages are left out. Every other GET parameter of the request is kept."""
    query = context["request"].GET.copy()

    def url(number: int) -> str:
        query["page"] = number
        return f"?{query.urlencode()}"

    paginator = page.paginator
    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
        "numbers": [(None, "") if number == paginator.ELLIPSIS else (number, url(number))
                    for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)],
    }
