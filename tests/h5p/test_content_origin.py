"""The separate, cookieless content origin: only it serves the unpacked packages and the player, with
a strict CSP that lets only the LMS frame them; the LMS host refuses them; the lesson embeds the
player in a sandboxed iframe."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from h5p.selectors import player_url

pytestmark = pytest.mark.django_db
CONTENT_HOST = "localhost:8000"


def _path(url):
    return url.split("//", 1)[1].split("/", 1)[1].join(["/", ""])


def test_the_content_host_serves_package_files_with_a_strict_csp_and_no_cookie(client, h5p_content, learner):
    client.force_login(learner.user)  # the browser would not send it there; even so nothing is set
    sha = h5p_content.package.sha256

    response = client.get(f"/h5p/{sha}/content/content.json", HTTP_HOST=CONTENT_HOST)

    assert response.status_code == 200
    assert b"Is this false?" in b"".join(response.streaming_content)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "form-action 'none'" in policy
    assert policy.endswith("frame-ancestors 'self' http://127.0.0.1:8000")
    assert "X-Frame-Options" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.cookies and "Set-Cookie" not in str(response.serialize_headers())


def test_the_player_page_loads_the_vendored_player_from_the_content_origin(client, h5p_content):
    response = client.get(_path(player_url(h5p_content)), HTTP_HOST=CONTENT_HOST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/h5p/vendor/h5p-standalone/main.bundle.js" in page
    assert f'data-h5p-json-path="/h5p/{h5p_content.package.sha256}"' in page
    assert 'data-lms-origin="http://127.0.0.1:8000"' in page
    assert "cdn" not in page.lower()
    assert "frame-ancestors" in response["Content-Security-Policy"] and not response.cookies


def test_a_forged_player_address_answers_404(client, h5p_content):
    assert client.get(f"/player/{h5p_content.pk}/", HTTP_HOST=CONTENT_HOST).status_code == 404


def test_the_content_host_serves_nothing_of_the_lms(client, h5p_content):
    for path in ("/", "/accounts/login/", "/cms-admin/", f"/activities/h5p/{h5p_content.pk}/statements/"):
        response = client.get(path, HTTP_HOST=CONTENT_HOST)
        assert response.status_code == 404, path
        assert not response.cookies
    assert client.get("/static/css/site.css", HTTP_HOST=CONTENT_HOST).status_code == 404
    assert client.get("/static/h5p/vendor/h5p-standalone/main.bundle.js", HTTP_HOST=CONTENT_HOST).status_code == 200


def test_the_lms_host_refuses_the_unpacked_packages(client, h5p_content):
    sha = h5p_content.package.sha256
    assert client.get(f"/h5p/{sha}/content/content.json").status_code == 404
    assert client.get(f"/media/h5p/{sha}/content/content.json").status_code == 404
    assert client.get(f"/media/{h5p_content.package.file.name}").status_code == 404
    assert client.get(_path(player_url(h5p_content))).status_code == 404


def test_the_lesson_embeds_the_player_in_a_sandboxed_iframe(client, h5p_lesson, learner):
    _course, lesson = h5p_lesson
    client.force_login(learner.user)

    page = client.get(lesson.url).content.decode()

    assert 'sandbox="allow-scripts allow-same-origin"' in page
    assert 'src="http://localhost:8000/player/' in page
    assert 'data-h5p-origin="http://localhost:8000"' in page
    assert 'data-h5p-statements-url="/activities/h5p/' in page and "data-csrf-token=" in page


def test_a_content_origin_on_the_lms_host_name_fails_the_system_check(settings):
    settings.H5P_CONTENT_ORIGIN = "http://127.0.0.1:8001"
    with pytest.raises(SystemCheckError, match="h5p.E002"):
        call_command("check")
