"""Writes of the H5P app: storing an uploaded package as an activity, and recording xAPI statements.

Every service is atomic and takes keyword arguments only. A refused upload leaves nothing behind:
the unpacked folder and the stored original are removed before the error goes up.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.choices import ActivityKind
from courses.services import activity_result_record
from organisations.models import Person

from .choices import GradingMethod
from .errors import NotGradable, PackageInvalid
from .models import H5PAttempt, H5PContent, H5PGrade, H5PPackage, H5PStatement
from .package import package_extract
from .selectors import is_gradable

SCORED_VERBS = frozenset(
    f"http://adlnet.gov/expapi/verbs/{verb}" for verb in ("answered", "completed", "passed", "failed")
)
FOUR_PLACES = Decimal("0.0001")
# Scores above this are nonsense from a forged statement; they would not fit the columns either.
MAX_SCORE = Decimal("1000000")


def _sha256(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(65536), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def _package_store(*, uploaded, sha256: str) -> H5PPackage:
    """Unpack and record a package not stored yet; on any failure remove what was written."""
    media = Path(settings.MEDIA_ROOT)
    scratch = media / "h5p" / f".incoming-{uuid.uuid4().hex}"
    final = media / "h5p" / sha256
    stored_name = None
    try:
        uploaded.seek(0)
        info = package_extract(uploaded, scratch)
        if final.exists():  # left by a crash between unpacking and the database commit
            shutil.rmtree(final)
        scratch.rename(final)
        uploaded.seek(0)
        stored_name = default_storage.save(f"h5p_packages/{sha256}.h5p", uploaded)
        package = H5PPackage(
            sha256=sha256,
            file=stored_name,
            h5p_json=info.h5p_json,
            main_library=info.main_library,
            libraries=info.libraries,
            file_count=info.file_count,
            size=info.size,
        )
        package.full_clean()
        with transaction.atomic():
            package.save()
        return package
    except IntegrityError:
        # A parallel upload of the same file committed first: its folder is the one in use.
        shutil.rmtree(scratch, ignore_errors=True)
        if stored_name:
            default_storage.delete(stored_name)
        raise
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        if stored_name:
            default_storage.delete(stored_name)
        raise


@transaction.atomic
def content_upload(
    *,
    uploaded,
    title: str,
    owner,
    pass_percent: int = 100,
    grading_method: str = GradingMethod.HIGHEST,
) -> H5PContent:
    """Make an H5P activity from an uploaded `.h5p` file. The package is stored once per SHA-256:
    uploading the same file again reuses it. Raises PackageInvalid (nothing kept) when refused."""
    if uploaded.size > settings.H5P_MAX_UPLOAD_BYTES:
        raise PackageInvalid(
            _("“%(name)s” is larger than %(limit)s MB.")
            % {"name": uploaded.name, "limit": settings.H5P_MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    uploaded.seek(0)
    magic = uploaded.read(4)
    uploaded.seek(0)
    # A zip archive starts with a local file header; zipfile alone also accepts junk before the archive.
    if magic != b"PK\x03\x04":
        raise PackageInvalid(_("The file is not an H5P package (not a zip archive)."))
    sha256 = _sha256(uploaded)
    package = H5PPackage.objects.filter(sha256=sha256).first()
    if package is None:
        try:
            package = _package_store(uploaded=uploaded, sha256=sha256)
        except IntegrityError:
            # The same package committed by a parallel upload meanwhile: use that one.
            package = H5PPackage.objects.get(sha256=sha256)
    content = H5PContent(
        title=title.strip() or package.h5p_json.get("title", "")[:255],
        package=package,
        owner=owner,
        pass_percent=pass_percent,
        grading_method=grading_method,
    )
    content.full_clean()
    content.save()
    return content


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _is_top_level(statement: dict) -> bool:
    """Sub-content (a question inside a quiz set) names a parent and a subContentId; its score is
    part of the top-level one, so it is not an attempt of its own."""
    context = statement.get("context") if isinstance(statement.get("context"), dict) else {}
    activities = context.get("contextActivities") if isinstance(context.get("contextActivities"), dict) else {}
    target = statement.get("object") if isinstance(statement.get("object"), dict) else {}
    return not activities.get("parent") and "subContentId=" not in str(target.get("id", ""))


def _score(statement: dict) -> tuple[Decimal, Decimal] | None:
    """(raw, max) with 0 ≤ raw ≤ max, or None when the statement carries no usable score."""
    result = statement.get("result") if isinstance(statement.get("result"), dict) else {}
    score = result.get("score") if isinstance(result.get("score"), dict) else {}
    raw, maximum = _number(score.get("raw")), _number(score.get("max"))
    if raw is None or maximum is None or maximum <= 0 or maximum > MAX_SCORE:
        return None
    # Checked again once rounded to the column's four places: a max of 0.00001 becomes 0, no score.
    maximum = maximum.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    if maximum <= 0:
        return None
    raw = min(max(raw, Decimal(0)), maximum).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    return raw, maximum


def _grade_update(*, person: Person, content: H5PContent, attempt: H5PAttempt) -> H5PGrade:
    grade, _created = H5PGrade.objects.select_for_update().get_or_create(
        content=content, person=person, defaults={"scaled": attempt.scaled}
    )
    if content.grading_method == GradingMethod.LAST:
        grade.scaled = attempt.scaled
    else:
        grade.scaled = max(grade.scaled, attempt.scaled)
    grade.attempts = H5PAttempt.objects.filter(content=content, person=person).count()
    grade.updated_at = timezone.now()
    passes = grade.scaled * 100 >= content.pass_percent
    if passes and grade.passed_at is None:
        grade.passed_at = grade.updated_at
    grade.full_clean()
    grade.save()
    if passes:
        activity_result_record(person=person, kind=ActivityKind.H5P, ref=str(content.pk), passed=True)
    return grade


@transaction.atomic
def statement_record(*, person: Person, content: H5PContent, statement: dict) -> H5PStatement:
    """Record an xAPI statement the person's player sent, whatever actor it names.

    A top-level answered/completed/passed/failed statement with a score is an attempt: the raw score
    is clamped to [0, max] and the scaled score computed here (the statement's own is ignored); the
    grade follows (highest or last attempt) and a grade at the pass mark passes the lesson activity.
    Raises NotGradable unless the person is an active learner of a live course placing it.
    """
    if not is_gradable(person=person, content=content):
        raise NotGradable(_("You are not enrolled in a course that contains this activity."))
    verb = statement.get("verb") if isinstance(statement.get("verb"), dict) else {}
    verb_id = str(verb.get("id", ""))[:255]
    record = H5PStatement(content=content, person=person, verb=verb_id, statement=statement)
    record.full_clean()
    record.save()
    score = _score(statement) if verb_id in SCORED_VERBS and _is_top_level(statement) else None
    if score is not None:
        raw, maximum = score
        attempt = H5PAttempt(
            content=content,
            person=person,
            statement=record,
            raw=raw,
            max=maximum,
            scaled=(raw / maximum).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP),
        )
        attempt.full_clean()
        attempt.save()
        _grade_update(person=person, content=content, attempt=attempt)
    return record
