"""Custom periods stay within the reporting years (FIRST_YEAR–LAST_YEAR): dates at the edges of the calendar
(0001-01-01, 9999-12-31) are refused with a message instead of overflowing into a 500, on the page, the API
and the export; an export whose query cannot be built is marked failed, never left queued."""

import datetime
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports import exports, periods
from reports.forms import StatisticsForm
from reports.models import EnrolmentExport, SnapshotState
from reports.periods import custom_period
from reports.tasks import export_enrolments
from reports.tokens import api_token_create

from .conftest import YEAR
from .test_enrolment_exports import media_root, reader  # noqa: F401  (media_root: an autouse fixture)

FIRST_YEAR, LAST_YEAR = 1900, 2200  # as period_of had them
OUT_OF_RANGE = "Choose dates between the years 1900 and 2200."
EDGES = [("9999-12-25", "9999-12-31"), ("0001-01-01", "0001-01-05")]


def custom(start: str, end: str) -> dict:
    return {"period": "custom", "start": start, "end": end}


def test_custom_periods_keep_to_the_reporting_years():
    assert (periods.FIRST_YEAR, periods.LAST_YEAR) == (FIRST_YEAR, LAST_YEAR)
    edge = custom_period(datetime.date(FIRST_YEAR, 1, 1), datetime.date(FIRST_YEAR, 12, 31))
    assert edge.previous().end == datetime.date(FIRST_YEAR - 1, 12, 31)
    custom_period(datetime.date(LAST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31))
    for start, end in [(datetime.date(FIRST_YEAR - 1, 12, 25), datetime.date(FIRST_YEAR, 1, 5)),
                       (datetime.date(LAST_YEAR, 12, 25), datetime.date(LAST_YEAR + 1, 1, 5)),
                       (datetime.date.min, datetime.date(1, 1, 5)),
                       (datetime.date(9999, 12, 25), datetime.date.max)]:
        with pytest.raises(ValidationError) as refusal:
            custom_period(start, end)
        assert refusal.value.messages == [OUT_OF_RANGE]


@pytest.mark.django_db
@pytest.mark.parametrize("start, end", EDGES)
def test_the_statistics_form_refuses_dates_at_the_edges_of_the_calendar(start, end):
    form = StatisticsForm(custom(start, end))
    assert not form.is_valid() and form.non_field_errors() == [OUT_OF_RANGE]
    assert form.filters().period.kind == "quarter"  # the page falls back to the current quarter


@pytest.mark.parametrize("start, end", EDGES)
def test_the_statistics_page_explains_instead_of_failing(world, start, end):
    client = reader(world.home_affairs_user)
    for url in (reverse("reports:statistics"), reverse("reports:unit_statistics", args=[world.province.pk])):
        response = client.get(url, custom(start, end))
        assert response.status_code == 200
        assert OUT_OF_RANGE in response.content.decode()


@pytest.mark.parametrize("start, end", EDGES)
def test_the_api_answers_422(world, client, start, end):
    _token, raw = api_token_create(user=world.home_affairs_user, name="edges")
    response = client.get("/api/statistics/v1/statistics", custom(start, end), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422


def test_an_export_asked_with_such_dates_is_built_for_the_period_the_page_showed(world,
                                                                                   django_capture_on_commit_callbacks):
    client = reader(world.home_affairs_user)
    url = reverse("reports:enrolment_export", args=[world.province.pk]) + "?" + urlencode(custom(*EDGES[0]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"format": "csv"})
    assert response.status_code == 302
    export = EnrolmentExport.objects.get()
    assert export.state == SnapshotState.READY
    assert "9999" not in export.filters


def stored_export(world, filters: str) -> EnrolmentExport:
    return EnrolmentExport.objects.create(requested_by=world.home_affairs_user, unit=world.province, format="csv",
                                          filters=filters, file_name="enrolments-edges.csv")


@pytest.mark.parametrize("start, end", EDGES)
def test_an_export_stored_with_dates_now_refused_fails_with_a_message(world, start, end):
    export = stored_export(world, urlencode(custom(start, end)))
    assert export_enrolments(export.pk) == 0  # the Celery task: no exception, no file
    export.refresh_from_db()
    assert export.state == SnapshotState.FAILED and export.finished_at is not None
    assert export.error == "The filters of this export are no longer valid; ask for it again."
    assert not exports.export_file(export).exists()


def test_an_export_whose_query_cannot_be_built_is_failed_not_left_queued(world, monkeypatch):
    export = stored_export(world, urlencode(custom(f"{YEAR}-01-01", f"{YEAR}-12-31")))

    def broken(*args, **kwargs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(exports, "enrolments_for_export", broken)
    with pytest.raises(OverflowError):
        export_enrolments(export.pk)
    export.refresh_from_db()
    assert export.state == SnapshotState.FAILED and export.finished_at is not None
    assert export.error == "The export failed; ask for it again."
