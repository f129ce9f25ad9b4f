"""Fixtures for the account tests: a clean rate-limit cache, English messages, verified accounts."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from organisations.models import UnitKind
from tests.factories import UserFactory, make_unit


@pytest.fixture(autouse=True)
def clean_cache():
    """Rate limits and used TOTP codes live in the cache: no test may inherit another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions compare English messages; the site's default language is Vietnamese."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def commune(province):
    return make_unit("Xã Nghi Lộc", parent=province, kind=UnitKind.COMMUNE, code="17000")


@pytest.fixture
def make_account(db):
    """A user whose e-mail is verified, as after a completed sign-up or invitation."""

    def _make(*, username=None, email=None, roles=()):
        kwargs = {k: v for k, v in {"username": username, "email": email}.items() if v}
        user = UserFactory(roles=list(roles), **kwargs)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return _make
