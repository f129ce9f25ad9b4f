"""The columns of a staff list: keys, labels and notes, and the words accepted in each cell."""

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy

from ..models import (
    SELF_REGISTERED_AUDIENCES,
    Audience,
    Gender,
    ITQualification,
    OrganisationUnit,
    Person,
    StaffCategory,
)

User = get_user_model()


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    note: Any
    required: bool = False
    choices: type[models.TextChoices] | None = None


COLUMNS = (
    Column(
        "employee_code",
        gettext_lazy("Employee code"),
        gettext_lazy("Required. 2–32 letters, digits, dots, dashes or underscores. It becomes the login name."),
        required=True,
    ),
    Column(
        "full_name", gettext_lazy("Full name"), gettext_lazy("Required, with Vietnamese diacritics."), required=True
    ),
    Column(
        "email",
        gettext_lazy("E-mail"),
        gettext_lazy("Required for new people: the invitation to set a password is sent to this address."),
    ),
    Column(
        "unit_code",
        gettext_lazy("Unit code"),
        gettext_lazy("A code from the units sheet. Blank: new people join your own unit, others keep theirs."),
    ),
    Column("position", gettext_lazy("Position"), gettext_lazy("For example: Chuyên viên, Trưởng phòng.")),
    Column("staff_category", gettext_lazy("Staff category"), gettext_lazy("Blank: công chức."), choices=StaffCategory),
    Column(
        "audience",
        gettext_lazy("Audience"),
        gettext_lazy("Blank: general civil servants. Farmers and residents register themselves."),
        choices=Audience,
    ),
    Column("is_leader", gettext_lazy("Leader"), gettext_lazy("x, có or yes for a leader; blank or không otherwise.")),
    Column(
        "is_cio",
        gettext_lazy("Designated CIO"),
        gettext_lazy("x, có or yes for the designated CIO of the unit; blank or không otherwise."),
    ),
    Column(
        "it_qualification",
        gettext_lazy("Highest IT qualification"),
        gettext_lazy("Blank: none."),
        choices=ITQualification,
    ),
    Column("gender", gettext_lazy("Gender"), gettext_lazy("nam, nữ, or blank."), choices=Gender),
    Column("birth_year", gettext_lazy("Year of birth"), gettext_lazy("Four digits, for example 1985.")),
    Column("phone", gettext_lazy("Phone"), gettext_lazy("Digits, spaces, dots or dashes; may start with +.")),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.key for column in COLUMNS if column.required)
CHOICE_COLUMNS = {column.key: column.choices for column in COLUMNS if column.choices}
BOOLEAN_COLUMNS = ("is_leader", "is_cio")
# Columns a re-import may change on an existing person. Blank cells keep the current value, except
# the two flags, where blank means "no".
UPDATABLE_FIELDS = (
    "full_name",
    "position",
    "staff_category",
    "audience",
    "is_leader",
    "is_cio",
    "it_qualification",
    "gender",
    "birth_year",
    "phone",
)

TRUE_WORDS = frozenset({"x", "co", "yes", "true", "1"})
FALSE_WORDS = frozenset({"", "khong", "no", "false", "0"})

# Headers a list may carry besides the keys and the current labels, folded: the Vietnamese labels of earlier
# releases (a list filled in under an older header still reads).
HEADER_ALIASES = {
    "loai_can_bo_ngach": "staff_category",
    "loai_can_bo": "staff_category",
}

