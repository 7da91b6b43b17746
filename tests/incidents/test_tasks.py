"""A large injury file goes through the shared ImportJob task on a real Celery worker."""

import csv
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.models import InjuryRecord
from safecommunity.records import get_kind
from safecommunity.records.models import ImportJob

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_injury_file_imports_in_the_background_with_progress(
    celery_worker_factory, as_user, world, settings, tmp_path, monkeypatch
):
    # The worker is a separate process: it reads MEDIA_ROOT from the environment.
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path
    celery_worker_factory()
    kind = get_kind("injuries")
    rows = kind.sample_rows(3000, world.township1)
    rows.append(
        [
            "坏行",
            "",
            "男",
            "200",
            "2024-01-01",
            "",
            "东关社区",
            "跌倒/坠落",
            "家中",
            "家务",
            "",
            "",
            "骨折",
            "下肢",
            "轻",
            "住院",
            "",
        ]
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(kind.headers)
    writer.writerows(rows)
    upload = SimpleUploadedFile("伤害.csv", buffer.getvalue().encode("gb18030"), content_type="text/csv")
    client = as_user("township1")
    response = client.post("/imports/injuries/new/", {"file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.5)
    assert job.status == "done", job.error_message
    assert job.rejected == 1 and job.imported + job.duplicates == 3000
    assert InjuryRecord.objects.filter(township=world.township1).count() == job.imported
    progress = client.get(f"/imports/jobs/{job.pk}/progress/")
    assert progress.status_code == 200 and "100" in progress.content.decode()
