"""The month-end package, built by a real Celery worker: five documents with the month's exact
figures in one zip and one combined PDF; a double click builds once; a dead worker's job is
reclaimed by the sweep."""

import io
import json
import subprocess
import time
import zipfile
from datetime import date, timedelta

import pytest
from django.utils import timezone

from closing import services
from closing.choices import PackageStatus
from closing.models import MonthPackage
from inspections import selectors as inspections
from reports.builtin_schemes import install_builtin_schemes
from safecommunity.periods import Period
from tests.committees.factories import MeetingFactory
from tests.incidents.factories import IncidentFactory, aware
from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory

YEAR, MONTH = 2026, 3


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_package_zip_holds_the_five_documents_with_the_months_exact_figures(world, celery_worker, media_root):
    install_builtin_schemes()
    IncidentFactory(village=world.village1, occurred_at=aware(YEAR, MONTH, 5), deaths=1, minor_injuries=2)
    IncidentFactory(village=world.village1, occurred_at=aware(YEAR, MONTH, 9), minor_injuries=1)
    entity = EntityFactory(grid=GridFactory(village=world.village1), name="东关机械厂")
    HazardFactory(
        entity=entity,
        found_on=date(YEAR, MONTH, 2),
        deadline=date(YEAR, MONTH, 10),
        description="消防通道堵塞",
        registered_by=world.users["inspector1"],
    )
    MeetingFactory(township=world.township1, held_on=date(YEAR, MONTH, 12), title="三月创安联席会议")
    user = world.users["township1"]

    first = services.package_request(user=user, year=YEAR, month=MONTH)
    again = services.package_request(user=user, year=YEAR, month=MONTH)  # a double click
    assert again.pk == first.pk

    def ready():
        first.refresh_from_db()
        return first.status in (PackageStatus.READY, PackageStatus.FAILED)

    _wait(ready, 120, "the package")
    assert first.status == PackageStatus.READY, first.error
    assert MonthPackage.objects.count() == 1 and first.progress == 100
    with first.zip_file.open("rb") as fh:
        zf = zipfile.ZipFile(io.BytesIO(fh.read()))
    names = sorted(zf.namelist())
    assert names == [
        "01-371799001-2026-03-简报.pdf",
        "02-371799001-2026-03-考核评分表.pdf",
        "03-371799001-2026-03-逾期隐患清单.pdf",
        "04-371799001-2026-03-会议纪要.pdf",
        "05-371799001-2026-03-议定事项落实情况.pdf",
        "manifest.json",
    ]
    manifest = json.loads(zf.read("manifest.json"))
    figures = manifest["townships"]["371799001"]["figures"]
    assert (figures["incidents"], figures["deaths"], figures["injured"], figures["hazards_found"]) == (2, 1, 3, 1)
    assert manifest["townships"]["371799001"]["briefing_figures"]["incidents"] == 2
    as_of = date(YEAR, MONTH, 31)
    period = Period.month(YEAR, MONTH)
    overdue = inspections.hazard_statistics(townships=[world.township1.pk], period=period, today=as_of)["overdue"]
    assert manifest["overdue_hazards"] == overdue == 1 and manifest["meetings"] == 1
    briefing = _text(zf.read("01-371799001-2026-03-简报.pdf"))
    assert "2" in briefing and "城关街道" in briefing
    assert "消防通道堵塞" in _text(zf.read("03-371799001-2026-03-逾期隐患清单.pdf"))
    assert "共 1 项" in _text(zf.read("03-371799001-2026-03-逾期隐患清单.pdf"))
    assert "三月创安联席会议" in _text(zf.read("04-371799001-2026-03-会议纪要.pdf"))
    with first.pdf_file.open("rb") as fh:
        combined = fh.read()
    from pypdf import PdfReader

    pages = sum(len(PdfReader(io.BytesIO(zf.read(n))).pages) for n in names[:5])
    assert len(PdfReader(io.BytesIO(combined)).pages) == pages

    # A worker killed mid-build: its claim goes stale, the sweep sends the job again, and it is built once.
    long_ago = timezone.now() - services.STALE_CLAIM - timedelta(seconds=5)
    dead = MonthPackage.objects.create(
        user=user,
        area=world.township1,
        year=YEAR,
        month=2,
        title="二月",
        status=PackageStatus.RENDERING,
        task_id="dead-worker",
        started_at=long_ago,
        heartbeat_at=long_ago,
    )
    assert dead.stuck
    assert services.packages_requeue() == 1

    def rebuilt():
        dead.refresh_from_db()
        return dead.status == PackageStatus.READY

    _wait(rebuilt, 120, "the reclaimed package")
    assert dead.task_id != "dead-worker" and not dead.stuck
