"""A double click on a form's button sends it once (static/js/site.js): a learner's deletion request
double-clicked used to be filed twice, as did a class, a session or a plan line."""

import time

import pytest

from privacy.models import DataRequest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_double_clicked_form_is_sent_once(site_url, page, shot, make_person, unit_a, client, monkeypatch):
    learner = make_person(unit=unit_a, full_name="Trần Thị Nhấp")
    client.force_login(learner.user)  # the login form has its own browser tests
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}])

    page.goto(site_url + "/my-data/requests/new/?kind=deletion")
    page.fill("textarea[name=details]", "Tôi đã nghỉ hưu, xin xóa dữ liệu.")
    # A slow server (the live server runs in this process): the second click comes while the first is answered.
    from privacy import views

    def slow_file(**kwargs):
        time.sleep(0.8)
        return file_request(**kwargs)

    file_request = views.data_request_file
    monkeypatch.setattr(views, "data_request_file", slow_file)
    # Two clicks 200 ms apart, the second while the first is being answered (Playwright's own click would wait
    # for the navigation the first one started).
    page.evaluate("""() => {
        const button = document.querySelector("form:has(textarea[name=details]) button[type=submit]");
        button.click();
        setTimeout(() => button.click(), 200);
    }""")
    page.wait_for_timeout(2500)  # both requests, had two been sent, have been answered by now
    assert DataRequest.objects.filter(user=learner.user).count() == 1
    page.wait_for_url(f"{site_url}/my-data/")
    shot("filed once")
