from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.fields import ConsentField
from accounts.services import PRIVACY_NOTICE_VERSION
from lms.formfields import bounded_formfield
from lms.validators import visible_text_validator

from .models import COMMUNE_LEVEL_KINDS, Audience, OrganisationUnit, Person, phone_validator
from .selectors import communes_open_for_registration
from .services import SELF_REGISTERED, person_register_self


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "position", "phone", "gender", "birth_year"]
        formfield_callback = bounded_formfield


class PersonForm(forms.ModelForm):
    """An officer edits a person of their subtree; the unit list is limited to that subtree."""

    class Meta:
        model = Person
        fields = [
            "full_name", "unit", "position", "staff_category", "audience", "is_leader", "is_cio",
            "it_qualification", "gender", "birth_year", "phone",
        ]
        formfield_callback = bounded_formfield

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].required = True
        self.fields["audience"].choices = [
            choice for choice in Audience.choices if choice[0] not in SELF_REGISTERED
        ]


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrganisationUnit) -> str:
        return obj.name


class ResidentForm(forms.ModelForm):
    """An officer or administrator edits a self-registered farmer or resident (for instance to answer their
    correction request): no workplace, staff category or roles, but their commune among those of the scope,
    and farmer or resident."""

    class Meta:
        model = Person
        fields = ["full_name", "audience", "commune", "gender", "birth_year", "phone"]
        formfield_callback = bounded_formfield
        field_classes = {"commune": CommuneChoiceField}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        open_or_current = Q(valid_to__isnull=True) | Q(pk=self.instance.commune_id)
        self.fields["commune"].queryset = units.filter(open_or_current, kind__in=COMMUNE_LEVEL_KINDS).order_by("name")
        self.fields["commune"].required = True
        self.fields["audience"].choices = [choice for choice in Audience.choices if choice[0] in SELF_REGISTERED]


def person_form_class(person: Person) -> type[forms.ModelForm]:
    """The officer's form for this person: staff are edited with their unit, self-registered people with
    their commune."""
    return ResidentForm if person.audience in SELF_REGISTERED else PersonForm


class SignupForm(forms.Form):
    """Sign-up for farmers and residents: allauth's sign-up form subclasses this (ACCOUNT_SIGNUP_FORM_CLASS)."""

    # allauth adds email, password1 and password2; consent comes last, right above the button.
    field_order = ["full_name", "audience", "commune", "phone", "email", "password1", "password2", "consent"]

    full_name = forms.CharField(label=_("Full name"), max_length=150, validators=[visible_text_validator])
    commune = CommuneChoiceField(
        label=_("Commune or ward where you live"), queryset=OrganisationUnit.objects.none(), empty_label=_("— choose —")
    )
    audience = forms.ChoiceField(
        label=_("I am"),
        choices=[(Audience.FARMER.value, _("a farmer")), (Audience.RESIDENT.value, _("a resident"))],
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label=_("Phone (optional)"), max_length=20, required=False, validators=[phone_validator]
    )
    consent = ConsentField(required_message=_("You must give your consent to register."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_open_for_registration()

    def signup(self, request, user):
        person_register_self(
            user=user,
            full_name=self.cleaned_data["full_name"],
            commune=self.cleaned_data["commune"],
            audience=self.cleaned_data["audience"],
            phone=self.cleaned_data.get("phone", ""),
            notice_version=PRIVACY_NOTICE_VERSION,
        )
