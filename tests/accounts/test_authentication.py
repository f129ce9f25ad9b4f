"""accounts.authentication: request.user read by one precompiled SELECT, otherwise Django's get_user exactly.

The differential cases run django.contrib.auth.get_user and ours over the same sessions: same user (or
anonymous), same flush, same key cycling. A Django upgrade changing get_user shows here.
"""

from importlib import import_module
from unittest import mock

import pytest
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import RequestFactory
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import authentication, roles
from accounts.models import User
from accounts.roles import Role
from tests.factories import UserFactory

ALLAUTH = "allauth.account.auth_backends.AuthenticationBackend"
MODEL = "django.contrib.auth.backends.ModelBackend"
CUSTOM = "tests.accounts.test_authentication.CustomBackend"


class CustomBackend(ModelBackend):
    """A backend with its own get_user: ours must call it, not read the row itself."""

    calls: list = []

    def get_user(self, user_id):
        CustomBackend.calls.append(user_id)
        return super().get_user(user_id)


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _session_for(user, backend=ALLAUTH, secret=None) -> str:
    store = _store()()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash() if secret is None else secret
    store.save()
    return store.session_key


def _resolve(get_user, session_key):
    request = RequestFactory().get("/")
    request.session = _store()(session_key)
    user = get_user(request)
    return {
        "user": user.pk if user.is_authenticated else None,
        "flushed": request.session.session_key is None,
        "cycled": request.session.session_key not in (None, session_key),
        "hash": request.session.get(HASH_SESSION_KEY),
    }


def _both(make_session):
    """Each implementation gets its own copy of the session (flush and cycle_key change it)."""
    return _resolve(auth.get_user, make_session()), _resolve(authentication.get_user, make_session())


@pytest.mark.django_db
@pytest.mark.parametrize("backend", [ALLAUTH, MODEL])
def test_a_valid_session_is_the_user(backend):
    user = UserFactory()
    django_result, ours = _both(lambda: _session_for(user, backend))
    assert ours == django_result
    assert ours["user"] == user.pk and not ours["flushed"]


@pytest.mark.django_db
def test_a_changed_password_ends_the_session():
    user = UserFactory()
    keys = [_session_for(user), _session_for(user)]
    user.set_password("Mat-khau-khac-2026")
    user.save()
    django_result, ours = _resolve(auth.get_user, keys[0]), _resolve(authentication.get_user, keys[1])
    assert ours == django_result
    assert ours["user"] is None and ours["flushed"]


@pytest.mark.django_db
def test_a_session_without_its_hash_is_flushed():
    user = UserFactory()
    django_result, ours = _both(lambda: _session_for(user, secret=""))
    assert ours == django_result
    assert ours["user"] is None and ours["flushed"]


@pytest.mark.django_db
@pytest.mark.parametrize("change", [
    lambda user: User.objects.filter(pk=user.pk).update(is_active=False),
    lambda user: user.delete(),
], ids=["deactivated", "deleted"])
def test_a_deactivated_or_deleted_account_is_anonymous(change):
    user = UserFactory()
    keys = [_session_for(user), _session_for(user)]
    change(user)
    django_result, ours = _resolve(auth.get_user, keys[0]), _resolve(authentication.get_user, keys[1])
    assert ours == django_result
    assert ours["user"] is None


@pytest.mark.django_db
def test_a_backend_no_longer_configured_is_anonymous():
    user = UserFactory()
    django_result, ours = _both(lambda: _session_for(user, backend="django.contrib.auth.backends.RemoteUserBackend"))
    assert ours == django_result
    assert ours["user"] is None


@pytest.mark.django_db
def test_no_session_is_anonymous():
    assert _resolve(authentication.get_user, None)["user"] is None


@pytest.mark.django_db
def test_a_rotated_secret_key_moves_the_session_onto_the_new_key(settings):
    user = UserFactory()
    old_key = settings.SECRET_KEY
    old_hash = user.get_session_auth_hash()
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-0123456789-abcdefghijklmnop"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    django_result, ours = _both(lambda: _session_for(user, secret=old_hash))
    assert ours == django_result
    assert ours["user"] == user.pk and ours["cycled"] and ours["hash"] == user.get_session_auth_hash()

    settings.SECRET_KEY_FALLBACKS = []  # the old key withdrawn: sessions signed with it end
    django_result, ours = _both(lambda: _session_for(user, secret=old_hash))
    assert ours == django_result
    assert ours["user"] is None and ours["flushed"]


