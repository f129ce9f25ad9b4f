"""Domain errors of the H5P app. Each carries a localised message views show as it is."""


class H5PError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PackageInvalid(H5PError):
    """An uploaded package was refused; the message names the offending file."""


class NotGradable(H5PError):
    """The person may not be graded on this activity (not enrolled in a live course placing it)."""


class StatementInvalid(H5PError):
    """An xAPI statement that is not a JSON object, or too large."""
