"""Checking rows: what each row of a staff list would do (create, update, nothing) or why it is rejected.

Writes nothing. Costs a constant number of queries per chunk of rows: people, accounts, e-mail
addresses and units are fetched in bulk by the codes and addresses the file holds.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from lms.lookups import among
from lms.validators import has_visible_text

from ..models import (
    SELF_REGISTERED_AUDIENCES,
    OrganisationUnit,
    Person,
    employee_code_validator,
    phone_validator,
)
from ..selectors import people_managed_by, units_managed_by
from .columns import (
    BIRTH_YEAR_MAX,
    BIRTH_YEAR_MIN,
    BOOLEAN_COLUMNS,
    CHOICE_COLUMNS,
    EXAMPLE_ROW,
    FALSE_WORDS,
    MAX_LENGTHS,
    TRUE_WORDS,
    UPDATABLE_FIELDS,
    choice_words,
    fold,
    importable_choices,
)

User = get_user_model()

# Lookups send at most this many values in one IN (...) list (PostgreSQL and SQLite cap parameters).
LOOKUP_CHUNK = 5000

# The models' validators, compiled once (their own patterns are lazy objects, slow to call 100,000 times).
_CODE_PATTERN = re.compile(employee_code_validator.regex.pattern, employee_code_validator.regex.flags)
_PHONE_PATTERN = re.compile(phone_validator.regex.pattern, phone_validator.regex.flags)
_YEAR_PATTERN = re.compile(r"\d{4}")
_BARE_PHONE_PATTERN = re.compile(r"[1-9]\d{8,9}")


class _EmailValidator(EmailValidator):
    """Django's e-mail validation; the domain part (the same few in a staff list) is checked once per domain."""

    def validate_domain_part(self, domain_part):
        return _domain_part_valid(domain_part)


_domain_part_valid = functools.lru_cache(maxsize=1024)(EmailValidator().validate_domain_part)
validate_email = _EmailValidator()


class RowOutcome(models.TextChoices):
    CREATE = "create", gettext_lazy("New")
    UPDATE = "update", gettext_lazy("Updated")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    REJECT = "reject", pgettext_lazy("roster row outcome", "Rejected")


# Reasons (why a row is rejected) and notes (what the officer should know) are stored as codes with
# parameters, and worded when shown, in the language of whoever reads them.
_MESSAGES = {
    "required": gettext_lazy("%(column)s: this column is required."),
    "email_required": gettext_lazy("email: required for a new person, who is invited at this address."),
    "invalid_code": gettext_lazy(
        "employee_code: “%(value)s” is not an employee code (2–32 letters, digits, dots, dashes or underscores)."
    ),
    "too_long": gettext_lazy("%(column)s: longer than %(max)s characters."),
    "invisible": gettext_lazy("%(column)s: shows nothing (only invisible characters)."),
    "invalid_email": gettext_lazy("email: “%(value)s” is not an e-mail address."),
    "invalid_choice": gettext_lazy("%(column)s: “%(value)s” is not one of %(choices)s."),
    "invalid_boolean": gettext_lazy("%(column)s: “%(value)s” is neither yes (x, có, yes) nor no (blank, không, no)."),
    "invalid_year": gettext_lazy("birth_year: “%(value)s” is not a year between %(min)s and %(max)s."),
    "invalid_phone": gettext_lazy("phone: “%(value)s” is not a phone number."),
    "self_registered": gettext_lazy(
        "audience: farmers and residents register themselves on the site; they are not imported."
    ),
    "unknown_unit": gettext_lazy("unit_code: no unit has the code “%(value)s”."),
    "unit_out_of_scope": gettext_lazy("unit_code: the unit “%(value)s” is not one of your units."),
    "unit_closed": gettext_lazy("unit_code: the unit “%(value)s” has closed."),
    "duplicate_code": gettext_lazy("employee_code: the same employee code as row %(row)s."),
    "duplicate_email": gettext_lazy("email: the same e-mail address as row %(row)s."),
    "person_out_of_scope": gettext_lazy("employee_code: this employee code belongs to a person outside your units."),
    "code_taken": gettext_lazy("employee_code: this code is already the login name of another account."),
    "email_taken": gettext_lazy("email: this e-mail address is already used by another account."),
    "example_row": gettext_lazy("This is the example row of the template: delete it."),
    "email_kept": gettext_lazy(
        "email: not changed, because this person has activated their account and manages their own e-mail address."
    ),
}


