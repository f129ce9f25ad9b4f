"""What stops a roster import, each with a message for the officer in their language."""


class RosterError(Exception):
    """A roster import cannot go on; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RosterFileError(RosterError):
    """The uploaded file cannot be used: too big, empty, not XLSX/CSV, wrong columns."""


class RosterImportClosed(RosterError):
    """The import was already applied or discarded."""


class RosterScopeChanged(RosterError):
    """The uploader's unit or role changed between the dry run and the confirmation."""


class RosterConflict(RosterError):
    """Someone changed people data while the import was being applied; nothing was written."""
