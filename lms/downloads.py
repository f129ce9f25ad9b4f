"""Opening a stored file for a download view: a file the database names but storage no longer holds (lost
media, a volume not yet restored) answers 404, not a server error."""

from django.http import Http404


def stored_file_open(field):
    """`field.open("rb")` of a FieldFile, or Http404 when the file is missing."""
    try:
        return field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
