"""Thin tasks: the month-end package build (in the area's heavy-job slot) and its sweep."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from safecommunity.limits import run_heavy

from . import services
from .choices import PackageStatus
from .models import MonthPackage

LIMITS = {"time_limit": services.PACKAGE_TIME_LIMIT, "soft_time_limit": services.PACKAGE_TIME_LIMIT - 30}


@shared_task(name="closing.tasks.package_build", bind=True, **LIMITS)
def package_build(self, package_id: int):
    area_id = MonthPackage.objects.filter(pk=package_id).values_list("area_id", flat=True).first()
    if area_id is None:
        return None
    return run_heavy(
        self,
        area_id=area_id,
        run=lambda: services.package_build(package_id=package_id, task_id=self.request.id or ""),
        waiting=lambda: MonthPackage.objects.filter(pk=package_id, status=PackageStatus.QUEUED).update(
            updated_at=timezone.now()
        ),
    )


@shared_task(name="closing.tasks.packages_sweep")
def packages_sweep():
    """Every minute: send again packages whose message was lost or whose worker died."""
    if not cache.add("closing:packages-sweep", "1", 50):
        return None
    return services.packages_requeue()
