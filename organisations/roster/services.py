"""Writes of a roster import: the dry run is stored, then applied in one transaction, or discarded."""

import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role

from ..models import Person, RosterImport
from ..selectors import roster_imports_visible_to, roster_scope_unit
from ..tasks import send_invitations
from .checking import CheckedRow, RowOutcome, check_rows, counts_of
from .columns import UPDATABLE_FIELDS
from .errors import RosterConflict, RosterError, RosterImportClosed, RosterScopeChanged
from .reading import read_roster_file

User = get_user_model()

# Rows per INSERT / UPDATE statement when applying (Django lowers it to what SQLite's parameter limit allows).
WRITE_BATCH = 2000
# New people per invitation task, so one slow mail server does not hold a 100,000-row import hostage.
INVITATIONS_PER_TASK = 200


def roster_preview_create(*, user, upload) -> RosterImport:
    """The dry run: read and check the file, store the outcome of every row. People data is not touched."""
    scope_unit = roster_scope_unit(user)
    if scope_unit is None:
        raise RosterError(_("Only training officers of a unit and site administrators can import staff."))
    roster_file = read_roster_file(upload)
    checked = check_rows(roster_file.rows, uploader=user, scope_unit=scope_unit)
    counts = counts_of(checked)
    roster_import = RosterImport(
        uploaded_by=user,
        scope_unit=scope_unit,
        file_name=(upload.name or "")[-255:],
        file_sha256=roster_file.sha256,
        rows=[row.as_json() for row in checked],
        created_count=counts[RowOutcome.CREATE],
        updated_count=counts[RowOutcome.UPDATE],
        unchanged_count=counts[RowOutcome.UNCHANGED],
        rejected_count=counts[RowOutcome.REJECT],
    )
    roster_import.full_clean()
    roster_import.save()
    return roster_import


def _check_can_change(roster_import: RosterImport, user) -> None:
    if not roster_imports_visible_to(user).filter(pk=roster_import.pk).exists():
        raise RosterError(_("You cannot change this import."))
    if roster_import.status != RosterImport.Status.PREVIEWED:
        raise RosterImportClosed(_("This import has already been applied or discarded."))


