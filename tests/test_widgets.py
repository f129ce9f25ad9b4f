"""lms.widgets.LongSelect writes the HTML Django's own Select templates write, option for option."""

import re

from django import forms

from lms.widgets import LongSelect

CHOICES = [("", "Tất cả"), (1, "Tin học cơ bản"), (2, "An toàn <thông tin> & \"mật khẩu\""), (30, "Phần mềm nguồn mở"),
           (None, "Không có"), (2, "Trùng giá trị")]


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html).strip())


def test_long_select_writes_what_the_select_template_writes():
    for value in (None, "", 2, "30", "999"):
        for attrs in ({"id": "id_course"}, {"id": "id_course", "aria-describedby": "id_course_helptext", "required": True,
                                            "disabled": False}):
            ours = LongSelect(choices=CHOICES).render("course", value, attrs=attrs)
            django = forms.Select(choices=CHOICES).render("course", value, attrs=attrs)
            assert _tags(ours) == _tags(django), (value, attrs)
    selected = LongSelect(choices=CHOICES).render("course", 2, attrs={"id": "id_course"})
    assert '<option value="2" selected>An toàn &lt;thông tin&gt; &amp; &quot;mật khẩu&quot;</option>' in selected
    assert selected.count(" selected") == 1


def test_long_select_leaves_multiple_selects_to_the_templates():
    class LongSelectMultiple(LongSelect):
        allow_multiple_selected = True

    ours = LongSelectMultiple(choices=CHOICES).render("course", [1, 30])
    assert _tags(ours) == _tags(forms.SelectMultiple(choices=CHOICES).render("course", [1, 30]))
    assert " multiple" in ours and ours.count(" selected") == 2


def test_long_select_leaves_option_groups_to_the_templates():
    grouped = [("Nhóm A", [(1, "Một"), (2, "Hai")]), ("Nhóm B", [(3, "Ba")])]
    ours = LongSelect(choices=grouped).render("course", 3)
    assert _tags(ours) == _tags(forms.Select(choices=grouped).render("course", 3))
    assert '<optgroup label="Nhóm A">' in ours


def test_a_model_choice_field_renders_its_options_with_the_chosen_one_selected(db):
    from courses.models import Course
    from tests.reports.conftest import make_course

    courses = [make_course(f"K{index}", "general", "1") for index in range(3)]

    class Form(forms.Form):
        course = forms.ModelChoiceField(queryset=Course.objects.order_by("title"), widget=LongSelect, empty_label="Tất cả",
                                        required=False)

    html = str(Form({"course": courses[1].pk})["course"])
    assert _tags(html) == _tags(forms.Select(choices=Form().fields["course"].choices).render(
        "course", courses[1].pk, attrs={"id": "id_course"}))
    assert f'<option value="{courses[1].pk}" selected>K1 Khoá K1</option>' in html


def test_the_statistics_course_filter_lists_what_a_model_choice_field_lists(db):
    """Its choices are read as rows, not Course objects: the same options, labels and selection as Django's field,
    and the chosen course still comes back as a Course."""
    from courses.models import Course
    from reports.forms import StatisticsForm
    from tests.reports.conftest import make_course

    courses = [make_course(code, "general", "1") for code in ("K2", "K1", "K3")]
    form = StatisticsForm({"course": courses[2].pk})
    django_field = forms.ModelChoiceField(queryset=Course.objects.order_by("title", "id"), empty_label=form.fields["course"].empty_label)
    assert _tags(form["course"]) == _tags(forms.Select(choices=django_field.choices).render(
        "course", courses[2].pk, attrs={"id": "id_course"}))
    assert f'<option value="{courses[2].pk}" selected>K3 Khoá K3</option>' in str(form["course"])
    assert [str(value) for value, _label in form.fields["course"].choices][1:] == [
        str(course.pk) for course in Course.objects.order_by("title", "id")]
    form.is_valid()
    assert form.cleaned_data["course"] == courses[2]
    assert not StatisticsForm({"course": 999999}).is_valid()
