"""StreamField blocks for lessons and course descriptions, each with its template in templates/blocks/.

`LessonStreamBlock` is the body of a lesson. The interactive blocks arrive with their own issues and
plug in there as further entries: an H5P activity block (the H5P issue) and a quiz block that
chooses an assessments quiz (the assessment issue). Both are StructBlocks with their own template,
like the blocks below, and define `scored_activity(self, value) -> courses.services.ActivitySpec | None`:
publishing the lesson then records the activity in courses (cms.course_sync.lesson_activities), and
the lesson completes only when the learner has passed every required one.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from assessments.quizzes.admin import QuizChooserBlock
from assessments.quizzes.selectors import quiz_placed_for, quiz_standing
from courses.choices import ActivityKind
from courses.services import ActivitySpec
from h5p.blocks import H5PContentChooserBlock
from h5p.selectors import content_origin, player_url
from organisations.selectors import person_of

# Rich text in lessons: no embedded images or headings inside paragraphs; those have their own blocks.
LESSON_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link", "code", "superscript", "subscript"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=pgettext_lazy("heading level", "Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3")), ("h4", _("Heading 4"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading.html"
        label = _("Heading")
        preview_value = {"text": "Bảo mật thông tin trong cơ quan nhà nước", "level": "h2"}
        description = _("A section heading (level 2 to 4)")


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "blocks/figure.html"
        label = _("Image with caption")
        description = _("An image with alternative text and an optional caption")


class VideoBlock(blocks.StructBlock):
    """An uploaded video (with optional poster and captions) or an embedded one: exactly one source."""

    title = blocks.CharBlock(label=_("Title"), max_length=200, help_text=_("Names the video for screen readers."))
    file = DocumentChooserBlock(label=_("Video file"), required=False, help_text=_("An MP4 or WebM file."))
    poster = ImageChooserBlock(label=_("Poster image"), required=False)
    captions = DocumentChooserBlock(label=_("Captions (.vtt)"), required=False)
    embed = EmbedBlock(label=_("Embed URL"), required=False, help_text=_("For example a YouTube address."))

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        label = _("Video")
        description = _("An uploaded video file or an embedded video")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if bool(value.get("file")) == bool(value.get("embed")):
            message = _("Give either a video file or an embed URL, not both and not neither.")
            errors["file"] = ValidationError(message)
            errors["embed"] = ValidationError(message)
        captions = value.get("captions")
        if captions and not captions.file.name.lower().endswith(".vtt"):
            errors["captions"] = ValidationError(_("Captions must be a WebVTT (.vtt) file."))
        if value.get("embed") and (value.get("poster") or captions):
            errors["embed"] = ValidationError(_("A poster and captions go with an uploaded file, not an embed."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(
        label=_("Link text"), max_length=200, required=False, help_text=_("Defaults to the document's title.")
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/document.html"
        label = _("Downloadable document")
        description = _("A file learners can download")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("note", _("Note"))],
        default="tip",
    )
    text = blocks.RichTextBlock(label=_("Text"), features=LESSON_TEXT_FEATURES)

    class Meta:
        icon = "help"
        template = "blocks/callout.html"
        label = _("Callout")
        preview_value = {"kind": "tip", "text": "<p>Đặt mật khẩu dài ít nhất 12 ký tự.</p>"}
        description = _("A tip, warning or note set apart from the text")


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(
        label=_("Language"),
        choices=[
            ("text", _("Plain text")),
            ("bash", "Bash"),
            ("powershell", "PowerShell"),
            ("python", "Python"),
            ("sql", "SQL"),
            ("html", "HTML"),
            ("javascript", "JavaScript"),
            ("ini", _("Configuration file")),
        ],
        default="text",
    )
    code = blocks.TextBlock(label=pgettext_lazy("code sample", "Code"))  # not allauth's "Code" of the second factor

    class Meta:
        icon = "code"
        template = "blocks/code.html"
        label = _("Code sample")
        preview_value = {"language": "bash", "code": "sudo apt update && sudo apt upgrade"}
        description = _("Commands or code, shown exactly as typed")


class StepBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("Instruction"), features=LESSON_TEXT_FEATURES)
    screenshot = ImageChooserBlock(label=_("Screenshot"), required=False)
    screenshot_alt = blocks.CharBlock(
        label=_("Screenshot description"), max_length=250, required=False, help_text=_("Required with a screenshot.")
    )

    class Meta:
        icon = "list-ol"
        label = _("Step")

    def clean(self, value):
        value = super().clean(value)
        if value.get("screenshot") and not value.get("screenshot_alt"):
            raise StructBlockValidationError(
                block_errors={"screenshot_alt": ValidationError(_("Describe the screenshot for people who cannot see it."))}
            )
        return value


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200, required=False)
    steps = blocks.ListBlock(StepBlock(), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "blocks/steps.html"
        label = _("Step-by-step instructions")
        preview_value = {
            "title": "Đổi mật khẩu thư điện tử",
            "steps": [
                {"text": "<p>Đăng nhập hộp thư công vụ.</p>"},
                {"text": "<p>Chọn <b>Cài đặt</b>, rồi <b>Đổi mật khẩu</b>.</p>"},
            ],
        }
        description = _("Numbered steps, each with an optional screenshot")


def _text_block(*, preview: str) -> blocks.RichTextBlock:
    """Rich text as lessons and course descriptions use it (a plain RichTextBlock, so migrations don't change)."""
    return blocks.RichTextBlock(
        label=_("Text"),
        features=LESSON_TEXT_FEATURES,
        icon="pilcrow",
        template="blocks/rich_text.html",
        preview_value=preview,
        description=_("Paragraphs, lists and links"),
    )


class H5PBlock(blocks.StructBlock):
    """An H5P activity (h5p app), played from the content origin in a sandboxed iframe; scored."""

    content = H5PContentChooserBlock(label=_("H5P activity"))
    required = blocks.BooleanBlock(
        label=_("Required to complete the lesson"), required=False, default=True,
        help_text=_("The learner must reach the activity's pass mark."),
    )

    class Meta:
        icon = "media"
        template = "blocks/h5p.html"
        label = _("H5P activity")
        description = _("An interactive H5P activity whose score counts toward completion")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        if value.get("content") is not None:
            context["player_url"] = player_url(value["content"])
            context["content_origin"] = content_origin()
        return context

    def scored_activity(self, value) -> ActivitySpec | None:
        content = value.get("content")
        if content is None:
            return None
        return ActivitySpec(
            kind=ActivityKind.H5P, ref=str(content.pk), title=content.title, is_required=bool(value.get("required"))
        )


class QuizBlock(blocks.StructBlock):
    """A quiz (assessments app): its rules, the learner's attempts and grade, and Start / Continue; scored."""

    quiz = QuizChooserBlock(label=_("Quiz"))
    required = blocks.BooleanBlock(
        label=_("Required to complete the lesson"), required=False, default=True,
        help_text=_("The learner must reach the quiz's pass mark."),
    )

    class Meta:
        icon = "tasks"
        template = "blocks/quiz.html"
        label = _("Quiz")
        description = _("A quiz whose grade counts toward completion")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        quiz, parent_context = value.get("quiz"), parent_context or {}
        if quiz is None:
            return context
        if "quiz_standings" in parent_context:
            # The lesson page read every quiz block's standing at once (LessonPage.get_context).
            standing = parent_context["quiz_standings"].get(quiz.pk)
        else:
            request = parent_context.get("request")
            person = person_of(request.user) if request is not None else None
            standing = quiz_standing(quiz, person) if person is not None and quiz_placed_for(person, quiz) else None
        if standing is not None:
            context.update(standing, may_take=True)
        return context

    def scored_activity(self, value) -> ActivitySpec | None:
        quiz = value.get("quiz")
        if quiz is None:
            return None
        return ActivitySpec(
            kind=ActivityKind.QUIZ, ref=str(quiz.pk), title=quiz.title, is_required=bool(value.get("required"))
        )


class LessonStreamBlock(blocks.StreamBlock):
    text = _text_block(preview="<p>Thông tin công vụ phải được bảo vệ ở mọi khâu.</p>")
    heading = HeadingBlock()
    image = FigureBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    code = CodeBlock()
    steps = StepsBlock()
    h5p = H5PBlock()
    quiz = QuizBlock()


class DescriptionStreamBlock(blocks.StreamBlock):
    """A course's description: text, headings, images and callouts."""

    text = _text_block(preview="<p>Khoá học giúp cán bộ nắm vững kiến thức cơ bản.</p>")
    heading = HeadingBlock()
    image = FigureBlock()
    callout = CalloutBlock()
