"""Imports never lose, merge or double a record (issue 9): each observation reproduced.

Against PostgreSQL (the README's test command); the worker tests start real Celery workers.
"""

import datetime as dt
import io
import json
import threading
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from incidents.models import Incident, InjuryRecord
from safecommunity.models import ImportedRow, ImportJob, ImportRejection
from safecommunity.records import FileRejected, get_kind, run_import
from safecommunity.records.choices import ImportStatus
from safecommunity.records.importer import LeaseLost
from safecommunity.records.services import import_job_create, import_job_run, import_jobs_recover
from tests.incidents.factories import IncidentFactory, make_id_number

from .records_fixtures.helpers import write_xlsx

INCIDENT = get_kind("incidents").headers
INJURY = get_kind("injuries").headers


def incident_row(**cells):
    row = dict.fromkeys(INCIDENT, "")
    row.update(
        {
            "发生时间": "2024-04-01 08:00",
            "所属村(社区)": "东关社区",
            "地点": "G105国道K12处",
            "行业领域": "道路交通",
            "事故类型": "车辆伤害",
            "死亡人数": "0",
            "重伤人数": "0",
            "轻伤人数": "0",
        }
    )
    row.update(cells)
    return [row[h] for h in INCIDENT]


def injury_row(**cells):
    row = dict.fromkeys(INJURY, "")
    row.update(
        {
            "性别": "男",
            "年龄": "5",
            "伤害发生时间": "2024-04-01",
            "所属村(社区)": "东关社区",
            "伤害原因": "跌倒/坠落",
            "伤害地点": "家中",
            "伤害发生时活动": "休闲活动",
            "伤害性质": "骨折",
            "伤害部位": "头部",
            "严重程度": "轻",
            "结局": "处理后离院",
        }
    )
    row.update(cells)
    return [row[h] for h in INJURY]


def csv_file(headers, rows) -> io.BytesIO:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows([headers, *rows])
    data = io.BytesIO(buffer.getvalue().encode("utf-8-sig"))
    data.name = "ledger.csv"
    return data


