"""Baseline views, reachable only through bench.settings (bench/urls.py), behind the production middleware.

- hello: a plain response, no database.
- b_write: one INSERT and one UPDATE in a transaction (the floor under any autosave).
- b_naive: the dashboard's figures (enrolled / completed per child unit of the province), computed by a
  naive ORM aggregate over the raw enrolments, as a dashboard without rollups would.
"""

import json

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from courses.choices import EnrolmentStatus
from courses.models import Enrolment
from organisations.models import OrganisationUnit


def hello(request):
    return HttpResponse(b"hello", content_type="text/plain")


@csrf_exempt
def b_write(request):
    row = int(request.GET.get("row") or 1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_write_log (row_id, payload, at) VALUES (%s, %s, now())", [row, '{"a": 1}'])
        cursor.execute("UPDATE bench_write_row SET hits = hits + 1, at = now() WHERE id = %s", [row])
    return JsonResponse({"ok": True})


def b_naive(request):
    province = OrganisationUnit.get_root_nodes().first()
    prefix = len(province.path) + OrganisationUnit.steplen
    rows = (
        Enrolment.objects.filter(person__unit__path__startswith=province.path)
        .annotate(prefix=Substr("person__unit__path", 1, prefix))
        .values("prefix", "course__track")
        .annotate(enrolled=Count("id"), completed=Count("id", filter=Q(status=EnrolmentStatus.COMPLETED)))
        .order_by()
    )
    return HttpResponse(json.dumps(list(rows)), content_type="application/json")
