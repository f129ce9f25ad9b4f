"""Admin forms of the question bank. The question form turns its fields and option rows into the
version payload and checks it with the payload rules; saving goes through services.question_save."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.rich_text import get_rich_text_editor_widget

from assessments.choices import QuestionType
from assessments.importers import FORMATS
from assessments.models import STEM_FEATURES, Question, QuestionCategory
from assessments.selectors import categories_visible_to
from assessments.services import clean_competency_codes

from .payload import clean_payload

CHOICE_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE}
EXTRA_ROWS = 4


class OptionRowForm(forms.Form):
    text = forms.CharField(label=_("Option, answer, item or value"), required=False, max_length=2000)
    match = forms.CharField(label=_("Match (matching only)"), required=False, max_length=2000)
    fraction = forms.DecimalField(
        label=_("Credit %"), required=False, min_value=-100, max_value=100, decimal_places=5
    )
    tolerance = forms.DecimalField(label=_("Tolerance (numeric)"), required=False, min_value=0, decimal_places=7)
    feedback = forms.CharField(label=_("Feedback"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rows are a table whose column headers are not <label>s: each input is named for screen readers.
        number = (self.prefix or "").rsplit("-", 1)[-1]
        row = int(number) + 1 if number.isdecimal() else number
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = _("%(label)s, row %(row)s") % {"label": field.label, "row": row}


OptionRowFormSet = forms.formset_factory(OptionRowForm, extra=EXTRA_ROWS, max_num=50, validate_max=True)


class CategoryForm(WagtailAdminModelForm):
    class Meta:
        model = QuestionCategory
        fields = ["name", "parent", "description"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        parents = categories_visible_to(for_user)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = False


def _percent(fraction) -> Decimal:
    return (Decimal(str(fraction)) * 100).quantize(Decimal("0.00001")).normalize()


class QuestionForm(WagtailAdminModelForm):
    qtype = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)
    stem = forms.CharField(label=_("Question text"), widget=get_rich_text_editor_widget(features=STEM_FEATURES))
    default_mark = forms.DecimalField(label=_("Default mark"), min_value=0, max_digits=6, decimal_places=2, initial=1)
    competency_codes = forms.CharField(
        label=_("Competencies"), required=False, help_text=_("Codes separated by commas, e.g. IU01, IU14.")
    )
    shuffle = forms.BooleanField(label=_("Shuffle the options"), required=False, initial=True)
    ignore_case = forms.BooleanField(label=_("Ignore case (short answer)"), required=False, initial=True)
    ignore_diacritics = forms.BooleanField(label=_("Ignore Vietnamese diacritics (short answer)"), required=False)
    correct = forms.TypedChoiceField(
        label=_("The statement is (true/false)"), required=False,
        choices=[("true", _("True")), ("false", _("False"))], coerce=lambda value: value == "true",
    )
    feedback_true = forms.CharField(label=_("Feedback when answering “true”"), required=False)
    feedback_false = forms.CharField(label=_("Feedback when answering “false”"), required=False)
    response_template = forms.CharField(label=_("Response template (essay)"), required=False, widget=forms.Textarea)
    grader_info = forms.CharField(label=_("Information for graders (essay)"), required=False, widget=forms.Textarea)
    general_feedback = forms.CharField(
        label=_("General feedback"), required=False, widget=get_rich_text_editor_widget(features=STEM_FEATURES)
    )

    class Meta:
        model = Question
        fields = ["name", "category"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["category"].queryset = categories_visible_to(for_user)
        # The rich text editor is not the <input> its <label> names: it takes its accessible name from here.
        for name in ("stem", "general_feedback"):
            widget = self.fields[name].widget
            widget.options = {**widget.options, "ariaLabel": str(self.fields[name].label)}
        version = self.instance.current_version if self.instance.pk else None
        rows = []
        if version is not None:
            self.initial.update(self._initial_from(version))
            rows = self._rows_from(version.qtype, version.payload)
        # Bound rows carry no initial: a row left as it was must still count, not read as unchanged.
        if self.is_bound:
            self.options = OptionRowFormSet(data=self.data, prefix="options")
        else:
            self.options = OptionRowFormSet(initial=rows, prefix="options")
        self.payload: dict | None = None

    def _initial_from(self, version) -> dict:
        payload = version.payload
        initial = {
            "qtype": version.qtype, "stem": version.stem, "default_mark": version.default_mark,
            "general_feedback": version.general_feedback,
            "competency_codes": ", ".join(self.instance.competency_codes),
        }
        for key in ("shuffle", "ignore_case", "ignore_diacritics", "feedback_true", "feedback_false",
                    "response_template", "grader_info"):
            if key in payload:
                initial[key] = payload[key]
        if "correct" in payload:
            initial["correct"] = "true" if payload["correct"] else "false"
        return initial

    @staticmethod
    def _rows_from(qtype: str, payload: dict) -> list[dict]:
        if qtype in CHOICE_TYPES:
            return [{"text": o["text"], "fraction": _percent(o["fraction"]), "feedback": o["feedback"]}
                    for o in payload["options"]]
        if qtype == QuestionType.SHORT_ANSWER:
            return [{"text": a["text"], "fraction": _percent(a["fraction"]), "feedback": a["feedback"]}
                    for a in payload["answers"]]
        if qtype == QuestionType.NUMERIC:
            return [{"text": repr(a["value"]), "tolerance": Decimal(repr(a["tolerance"])),
                     "fraction": _percent(a["fraction"]), "feedback": a["feedback"]} for a in payload["answers"]]
        if qtype == QuestionType.MATCHING:
            return [{"text": p["prompt"], "match": p["answer"]} for p in payload["pairs"]] + [
                {"match": extra} for extra in payload["extra_answers"]]
        if qtype == QuestionType.ORDERING:
            return [{"text": item["text"]} for item in payload["items"]]
        return []

    def is_valid(self):
        # Both run, so every error shows at once.
        options_valid = self.options.is_valid()
        return super().is_valid() and options_valid

    def _payload(self, qtype: str, rows: list[dict]) -> dict:
        data = self.cleaned_data

        def credit(row, default):
            return float(row["fraction"] / 100) if row.get("fraction") is not None else default

        if qtype in CHOICE_TYPES:
            return {"options": [{"text": r["text"], "fraction": credit(r, 0.0), "feedback": r["feedback"]}
                                for r in rows if r.get("text")], "shuffle": data["shuffle"]}
        if qtype == QuestionType.SHORT_ANSWER:
            return {"answers": [{"text": r["text"], "fraction": credit(r, 1.0), "feedback": r["feedback"]}
                                for r in rows if r.get("text")],
                    "ignore_case": data["ignore_case"], "ignore_diacritics": data["ignore_diacritics"]}
        if qtype == QuestionType.NUMERIC:
            return {"answers": [{"value": r["text"], "tolerance": float(r.get("tolerance") or 0),
                                 "fraction": credit(r, 1.0), "feedback": r["feedback"]} for r in rows if r.get("text")]}
        if qtype == QuestionType.MATCHING:
            return {"pairs": [{"prompt": r["text"], "answer": r["match"]} for r in rows if r.get("text")],
                    "extra_answers": [r["match"] for r in rows if r.get("match") and not r.get("text")],
                    "shuffle": data["shuffle"]}
        if qtype == QuestionType.ORDERING:
            return {"items": [{"text": r["text"]} for r in rows if r.get("text")]}
        if qtype == QuestionType.TRUE_FALSE:
            return {"correct": data.get("correct"), "feedback_true": data["feedback_true"],
                    "feedback_false": data["feedback_false"]}
        return {"response_template": data["response_template"], "grader_info": data["grader_info"]}

    def clean(self):
        cleaned = super().clean()
        qtype = cleaned.get("qtype")
        if qtype == QuestionType.TRUE_FALSE and cleaned.get("correct") in (None, ""):
            self.add_error("correct", _("Say whether the statement is true or false."))
            return cleaned
        if qtype and self.options.is_valid():
            rows = [row for row in self.options.cleaned_data if row]
            try:
                self.payload = clean_payload(qtype, self._payload(qtype, rows))
            except ValidationError as error:
                for message in error.messages:
                    self.add_error(None, message)
        return cleaned

    def clean_competency_codes(self) -> list[str]:
        codes = self.cleaned_data["competency_codes"].replace(";", ",").split(",")
        try:
            return clean_competency_codes(codes)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("Moodle XML (.xml), GIFT (.gift or .txt) or the XLSX template.")
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("From the file name"))] + [(fmt, label) for fmt, label in zip(
            FORMATS, (_("Moodle XML"), _("GIFT"), _("Excel template (XLSX)")))],
        required=False,
    )
    category = forms.ModelChoiceField(label=_("Into category"), queryset=QuestionCategory.objects.none())
    skip_bad = forms.BooleanField(
        label=_("Skip the bad items"), required=False,
        help_text=_(
            "Import the good questions and list the bad ones. Otherwise a file with any bad item imports nothing."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_visible_to(user)

    def clean_file(self):
        # The size first, before a single byte is read (the importer checks the bytes it reads again).
        upload = self.cleaned_data["file"]
        limit = settings.QUESTION_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload
