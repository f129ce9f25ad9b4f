"""LMS-side views of the H5P app: the lesson page forwards the player's xAPI statements here."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.jsonbody import JSONBodyInvalid, json_body_parse
from organisations.selectors import person_of

from .errors import NotGradable
from .models import H5PContent
from .services import statement_record


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_POST
def statement_create(request, pk: int):
    """Record one statement for the logged-in person (the statement's actor is ignored)."""
    if not request.user.is_authenticated:
        return _error(_("Log in to save your results."), 401)
    person = person_of(request.user)
    if person is None:
        return _error(_("Your account has no learner profile, so results cannot be saved."), 403)
    limit = settings.H5P_STATEMENT_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit or len(request.body) > limit:
        return _error(_("The statement is larger than %(limit)s KB.") % {"limit": limit // 1024}, 413)
    try:
        statement = json_body_parse(request.body)
    except JSONBodyInvalid as refusal:
        return _error(refusal.message, 400)
    if not isinstance(statement, dict):
        return _error(_("The statement is not a JSON object."), 400)
    content = get_object_or_404(H5PContent, pk=pk)
    try:
        record = statement_record(person=person, content=content, statement=statement)
    except NotGradable as error:
        return _error(error.message, 404)
    attempt = getattr(record, "attempt", None)
    return JsonResponse(
        {"recorded": record.pk, "attempt": None if attempt is None else {"scaled": str(attempt.scaled)}}, status=201
    )
