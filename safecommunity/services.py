"""Writes shared by every app: areas, users, security events."""

from django.db import transaction

from .choices import Role
from .models import Area, SecurityEvent, User


@transaction.atomic
def model_update(*, instance, fields, data: dict):
    """Set ``data`` on ``instance``, then ``full_clean()`` and ``save()``. ``fields`` are the names
    the calling service lets its callers set (township, creator and status stay the server's);
    any other name is a programming error (``TypeError``), never saved."""
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


def area_create(*, code: str, name: str, level: str, parent: Area | None = None) -> Area:
    area = Area(code=code, name=name, level=level, parent=parent)
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def area_get_or_create(*, code: str, name: str, level: str, parent: Area | None = None) -> Area:
    """Idempotent form used by the demo and scale seeders: an existing code is kept as it is."""
    existing = Area.objects.filter(code=code).first()
    if existing:
        return existing
    return area_create(code=code, name=name, level=level, parent=parent)


@transaction.atomic
def user_create(
    *, username: str, password: str, role: str, area: Area, full_name: str = "", phone: str = "",
    email: str = "",
) -> User:
    user = User(username=username, role=role, area=area, full_name=full_name, phone=phone, email=email)
    user.is_staff = role == Role.ADMINISTRATOR
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def security_event_record(*, kind: str, username: str, user=None, ip_address=None, user_agent: str = ""):
    return SecurityEvent.objects.create(
        kind=kind, username=username[:150], user=user, ip_address=ip_address, user_agent=user_agent
    )


def townships_for_user(user):
    """The townships a user may see: their own, or all of their county's."""
    return Area.objects.for_user(user).townships()
