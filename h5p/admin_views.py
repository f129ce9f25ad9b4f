"""Wagtail admin of H5P activities: upload (through services.content_upload), edit the settings,
delete an unused one (the chooser for the lesson block is in h5p.chooser). Trainers see their own uploads, curriculum
managers and site administrators all; a row outside that answers 404."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .errors import PackageInvalid
from .models import H5PContent
from .selectors import can_author_content, contents_visible_to
from .services import content_upload


class ContentPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return can_author_content(user) and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and contents_visible_to(user).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return H5PContent.objects.none()
        return contents_visible_to(user)


content_policy = ContentPermissionPolicy(H5PContent)


class UploadForm(WagtailAdminModelForm):
    package = forms.FileField(
        label=_("H5P package (.h5p)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
        help_text=_("A .h5p file exported from H5P, with its libraries included."),
    )

    class Meta:
        model = H5PContent
        fields = ["title", "pass_percent", "grading_method"]
        help_texts = {"title": _("Leave empty to use the package's own title.")}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["title"].required = False
        self.fields["package"].widget.attrs["accept"] = ".h5p"

    def _post_clean(self):
        # The package is not chosen yet: the model is validated by the service.
        pass


class SettingsForm(WagtailAdminModelForm):
    class Meta:
        model = H5PContent
        fields = ["title", "pass_percent", "grading_method"]


class VisibleOnlyMixin:
    """404 for an activity outside the user's uploads, before any other check."""

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk", args[0] if args else None)
        if pk is not None and (not str(pk).isdecimal() or not contents_visible_to(request.user).filter(pk=pk).exists()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ContentIndexView(generic.IndexView):
    def get_base_queryset(self):
        return contents_visible_to(self.request.user)


class UploadView(generic.CreateView):
    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                self.object = content_upload(
                    uploaded=data["package"],
                    title=data.get("title") or "",
                    owner=self.request.user,
                    pass_percent=data["pass_percent"],
                    grading_method=data["grading_method"],
                )
        except PackageInvalid as error:
            form.add_error("package", error.message)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        return self.save_action()


class ContentEditView(VisibleOnlyMixin, generic.EditView):
    pass


class ContentDeleteView(VisibleOnlyMixin, generic.DeleteView):
    pass


class ContentViewSet(ModelViewSet):
    model = H5PContent
    icon = "media"
    menu_label = _("H5P activities")
    menu_order = 270
    add_to_admin_menu = True
    index_view_class = ContentIndexView
    add_view_class = UploadView
    edit_view_class = ContentEditView
    delete_view_class = ContentDeleteView
    list_display = [
        "title",
        Column("main_library", label=_("Type"), accessor="package.main_library"),
        "pass_percent",
        "owner",
        "created_at",
    ]
    search_fields = ["title"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return SettingsForm if for_update else UploadForm


content_viewset = ContentViewSet("h5p_contents")