# Vietnamese words officers write in staff lists, folded (see `fold`), for each choice.
CHOICE_ALIASES = {
    "staff_category": {
        "hop_dong": StaffCategory.CONTRACT,
        "lao_dong_hop_dong": StaffCategory.CONTRACT,
        "ngoai_nha_nuoc": StaffCategory.NON_STATE,
    },
    "audience": {
        "lanh_dao": Audience.LEADER_CIO,
        "cio": Audience.LEADER_CIO,
        "chuyen_trach_cntt": Audience.IT_STAFF,
        "can_bo_chuyen_trach_cntt": Audience.IT_STAFF,
        "cbccvc": Audience.GENERAL,
        "nong_dan": Audience.FARMER,
        "nguoi_dan": Audience.RESIDENT,
    },
    "it_qualification": {
        "khong": ITQualification.NONE,
        "chung_chi": ITQualification.CERTIFICATE,
        "cao_dang": ITQualification.COLLEGE,
        "dai_hoc": ITQualification.BACHELOR,
        "cu_nhan": ITQualification.BACHELOR,
        "ky_su": ITQualification.BACHELOR,
        "thac_si": ITQualification.MASTER,
        "tien_si": ITQualification.MASTER,
        "sau_dai_hoc": ITQualification.MASTER,
    },
    "gender": {"nu": Gender.FEMALE, "nam": Gender.MALE, "khong_ro": Gender.UNSPECIFIED},
}

# The template's example row. A file that still holds it gets that row rejected, not imported.
EXAMPLE_ROW = {
    "employee_code": "MAU-0001",
    "full_name": "Nguyễn Thị Mẫu",
    "email": "nguyen.thi.mau@example.com",
    "unit_code": "",
    "position": "Chuyên viên",
    "staff_category": StaffCategory.CONG_CHUC.value,
    "audience": Audience.GENERAL.value,
    "is_leader": "không",
    "is_cio": "không",
    "it_qualification": ITQualification.CERTIFICATE.value,
    "gender": Gender.FEMALE.value,
    "birth_year": "1990",
    "phone": "0912345678",
}

MAX_LENGTHS = {
    "full_name": Person._meta.get_field("full_name").max_length,
    "position": Person._meta.get_field("position").max_length,
    "phone": Person._meta.get_field("phone").max_length,
    "email": User._meta.get_field("email").max_length,
    "unit_code": OrganisationUnit._meta.get_field("code").max_length,
}


def _birth_year_limit(validator_class) -> int:
    validators = Person._meta.get_field("birth_year").validators
    return next(v.limit_value for v in validators if isinstance(v, validator_class))


BIRTH_YEAR_MIN = _birth_year_limit(MinValueValidator)
BIRTH_YEAR_MAX = _birth_year_limit(MaxValueValidator)


def importable_choices(key: str) -> list[str]:
    """The machine values a choice column takes; farmers and residents register themselves instead."""
    values = CHOICE_COLUMNS[key].values
    return [value for value in values if key != "audience" or value not in SELF_REGISTERED_AUDIENCES]


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """A lower-case ASCII form for matching words: "Công chức", "cong chuc" and "CONG_CHUC" → "cong_chuc".

    Remembered: a staff list repeats the same few words in its choice and yes/no columns on every row."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _label_words(label: str) -> set[str]:
    """A label and, for labels like "Civil servant (công chức)", each of its two parts."""
    words = {fold(label)}
    match = re.fullmatch(r"(.*)\((.*)\)\s*", label)
    if match:
        words |= {fold(match.group(1)), fold(match.group(2))}
    return words - {""}


def choice_words(key: str) -> dict[str, str]:
    """Folded word → machine value for a choice column: values, labels in every language, aliases."""
    words: dict[str, str] = {}
    for value, label in CHOICE_COLUMNS[key].choices:
        words[fold(value)] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for word in _label_words(str(label)):
                    words.setdefault(word, value)
    for word, value in CHOICE_ALIASES.get(key, {}).items():
        words.setdefault(word, value.value)
    return words


def header_words() -> dict[str, str]:
    """Folded header → column key: the keys themselves, the column labels in every language and the labels of
    earlier releases (`HEADER_ALIASES`)."""
    words = {fold(key): key for key in COLUMN_KEYS}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for column in COLUMNS:
                words.setdefault(fold(str(column.label)), column.key)
    for word, key in HEADER_ALIASES.items():
        words.setdefault(word, key)
    return words
