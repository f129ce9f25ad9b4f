"""Send the statistics' reads to a read-only PostgreSQL replica when one is configured.

`DATABASE_REPLICA_URL` adds a `replica` database (lms.settings.base). Reads of the reports app's
summary tables then go there, so Home Affairs' dashboards and the API never load the primary; every
write, and every read taken to write (`select_for_update`), stays on `default`. Without a replica
this router has no opinion and everything uses `default`.
"""

from django.conf import settings

REPLICA = "replica"


class StatisticsReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label == "reports" and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the primary's schema; never migrate it directly.
        return False if db == REPLICA else None
