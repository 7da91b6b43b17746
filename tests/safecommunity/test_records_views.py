"""Import pages: access rules, upload into the user's own township, progress, downloads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from safecommunity.models import Area, ImportJob
from safecommunity.records.choices import ImportStatus

pytestmark = pytest.mark.django_db

VILLAGES_CSV = "区划代码,名称\r\n371799001010,北苑社区\r\n371799001011,\r\n371799001001,重复\r\n".encode("utf-8-sig")


@pytest.fixture
def eager(settings, tmp_path):
    """Tasks run in-process and uploads go to a temporary MEDIA_ROOT."""
    from safecommunity.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def _upload(client, data=VILLAGES_CSV, name="村庄.csv", **extra):
    return client.post(
        reverse("records:import_new", kwargs={"kind": "villages"}), {"file": SimpleUploadedFile(name, data), **extra}
    )


def _job(world, township=None, **fields):
    township = township or world.township1
    return ImportJob.objects.create(
        kind="villages", township=township, user=None, original_name="a.csv", file="imports/a.csv", **fields
    )


@pytest.mark.parametrize("name", ["records:import_new", "records:import_template"])
def test_anonymous_is_sent_to_login(client, world, name):
    response = client.get(reverse(name, kwargs={"kind": "villages"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_cannot_see_a_job(client, world):
    job = _job(world)
    response = client.get(reverse("records:import_detail", kwargs={"pk": job.pk}))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("username", ["member1", "inspector1", "county"])
def test_roles_other_than_township_staff_cannot_upload(as_user, username):
    client = as_user(username)
    assert client.get(reverse("records:import_new", kwargs={"kind": "villages"})).status_code == 403
    assert _upload(client).status_code == 403
    assert not ImportJob.objects.exists()


def test_township_staff_sees_the_upload_form(as_user):
    response = as_user("township1").get(reverse("records:import_new", kwargs={"kind": "villages"}))
    assert response.status_code == 200
    assert "区划代码" in response.content.decode()


def test_unknown_kind_is_404(as_user):
    assert as_user("township1").get(reverse("records:import_new", kwargs={"kind": "nope"})).status_code == 404


def test_upload_imports_into_the_users_own_township(as_user, world, eager, django_capture_on_commit_callbacks):
    client = as_user("township1")
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, township=world.township2.pk)  # a township in the POST is ignored
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.township == world.township1 and job.user == world.users["township1"]
    assert (job.status, job.imported, job.duplicates, job.rejected) == (ImportStatus.DONE, 1, 1, 1)
    assert job.finished_at is not None and job.processed == 3
    assert Area.objects.get(code="371799001010").parent == world.township1
    assert not job.file.name.endswith("村庄.csv")  # stored under a generated name

    page = client.get(job.get_absolute_url()).content.decode()
    assert "已完成" in page and 'hx-trigger="every 1s"' not in page  # the progress stops polling
    download = client.get(reverse("records:import_rejects", kwargs={"pk": job.pk}))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    body = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert body[0] == "工作表,行号,原因,区划代码,名称"
    assert body[1].startswith(",3,名称：不能为空")


def test_upload_refuses_other_file_types(as_user, eager):
    response = _upload(as_user("township1"), data=b"MZ", name="virus.exe")
    assert response.status_code == 200
    assert "只能导入" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_without_the_headers_fails_with_a_message(as_user, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(as_user("township1"), data="名字\r\n甲\r\n".encode())
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "缺少必填列" in job.error_message


def test_running_job_page_polls_its_progress(as_user, world):
    job = _job(world, status=ImportStatus.RUNNING, total_rows=200, processed=50)
    client = as_user("township1")
    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("records:import_progress", kwargs={"pk": job.pk}) in page
    assert 'hx-trigger="every 1s"' in page
    partial = client.get(reverse("records:import_progress", kwargs={"pk": job.pk})).content.decode()
    assert "25%" in partial and "<html" not in partial


@pytest.mark.parametrize("name", ["records:import_detail", "records:import_progress", "records:import_rejects"])
def test_a_job_of_another_township_is_404(as_user, world, name):
    job = _job(world, township=world.township1, status=ImportStatus.DONE, reject_file="imports/rejects/x.csv")
    assert as_user("township2").get(reverse(name, kwargs={"pk": job.pk})).status_code == 404


def test_county_supervisor_sees_jobs_of_the_county_but_not_of_another(as_user, world):
    job = _job(world)
    assert as_user("county").get(job.get_absolute_url()).status_code == 200
    assert as_user("othercounty").get(job.get_absolute_url()).status_code == 404


def test_template_download_is_an_attachment_with_headers(as_user):
    client = as_user("township1")
    response = client.get(reverse("records:import_template", kwargs={"kind": "villages"}))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows == [("区划代码", "名称")]
    csv_response = client.get(reverse("records:import_template", kwargs={"kind": "villages"}) + "?fmt=csv")
    assert b"".join(csv_response.streaming_content).decode("utf-8-sig").strip() == "区划代码,名称"


def test_only_township_staff_fetch_the_unmasked_rejected_rows(client, world, settings, tmp_path):
    """Rejected rows repeat the file's cells (names, ID numbers) as they were: other roles get 403."""
    from django.core.files.base import ContentFile

    from tests.scope import assert_access

    settings.MEDIA_ROOT = tmp_path
    job = _job(world, status=ImportStatus.DONE)
    job.reject_file.save("r.csv", ContentFile("行号,原因,姓名,身份证号\r\n2,年龄不符,王小明,371799199001011236\r\n"))
    assert_access(client, world, reverse("records:import_rejects", kwargs={"pk": job.pk}), allowed={"township1"})


def test_the_import_page_lists_each_coded_columns_allowed_values_and_an_example(as_user):
    html = as_user("township1").get(reverse("records:import_new", kwargs={"kind": "incidents"})).content.decode()
    table = html[html.index('id="import-columns"') :]
    from incidents.choices import Domain

    assert "可选值：" + "、".join(str(label) for label in Domain.labels) in table
    assert "2026-03-15 14:30" in table  # the example of 发生时间
