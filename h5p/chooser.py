"""The chooser of H5P activities (for cms's lesson block), scoped like the admin listing."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from lms.choosers import scoped_chosen_view

from .models import H5PContent
from .selectors import contents_visible_to


class ScopedChooseView(ChooseView):
    def get_object_list(self):
        return contents_visible_to(self.request.user)


class ScopedChooseResultsView(ChooseResultsView):
    def get_object_list(self):
        return contents_visible_to(self.request.user)


class ContentChooserViewSet(ChooserViewSet):
    model = H5PContent
    icon = "media"
    choose_one_text = _("Choose an H5P activity")
    choose_another_text = _("Choose another H5P activity")
    edit_item_text = _("Edit this H5P activity")
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = scoped_chosen_view(contents_visible_to)


content_chooser_viewset = ContentChooserViewSet("h5p_content_chooser")