def xlsx_bytes(sheets: dict) -> io.BytesIO:
    """{sheet name: rows}; a cell given as ("merge", "A2:A4") is handled by the caller."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "ledger.xlsx"
    return out


def imp(kind, fileobj, world, **kwargs):
    fileobj.seek(0)
    return run_import(
        kind,
        fileobj,
        township=world.township1,
        user=world.users["township1"],
        filename=getattr(fileobj, "name", "x.csv"),
        **kwargs,
    )


def reasons(result) -> dict[int, str]:
    return {row_no: reason for _sheet, row_no, _cells, reason in result.rejected}


# --- distinct records are never merged -----------------------------------------------------------


@pytest.mark.django_db
def test_two_accidents_at_one_place_on_one_day_are_two_records(world):
    data = csv_file(INCIDENT, [incident_row(), incident_row(**{"死亡人数": "1", "轻伤人数": "2"})])
    result = imp("incidents", data, world)
    assert (result.imported, result.duplicates, result.rejected) == (2, 0, [])
    assert sorted(Incident.objects.values_list("deaths", "minor_injuries")) == [(0, 0), (1, 2)]


@pytest.mark.django_db
def test_two_anonymous_cards_differing_only_in_body_part_are_two_records(world):
    data = csv_file(INJURY, [injury_row(), injury_row(**{"伤害部位": "上肢"})])
    result = imp("injuries", data, world)
    assert (result.imported, result.duplicates) == (2, 0)
    assert InjuryRecord.objects.count() == 2


@pytest.mark.django_db
def test_identical_rows_are_counted_as_copies_and_never_imported_twice(world):
    two = csv_file(INJURY, [injury_row(), injury_row()])
    assert imp("injuries", two, world).imported == 2
    again = imp("injuries", two, world)
    assert (again.imported, again.duplicates) == (0, 2)
    three = csv_file(INJURY, [injury_row(), injury_row(), injury_row()])
    assert (imp("injuries", three, world).imported, InjuryRecord.objects.count()) == (1, 3)


@pytest.mark.django_db
def test_a_known_number_with_changed_content_is_a_conflict_naming_the_columns(world):
    imp("incidents", csv_file(INCIDENT, [incident_row(**{"事故编号": "SG-2024-001"})]), world)
    corrected = csv_file(
        INCIDENT,
        [incident_row(**{"事故编号": "SG-2024-001", "死亡人数": "1"}), incident_row(**{"事故编号": "SG-2024-002"})],
    )
    result = imp("incidents", corrected, world)
    assert (result.imported, result.duplicates) == (1, 0)
    reason = reasons(result)[2]
    assert "死亡人数" in reason and "未导入" in reason and "地点" not in reason
    assert Incident.objects.get(source_number="SG-2024-001").deaths == 0  # nothing saved is changed
    same = imp("incidents", csv_file(INCIDENT, [incident_row(**{"事故编号": "SG-2024-001"})]), world)
    assert (same.imported, same.duplicates, same.rejected) == (0, 1, [])


@pytest.mark.django_db
def test_one_number_twice_in_a_file_with_different_content_names_the_earlier_row(world):
    data = csv_file(INCIDENT, [incident_row(**{"事故编号": "7"}), incident_row(**{"事故编号": "7", "地点": "别处"})])
    result = imp("incidents", data, world)
    assert result.imported == 1
    assert "第2行" in reasons(result)[3] and "地点" in reasons(result)[3]


@pytest.mark.django_db
def test_an_exported_record_edited_and_reimported_is_a_conflict_not_a_silent_duplicate(world, tmp_path):
    from django.core.management import call_command
    from openpyxl import load_workbook

    IncidentFactory(village=world.village1, address="东关路口", deaths=0)
    path = tmp_path / "export.xlsx"
    call_command("export_records", "incidents", "--township", "371799001", "--out", str(path), stdout=io.StringIO())
    assert imp("incidents", io.BytesIO(path.read_bytes()), world).duplicates == 1
    workbook = load_workbook(path)
    sheet = workbook.active
    sheet.cell(row=2, column=INCIDENT.index("死亡人数") + 1, value=2)
    workbook.save(path)
    result = imp("incidents", io.BytesIO(path.read_bytes()), world)
    assert result.imported == 0 and "死亡人数" in reasons(result)[2]
    assert Incident.objects.get().deaths == 0


# --- every cell read as the ledger meant it ------------------------------------------------------


@pytest.mark.django_db
def test_every_sheet_is_imported_and_a_sheet_without_header_is_reported(world):
    data = xlsx_bytes(
        {
            "一月": [INJURY, injury_row(**{"伤害部位": "上肢"})],
            "二月": [INJURY, injury_row(**{"伤害部位": "下肢"}), injury_row(**{"伤害部位": "躯干"})],
            "说明": [["填表说明：每张卡片一行"]],
        }
    )
    result = imp("injuries", data, world)
    assert result.imported == 3
    assert [(s, n) for s, n, _c, _r in result.rejected] == [("说明", 0)]
    assert "没有表头" in result.rejected[0][3]


@pytest.mark.django_db
def test_a_title_block_above_the_header_and_merged_village_cells(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["城关街道2024年伤害监测台账"])
    sheet.append(["填报单位：城关街道安监站", None, None, "填报日期：2024-05-01"])
    sheet.append(INJURY)
    for part in ("上肢", "下肢", "躯干"):
        sheet.append(injury_row(**{"伤害部位": part}))
    village_col = INJURY.index("所属村(社区)") + 1
    for r in (5, 6):
        sheet.cell(row=r, column=village_col, value=None)
    sheet.merge_cells(start_row=4, start_column=village_col, end_row=6, end_column=village_col)
    sheet.merge_cells("A1:H1")
    out = io.BytesIO()
    workbook.save(out)
    out.name = "merged.xlsx"
    result = imp("injuries", out, world)
    assert (result.imported, result.rejected) == (3, [])
    assert set(InjuryRecord.objects.values_list("village__name", flat=True)) == {"东关社区"}


@pytest.mark.django_db
def test_an_id_number_stored_as_a_number_is_refused_never_stored(world):
    good = next(
        n for n in (make_id_number(birth=dt.date(2019, 1, 1), seq=s) for s in range(10, 40)) if not n.endswith("X")
    )
    data = xlsx_bytes(
        {
            "卡片": [
                INJURY,
                injury_row(**{"身份证号": good, "年龄": ""}),
                injury_row(**{"身份证号": int(good)}),
                injury_row(**{"身份证号": 3.70102199001011e17}),
            ]
        }
    )
    result = imp("injuries", data, world)
    assert result.imported == 1
    assert all("身份证号被 Excel 存成了数字" in reasons(result)[n] for n in (3, 4)), result.rejected
    assert list(InjuryRecord.objects.values_list("id_number", flat=True)) == [good]


@pytest.mark.django_db
def test_a_formula_without_a_computed_value_is_refused_with_its_cell(world):
    data = xlsx_bytes({"事故": [INCIDENT, incident_row(), incident_row(**{"死亡人数": "=1+1", "地点": "别处"})]})
    result = imp("incidents", data, world)
    col = "ABCDEFGHIJKLMNOP"[INCIDENT.index("死亡人数")]
    assert result.imported == 1
    assert f"{col}3" in reasons(result)[3] and "公式" in reasons(result)[3]


@pytest.mark.django_db
def test_narrative_text_is_kept_byte_for_byte(world):
    narrative = "两车相撞，司机（男）受伤；Ａ车驶离。  第二句。"
    imp("incidents", csv_file(INCIDENT, [incident_row(**{"简要经过": narrative})]), world)
    assert Incident.objects.get().narrative == narrative


# --- memory bombs ---------------------------------------------------------------------------------


def _bomb(member: str, megabytes: int) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(member, "w") as stream:
            block = b"A" * (1 << 20)
            for _ in range(megabytes):
                stream.write(block)
    out.seek(0)
    out.name = "bomb.xlsx"
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("member,megabytes", [("xl/sharedStrings.xml", 100), ("xl/worksheets/sheet1.xml", 20)])
def test_a_zip_bomb_is_refused_before_anything_is_decompressed(world, member, megabytes):
    bomb = _bomb(member, megabytes)
    assert len(bomb.getvalue()) < 1 << 20
    started = time.monotonic()
    with pytest.raises(FileRejected, match="压缩炸弹"):
        imp("incidents", bomb, world)
    assert time.monotonic() - started < 5  # refused from the zip directory, not after reading it


@pytest.mark.django_db
def test_a_csv_cell_past_excels_limit_rejects_its_row_only(world):
    data = csv_file(
        INCIDENT, [incident_row(), incident_row(**{"简要经过": "很" * 40000}), incident_row(**{"地点": "别处"})]
    )
    result = imp("incidents", data, world)
    assert result.imported == 2
    assert "32767" in reasons(result)[3]
    assert all(len(c) <= 300 for c in result.rejected[0][2])  # the rejected row keeps little of it


# --- resumable, exactly-once jobs -----------------------------------------------------------------


def _job(world, settings, tmp_path, data: bytes, name="ledger.csv", kind="injuries"):
    settings.MEDIA_ROOT = tmp_path
    with transaction.atomic():
        return import_job_create(
            kind=kind, township=world.township1, user=world.users["township1"], upload=SimpleUploadedFile(name, data)
        )


def _ledger(rows) -> bytes:
    return csv_file(INJURY, rows).getvalue()


def _varied_rows(n):
    parts = ["上肢", "下肢", "躯干", "头部"]
    rows = [
        injury_row(**{"年龄": str(1 + i % 90), "伤害部位": parts[i % 4], "伤害发生时间": f"2024-01-{1 + i % 28:02d}"})
        for i in range(n)
    ]
    rows[5] = rows[4]  # two identical copies: both are records
    rows[7] = injury_row(**{"年龄": "abc"})  # rejected
    return rows


class Interrupt(BaseException):
    """Stands for the process dying: no handler of the job's own sees it."""


