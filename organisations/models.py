"""The organisation tree (province → departments, communes, sub-units) and the people in it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from lms.validators import visible_text_validator


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province / centrally-run city")
    DEPARTMENT = "department", _("Department or agency (sở, ban, ngành)")
    DISTRICT = "district", _("District-level unit (historical)")
    COMMUNE = "commune", _("Commune (xã)")
    WARD = "ward", _("Ward (phường)")
    SPECIAL_ZONE = "special_zone", _("Special zone (đặc khu)")
    ORGANISATION = "organisation", _("Mass organisation (e.g. Farmers' Union)")
    SUB_UNIT = "sub_unit", _("Sub-unit (phòng, trung tâm, đơn vị)")


COMMUNE_LEVEL_KINDS = (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE)


class OrganisationUnit(MP_Node):
    """A unit of the province, at any depth. A materialised path makes subtree queries a prefix match.

    Units are never deleted once people have belonged to them: a closed unit gets `valid_to`
    and, after a merger, a `successor`, so historical records still add up.
    """

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    code = models.CharField(
        _("code"),
        max_length=32,
        blank=True,
        help_text=_("Official administrative code where one exists, otherwise a code given by the province."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    node_order_by = None

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="organisations_unit_code_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="organisations_unit_valid_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.valid_to is None or self.valid_to >= timezone.localdate()


class StaffCategory(models.TextChoices):
    CAN_BO = "can_bo", _("Official (cán bộ)")
    CONG_CHUC = "cong_chuc", _("Civil servant (công chức)")
    VIEN_CHUC = "vien_chuc", _("Public employee (viên chức)")
    CONTRACT = "contract", _("Contract staff")
    NON_STATE = "non_state", _("Not a state employee")


class Audience(models.TextChoices):
    LEADER_CIO = "leader_cio", _("Leaders and CIOs")
    IT_STAFF = "it_staff", _("Dedicated IT staff")
    GENERAL = "general", _("General civil servants")
    FARMER = "farmer", _("Farmers")
    RESIDENT = "resident", _("Residents")


SELF_REGISTERED_AUDIENCES = (Audience.FARMER, Audience.RESIDENT)


class ITQualification(models.TextChoices):
    NONE = "none", _("None")
    CERTIFICATE = "certificate", _("IT certificate")
    COLLEGE = "college", _("College degree in IT")
    BACHELOR = "bachelor", _("Bachelor's or engineering degree in IT")
    MASTER = "master", _("Master's degree or higher in IT")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNSPECIFIED = "unspecified", _("Not stated")


employee_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$",
    _("An employee code has 2–32 letters, digits, dots, dashes or underscores, starting with a letter or digit."),
)

# 8 to 20 characters, of which at least 8 digits ("........" is not a number).
phone_validator = RegexValidator(r"^\+?(?=(?:[ .-]*[0-9]){8})[0-9 .-]{8,20}$", _("Enter a valid phone number."))


class Person(models.Model):
    """Someone the programme trains. Ethnicity, religion, Party membership and ID images are never kept."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person")
    full_name = models.CharField(_("full name"), max_length=150, validators=[visible_text_validator])
    employee_code = models.CharField(
        _("employee code"), max_length=32, null=True, blank=True, validators=[employee_code_validator]
    )
    unit = models.ForeignKey(  # no index of its own: the (unit, audience) index leads with it
        OrganisationUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        db_index=False,
    )
    commune = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
        help_text=_("For farmers and residents who registered themselves."),
    )
    position = models.CharField(_("position"), max_length=150, blank=True)
    staff_category = models.CharField(
        _("staff category"), max_length=20, choices=StaffCategory.choices, default=StaffCategory.CONG_CHUC
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.GENERAL)
    is_leader = models.BooleanField(_("leader"), default=False)
    is_cio = models.BooleanField(_("designated CIO of the unit"), default=False)
    it_qualification = models.CharField(
        _("highest IT qualification"), max_length=20, choices=ITQualification.choices, default=ITQualification.NONE
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, default=Gender.UNSPECIFIED)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[MinValueValidator(1920), MaxValueValidator(2020)]
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["employee_code"], name="organisations_person_employee_code_unique"),
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | models.Q(commune__isnull=False),
                name="organisations_person_has_unit_or_commune",
            ),
        ]
        indexes = [models.Index(fields=["audience"]), models.Index(fields=["unit", "audience"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def home_unit(self) -> OrganisationUnit:
        """The unit that scopes this person: their workplace, or their commune for self-registered people."""
        return self.unit or self.commune


class RosterImport(models.Model):
    """A staff spreadsheet uploaded by a unit officer: validated first (dry run), applied on confirmation."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Checked, waiting for confirmation")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roster_imports"
    )
    scope_unit = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    # The parsed rows, kept only until the import is applied or discarded (data minimisation).
    rows = models.JSONField(default=list, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
