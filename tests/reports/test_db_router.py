"""Statistics read their summary tables from the replica when one is configured, and write to the primary."""

from reports.db_router import StatisticsReplicaRouter
from reports.models import DailyFigures
from organisations.models import Person


def test_reads_of_the_summaries_go_to_the_replica_only_when_configured(settings):
    router = StatisticsReplicaRouter()
    assert router.db_for_read(DailyFigures) is None
    settings.DATABASES = {**settings.DATABASES, "replica": {**settings.DATABASES["default"]}}
    assert router.db_for_read(DailyFigures) == "replica"
    assert router.db_for_read(Person) is None  # learning records are read where they are written
    assert router.db_for_write(DailyFigures) is None
    assert router.allow_migrate("replica", "reports") is False
    assert router.allow_migrate("default", "reports") is None