@pytest.mark.django_db
def test_an_interrupted_job_resumes_after_its_last_batch_with_the_counts_of_an_uninterrupted_run(
    world, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.IMPORT_BATCH_SIZE = 10
    rows = _varied_rows(95)
    job = _job(world, settings, tmp_path, _ledger(rows))

    from safecommunity.records import importer

    original = importer.Run.flush
    calls = {"n": 0}

    def dying_flush(self, final=False):
        original(self, final)
        calls["n"] += 1
        if calls["n"] == 3:
            raise Interrupt  # the worker dies right after its third commit

    monkeypatch.setattr(importer.Run, "flush", dying_flush)
    with pytest.raises(Interrupt):
        import_job_run(job_id=job.pk)
    monkeypatch.setattr(importer.Run, "flush", original)
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and 0 < job.checkpoint < 96
    assert InjuryRecord.objects.count() == job.imported > 0
    import_job_run(job_id=job.pk)  # a redelivery while the heartbeat is fresh: nothing happens
    assert ImportJob.objects.get(pk=job.pk).checkpoint == job.checkpoint

    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.imported, job.duplicates, job.rejected, job.attempts) == (ImportStatus.DONE, 94, 0, 1, 2)
    assert InjuryRecord.objects.count() == 94
    assert list(job.rejections.values_list("row_no", flat=True)) == [9]
    assert ImportedRow.objects.filter(job=job).count() == 94


