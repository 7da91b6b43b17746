"""Issue 10: a published briefing is never rendered again. Its frozen file is served byte for byte;
if the file is missing or its SHA-256 is not the frozen one, the portal says so (zh and en), names
the expected checksum and asks for the restore from backup, and prints nothing else."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports import services
from reports.models import Briefing
from reports.models.downloads import DownloadJob
from reports.services import downloads


@pytest.fixture
def published(world, media_root):
    briefing, _ = services.briefing_generate(township=world.township1, year=2026, month=3)
    return services.briefing_publish(briefing=briefing, user=world.users["township1"])


def _pdf(client, briefing, lang="zh-hans"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client.get(reverse("reports:briefing_pdf", args=[briefing.pk]))


def test_the_published_file_is_served_byte_for_byte(as_user, published):
    response = _pdf(as_user("township1"), published)
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == published.pdf_sha256


@pytest.mark.parametrize(
    "lang, heading, advice",
    [
        ("zh-hans", "已发布文件缺失或校验不符", "请系统管理员从备份恢复"),
        ("en", "Published file missing or not matching its checksum", "restore it from a backup"),
    ],
)
def test_a_missing_published_file_is_not_rendered_again(as_user, published, lang, heading, advice):
    Path(published.pdf.path).unlink()
    response = _pdf(as_user("county"), published, lang)
    html = response.content.decode()
    assert response.status_code == 409 and response["Content-Type"].startswith("text/html")
    assert heading in html and advice in html
    assert f'<code id="expected-sha256">{published.pdf_sha256}</code>' in html
    assert 'id="actual-sha256"' not in html
    assert not Path(published.pdf.path).exists()  # nothing was rendered in its place
    assert Briefing.objects.get(pk=published.pk).pdf_sha256 == published.pdf_sha256


def test_a_tampered_published_file_is_refused_with_both_checksums(as_user, published):
    path = Path(published.pdf.path)
    tampered = path.read_bytes().replace(b"%PDF", b"%PDF ", 1)
    path.write_bytes(tampered)
    response = _pdf(as_user("township1"), published)
    html = response.content.decode()
    assert response.status_code == 409
    assert "已发布文件缺失或校验不符" in html and "文件已被改动或损坏" in html
    assert published.pdf_sha256 in html and hashlib.sha256(tampered).hexdigest() in html
    assert b"%PDF" not in response.content
    assert path.read_bytes() == tampered  # left as found, for the administrator to look at


def test_the_download_centre_does_not_render_a_missing_published_file_either(
    world, published, django_capture_on_commit_callbacks
):
    Path(published.pdf.path).unlink()
    with django_capture_on_commit_callbacks(execute=True):
        job = downloads.download_request(user=world.users["township1"], kind="briefing", object_id=published.pk)
    job = DownloadJob.objects.get(pk=job.pk)
    assert job.status == "failed" and "已发布文件缺失或校验不符" in job.error and published.pdf_sha256 in job.error
    assert not job.file


def test_the_command_refuses_a_missing_published_file(world, published, tmp_path):
    Path(published.pdf.path).unlink()
    with pytest.raises(CommandError, match="已发布文件缺失或校验不符"):
        call_command("generate_briefing", township=world.township1.code, month="2026-03", out=str(tmp_path / "b.pdf"))
    assert not (tmp_path / "b.pdf").exists()
