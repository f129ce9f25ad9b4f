"""factory_boy factories shared by every test module."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import Role
from organisations.models import Audience, OrganisationUnit, Person, UnitKind

TEST_PASSWORD = "Mat-khau-thu-nghiem-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"u{n:05d}")
    email = factory.Sequence(lambda n: f"nguoi{n}@example.gov.vn")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            self.save()
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=[Role(r).value for r in extracted]))


def make_unit(name: str, *, parent: OrganisationUnit | None = None, kind: str = UnitKind.DEPARTMENT, code: str = ""):
    """Treebeard nodes are created through add_root / add_child, so units have no factory class."""
    if parent is None:
        return OrganisationUnit.add_root(name=name, kind=kind, code=code)
    return parent.add_child(name=name, kind=kind, code=code)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    employee_code = factory.Sequence(lambda n: f"NV{n:06d}")
    audience = Audience.GENERAL
    unit = None
