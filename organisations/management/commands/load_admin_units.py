"""manage.py load_admin_units --province 40: the province and its official communes, idempotently."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from organisations.admin_units import AdminUnitsError, admin_units_load, province_departments_load


class Command(BaseCommand):
    help = "Load a province and its commune-level units from the official list (package vietnam-provinces)."

    def add_arguments(self, parser):
        parser.add_argument("--province", type=int, required=True, help="Official province code, e.g. 40 (Nghệ An).")
        parser.add_argument(
            "--departments", action="store_true", help="Also create the province's departments and agencies."
        )

    def handle(self, *args, province: int, departments: bool, **options):
        try:
            result = admin_units_load(province_code=province)
        except AdminUnitsError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("%(province)s: %(created)d created, %(updated)d updated, %(closed)d closed, %(unchanged)d unchanged.")
            % {
                "province": result.province.name,
                "created": result.created,
                "updated": result.updated,
                "closed": result.closed,
                "unchanged": result.unchanged,
            }
        )
        if departments:
            loaded = province_departments_load(province=result.province)
            self.stdout.write(
                _("Departments and agencies: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {"created": loaded.created, "updated": loaded.updated, "unchanged": loaded.unchanged}
            )
