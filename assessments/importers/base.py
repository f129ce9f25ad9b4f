"""What every importer produces: plain question drafts, or problems that say where and why."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from assessments.errors import AssessmentsError
from assessments.models import STEM_FEATURES


@dataclass
class ImportedQuestion:
    """One question read from a file, not yet validated: `where` says where it came from."""

    where: str
    name: str
    qtype: str
    stem: str
    payload: dict
    general_feedback: str = ""
    default_mark: Decimal = Decimal("1")
    competency_codes: list[str] = field(default_factory=list)
    category_path: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ParseResult:
    questions: list[ImportedQuestion] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


class ImportRejected(AssessmentsError):
    """The file, or some of its items, cannot be imported; nothing was written."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__(
            _("Nothing was imported: %(count)s problem(s) in the file.") % {"count": len(problems)}
            if len(problems) != 1 or problems[0].where
            else problems[0].message
        )


def file_problem(message: str) -> ImportRejected:
    return ImportRejected([ImportProblem("", message)])


_converter = ContentstateConverter(features=STEM_FEATURES)
_BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')
_TAG = re.compile(r"<[^>]+>")
_CODE_BLOCKS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def clean_rich_text(markup: str) -> str:
    """Foreign HTML reduced to what the stem editor allows (no scripts, no styles, no raw images)."""
    if not markup or not markup.strip():
        return ""
    markup = _CODE_BLOCKS.sub("", markup)
    cleaned = _converter.to_database_format(_converter.from_database_format(markup))
    cleaned = _BLOCK_KEY.sub("", cleaned)
    return "" if not _TAG.sub("", cleaned).strip() and "<embed" not in cleaned else cleaned


def plain_to_rich_text(text: str) -> str:
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
    return "".join(f"<p>{html.escape(part).replace(chr(10), '<br/>')}</p>" for part in paragraphs)


def html_to_text(markup: str) -> str:
    """Option texts are plain: tags dropped, entities decoded, spaces collapsed."""
    text = re.sub(r"<br\s*/?>|</p>", " ", markup or "", flags=re.IGNORECASE)
    return " ".join(html.unescape(_TAG.sub("", text)).split())