@dataclass
class CheckedRow:
    number: int
    values: dict[str, str]
    outcome: str = ""
    reasons: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    # Typed values of the valid cells that were filled in (the two flags always: blank means no).
    cleaned: dict[str, Any] = field(default_factory=dict)
    person: Person | None = None
    unit: OrganisationUnit | None = None
    new_email: str | None = None

    def reject(self, code: str, **params) -> None:
        self.reasons.append({"code": code, **params})

    def as_json(self) -> dict:
        return {
            "n": self.number,
            "values": self.values,
            "outcome": self.outcome,
            "reasons": self.reasons,
            "notes": self.notes,
            "changes": self.changes,
            "unit": self.unit.name if self.unit else "",
        }


def _parse_row(number: int, values: dict[str, str], words_by_column: dict[str, dict[str, str]]) -> CheckedRow:
    """Check each cell on its own (no database): required, format, length, choices."""
    row = CheckedRow(number=number, values=values)
    cleaned = row.cleaned

    code = values.get("employee_code", "")
    if not code:
        row.reject("required", column="employee_code")
    else:
        if _CODE_PATTERN.search(code):
            cleaned["employee_code"] = code
        else:
            row.reject("invalid_code", value=code)

    full_name = " ".join(values.get("full_name", "").split())
    if not full_name:
        row.reject("required", column="full_name")
    elif not has_visible_text(full_name):
        row.reject("invisible", column="full_name")
    elif len(full_name) > MAX_LENGTHS["full_name"]:
        row.reject("too_long", column="full_name", max=MAX_LENGTHS["full_name"])
    else:
        cleaned["full_name"] = full_name

    email = values.get("email", "").lower()
    if email:
        if len(email) > MAX_LENGTHS["email"]:
            row.reject("too_long", column="email", max=MAX_LENGTHS["email"])
        else:
            try:
                validate_email(email)
            except ValidationError:
                row.reject("invalid_email", value=values["email"])
            else:
                cleaned["email"] = email

    unit_code = values.get("unit_code", "")
    if len(unit_code) > MAX_LENGTHS["unit_code"]:
        row.reject("too_long", column="unit_code", max=MAX_LENGTHS["unit_code"])
    elif unit_code:
        cleaned["unit_code"] = unit_code

    position = " ".join(values.get("position", "").split())
    if len(position) > MAX_LENGTHS["position"]:
        row.reject("too_long", column="position", max=MAX_LENGTHS["position"])
    elif position:
        cleaned["position"] = position

    for key, words in words_by_column.items():
        text = values.get(key, "")
        if not text:
            continue
        value = words.get(fold(text))
        if value is None:
            row.reject("invalid_choice", column=key, value=text)
        elif key == "audience" and value in SELF_REGISTERED_AUDIENCES:
            row.reject("self_registered")
        else:
            cleaned[key] = value

    for key in BOOLEAN_COLUMNS:
        text = values.get(key, "")
        word = fold(text)
        if word in TRUE_WORDS:
            cleaned[key] = True
        elif word in FALSE_WORDS:
            cleaned[key] = False
        else:
            row.reject("invalid_boolean", column=key, value=text)

    year = values.get("birth_year", "")
    if year:
        if _YEAR_PATTERN.fullmatch(year) and BIRTH_YEAR_MIN <= int(year) <= BIRTH_YEAR_MAX:
            cleaned["birth_year"] = int(year)
        else:
            row.reject("invalid_year", value=year, min=BIRTH_YEAR_MIN, max=BIRTH_YEAR_MAX)

    phone = values.get("phone", "")
    if phone:
        # Excel stores 0912345678 typed into a number cell as 912345678: Vietnamese numbers are
        # 10 or 11 digits starting with 0, so 9 or 10 bare digits lost their leading zero.
        if _BARE_PHONE_PATTERN.fullmatch(phone) and not phone.startswith("84"):
            phone = "0" + phone
        if not _PHONE_PATTERN.search(phone):
            row.reject("invalid_phone", value=values["phone"])
        elif len(phone) > MAX_LENGTHS["phone"]:
            row.reject("too_long", column="phone", max=MAX_LENGTHS["phone"])
        else:
            cleaned["phone"] = phone

    if code == EXAMPLE_ROW["employee_code"] and email == EXAMPLE_ROW["email"]:
        row.reject("example_row")
    return row


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    values = sorted(values)
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


