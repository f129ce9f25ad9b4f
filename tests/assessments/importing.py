"""Helpers of the import tests: read a fixture, import it, and describe what was stored."""

from pathlib import Path

from assessments.importers import read_question_file
from assessments.services import questions_import

FIXTURES = Path(__file__).parent / "fixtures"


def import_file(*, actor, category, data: bytes, file_format: str, skip_bad: bool = False):
    parsed = read_question_file(data=data, file_format=file_format)
    return questions_import(actor=actor, category=category, parsed=parsed, skip_bad=skip_bad)


def described(question) -> dict:
    version = question.current_version
    return {
        "name": question.name,
        "qtype": version.qtype,
        "stem": version.stem,
        "payload": version.payload,
        "general_feedback": version.general_feedback,
        "default_mark": version.default_mark,
        "competencies": question.competency_codes,
        "category": question.category.path_names(),
    }
