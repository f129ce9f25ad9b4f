"""The shapes the demo course modules are written in, and helpers that build lesson blocks.

Blocks are written as (block type, value) pairs, as a StreamField accepts them; a picture is named by
its key in the course's `pictures` and becomes a Wagtail image when the builder resolves it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Picture:
    """An illustration: its image title in the admin and a function that draws it as PNG bytes."""

    title: str
    draw: Callable[[], bytes]


@dataclass(frozen=True)
class PictureRef:
    key: str


@dataclass(frozen=True)
class DemoQuizRef:
    """The demo quiz (assessments.demo): the builder creates it if needed and puts its id here."""


@dataclass(frozen=True)
class Lesson:
    title: str
    slug: str
    body: list
    is_required: bool = True


@dataclass(frozen=True)
class Section:
    title: str
    slug: str
    intro: str
    lessons: list[Lesson]


@dataclass(frozen=True)
class Course:
    track: str
    code: str
    title: str
    slug: str
    summary: str
    audiences: list[str]
    level: str
    estimated_hours: Decimal
    access_mode: str
    cover: str
    description: list
    parts: list[Lesson | Section]
    pictures: dict[str, Picture]
    competency_codes: list[str] = field(default_factory=list)

    def lessons(self) -> list[Lesson]:
        found = []
        for part in self.parts:
            found.extend(part.lessons if isinstance(part, Section) else [part])
        return found


def text(html: str) -> tuple[str, str]:
    return ("text", html)


def heading(words: str, level: str = "h2") -> tuple[str, dict]:
    return ("heading", {"text": words, "level": level})


def figure(key: str, alt: str, caption: str = "") -> tuple[str, dict]:
    return ("image", {"image": PictureRef(key), "alt_text": alt, "caption": caption})


def callout(kind: str, html: str) -> tuple[str, dict]:
    return ("callout", {"kind": kind, "text": html})


def tip(html: str) -> tuple[str, dict]:
    return callout("tip", html)


def warning(html: str) -> tuple[str, dict]:
    return callout("warning", html)


def note(html: str) -> tuple[str, dict]:
    return callout("note", html)


def code(language: str, source: str) -> tuple[str, dict]:
    return ("code", {"language": language, "code": source})


def step(html: str, screenshot: str = "", alt: str = "") -> dict:
    return {"text": html, "screenshot": PictureRef(screenshot) if screenshot else None, "screenshot_alt": alt}


def steps(title: str, items: list[dict]) -> tuple[str, dict]:
    return ("steps", {"title": title, "steps": items})


def demo_quiz() -> tuple[str, dict]:
    """The demo quiz, required to complete the lesson (left out while the demo trainer does not exist)."""
    return ("quiz", {"quiz": DemoQuizRef(), "required": True})
