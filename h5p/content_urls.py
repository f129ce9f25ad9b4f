"""URLs of the H5P content origin (see h5p.middleware): the unpacked packages and the player page."""

from django.urls import path, re_path

from . import content_views

urlpatterns = [
    path("player/<str:token>/", content_views.player, name="h5p_player"),
    re_path(r"^h5p/(?P<sha256>[0-9a-f]{64})/(?P<path>.+)$", content_views.package_file, name="h5p_package_file"),
]

# The site's error pages link to LMS addresses this URL configuration does not have: answer plainly.
handler404 = "h5p.content_views.not_found"
handler500 = "h5p.content_views.server_error"
