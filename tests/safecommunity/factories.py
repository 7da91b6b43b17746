import factory

from safecommunity.choices import AreaLevel, Role
from safecommunity.models import Area, User


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    level = AreaLevel.VILLAGE
    name = factory.Sequence(lambda n: f"测试区划{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = Role.TOWNSHIP_STAFF
    password = factory.PostGenerationMethodCall("set_password", "Test-pass-2026")
