"""Form widgets the whole site shares."""

from django import forms
from django.utils.html import format_html, format_html_join


def _attributes(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html writes, in the same order: False left out, True as a bare name."""
    return format_html_join(
        "", "{}", ((format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
                   for name, value in attrs.items() if value is not False)
    )


class LongSelect(forms.Select):
    """A <select> for a long list of options (the statistics' course filter lists every course: thousands at
    national scale), written out in Python: the HTML Django's templates give, without rendering two templates
    per option, which made the options the biggest part of the statistics page's render (issue 8, S2). A list
    with option groups is left to Django's templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                ("" if option["value"] is None else option["value"], _attributes(option["attrs"]), option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], _attributes(widget["attrs"]), options)
