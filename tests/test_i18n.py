"""Vietnamese first, English second; dates as dd/mm/yyyy; the Asia/Ho_Chi_Minh clock."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation


@pytest.mark.django_db
def test_site_speaks_vietnamese_by_default(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="vi"' in page
    assert "Đăng nhập" in page
    assert "Bỏ qua, đến nội dung chính" in page


@pytest.mark.django_db
def test_language_switcher_changes_to_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page and "Skip to main content" in page
    client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})
    assert 'lang="vi"' in client.get("/accounts/login/").content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_are_day_month_year(language):
    with translation.override(language):
        rendered = Template("{{ d|date:'SHORT_DATE_FORMAT' }}").render(Context({"d": datetime.date(2026, 3, 9)}))
    assert rendered == "09/03/2026"


def test_local_time_is_vietnam():
    moment = datetime.datetime(2026, 1, 1, 17, 30, tzinfo=datetime.UTC)
    assert timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") == "02/01/2026 00:30"


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_person_switches(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in page


@pytest.mark.parametrize("password", ["12345", "abc"])
def test_every_password_rule_speaks_vietnamese(password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with translation.override("vi"), pytest.raises(ValidationError) as error:
        validate_password(password)
    messages = error.value.messages
    assert any("quá ngắn" in message and "10" in message for message in messages)
    assert not any("This password" in message for message in messages)
