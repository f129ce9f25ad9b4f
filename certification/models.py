"""The competency framework (data, edited in the Wagtail admin), the append-only competency registry,
certificate templates and the certificates themselves.

The registry is never overwritten: each change of a person's competency is a new `CompetencyRecord`,
the one before it is marked superseded in the same transaction, and the current state is derived
(certification.selectors). Certificates snapshot what they print, so later edits of a name or a course
title never change a certificate already issued.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.models import Course, Enrolment
from courses.tracks import Track
from organisations.models import ITQualification, OrganisationUnit, Person

from .choices import (
    BulkKind,
    BulkState,
    CertificateEventKind,
    CertificateLanguage,
    CertificateState,
    CompetencyGroup,
    ExternalKind,
    ExternalState,
    RecordSource,
    RecordState,
)
from .placeholders import placeholders_validate


class Competency(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("A short code, e.g. IU01."))
    name_vi = models.CharField(_("name in Vietnamese"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255)
    group = models.CharField(_("group"), max_length=20, choices=CompetencyGroup.choices)
    position = models.PositiveIntegerField(
        pgettext_lazy("order in a list", "position"), default=0, help_text=_("Order within lists.")
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the competency does not expire (e.g. 24 for information security)."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive competencies are no longer recorded; history stays.")
    )

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_vi

    def clean(self):
        self.code = (self.code or "").strip().upper()


class Standard(models.Model):
    """A composite standard: met when the standard it builds on is met, every required competency is
    active and at least `optional_minimum` of the optional ones are (advanced = basic + 3 of IU07–IU15)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name_vi = models.CharField(_("name in Vietnamese"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255)
    position = models.PositiveIntegerField(pgettext_lazy("order in a list", "position"), default=0)
    builds_on = models.ForeignKey(
        "self",
        verbose_name=_("builds on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_standards",
        help_text=_("A standard that must be met first."),
    )
    required = models.ManyToManyField(
        Competency, verbose_name=_("required competencies"), related_name="required_by_standards", blank=True
    )
    optional = models.ManyToManyField(
        Competency, verbose_name=_("optional competencies"), related_name="optional_in_standards", blank=True
    )
    optional_minimum = models.PositiveSmallIntegerField(
        _("optional competencies needed"), default=0, help_text=_("How many of the optional competencies are needed.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("competency standard")
        verbose_name_plural = _("competency standards")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_vi

    def clean(self):
        standard, seen = self.builds_on, {self.pk}
        while standard is not None:
            if standard.pk in seen:
                raise ValidationError({"builds_on": _("A standard cannot build on itself, even indirectly.")})
            seen.add(standard.pk)
            standard = standard.builds_on


class CompetencyRecord(models.Model):
    """One fact of the registry. Rows are only ever added; the single change allowed to an existing row
    is marking it superseded when a newer record of the same person and competency arrives."""

    # No index of its own: the (person, state) index leads with it.
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="competency_records", db_index=False
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="records"
    )
    achieved_on = models.DateField(_("achieved on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=30, choices=RecordSource.choices)
    certificate = models.ForeignKey(
        "Certificate",
        verbose_name=_("certificate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competency_records",
    )
    # Evidence that is not a certificate of this app: "quiz-attempt:123", "external:45", an officer's note.
    evidence_ref = models.CharField(_("evidence"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=RecordState.choices, default=RecordState.ACTIVE)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("competency record")
        ordering = ["person", "competency", "-recorded_at", "-id"]
        constraints = [
            # The current record of a person and competency is the one not superseded: at most one.
            models.UniqueConstraint(
                fields=["person", "competency"],
                condition=~Q(state=RecordState.SUPERSEDED),
                name="certification_record_one_current",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("achieved_on")),
                name="certification_record_valid_after_achieved",
            ),
        ]
        indexes = [models.Index(fields=["person", "state"]), models.Index(fields=["state", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.competency.code} ({self.get_state_display()})"


class CertificateTemplate(models.Model):
    """What a certificate says and looks like. The template of a course wins over its track's, which wins
    over the default (no course, no track)."""

    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate_templates",
        help_text=_("Leave empty for a track's template or the default one."),
    )
    track = models.CharField(
        _("track"), max_length=20, choices=Track.choices, blank=True, help_text=_("For every course of a track.")
    )
    name = models.CharField(_("name"), max_length=255, help_text=_("For the admin list only."))
    title = models.CharField(_("title"), max_length=255, help_text=_("Printed large, e.g. CHỨNG NHẬN."))
    body = models.TextField(
        _("body"), help_text=_("One line per printed line. Placeholders: {name}, {course}, {hours}, {date}, {grade}.")
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=255, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=255, blank=True)
    signature_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("signature"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    seal_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("seal"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    background_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("background"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(
        _("language"), max_length=2, choices=CertificateLanguage.choices, default=CertificateLanguage.VI
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("certificate template")
        ordering = ["course", "track", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(course__isnull=False),
                name="certification_template_one_per_course",
                violation_error_message=_("This course already has a template: edit that one."),
            ),
            # One template per track, and one default (no course, no track).
            models.UniqueConstraint(
                fields=["track"],
                condition=Q(course__isnull=True),
                name="certification_template_one_per_track",
                violation_error_message=_("This track (or the default) already has a template: edit that one."),
            ),
            models.CheckConstraint(
                condition=Q(course__isnull=True) | Q(track=""), name="certification_template_course_or_track"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.course_id and self.track:
            errors["track"] = _("Choose a course or a track, not both.")
        for field in ("title", "body"):
            try:
                placeholders_validate(getattr(self, field) or "")
            except ValidationError as error:
                errors[field] = error.messages
        if errors:
            raise ValidationError(errors)


class SerialCounter(models.Model):
    """The last serial number given for a prefix and year. Numbers are allocated by locking this row
    (select_for_update), never by reading max()+1, so two issuers never get the same number."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="certification_counter_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


def certificate_pdf_path(certificate: "Certificate", filename: str) -> str:
    # Under MEDIA_ROOT/certificates/, which the web server never serves (deploy/nginx: /media/ is denied
    # by default); the PDF goes out only through the permission-checked download view.
    return f"certificates/{certificate.issued_at:%Y}/{certificate.serial}.pdf"


class Certificate(models.Model):
    # Neither key has an index of its own: the (person, issued_at) and (course, state) indexes lead with them.
    person = models.ForeignKey(Person, verbose_name=_("holder"), on_delete=models.CASCADE, related_name="certificates",
                               db_index=False)
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="certificates",
                               db_index=False)
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="certificates"
    )
    template = models.ForeignKey(
        CertificateTemplate, verbose_name=_("template"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="certificates",
    )
    language = models.CharField(_("language"), max_length=2, choices=CertificateLanguage.choices)
    # Snapshots: what the certificate says, whatever happens to the person or the course later.
    holder_name = models.CharField(_("holder's name"), max_length=255)
    course_title = models.CharField(_("course title"), max_length=255)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    grade = models.DecimalField(_("grade"), max_digits=5, decimal_places=2, null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    serial = models.CharField(_("serial number"), max_length=30, unique=True)
    check_code = models.CharField(_("check code"), max_length=12)
    token = models.CharField(_("verification code"), max_length=64, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=CertificateState.choices, default=CertificateState.VALID
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    pdf = models.FileField(_("PDF"), upload_to=certificate_pdf_path, max_length=200, blank=True)
    # Set (and committed) just before the holder is e-mailed that the certificate is ready: the mail goes
    # at most once, however often the issuing task is redelivered (services.mail).
    emailed_at = models.DateTimeField(_("holder e-mailed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("certificate")
        ordering = ["-issued_at", "-id"]
        constraints = [
            # One certificate per completion of an enrolment, however often or concurrently issuing runs.
            models.UniqueConstraint(fields=["enrolment"], name="certification_certificate_one_per_enrolment"),
            models.CheckConstraint(
                condition=Q(state=CertificateState.VALID, revoked_at__isnull=True)
                | Q(state=CertificateState.REVOKED, revoked_at__isnull=False),
                name="certification_certificate_revoked_at_iff_revoked",
            ),
        ]
        indexes = [models.Index(fields=["person", "-issued_at"]), models.Index(fields=["course", "state"])]

    def __str__(self) -> str:
        return f"{self.serial} {self.holder_name}"

    @property
    def is_valid(self) -> bool:
        return self.state == CertificateState.VALID


class CertificateEvent(models.Model):
    """The audit trail of a certificate: issued, rendered, revoked, reissued (with the name before and after)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=CertificateEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate event")
        ordering = ["certificate", "at", "id"]

    def __str__(self) -> str:
        return f"{self.certificate.serial} {self.get_kind_display()}"


class ExpiryReminder(models.Model):
    """A reminder, sent once, that a competency record expires soon (to the holder and their officers)."""

    record = models.OneToOneField(CompetencyRecord, on_delete=models.CASCADE, related_name="expiry_reminder")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expiry reminder")

    def __str__(self) -> str:
        return f"{self.record} {self.sent_at:%Y-%m-%d}"


def external_certificate_path(instance: "ExternalCertificate", filename: str) -> str:
    # Private like certificate PDFs: served only through the permission-checked view. The name is random.
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"external-certificates/{timezone.now():%Y}/{secrets.token_hex(16)}.{extension}"


class ExternalCertificate(models.Model):
    """A certificate or degree obtained elsewhere, uploaded by its holder and verified by their unit officer."""

    person = models.ForeignKey(
        Person, verbose_name=_("holder"), on_delete=models.CASCADE, related_name="external_certificates"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExternalKind.choices)
    title = models.CharField(_("name of the certificate or degree"), max_length=255)
    number = models.CharField(_("certificate number"), max_length=60, blank=True)
    issuer = models.CharField(_("issued by (centre or school)"), max_length=255)
    issued_on = models.DateField(_("issued on"))
    qualification = models.CharField(
        _("qualification"), max_length=20, choices=ITQualification.choices, default=ITQualification.CERTIFICATE
    )
    competency_codes = models.JSONField(_("competencies claimed"), default=list, blank=True)
    file = models.FileField(_("file"), upload_to=external_certificate_path, max_length=200)
    content_type = models.CharField(_("file type"), max_length=50)
    state = models.CharField(_("state"), max_length=20, choices=ExternalState.choices, default=ExternalState.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("external certificate")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=ExternalState.REJECTED) | ~Q(review_reason=""),
                name="certification_external_rejected_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.title} – {self.person}"

    def clean(self):
        errors = {}
        if self.issued_on and self.issued_on > timezone.localdate():
            errors["issued_on"] = _("The date of issue cannot be in the future.")
        if self.kind == ExternalKind.IT_SKILLS:
            if not (self.number or "").strip():
                errors["number"] = _("Give the number printed on the certificate.")
            self.qualification = ITQualification.CERTIFICATE
        elif self.kind == ExternalKind.IT_DEGREE and self.qualification not in (
            ITQualification.COLLEGE, ITQualification.BACHELOR, ITQualification.MASTER
        ):
            errors["qualification"] = _("Choose the level of the degree: college, bachelor or master.")
        if errors:
            raise ValidationError(errors)


def bulk_job_path(instance: "BulkJob", filename: str) -> str:
    return f"certificates/bulk/{instance.pk}-{filename}"


class BulkJob(models.Model):
    """A long certificate job (regenerate a course's PDFs, a ZIP of a unit's certificates) and its progress."""

    kind = models.CharField(_("kind"), max_length=20, choices=BulkKind.choices)
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrganisationUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=BulkState.choices, default=BulkState.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=bulk_job_path, max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate job")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.state == BulkState.DONE:
            return 100
        return (self.done * 100) // self.total if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.state in (BulkState.DONE, BulkState.FAILED)
