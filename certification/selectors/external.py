"""Reads of external certificates: the holder's own, and the queue of the officers managing them."""

from django.db.models import Q, QuerySet

from organisations.selectors import people_managed_by, person_of

from ..models import ExternalCertificate


def externals_of(person) -> QuerySet[ExternalCertificate]:
    return ExternalCertificate.objects.filter(person=person).order_by("-submitted_at", "-id")


def externals_reviewable_by(user) -> QuerySet[ExternalCertificate]:
    """Submissions of the people the user manages (organisations.selectors), never the user's own."""
    own = person_of(user)
    queryset = ExternalCertificate.objects.filter(person__in=people_managed_by(user).values("pk"))
    if own is not None:
        queryset = queryset.exclude(person=own)
    return queryset.select_related("person__unit", "reviewed_by")


def externals_visible_to(user) -> QuerySet[ExternalCertificate]:
    """Whose file the user may open: their own submissions and those they may review."""
    own = person_of(user)
    managed = Q(person__in=people_managed_by(user).values("pk"))
    return ExternalCertificate.objects.filter(managed | Q(person=own) if own else managed)


def can_review_externals(user) -> bool:
    return people_managed_by(user).exists()
