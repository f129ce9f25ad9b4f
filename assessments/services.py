"""Writes of the question bank. Every service is atomic and takes keyword arguments only.

`question_save` is the one way content changes: it edits the current version in place while no
attempt has shown it, and writes a new version once one has (`question_version_mark_used`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .errors import AssessmentsError
from .importers.base import ImportedQuestion, ImportProblem, ImportRejected, ParseResult
from .models import Question, QuestionCategory, QuestionCompetency, QuestionVersion, validate_competency_code
from .selectors import categories_visible_to, has_bank, questions_visible_to


class BankOutOfScope(AssessmentsError):
    def __init__(self):
        super().__init__(_("This question or category is not in your bank."))


def _check_category(actor, category: QuestionCategory | None) -> None:
    if category is not None and not categories_visible_to(actor).filter(pk=category.pk).exists():
        raise BankOutOfScope()


def clean_competency_codes(codes: Iterable[str]) -> list[str]:
    cleaned = sorted({code.strip().upper() for code in codes if code and code.strip()})
    errors = []
    for code in cleaned:
        try:
            validate_competency_code(code)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"competency_codes": errors})
    return cleaned


@transaction.atomic
def category_save(
    *, actor, name: str, parent: QuestionCategory | None = None, description: str = "",
    category: QuestionCategory | None = None,
) -> QuestionCategory:
    """Create a category (owned by the parent's owner, or by the actor at the top) or edit one.

    An edited category keeps its owner, so its parent must be in the same owner's bank.
    """
    if not has_bank(actor):
        raise BankOutOfScope()
    _check_category(actor, parent)
    if category is None:
        category = QuestionCategory(owner=parent.owner if parent else actor)
    else:
        _check_category(actor, category)
    category.name, category.parent, category.description = name.strip(), parent, description.strip()
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def question_save(
    *,
    actor,
    category: QuestionCategory,
    name: str,
    qtype: str,
    stem: str,
    payload: dict,
    general_feedback: str = "",
    default_mark: Decimal | int | str = 1,
    competency_codes: Iterable[str] = (),
    question: Question | None = None,
) -> Question:
    """Create a question, or change one; a used version is never changed, a new one is written.

    The question belongs to its category's owner (a trainer's bank is what sits in their categories).
    """
    if not has_bank(actor):
        raise BankOutOfScope()
    _check_category(actor, category)
    codes = clean_competency_codes(competency_codes)
    if question is None:
        question = Question(name=name.strip(), category=category, owner=category.owner)
        question.full_clean(exclude=["current_version"])
        question.save()
        current = None
    else:
        if not questions_visible_to(actor).filter(pk=question.pk).exists():
            raise BankOutOfScope()
        question = Question.objects.select_for_update().get(pk=question.pk)
        question.name, question.category, question.owner = name.strip(), category, category.owner
        question.full_clean(exclude=["current_version"])
        # Locked, so an attempt cannot start showing this version while it is edited in place.
        current = QuestionVersion.objects.select_for_update().get(pk=question.current_version_id)
    draft = QuestionVersion(
        question=question,
        qtype=qtype,
        stem=stem,
        payload=payload,
        general_feedback=general_feedback or "",
        default_mark=Decimal(str(default_mark)),
        created_by=actor,
    )
    draft.number = current.number + 1 if current else 1
    draft.full_clean(exclude=["question", "number"])
    if current is None or current.content() != draft.content():
        if current is not None and not current.is_used:
            draft.pk, draft.number, draft.created_at = current.pk, current.number, current.created_at
            draft.created_by = actor
        draft.save()
        question.current_version = draft
    question.save()
    _set_competencies(question, codes)
    return question


def _set_competencies(question: Question, codes: list[str]) -> None:
    existing = set(question.competencies.values_list("code", flat=True))
    question.competencies.exclude(code__in=codes).delete()
    QuestionCompetency.objects.bulk_create(
        [QuestionCompetency(question=question, code=code) for code in codes if code not in existing]
    )


def question_version_mark_used(*, version: QuestionVersion) -> None:
    """Called by the attempts part when a learner is first shown this version: from then on it is frozen.

    Idempotent and race-free: one conditional UPDATE.
    """
    question_versions_mark_used(versions=[version])


def question_versions_mark_used(*, versions) -> None:
    """The same for the versions an attempt shows: one conditional UPDATE for those not known to be used
    yet, none at all when every one already is (the usual case once a quiz has been taken)."""
    fresh = [version for version in versions if not version.is_used]
    if fresh:
        QuestionVersion.objects.filter(pk__in=[version.pk for version in fresh], is_used=False).update(is_used=True)
        for version in fresh:
            version.is_used = True


@transaction.atomic
def question_delete(*, actor, question: Question) -> None:
    """Delete a question that no attempt has shown; a used one is kept (attempts point at it)."""
    if not questions_visible_to(actor).filter(pk=question.pk).exists():
        raise BankOutOfScope()
    if question.versions.filter(is_used=True).exists():
        raise AssessmentsError(_("This question has been used in attempts and cannot be deleted."))
    Question.objects.filter(pk=question.pk).update(current_version=None)
    question.versions.all().delete()
    question.delete()


@dataclass
class ImportReport:
    imported: list[Question]
    skipped: list[ImportProblem]


# Deeper category paths in an imported file are refused (a real bank has a handful of levels).
MAX_IMPORTED_CATEGORY_DEPTH = 10


def _validate_draft(item: ImportedQuestion, category: QuestionCategory) -> None:
    """Every rule question_save applies, checked before anything is written."""
    if len(item.category_path) > MAX_IMPORTED_CATEGORY_DEPTH:
        raise ValidationError(
            _("The category path is more than %(limit)s levels deep.") % {"limit": MAX_IMPORTED_CATEGORY_DEPTH}
        )
    name_field = QuestionCategory._meta.get_field("name")
    for step in item.category_path:
        name_field.clean(step, None)
    Question(name=item.name.strip(), category=category, owner=category.owner).full_clean(
        exclude=["current_version", "category", "owner"]
    )
    clean_competency_codes(item.competency_codes)
    QuestionVersion(
        qtype=item.qtype, stem=item.stem, payload=item.payload, general_feedback=item.general_feedback,
        default_mark=item.default_mark, number=1,
    ).full_clean(exclude=["question", "number", "created_by"])


@transaction.atomic
def questions_import(
    *, actor, category: QuestionCategory, parsed: ParseResult, skip_bad: bool = False
) -> ImportReport:
    """Write the questions read from a file into `category` (and sub-categories named in the file).

    All or nothing: any bad item rejects the whole file (ImportRejected lists every problem), unless
    `skip_bad`, when the good items are written and the bad ones reported back.
    """
    _check_category(actor, category)
    problems, good = list(parsed.problems), []
    for item in parsed.questions:
        try:
            _validate_draft(item, category)
        except ValidationError as error:
            problems.append(ImportProblem(item.where, " ".join(error.messages)))
        else:
            good.append(item)
    if problems and not skip_bad or not good:
        raise ImportRejected(problems)
    categories: dict[tuple[str, ...], QuestionCategory] = {(): category}
    imported = []
    for item in good:
        try:
            target = _category_at(actor, categories, tuple(item.category_path))
            imported.append(
                question_save(
                    actor=actor, category=target, name=item.name, qtype=item.qtype, stem=item.stem,
                    payload=item.payload, general_feedback=item.general_feedback,
                    default_mark=item.default_mark, competency_codes=item.competency_codes,
                )
            )
        except ValidationError as error:
            # Raised inside the transaction: everything written so far is rolled back.
            raise ImportRejected([ImportProblem(item.where, " ".join(error.messages))]) from error
    return ImportReport(imported=imported, skipped=problems)


def _category_at(actor, known: dict, path: tuple[str, ...]) -> QuestionCategory:
    if path in known:
        return known[path]
    parent = _category_at(actor, known, path[:-1])
    existing = QuestionCategory.objects.filter(parent=parent, owner=parent.owner, name=path[-1]).first()
    known[path] = existing or category_save(actor=actor, name=path[-1], parent=parent)
    return known[path]