@pytest.mark.django_db
def test_a_backend_with_its_own_get_user_is_asked(settings):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, CUSTOM]
    user = UserFactory()
    CustomBackend.calls = []
    assert _resolve(authentication.get_user, _session_for(user, backend=CUSTOM))["user"] == user.pk
    assert CustomBackend.calls == [user.pk]


@pytest.mark.django_db
def test_the_user_read_is_the_orm_s_row():
    user = UserFactory(first_name="Lan", last_name="Nguyễn")
    user.last_login = user.date_joined
    user.save()

    loaded = authentication.user_by_pk(user.pk)
    expected = User.objects.get(pk=user.pk)
    for field in User._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
        assert type(getattr(loaded, field.attname)) is type(getattr(expected, field.attname)), field.name
    assert loaded._state.db == expected._state.db and loaded._state.adding is False
    assert authentication.user_by_pk(user.pk + 1000) is None


@pytest.mark.django_db
def test_the_middleware_reads_the_user_with_the_precompiled_select(client):
    assert "accounts.authentication.AuthenticationMiddleware" in settings.MIDDLEWARE
    assert "django.contrib.auth.middleware.AuthenticationMiddleware" not in settings.MIDDLEWARE
    user = UserFactory()
    client.force_login(user)
    authentication._compiled.clear()

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accounts/email/")

    assert response.status_code == 200 and response.wsgi_request.user.pk == user.pk
    sql = authentication._compiled[connection.alias][0]
    assert [q["sql"] for q in queries.captured_queries].count(sql.replace("%s", str(user.pk))) == 1


@pytest.mark.django_db
def test_the_user_s_group_names_come_with_its_row():
    user = UserFactory()
    assert authentication.user_and_groups_by_pk(user.pk)[1] == []
    groups = [Group.objects.get_or_create(name=name)[0] for name in (Role.TRAINER.value, Role.LEARNER.value)]
    user.groups.add(*groups)

    loaded, names = authentication.user_and_groups_by_pk(user.pk)
    assert loaded.pk == user.pk and names == sorted([Role.LEARNER.value, Role.TRAINER.value])
    assert authentication.user_and_groups_by_pk(user.pk + 1000) == (None, [])


@pytest.mark.django_db
def test_the_signed_in_user_s_roles_are_read_with_it_not_from_the_cache(client):
    """A privileged role given by a write that sent no signal (so the roles cache still says learner) is
    enforced on the next request: the second factor is asked for."""
    user = UserFactory(roles=[Role.LEARNER])
    client.force_login(user)
    cache.set(roles._roles_key(user.pk), [Role.LEARNER.value], 60)
    home_affairs, _ = Group.objects.get_or_create(name=Role.HOME_AFFAIRS.value)
    User.groups.through.objects.bulk_create([User.groups.through(user_id=user.pk, group_id=home_affairs.pk)])

    with mock.patch.object(roles.cache, "get", wraps=roles.cache.get) as cache_get:
        response = client.get("/learning/")

    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert Role.HOME_AFFAIRS in response.wsgi_request.user._lms_roles
    assert not [c for c in cache_get.call_args_list if "group-names" in str(c)]


def test_the_copy_is_reviewed_again_when_django_changes_get_user():
    """accounts.authentication.get_user is django.contrib.auth.get_user (Django 5.2) with the user read
    differently. If an upgrade changes Django's function (a security fix, a new check), this fails until the
    copy has been compared with the new one and the digest below updated."""
    import hashlib
    import inspect

    import django.contrib.auth

    source = inspect.getsource(django.contrib.auth.get_user)
    assert hashlib.sha256(source.encode()).hexdigest() == (
        "08a852f701f765bc91f251764cc682d2d3f59d5d0fdfa2e1fc6fb9bba45ba960"
    ), "django.contrib.auth.get_user changed: bring accounts/authentication.py's copy in line, then update the digest"
