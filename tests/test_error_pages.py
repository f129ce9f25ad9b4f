"""Error pages speak Vietnamese and keep the site's layout."""

import pytest
from django.urls import reverse

from accounts.roles import Role


@pytest.mark.django_db
def test_not_found_is_vietnamese(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'lang="vi"' in page and "Không tìm thấy trang" in page


def test_forbidden_is_vietnamese(make_person, unit_a, client):
    learner = make_person(unit=unit_a, roles=[Role.LEARNER])
    client.force_login(learner.user)
    response = client.get(reverse("organisations:people_list"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


@pytest.mark.django_db
def test_server_error_page_is_vietnamese_and_needs_no_context(settings):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500 and "Đã xảy ra lỗi" in page and "Something went wrong" in page
