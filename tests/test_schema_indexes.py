"""No index of the project's own tables is a leading part of another index or unique constraint on the same
table (issue 8): such an index serves no look-up the longer one does not, and costs every insert and every
update that moves a row. At dataset P the answers' own attempt index alone was 91 MB."""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's catalogue"),
    pytest.mark.django_db,
]

PROJECT_APPS = ("accounts", "assessments", "certification", "cms", "courses", "h5p", "organisations", "placement",
                "privacy", "reports")

# Plain indexes (not unique, no condition, no expression) whose columns begin another index of the same table.
REDUNDANT = """
SELECT a.indrelid::regclass::text, a.indexrelid::regclass::text, b.indexrelid::regclass::text
FROM pg_index a
JOIN pg_index b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
WHERE a.indrelid::regclass::text = ANY(%s)
  AND NOT a.indisunique AND a.indpred IS NULL AND a.indexprs IS NULL
  AND b.indpred IS NULL AND b.indexprs IS NULL
  AND a.indnatts < b.indnatts
  AND (b.indkey::text || ' ') LIKE (a.indkey::text || ' %%')
ORDER BY 1, 2
"""


def test_no_index_is_the_leading_part_of_another():
    tables = sorted({model._meta.db_table for label in PROJECT_APPS for model in apps.get_app_config(label).get_models()})
    with connection.cursor() as cursor:
        cursor.execute(REDUNDANT, [tables])
        redundant = cursor.fetchall()
    assert redundant == [], "indexes covered by a longer one (table, index, covered by): give the field db_index=False"
