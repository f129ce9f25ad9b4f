"""Domain errors of certification. Each carries a localised message that views show as it is."""

from django.utils.translation import gettext as _


class CertificationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnknownCompetency(CertificationError):
    def __init__(self, code: str):
        self.code = code
        super().__init__(_("There is no active competency with the code “%(code)s”.") % {"code": code})


class EvidenceMissing(CertificationError):
    def __init__(self):
        super().__init__(_("A competency is recorded only with its evidence: a certificate or a reference."))


class UnknownSource(CertificationError):
    def __init__(self, source: str):
        super().__init__(_("Unknown evidence source “%(source)s”.") % {"source": source})


class RevocationNotAllowed(CertificationError):
    def __init__(self):
        super().__init__(_("You may only revoke certificates of people your units manage."))


class AlreadyRevoked(CertificationError):
    def __init__(self):
        super().__init__(_("This certificate has already been revoked."))


class ReasonRequired(CertificationError):
    def __init__(self):
        super().__init__(_("Give the reason for revoking the certificate (at most 500 characters)."))


class ReviewNotAllowed(CertificationError):
    def __init__(self):
        super().__init__(_("You may only review certificates of people your units manage, and not your own."))


class AlreadyReviewed(CertificationError):
    def __init__(self):
        super().__init__(_("This certificate has already been reviewed."))


class RejectionReasonRequired(CertificationError):
    def __init__(self):
        super().__init__(_("Give the reason for rejecting the certificate (at most 500 characters)."))


class UploadRefused(CertificationError):
    """An uploaded file that is not what it claims, too large or unreadable."""


class ReissueNotAllowed(CertificationError):
    def __init__(self):
        super().__init__(_("You may only reissue certificates of people your units manage."))


class NothingToReissue(CertificationError):
    def __init__(self):
        super().__init__(_("The corrected name is the same as the name on the certificate."))
