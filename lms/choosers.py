"""Wagtail choosers scoped to what the user may use: the chosen view is reached with an object's id in its
address, so it must answer 404 for an object outside the user's scope, not name it."""

from django.http import Http404
from wagtail.admin.views.generic.chooser import ChosenView


def scoped_chosen_view(visible_to):
    """A ChosenView that finds the object among `visible_to(user)` only (404 otherwise, a non-number id too)."""

    class ScopedChosenView(ChosenView):
        def get_object(self, pk):
            found = visible_to(self.request.user).filter(pk=pk).first() if str(pk).isdecimal() else None
            if found is None:
                raise Http404
            return found

    return ScopedChosenView