@pytest.mark.django_db
def test_a_database_error_mid_run_requeues_the_job_and_it_resumes(world, settings, tmp_path, monkeypatch):
    settings.IMPORT_BATCH_SIZE = 10
    job = _job(world, settings, tmp_path, _ledger(_varied_rows(40)))
    kind = get_kind("injuries")
    original = type(kind).save_batch
    calls = {"n": 0}

    def failing(self, rows, *, township, user):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OperationalError("server closed the connection unexpectedly")
        return original(self, rows, township=township, user=user)

    monkeypatch.setattr(type(kind), "save_batch", failing)
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.enqueued_at, job.imported) == (ImportStatus.QUEUED, None, 9)  # batch 1 committed
    import_jobs_recover()  # the sweep hands it to the (eager) broker: it resumes
    job.refresh_from_db()
    assert (job.status, job.imported, job.rejected) == (ImportStatus.DONE, 39, 1)
    assert InjuryRecord.objects.count() == 39


@pytest.mark.django_db
def test_a_run_that_lost_its_lease_writes_nothing(world, settings, tmp_path):
    job = _job(world, settings, tmp_path, _ledger(_varied_rows(12)))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, lease="someone-else", heartbeat_at=timezone.now()
    )
    job.refresh_from_db()
    with job.file.open("rb") as fileobj, pytest.raises(LeaseLost):
        run_import("injuries", fileobj, township=world.township1, user=None, filename="a.csv", job=job, lease="mine")
    assert InjuryRecord.objects.count() == 0 and ImportRejection.objects.count() == 0


@pytest.mark.django_db
def test_with_the_broker_down_the_job_waits_with_a_notice_and_the_sweep_sends_it(
    world, settings, tmp_path, as_user, django_capture_on_commit_callbacks
):
    from safecommunity.celery import app

    def fresh_pools():
        app.close()  # pools and producers are rebuilt for the broker configured now
        app.amqp._producer_pool = None

    names = ("task_always_eager", "broker_url", "broker_write_url", "broker_read_url")
    saved = {name: app.conf[name] for name in names}
    app.conf.update(
        task_always_eager=False,
        broker_url="redis://127.0.0.1:1/0",  # nothing listens there
        broker_write_url="redis://127.0.0.1:1/0",
        broker_read_url="redis://127.0.0.1:1/0",
    )
    fresh_pools()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = _job(world, settings, tmp_path, _ledger(_varied_rows(12)))
    finally:
        app.conf.update(saved)
        fresh_pools()  # the next send builds its pool for the restored broker
    job.refresh_from_db()
    assert (job.status, job.enqueued_at) == (ImportStatus.QUEUED, None)
    page = as_user("township1").get(job.get_absolute_url()).content.decode()
    assert "后台任务暂不可用，任务已保存，将自动继续" in page
    assert import_jobs_recover() == 1
    job.refresh_from_db()
    assert (job.status, job.imported) == (ImportStatus.DONE, 11)


