"""Form widgets the whole site shares."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _attributes(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html writes, in the same order: False left out, True as a bare name."""
    return format_html_join(
        "", "{}", ((format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
                   for name, value in attrs.items() if value is not False)
    )


_SELECTED = mark_safe(" selected")


class LongSelect(forms.Select):
    """A <select> for a long list of options (the statistics' course filter lists every course: thousands at
    national scale), written out in Python: the HTML Django's templates give, without rendering two templates
    per option, which made the options the biggest part of the statistics page's render (issue 8, S2), nor
    building Django's dictionary of each option's context. A list with option groups, or a multiple select, is left
    to Django's templates."""

    def render(self, name, value, attrs=None, renderer=None):
        # A model choice field runs its query once, here (list() would count the rows first: its iterator has a length).
        choices = [choice for choice in self.choices]
        if self.allow_multiple_selected or any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        wanted = set(self.format_value(value))
        rows, chosen = [], False
        for option_value, label in choices:
            text = "" if option_value is None else str(option_value)
            selected = not chosen and text in wanted  # as Django's Select: the first option of the value only
            chosen = chosen or selected
            rows.append((text, _SELECTED if selected else "", label))
        options = format_html_join("", '<option value="{}"{}>{}</option>', rows)
        return format_html('<select name="{}"{}>{}</select>', name, _attributes(self.build_attrs(self.attrs, attrs)),
                           options)
