"""Roster import: a unit training officer's staff list (XLSX or CSV), checked row by row, then applied.

1. `roster_preview_create` reads the file (reading.py), checks every row (checking.py) and stores
   the outcome as a RosterImport: nothing about people changes yet (the dry run).
2. `roster_import_apply` checks the rows again (people data may have changed since) and writes every
   valid row in one transaction; `roster_import_discard` drops the import instead (services.py).
3. After the commit, `tasks.send_invitations` e-mails each new person a link to choose their password
   (organisations/invitations.py).

columns.py says what a staff list holds; template.py builds the XLSX template officers fill in.
"""

from .checking import RowOutcome, check_rows, row_for_display
from .errors import RosterConflict, RosterError, RosterFileError, RosterImportClosed, RosterScopeChanged
from .reading import read_roster_file
from .services import roster_import_apply, roster_import_discard, roster_preview_create
from .template import roster_template_workbook

__all__ = [
    "RosterConflict",
    "RosterError",
    "RosterFileError",
    "RosterImportClosed",
    "RosterScopeChanged",
    "RowOutcome",
    "check_rows",
    "read_roster_file",
    "roster_import_apply",
    "roster_import_discard",
    "roster_preview_create",
    "roster_template_workbook",
    "row_for_display",
]
