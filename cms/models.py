"""Wagtail pages. Pages render content and read other apps' selectors; no other app imports cms.

The curriculum tree: HomePage → CatalogueIndexPage (one) → TrackPage (one per Track) → CoursePage
→ SectionPage (optional module) → LessonPage. Lessons sit under a course or under a section.
"""

import math
from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PagePermissionTester

from accounts.roles import Role, has_role
from assessments.quizzes.admin import quiz_chooser_viewset
from assessments.quizzes.selectors import quiz_standings, quizzes_visible_to
from cms import page_cache, selectors
from cms.blocks import DescriptionStreamBlock, LessonStreamBlock
from cms.choices import IT_SKILL_MODULE_CODES, IT_SKILL_MODULES, CourseLevel
from cms.forms import CatalogueFilterForm
from cms.text import fold_for_search
from courses.choices import AccessMode
from courses.selectors import course_progress, enrolment_panel
from courses.services import lesson_open
from courses.tracks import Track
from organisations.models import Audience
from organisations.selectors import person_of

WORDS_PER_MINUTE = 200
COURSES_PER_PAGE = 12
# Lesson blocks rendered per request (cms.models.LessonPage.body_parts): what they show is the learner's own.
PERSONAL_BLOCKS = {"quiz", "h5p"}
# How long a lesson's rendered body may show an image, document or embed changed outside the page tree.
BODY_TIMEOUT = 5 * 60


class CurriculumPermissionTester(PagePermissionTester):
    """Trainers hold "add" and "change" on the whole catalogue (Wagtail permissions are per subtree),
    so this narrows them to the courses that list them as trainer, or that they created, and to
    those courses' sections and lessons; they may start a course in any track but not edit the
    catalogue or track pages. Curriculum managers and site administrators are not narrowed.
    """

    @cached_property
    def _may_work_on_course(self) -> bool:
        user = self.user
        if user.is_superuser or has_role(user, Role.CURRICULUM_MANAGER, Role.SITE_ADMIN):
            return True
        return (
            CoursePage.objects.ancestor_of(self.page, inclusive=True)
            .filter(Q(trainers=user) | Q(owner=user))
            .exists()
        )

    def can_edit(self):
        return super().can_edit() and self._may_work_on_course

    def can_delete(self, ignore_bulk=False):
        return super().can_delete(ignore_bulk=ignore_bulk) and self._may_work_on_course

    def can_add_subpage(self):
        if isinstance(self.page, TrackPage):
            return super().can_add_subpage()
        return super().can_add_subpage() and self._may_work_on_course

    def can_lock(self):
        return super().can_lock() and self._may_work_on_course


class SitePage(Page):
    """What every page of the site shares: view restrictions read in one query (cms.selectors)."""

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        return selectors.view_restrictions_of(self)