def _unusable_password() -> str:
    """What set_unusable_password() stores (the "!" prefix, then random characters), without drawing
    40 characters one by one: they choose a password through the invitation link; nothing is hashed."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(UNUSABLE_PASSWORD_SUFFIX_LENGTH // 2)


def _copy(model, columns: list[str], rows) -> None:
    """COPY rows (tuples in the order of `columns`) into the model's table (PostgreSQL)."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN"
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _insert(model, rows: list[dict], *, now) -> list[int]:
    """Insert new rows given as {attname: value} (the fields' defaults for the rest); returns their ids.

    bulk_create, or on PostgreSQL one COPY, the ids drawn from the table's sequence first: COPY skips
    building model instances and an INSERT with a parameter per cell, which cost more than the database's
    own work for a large file. Only for models whose fields take plain values (text, numbers, booleans,
    dates, foreign keys): psycopg writes them as they are.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = model.objects.bulk_create([model(**row) for row in rows], batch_size=WRITE_BATCH)
        return [obj.pk for obj in objects]
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    # What a new instance would hold where the row says nothing (auto_now(_add) fields: now).
    defaults = [now if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
                else field.get_default() for field in fields]
    names = [field.attname for field in fields]
    _copy(
        model,
        [meta.pk.column, *(field.column for field in fields)],
        ([pk, *(row.get(name, default) for name, default in zip(names, defaults))] for pk, row in zip(ids, rows)),
    )
    return ids


def _insert_links(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows of a table whose ids nobody needs (group memberships, e-mail addresses)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(columns, row))) for row in rows], batch_size=WRITE_BATCH)
        return
    _copy(model, columns, rows)


def _create_people(rows: list[CheckedRow], *, now) -> list[int]:
    """Accounts, learner role, primary e-mail addresses and profiles for new people; returns person ids.

    No per-object full_clean(): check_rows validated every cell against the same rules as the models
    (tests/organisations/test_roster_import.py holds the rows it accepts to the models' own validation).
    """
    user_ids = _insert(
        User,
        [
            {"username": row.cleaned["employee_code"], "email": row.cleaned["email"], "date_joined": now,
             "password": _unusable_password()}
            for row in rows
        ],
        now=now,
    )
    learner = Group.objects.get(name=Role.LEARNER)
    _insert_links(User.groups.through, ["user_id", "group_id"], [(user_id, learner.pk) for user_id in user_ids])
    # Verified: the only way into the account is the invitation link sent to this very address.
    _insert_links(
        EmailAddress,
        ["user_id", "email", "primary", "verified"],
        [(user_id, row.cleaned["email"], True, True) for user_id, row in zip(user_ids, rows)],
    )
    return _insert(
        Person,
        [
            {
                **{name: row.cleaned[name] for name in UPDATABLE_FIELDS if name in row.cleaned},
                "user_id": user_id,
                "employee_code": row.cleaned["employee_code"],
                "unit_id": row.unit.pk,
            }
            for user_id, row in zip(user_ids, rows)
        ],
        now=now,
    )


def _update_people(rows: list[CheckedRow], *, now) -> list[int]:
    """Write the changed columns of existing people; returns the ids of people to invite again."""
    people = []
    reinvite = []
    for row in rows:
        person = row.person
        for name in UPDATABLE_FIELDS:
            if name in row.cleaned:
                setattr(person, name, row.cleaned[name])
        person.unit = row.unit
        person.updated_at = now
        if row.new_email:
            person.user.email = row.new_email
            person.invited_at = None
            reinvite.append(person)
        person.full_clean(exclude=["user", "unit", "commune"], validate_unique=False, validate_constraints=False)
        people.append(person)
    Person.objects.bulk_update(
        people, [*UPDATABLE_FIELDS, "unit", "updated_at", "invited_at"], batch_size=WRITE_BATCH
    )
    if reinvite:
        users = [person.user for person in reinvite]
        User.objects.bulk_update(users, ["email"], batch_size=WRITE_BATCH)
        EmailAddress.objects.filter(user__in=users).delete()
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users],
            batch_size=WRITE_BATCH,
        )
    return [person.pk for person in reinvite]


@transaction.atomic
def _apply(*, roster_import: RosterImport, user) -> RosterImport:
    # The lock makes a double-clicked confirmation apply once.
    roster_import = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    _check_can_change(roster_import, user)
    uploader = roster_import.uploaded_by
    if roster_scope_unit(uploader) != roster_import.scope_unit:
        raise RosterScopeChanged(
            _(
                "The unit or role of the person who uploaded this file has changed since it was checked. "
                "Upload it again."
            )
        )
    rows = [(row["n"], row["values"]) for row in roster_import.rows]
    checked = check_rows(rows, uploader=uploader, scope_unit=roster_import.scope_unit)
    now = timezone.now()
    to_invite = _create_people([row for row in checked if row.outcome == RowOutcome.CREATE], now=now)
    to_invite += _update_people([row for row in checked if row.outcome == RowOutcome.UPDATE], now=now)

    counts = counts_of(checked)
    roster_import.status = RosterImport.Status.APPLIED
    roster_import.applied_at = now
    roster_import.rows = []
    roster_import.created_count = counts[RowOutcome.CREATE]
    roster_import.updated_count = counts[RowOutcome.UPDATE]
    roster_import.unchanged_count = counts[RowOutcome.UNCHANGED]
    roster_import.rejected_count = counts[RowOutcome.REJECT]
    roster_import.full_clean()
    roster_import.save()

    for start in range(0, len(to_invite), INVITATIONS_PER_TASK):
        send_invitations.delay_on_commit(to_invite[start : start + INVITATIONS_PER_TASK])
    return roster_import


def roster_import_apply(*, roster_import: RosterImport, user) -> RosterImport:
    """Check the rows again and write every valid one in one transaction; invite new people after commit.

    The counts stored on the import are those of this final check, which may differ from the dry run's.
    """
    try:
        return _apply(roster_import=roster_import, user=user)
    except IntegrityError as exc:
        raise RosterConflict(
            _("People data changed while the file was being applied, so nothing was changed. Upload the file again.")
        ) from exc


@transaction.atomic
def roster_import_discard(*, roster_import: RosterImport, user) -> RosterImport:
    roster_import = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    _check_can_change(roster_import, user)
    roster_import.status = RosterImport.Status.DISCARDED
    roster_import.rows = []
    roster_import.save(update_fields=["status", "rows"])
    return roster_import