@dataclass
class _Lookups:
    """What the database knows about the codes, addresses and units of a file, fetched in bulk."""

    units: dict[str, OrganisationUnit] = field(default_factory=dict)
    unit_ids_in_scope: set[int] = field(default_factory=set)
    people: dict[str, Person] = field(default_factory=dict)
    person_ids_in_scope: set[int] = field(default_factory=set)
    username_owners: dict[str, int] = field(default_factory=dict)
    email_owners: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def fetch(cls, *, uploader, codes: set[str], emails: set[str], unit_codes: set[str]) -> _Lookups:
        found = cls()
        for chunk in _chunks(unit_codes):
            found.units.update((unit.code, unit) for unit in OrganisationUnit.objects.filter(among("code", chunk)))
            found.unit_ids_in_scope.update(
                units_managed_by(uploader).filter(among("code", chunk)).values_list("pk", flat=True)
            )
        for chunk in _chunks(codes):
            found.people.update(
                (person.employee_code, person)
                for person in Person.objects.filter(among("employee_code", chunk)).select_related("user", "unit")
            )
            found.person_ids_in_scope.update(
                people_managed_by(uploader).filter(among("employee_code", chunk)).values_list("pk", flat=True)
            )
            # Login names are unique whatever their case: "nv01" is taken when "NV01" exists.
            found.username_owners.update(
                User.objects.annotate(username_lower=Lower("username"))
                .filter(among("username_lower", [code.lower() for code in chunk]))
                .values_list("username_lower", "pk")
            )
        for chunk in _chunks(emails):
            pairs = list(
                User.objects.exclude(email="")
                .annotate(email_lower=Lower("email"))
                .filter(among("email_lower", chunk))
                .values_list("email_lower", "pk")
            )
            pairs += EmailAddress.objects.filter(among("email", chunk)).values_list("email", "user_id")
            for email, user_id in pairs:
                found.email_owners.setdefault(email.lower(), set()).add(user_id)
        return found


def _check_person(row: CheckedRow, found: _Lookups, scope_unit: OrganisationUnit) -> None:
    """Database checks of one row: who the code belongs to, the unit, the e-mail address, the changes."""
    cleaned = row.cleaned
    code = cleaned.get("employee_code")
    person = found.people.get(code) if code else None
    if person is not None and person.pk not in found.person_ids_in_scope:
        # Say nothing else about someone the officer may not see.
        row.reject("person_out_of_scope")
        return
    row.person = person

    unit_code = cleaned.get("unit_code")
    if unit_code:
        unit = found.units.get(unit_code)
        if unit is None:
            row.reject("unknown_unit", value=unit_code)
        elif unit.pk not in found.unit_ids_in_scope:
            row.reject("unit_out_of_scope", value=unit_code)
        elif not unit.is_active:
            row.reject("unit_closed", value=unit_code)
        else:
            row.unit = unit
    elif not row.values.get("unit_code"):
        row.unit = person.unit if person is not None else scope_unit

    email = cleaned.get("email")
    owners = found.email_owners.get(email, set()) if email else set()
    if person is None:
        if code and code.lower() in found.username_owners:
            row.reject("code_taken")
        if not row.values.get("email"):
            row.reject("email_required")
        elif owners:
            row.reject("email_taken")
        return

    user = person.user
    if email and email != user.email.lower():
        if user.has_usable_password():
            row.notes.append({"code": "email_kept"})
        elif owners - {user.pk}:
            row.reject("email_taken")
        else:
            row.new_email = email
            row.changes.append({"field": "email", "old": user.email, "new": email})
    for name in UPDATABLE_FIELDS:
        if name in cleaned and cleaned[name] != getattr(person, name):
            row.changes.append({"field": name, "old": getattr(person, name), "new": cleaned[name]})
    if row.unit is not None and row.unit != person.unit:
        row.changes.append(
            {"field": "unit_code", "old": person.unit.name if person.unit else "", "new": row.unit.name}
        )


