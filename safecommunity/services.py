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
    *,
    username: str,
    password: str,
    role: str,
    area: Area,
    full_name: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    user = User(username=username, role=role, area=area, full_name=full_name, phone=phone, email=email)
    user.is_staff = role == Role.ADMINISTRATOR
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def security_event_record(
    *, kind: str, username: str, user=None, ip_address=None, user_agent: str = "", detail: str = ""
):
    return SecurityEvent.objects.create(
        kind=kind,
        username=username[:150],
        user=user,
        ip_address=ip_address,
        user_agent=user_agent,
        detail=detail[:200],
    )


def townships_for_user(user):
    """The townships a user may see: their own, or all of their county's."""
    return Area.objects.for_user(user).townships()


def housekeeping_purge(*, now=None) -> dict[str, int]:
    """Rows that have served their purpose: one-time form tokens older than any session that could
    still post their form (``SUBMISSION_TOKEN_MAX_AGE``), and finished downloads (ready or failed)
    older than ``DOWNLOAD_RETENTION_DAYS``, with their files. Import jobs are kept: their rows'
    identities guard against importing a file twice."""
    from datetime import timedelta

    from django.conf import settings
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from reports.choices import RenderStatus
    from reports.models import DownloadJob

    from .models import SubmissionToken

    now = now or timezone.now()
    tokens, _ = SubmissionToken.objects.filter(
        created_at__lt=now - timedelta(seconds=settings.SUBMISSION_TOKEN_MAX_AGE)
    ).delete()
    old = DownloadJob.objects.filter(
        status__in=[RenderStatus.READY, RenderStatus.FAILED],
        updated_at__lt=now - timedelta(days=settings.DOWNLOAD_RETENTION_DAYS),
    )
    downloads = 0
    for pk, name in old.values_list("pk", "file").iterator():
        if DownloadJob.objects.filter(pk=pk).delete()[0] and name:
            default_storage.delete(name)
        downloads += 1
    return {"submission_tokens": tokens, "downloads": downloads}
