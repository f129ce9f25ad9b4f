"""Choices of the certification app: competency groups, evidence sources and record and certificate states."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CompetencyGroup(models.TextChoices):
    IT_BASIC = "it_basic", _("IT skill standard: basic modules")
    IT_ADVANCED = "it_advanced", _("IT skill standard: advanced modules")
    CIO = "cio", _("Chief information officer (CIO)")
    IT_STAFF = "it_staff", _("Dedicated IT staff (Circular 11/2015)")
    OPEN_SOURCE = "open_source", _("Open-source office software")
    FARMERS = "farmers", _("Farmers' basic digital skills")


class RecordSource(models.TextChoices):
    COURSE_CERTIFICATE = "course_certificate", _("Course certificate")
    QUIZ = "quiz", _("Server-graded quiz")
    PLACEMENT = "placement", _("Placement survey")
    EXTERNAL_CERTIFICATE = "external_certificate", _("Verified external certificate")
    OFFICER_DECISION = "officer_decision", _("Officer's decision")


class RecordState(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


class CertificateState(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class CertificateLanguage(models.TextChoices):
    VI = "vi", "Tiếng Việt"
    EN = "en", "English"


class CertificateEventKind(models.TextChoices):
    ISSUED = "issued", _("Issued")
    RENDERED = "rendered", _("PDF rendered")
    REVOKED = "revoked", _("Revoked")
    REISSUED = "reissued", _("Reissued")


class ExternalKind(models.TextChoices):
    IT_SKILLS = "it_skills", _("Accredited IT skills certificate")
    IT_DEGREE = "it_degree", _("IT degree")


class ExternalState(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", pgettext_lazy("external certificate state", "Rejected")


class BulkKind(models.TextChoices):
    REGENERATE = "regenerate", _("Regenerate a course's certificates")
    ZIP = "zip", _("ZIP of a unit's certificates")
    ISSUE = "issue", _("Issue a course's missing certificates")


class BulkState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
