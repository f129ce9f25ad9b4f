import pytest
from django.core.cache import cache

from accounts.roles import Role
from organisations.models import UnitKind
from tests.factories import PersonFactory, UserFactory, make_unit


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache (Redis in CI): no test inherits another's failures."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def province(db):
    return make_unit("Tỉnh Nghệ An", kind=UnitKind.PROVINCE, code="40")


@pytest.fixture
def unit_a(province):
    return make_unit("Sở Nội vụ", parent=province, code="NA-SNV")


@pytest.fixture
def unit_a_child(unit_a):
    return make_unit("Phòng Công chức, viên chức", parent=unit_a, kind=UnitKind.SUB_UNIT, code="NA-SNV-CCVC")


@pytest.fixture
def unit_b(province):
    return make_unit("Sở Y tế", parent=province, code="NA-SYT")


@pytest.fixture
def make_person(db):
    def _make(*, unit=None, roles=(), **kwargs):
        user = UserFactory(roles=list(roles))
        return PersonFactory(user=user, unit=unit, **kwargs)

    return _make


@pytest.fixture
def officer_a(make_person, unit_a):
    return make_person(unit=unit_a, roles=[Role.UNIT_OFFICER, Role.LEARNER], full_name="Trần Thị Cán Bộ")


@pytest.fixture
def mfa_client(client):
    """A test client logged in with the second factor already satisfied (allauth MFA)."""
    from tests.helpers import login_with_totp

    def _login(user):
        login_with_totp(client, user)
        return client

    return _login


@pytest.fixture
def through_broker():
    """The test settings make callers run tasks eagerly; tests with a real worker publish to the broker instead."""
    from lms.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = eager