class HomePage(SitePage):
    intro = models.CharField(_("introduction"), max_length=500, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Every request for a page starts here (the site's root): find the page in two queries
        instead of Wagtail's two per level of the tree (a lesson is five levels down)."""
        if not path_components:
            return super().route(request, path_components)
        page = selectors.page_at_path(self, path_components)
        if page is None:
            raise Http404
        return page.route(request, [])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        catalogue = selectors.live_catalogue()
        if catalogue is not None:
            context.update(catalogue=catalogue, tracks=selectors.tracks_with_course_counts(catalogue))
        return context


class CatalogueIndexPage(SitePage):
    intro = models.CharField(_("introduction"), max_length=500, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.TrackPage"]

    class Meta:
        verbose_name = _("course catalogue")

    def permissions_for_user(self, user):
        return CurriculumPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = CatalogueFilterForm(request.GET)
        filters = form.filters()
        courses = selectors.catalogue_courses(**filters)
        context.update(
            form=form,
            tracks=selectors.tracks_with_course_counts(self),
            courses=Paginator(courses, COURSES_PER_PAGE).get_page(request.GET.get("page")),
            is_filtered=any(value not in ("", None) for value in filters.values()),
        )
        return context


class TrackPage(SitePage):
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    intro = models.CharField(_("introduction"), max_length=500, blank=True)

    content_panels = Page.content_panels + [FieldPanel("track"), FieldPanel("intro")]
    max_count = len(Track)
    parent_page_types = ["cms.CatalogueIndexPage"]
    subpage_types = ["cms.CoursePage"]

    class Meta:
        verbose_name = _("track")
        constraints = [models.UniqueConstraint(fields=["track"], name="cms_trackpage_track_unique")]

    def clean(self):
        super().clean()
        if TrackPage.objects.exclude(pk=self.pk).filter(track=self.track).exists():
            raise ValidationError({"track": _("This track already has its page.")})

    def permissions_for_user(self, user):
        return CurriculumPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = Paginator(selectors.track_courses(self), COURSES_PER_PAGE).get_page(request.GET.get("page"))
        return context


class CourseAudience(models.Model):
    """One row per organisations.Audience value, so courses can be filtered by audience with a join.

    A JSON list would do for storage, but SQLite (the embedded default) cannot query inside JSON.
    """

    code = models.CharField(_("audience"), max_length=20, choices=Audience.choices, unique=True)

    class Meta:
        verbose_name = _("course audience")
        ordering = ["id"]

    def __str__(self):
        return str(self.get_code_display())


class CoursePageForm(WagtailAdminPageForm):
    competency_codes = forms.MultipleChoiceField(
        label=_("competencies"),
        choices=IT_SKILL_MODULES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The IT skill standard modules this course develops."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audiences"].widget = forms.CheckboxSelectMultiple()
        self.fields["audiences"].queryset = CourseAudience.objects.all()

    def clean_final_exam(self):
        """A trainer may make only a quiz they see (their own) the final exam; one already chosen by
        someone else may stay as it is."""
        quiz = self.cleaned_data.get("final_exam")
        unchanged = quiz is not None and quiz.pk == self.initial.get("final_exam")
        if quiz is not None and not unchanged and not quizzes_visible_to(self.for_user).filter(pk=quiz.pk).exists():
            raise ValidationError(_("Choose one of the quizzes you may use."))
        return quiz


class CoursePage(SitePage):
    code = models.CharField(_("course code"), max_length=30, help_text=_("A short unique code, e.g. ATTT-01."))
    summary = models.CharField(_("summary"), max_length=500)
    audiences = ParentalManyToManyField(CourseAudience, verbose_name=_("audiences"), related_name="+", blank=True)
    level = models.CharField(_("level"), max_length=20, choices=CourseLevel.choices, default=CourseLevel.BASIC)
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5)]
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        related_name="+",
        blank=True,
        limit_choices_to={"groups__name": Role.TRAINER.value},
    )
    prerequisites = ParentalManyToManyField(
        "self", verbose_name=_("prerequisites"), symmetrical=False, related_name="+", blank=True
    )
    competency_codes = models.JSONField(_("competencies"), default=list, blank=True)
    access_mode = models.CharField(
        _("how people get in"), max_length=20, choices=AccessMode.choices, default=AccessMode.SELF_ENROLMENT
    )
    description = StreamField(DescriptionStreamBlock(), verbose_name=_("description"), blank=True)
    final_exam = models.ForeignKey(
        "assessments.Quiz",
        verbose_name=_("final exam"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: a quiz the learner must pass, besides the lessons, to complete the course."),
    )
    final_exam_after_lessons = models.BooleanField(
        _("final exam opens after the lessons"),
        default=True,
        help_text=_("The learner may take the final exam only once the required lessons are complete."),
    )
    # Lower-case, diacritics-free title, code and summary of the published page (see cms.text).
    search_text = models.TextField(editable=False, blank=True)

    base_form_class = CoursePageForm
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("summary"), FieldPanel("cover_image"), FieldPanel("description")],
            heading=_("About the course"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("audiences"),
                FieldPanel("level"),
                FieldPanel("estimated_hours"),
                FieldPanel("access_mode"),
                FieldPanel("competency_codes"),
                FieldPanel("prerequisites"),
            ],
            heading=_("Who it is for"),
        ),
        FieldPanel("trainers"),
        MultiFieldPanel(
            [
                FieldPanel("final_exam", widget=quiz_chooser_viewset.widget_class),
                FieldPanel("final_exam_after_lessons"),
            ],
            heading=_("Final exam"),
        ),
    ]
    parent_page_types = ["cms.TrackPage"]
    subpage_types = ["cms.SectionPage", "cms.LessonPage"]
    exclude_fields_in_copy = ["code", "search_text"]

    class Meta:
        verbose_name = _("course")
        constraints = [
            # A copied page arrives without a code and must get one before it is saved in the editor.
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="cms_coursepage_code_unique")
        ]

    def clean(self):
        super().clean()
        errors = {}
        self.code = self.code.strip().upper()
        if CoursePage.objects.exclude(pk=self.pk).filter(code=self.code).exists():
            errors["code"] = _("Another course already has this code.")
        unknown = set(self.competency_codes) - IT_SKILL_MODULE_CODES
        if unknown:
            errors["competency_codes"] = _("Unknown competency codes: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
        if self.pk and any(course.pk == self.pk for course in self.prerequisites.all()):
            errors["prerequisites"] = _("A course cannot be its own prerequisite.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.search_text = fold_for_search(f"{self.title} {self.code} {self.summary}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "code", "summary"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        return super().save(*args, **kwargs)

    def permissions_for_user(self, user):
        return CurriculumPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["outline"] = selectors.course_outline(self)
        context["trainer_names"] = selectors.course_trainer_names(self)
        context["enrolment"] = enrolment_panel(person=person_of(request.user), page_id=self.pk)
        context["final_exam"] = selectors.course_final_exam_panel(self, context["enrolment"])
        return context


class SectionPage(SitePage):
    """A module of a course, grouping some of its lessons."""

    intro = models.CharField(_("introduction"), max_length=500, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.CoursePage"]
    subpage_types = ["cms.LessonPage"]

    class Meta:
        verbose_name = _("course section")

    def permissions_for_user(self, user):
        return CurriculumPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = selectors.section_lessons(self)
        return context


class LessonPage(SitePage):
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))
    is_required = models.BooleanField(
        _("required"), default=True, help_text=_("Learners must complete required lessons to complete the course.")
    )

    content_panels = Page.content_panels + [FieldPanel("body"), FieldPanel("is_required")]
    parent_page_types = ["cms.CoursePage", "cms.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")

    @property
    def reading_minutes(self) -> int:
        """Estimated reading time of the body's text at 200 words a minute, at least one minute."""
        words = 0
        for child in self.body:
            for text in child.block.get_searchable_content(child.value):
                words += len(text.split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def permissions_for_user(self, user):
        return CurriculumPermissionTester(user, self)

    def body_parts(self, request) -> "LessonBody":
        """The body as the page shows it: the blocks that look the same to everyone rendered once per
        published revision and language (cached until the page tree changes, at most BODY_TIMEOUT:
        images, documents and embeds are not pages), the quiz and H5P blocks left to render per request
        (they show the learner's own attempts, and carry the CSRF token). A preview renders it all."""
        cacheable = self.live and not getattr(request, "is_preview", False)
        key = None
        if cacheable:
            key = page_cache.key("lesson-body", self.pk, self.live_revision_id, translation.get_language())
            cached = cache.get(key)
            if cached is not None:
                minutes, htmls = cached
                raw = self.body.raw_data
                if len(htmls) == len(raw) and all(
                    (html is None) == (raw[index]["type"] in PERSONAL_BLOCKS) for index, html in enumerate(htmls)
                ):
                    # Only the personal blocks' values are read (and their choosers' objects fetched).
                    return LessonBody(
                        reading_minutes=minutes,
                        parts=[BodyPart(block=self.body[index]) if html is None else BodyPart(html=mark_safe(html))
                               for index, html in enumerate(htmls)],
                    )
        parts, htmls = [], []
        for child in self.body:
            if child.block_type in PERSONAL_BLOCKS or not cacheable:
                parts.append(BodyPart(block=child))
                htmls.append(None)
            else:
                html = str(child.render(context={"page": self}))
                parts.append(BodyPart(html=mark_safe(html)))
                htmls.append(html)
        body = LessonBody(reading_minutes=self.reading_minutes, parts=parts)
        if key is not None:
            cache.set(key, (body.reading_minutes, htmls), BODY_TIMEOUT)
        return body

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        body = self.body_parts(request)
        # The course, its outline, the neighbours and the parent come from one cached outline; the
        # quiz blocks' standings are read for all of them at once (QuizBlock reads them from here).
        outline = selectors.lesson_outline(self, request)
        person = person_of(request.user)
        enrolment = None
        if not getattr(request, "is_preview", False):
            # A GET that writes: opening the lesson is the learning event itself. What it records is
            # idempotent (the first opening, the resume point, completions that follow from them), so
            # repeating or prefetching the request changes nothing more.
            enrolment = lesson_open(person=person, lesson_page_id=self.pk)
        context["previous_lesson"], context["next_lesson"] = outline.neighbours(self) if outline else (None, None)
        context.update(
            parent=(outline.parent_of(self) if outline else None) or selectors.link_to(self.get_parent(), request),
            course_page=outline.course if outline else None,
            outline=outline.entries if outline else [],
            progress=course_progress(enrolment) if enrolment is not None else None,
            body=body.parts,
            reading_minutes=body.reading_minutes,
            quiz_standings=quiz_standings(body.quizzes, person),
        )
        return context


@dataclass
class BodyPart:
    """A block of a lesson's body: its HTML when rendered once for everyone, else the block itself."""

    html: str | None = None
    block: object = None


@dataclass
class LessonBody:
    reading_minutes: int
    parts: list[BodyPart]

    @property
    def quizzes(self) -> list:
        return [part.block.value["quiz"] for part in self.parts
                if part.block is not None and part.block.block_type == "quiz" and part.block.value.get("quiz")]
