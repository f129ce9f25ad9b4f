"""request.user for Django's AuthenticationMiddleware, with the user row read by one precompiled SELECT.

Every signed-in request loads its user: Django's backends do it with `User._default_manager.get(pk=...)`,
whose query the ORM builds and compiles again each time; on the autosave (issue 8, E1) that was the largest
CPU cost of the whole request after the view. Here the same SELECT (every concrete column, by primary key,
on the database the router reads users from) is compiled once per database and the row becomes a User the
way the ORM makes one (the compiler's converters, then `Model.from_db`).

The same statement reads the user's group names (LEFT JOIN, one row per group): they are the user's roles
for this request (accounts.roles.roles_remember), so the roles need no cache read of their own and are never
staler than the database.

Everything else is `django.contrib.auth.get_user` as it is: the session's backend must still be in
AUTHENTICATION_BACKENDS, the backend's `user_can_authenticate` (is_active) still decides, and the session's
hash is still checked against the user's password hash (SECRET_KEY, then the fallbacks: the session is
cycled onto the current key; a mismatch flushes it). Only backends whose `get_user` is ModelBackend's own
(ModelBackend, allauth's AuthenticationBackend) take the precompiled read; any other backend's `get_user`
is called. tests/accounts/test_authentication.py runs both implementations over the same sessions.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connections, router
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from .roles import roles_remember

# Database alias → (SQL, attribute names in column order, [(column position, (converters, expression))]).
_compiled: dict[str, tuple[str, list[str], list]] = {}


def _compile(db: str):
    user_model = get_user_model()
    compiler = user_model._default_manager.db_manager(db).filter(pk=0).query.get_compiler(db)
    compiler.setup_query()
    columns = [expression for expression, _sql, _alias in compiler.select]
    quote = connections[db].ops.quote_name
    memberships = user_model.groups.through._meta
    user_column = memberships.get_field("user").column
    group_column = memberships.get_field("group").column
    users, member, group = quote(user_model._meta.db_table), quote(memberships.db_table), quote(Group._meta.db_table)
    pk = quote(user_model._meta.pk.column)
    selected = ", ".join(f"{users}.{quote(column.target.column)}" for column in columns)
    sql = (
        f"SELECT {selected}, {group}.{quote('name')} FROM {users} "
        f"LEFT JOIN {member} ON {member}.{quote(user_column)} = {users}.{pk} "
        f"LEFT JOIN {group} ON {group}.{quote(Group._meta.pk.column)} = {member}.{quote(group_column)} "
        f"WHERE {users}.{pk} = %s"
    )
    attnames = [column.target.attname for column in columns]
    converters = list(compiler.get_converters(columns).items())
    _compiled[db] = compiled = (sql, attnames, converters)
    return compiled


def user_and_groups_by_pk(user_id):
    """(`User._default_manager.get(pk=user_id)`, the names of its groups), or (None, []) where that raises
    DoesNotExist."""
    user_model = get_user_model()
    db = router.db_for_read(user_model)
    sql, attnames, converters = _compiled.get(db) or _compile(db)
    connection = connections[db]
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_model._meta.pk.get_db_prep_value(user_id, connection)])
        rows = cursor.fetchall()
    if not rows:
        return None, []
    row = list(rows[0][:-1])
    for position, (functions, expression) in converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return user_model.from_db(db, attnames, row), sorted(name for *_columns, name in rows if name is not None)


def user_by_pk(user_id):
    """`User._default_manager.get(pk=user_id)`, or None where that raises DoesNotExist."""
    return user_and_groups_by_pk(user_id)[0]


def _backend_user(backend, user_id):
    if type(backend).get_user is ModelBackend.get_user:  # the backend reads the row as ModelBackend does
        user, groups = user_and_groups_by_pk(user_id)
        if user is None or not backend.user_can_authenticate(user):
            return None
        roles_remember(user, groups)
        return user
    return backend.get_user(user_id)


def get_user(request):
    """django.contrib.auth.get_user (Django 5.2), reading the user (and its roles) with `user_and_groups_by_pk`."""
    user = None
    try:
        user_id = get_user_model()._meta.pk.to_python(request.session[SESSION_KEY])
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            backend = load_backend(backend_path)
            user = _backend_user(backend, user_id)
            # Verify the session
            if hasattr(user, "get_session_auth_hash"):
                session_hash = request.session.get(HASH_SESSION_KEY)
                if not session_hash:
                    session_hash_verified = False
                else:
                    session_auth_hash = user.get_session_auth_hash()
                    session_hash_verified = constant_time_compare(session_hash, session_auth_hash)
                if not session_hash_verified:
                    # Not the current secret: one of the fallback secrets moves the session onto the current
                    # one; none of them flushes it.
                    if session_hash and any(
                        constant_time_compare(session_hash, fallback_auth_hash)
                        for fallback_auth_hash in user.get_session_auth_fallback_hash()
                    ):
                        request.session.cycle_key()
                        request.session[HASH_SESSION_KEY] = session_auth_hash
                    else:
                        request.session.flush()
                        user = None
    return user or AnonymousUser()


def _cached_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, with request.user from `get_user` above (request.auser stays Django's)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))
