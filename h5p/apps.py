from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class H5PConfig(AppConfig):
    name = "h5p"
    label = "h5p"
    verbose_name = _("H5P activities")

    def ready(self):
        from h5p import checks  # noqa: F401  (registers the system checks)