def check_rows(rows: list[tuple[int, dict[str, str]]], *, uploader, scope_unit: OrganisationUnit) -> list[CheckedRow]:
    """The outcome of every row (create, update, unchanged or reject with reasons). Writes nothing."""
    words_by_column = {key: choice_words(key) for key in CHOICE_COLUMNS}
    checked = [_parse_row(number, values, words_by_column) for number, values in rows]
    found = _Lookups.fetch(
        uploader=uploader,
        codes={row.cleaned["employee_code"] for row in checked if "employee_code" in row.cleaned},
        emails={row.cleaned["email"] for row in checked if "email" in row.cleaned},
        unit_codes={row.cleaned["unit_code"] for row in checked if "unit_code" in row.cleaned},
    )
    first_row_of_code: dict[str, int] = {}
    first_row_of_email: dict[str, int] = {}
    for row in checked:
        code = row.values.get("employee_code", "").lower()
        email = row.values.get("email", "").lower()
        if code in first_row_of_code:
            row.reject("duplicate_code", row=first_row_of_code[code])
        elif code:
            first_row_of_code[code] = row.number
        if email in first_row_of_email:
            row.reject("duplicate_email", row=first_row_of_email[email])
        elif email:
            first_row_of_email[email] = row.number
        _check_person(row, found, scope_unit)
        if row.reasons:
            row.outcome = RowOutcome.REJECT
        elif row.person is None:
            row.outcome = RowOutcome.CREATE
        elif row.changes:
            row.outcome = RowOutcome.UPDATE
        else:
            row.outcome = RowOutcome.UNCHANGED
    return checked


def counts_of(checked: list[CheckedRow]) -> dict[str, int]:
    counts = dict.fromkeys(RowOutcome.values, 0)
    for row in checked:
        counts[row.outcome] += 1
    return counts


# Showing rows: reasons, notes and changes are stored as codes and values, worded when shown.


def describe(item: dict) -> str:
    """A stored reason or note, worded in the active language."""
    params = {name: value for name, value in item.items() if name != "code"}
    if item["code"] == "invalid_choice":
        # Officers know the labels ("Công chức"), the template shows the values: give both.
        column = CHOICE_COLUMNS[params["column"]]
        params["choices"] = "; ".join(
            f"{column(value).label} ({value})" for value in importable_choices(params["column"])
        )
    return str(_MESSAGES[item["code"]]) % params


def _shown_value(key: str, value: Any) -> str:
    if value in ("", None):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key in CHOICE_COLUMNS:
        return str(CHOICE_COLUMNS[key](value).label)
    return str(value)


def row_for_display(row: dict) -> dict:
    """A stored row with its reasons, notes and changes worded for the preview page."""
    return {
        "number": row["n"],
        "outcome": row["outcome"],
        "outcome_label": RowOutcome(row["outcome"]).label,
        "employee_code": row["values"].get("employee_code", ""),
        "full_name": row["values"].get("full_name", ""),
        "email": row["values"].get("email", ""),
        "unit": row["unit"],
        "reasons": [describe(reason) for reason in row["reasons"]],
        "notes": [describe(note) for note in row["notes"]],
        "changes": [
            {
                "field": change["field"],
                "old": _shown_value(change["field"], change["old"]),
                "new": _shown_value(change["field"], change["new"]),
            }
            for change in row["changes"]
        ],
    }
