"""Separate Celery queues (safecommunity/celery.py): imports, documents and the scheduled jobs each
have their own workers, started here as docker-compose starts them (docker/entrypoint.sh
worker-imports / worker-documents), so a long import does not delay another township's briefing."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from reports import services, tasks
from reports.choices import RenderStatus
from reports.models import Briefing
from safecommunity.celery import DAILY, DOCUMENTS, IMPORTS, app, route_task
from safecommunity.records.choices import ImportStatus
from safecommunity.records.models import ImportJob
from safecommunity.records.services import import_job_create
from tests.conftest import _database_url
from tests.security.test_heavy_job_limits import _ledger, _wait

ROOT = Path(__file__).resolve().parents[2]


def test_routes_send_imports_documents_and_scheduled_jobs_to_their_own_queues(settings):
    settings.TASK_QUEUES_ROUTED, settings.TASK_QUEUE_PREFIX = True, ""
    assert route_task("safecommunity.tasks.import_run", (), {}, {}) == {"queue": IMPORTS}
    for name in ("reports.tasks.briefing_build", "reports.tasks.briefing_render", "reports.tasks.download_render"):
        assert route_task(name, (), {}, {}) == {"queue": DOCUMENTS}
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert route_task(entry["task"], (), {}, {}) == {"queue": DAILY}
    assert route_task("api.tasks.webhook_deliver", (), {}, {}) is None  # the default queue
    settings.TASK_QUEUES_ROUTED = False
    assert route_task("safecommunity.tasks.import_run", (), {}, {}) is None


class EntrypointWorker:
    """``docker/entrypoint.sh worker-<queue>`` as a subprocess against the test database."""

    def __init__(self, role: str, prefix: str, log_dir: Path, extra_env: dict):
        queue = role.removeprefix("worker-")
        self.node = f"{prefix}{queue}@{os.uname().nodename}"
        env = {
            **os.environ,
            **extra_env,
            "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
            "DATABASE_URL": _database_url(),
            "DJANGO_SETTINGS_MODULE": "safecommunity.settings.test",
            "SC_CELERY_EAGER": "0",
            "SC_CELERY_QUEUES": "1",
            "SC_CELERY_QUEUE_PREFIX": prefix,
            "WORKER_CONCURRENCY": "1",
            "SC_TEST_CACHE_PREFIX": django_settings.CACHES["default"].get("KEY_PREFIX", ""),
        }
        self.log_path = log_dir / f"{role}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            ["sh", "docker/entrypoint.sh", role], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"{self.node} exited early:\n{self.log_path.read_text()[-3000:]}")
            if app.control.ping(timeout=0.5, destination=[self.node]):
                return self
        pytest.fail(f"{self.node} did not answer a ping")

    def received(self) -> str:
        return self.log_path.read_text()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def _waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_long_import_does_not_delay_another_townships_briefing(world, settings, tmp_path, celery_worker_factory):
    prefix = f"sc-test-{uuid.uuid4().hex[:8]}-"
    settings.TASK_QUEUES_ROUTED, settings.TASK_QUEUE_PREFIX = True, prefix  # the sender's routes
    settings.MEDIA_ROOT = tmp_path
    worker_env = {"MEDIA_ROOT": str(tmp_path)}
    workers = []
    try:
        documents_worker = EntrypointWorker("worker-documents", prefix, tmp_path, worker_env)
        workers.append(documents_worker)
        briefing, _ = services.briefing_generate(township=world.township2, year=2026, month=3)
        rows = 300
        with transaction.atomic():
            job = import_job_create(
                kind="injuries",
                township=world.township1,
                user=world.users["township1"],
                upload=SimpleUploadedFile("ledger.csv", _ledger(rows, 0)),
            )
        # The import "takes as long as the test wants": the imports worker (concurrency 1) starts
        # now and is held on the job's row, locked here, so the imports queue is busy throughout.
        with transaction.atomic():
            ImportJob.objects.select_for_update().get(pk=job.pk)
            imports_worker = EntrypointWorker("worker-imports", prefix, tmp_path, worker_env)
            workers.append(imports_worker)
            documents_worker.wait_ready()
            _wait(lambda: _waiting_on_a_lock() >= 1, 90, "the imports worker to take the import")
            tasks.briefing_render.delay(briefing.pk)
            _wait(lambda: Briefing.objects.get(pk=briefing.pk).render_status == RenderStatus.READY, 90, "the briefing")
            assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.QUEUED  # still held
        _wait(lambda: ImportJob.objects.get(pk=job.pk).is_finished, 120, "the import")
        job.refresh_from_db()
        briefing.refresh_from_db()
        assert (job.status, job.imported) == (ImportStatus.DONE, rows), job.error_message
        assert briefing.rendered_at < job.finished_at
        # Each worker ran its own queue's tasks only.
        assert "Task safecommunity.tasks.import_run[" in imports_worker.received()
        assert "Task reports.tasks.briefing_render[" not in imports_worker.received()
        assert "Task reports.tasks.briefing_render[" in documents_worker.received()
        assert "Task safecommunity.tasks.import_run[" not in documents_worker.received()
    finally:
        for worker in workers:
            worker.stop()
        with app.connection_for_write() as conn:
            client = conn.default_channel.client
            for queue in (IMPORTS, DOCUMENTS):
                name = f"{prefix}{queue}"
                client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