@pytest.mark.django_db
def test_the_result_page_lists_rejected_rows_and_a_failed_job_can_be_retried(
    world, settings, tmp_path, as_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _job(world, settings, tmp_path, _ledger(_varied_rows(12)))
    job.refresh_from_db()
    assert (job.status, job.rejected) == (ImportStatus.DONE, 1), job.error_message
    page = as_user("township1").get(job.get_absolute_url()).content.decode()
    assert 'id="rejections"' in page and "年龄：" in page and "<td>9</td>" in page
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, error_message="x")
    client = as_user("township1")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("records:import_retry", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.imported) == (ImportStatus.DONE, 11)  # nothing imported twice
    assert InjuryRecord.objects.count() == 11
    other = as_user("township2").post(reverse("records:import_retry", kwargs={"pk": job.pk}))
    assert other.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_on_the_embedded_default_an_import_runs_in_a_thread_of_its_own(world, settings, tmp_path, as_user):
    settings.IMPORTS_IN_THREAD = True
    settings.MEDIA_ROOT = tmp_path
    seen = []
    kind = get_kind("injuries")
    original = type(kind).save_batch

    def recording(self, rows, *, township, user):
        seen.append(threading.current_thread().name)
        return original(self, rows, township=township, user=user)

    type(kind).save_batch = recording
    try:
        client = as_user("township1")
        response = client.post(
            reverse("records:import_new", kwargs={"kind": "injuries"}),
            {"file": SimpleUploadedFile("a.csv", _ledger(_varied_rows(12)))},
        )
        assert response.status_code == 302
        job = ImportJob.objects.get()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not ImportJob.objects.get(pk=job.pk).is_finished:
            time.sleep(0.1)
    finally:
        type(kind).save_batch = original
    job.refresh_from_db()
    assert (job.status, job.imported) == (ImportStatus.DONE, 11)
    assert seen and all(name == f"import-{job.pk}" for name in seen)


# --- real workers: concurrency and SIGKILL ----------------------------------------------------------


def _wait(job_ids, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = list(ImportJob.objects.filter(pk__in=job_ids))
        if all(j.is_finished for j in jobs):
            return jobs
        time.sleep(0.2)
    pytest.fail(f"jobs not finished: {[(j.pk, j.status, j.checkpoint) for j in jobs]}")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_same_file_imported_twice_at_once_by_two_workers_leaves_one_copy(
    world, settings, tmp_path, monkeypatch, celery_worker_factory
):
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    monkeypatch.setenv("SC_IMPORT_BATCH_SIZE", "200")
    celery_worker_factory(concurrency=2)
    rows = _varied_rows(3000)
    data = _ledger(rows)
    jobs = [_job(world, settings, tmp_path, data), _job(world, settings, tmp_path, data)]  # a double click
    done = _wait([j.pk for j in jobs])
    assert all(j.status == ImportStatus.DONE for j in done), [j.error_message for j in done]
    assert InjuryRecord.objects.count() == 2999
    assert sum(j.imported for j in done) == 2999 and sum(j.duplicates for j in done) == 2999
    assert ImportedRow.objects.count() == 2999


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_is_resumed_by_another_with_exact_counts(
    world, settings, tmp_path, monkeypatch, celery_worker_factory
):
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    monkeypatch.setenv("SC_IMPORT_BATCH_SIZE", "100")
    monkeypatch.setenv("SC_IMPORT_STALE_SECONDS", "3")
    settings.IMPORT_STALE_SECONDS = 3
    first = celery_worker_factory()
    job = _job(world, settings, tmp_path, _ledger(_varied_rows(8000)))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.checkpoint >= 300:
            break
        time.sleep(0.05)
    assert job.status == ImportStatus.RUNNING and job.checkpoint < 8001, (job.status, job.checkpoint)
    first.kill()
    celery_worker_factory()
    time.sleep(3.5)
    assert import_jobs_recover() >= 1
    (job,) = _wait([job.pk])
    assert (job.status, job.imported, job.rejected, job.duplicates) == (ImportStatus.DONE, 7999, 1, 0)
    assert job.attempts == 2
    assert InjuryRecord.objects.count() == 7999
    assert ImportRejection.objects.filter(job=job).count() == 1
    assert json.loads(job.headers)[0] == "姓名"


# --- a command-line import of a workbook ------------------------------------------------------------


@pytest.mark.django_db
def test_write_xlsx_helper_rows_import_through_every_sheet(world, tmp_path):
    path = write_xlsx(tmp_path / "v.xlsx", [["名称", "区划代码"], ["北苑", "371799001050"]])
    assert run_import("villages", path, township=world.township1).imported == 1
