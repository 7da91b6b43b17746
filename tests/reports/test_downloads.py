"""The download centre: per-user scope, status with retry, files only through the checking view."""

from datetime import date

import pytest
from django.urls import reverse

from reports import services
from reports.choices import DocumentKind, RenderStatus
from reports.models import DownloadJob
from safecommunity.exceptions import ApplicationError
from tests.committees.factories import MeetingFactory
from tests.inspections.factories import EntityFactory, GridFactory


def request(user, kind, object_id, capture):
    with capture(execute=True):
        job = services.download_request(user=user, kind=kind, object_id=object_id)
    job.refresh_from_db()
    return job


def fetch(client, user, job):
    client.force_login(user)
    return client.get(reverse("reports:download_file", args=[job.pk]))


def test_minutes_of_the_committee_come_through_the_download_centre(client, world, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(township=world.township1, held_on=date(2026, 3, 10))
    job = request(world.users["member1"], DocumentKind.MINUTES, meeting.pk, django_capture_on_commit_callbacks)
    assert job.status == RenderStatus.READY, job.error
    response = fetch(client, world.users["member1"], job)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="minutes-20260310-{meeting.pk}.pdf"'
    assert b"".join(response).startswith(b"%PDF")
    with pytest.raises(ApplicationError):  # another township's minutes
        services.download_request(user=world.users["member2"], kind=DocumentKind.MINUTES, object_id=meeting.pk)


def test_an_order_to_rectify_notice_comes_through_the_download_centre(
    client, world, django_capture_on_commit_callbacks
):
    from inspections.choices import EnforcementKind
    from inspections.services import enforcement_issue

    entity = EntityFactory(grid=GridFactory(village=world.village1), name="东关机械厂")
    notice = enforcement_issue(
        user=world.users["township1"],
        entity=entity,
        kind=EnforcementKind.ORDER_RECTIFY,
        issued_on=date(2026, 3, 2),
        content="消防通道堵塞，限期清理。",
        deadline=date(2026, 3, 9),
    )
    job = request(world.users["county"], DocumentKind.NOTICE, notice.pk, django_capture_on_commit_callbacks)
    assert job.status == RenderStatus.READY, job.error
    assert "东关机械厂" in job.title
    response = fetch(client, world.users["county"], job)
    assert response.status_code == 200 and b"".join(response).startswith(b"%PDF")
    assert fetch(client, world.users["township1"], job).status_code == 404  # someone else's request


def test_a_failed_file_shows_its_reason_and_retries(client, world, django_capture_on_commit_callbacks, monkeypatch):
    from reports import documents

    meeting = MeetingFactory(township=world.township1)
    b = services.briefing_generate(township=world.township1, year=2026, month=3)[0]

    def broken(briefing):
        raise RuntimeError("字体缺失")

    monkeypatch.setattr(documents, "briefing_pdf_bytes", broken)
    job = request(world.users["township1"], DocumentKind.BRIEFING, b.pk, django_capture_on_commit_callbacks)
    assert job.status == RenderStatus.FAILED and "字体缺失" in job.error
    assert fetch(client, world.users["township1"], job).status_code == 404
    client.force_login(world.users["township1"])
    page = client.get(reverse("reports:download_list")).content.decode()
    assert "字体缺失" in page and "重试" in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:download_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == RenderStatus.READY
    assert fetch(client, world.users["township1"], job).status_code == 200
    assert meeting  # unrelated rows do not matter


def test_a_request_leaving_the_users_scope_is_no_longer_served(client, world, django_capture_on_commit_callbacks):
    b = services.briefing_generate(township=world.township1, year=2026, month=3)[0]
    user = world.users["township1"]
    job = request(user, DocumentKind.BRIEFING, b.pk, django_capture_on_commit_callbacks)
    assert fetch(client, user, job).status_code == 200
    user.area = world.township2  # moved to another township
    user.save()
    assert fetch(client, user, job).status_code == 404
    assert not DownloadJob.objects.for_user(user).exists()


def test_township_users_cannot_ask_for_the_county_summary(world, county_scheme):
    from django.core.exceptions import PermissionDenied

    rnd = services.assessment_round_open(
        user=world.users["county"],
        scheme=county_scheme,
        county=world.county,
        name="2026年度考核",
        period_start=date(2026, 1, 1),
        period_end=date(2027, 1, 1),
    )
    with pytest.raises(PermissionDenied):
        services.download_request(user=world.users["township1"], kind=DocumentKind.COUNTY_SUMMARY, object_id=rnd.pk)
    with pytest.raises(ApplicationError):
        services.download_request(user=world.users["othercounty"], kind=DocumentKind.COUNTY_SUMMARY, object_id=rnd.pk)


def test_safe_names_strip_paths_and_header_injection_and_keep_chinese():
    from safecommunity.downloads import attachment_header, safe_filename

    name = safe_filename('../../etc/passwd"\r\nX: y.pdf')
    assert "/" not in name and '"' not in name and "\n" not in name and "\r" not in name
    assert name.endswith(".pdf")
    assert safe_filename("会议纪要.pdf") == "会议纪要.pdf"
    assert safe_filename("briefing-2026-03-v1.pdf") == "briefing-2026-03-v1.pdf"
    assert safe_filename("长" * 300 + ".xlsx") == "长" * 100 + ".xlsx"
    assert safe_filename("..", ext=".pdf") == "download.pdf"
    assert safe_filename("a/b", ext=".PDF") == "a_b.pdf"
    # Non-ASCII goes out as RFC 5987 filename*, with an ASCII fallback: no raw CR/LF ever.
    header = attachment_header('会议纪要"\r\n.pdf')
    assert header.isascii() and "\r" not in header and "\n" not in header
    assert "filename*=utf-8''" in header and header.endswith(".pdf")


def test_the_download_centre_applies_the_pages_roles(client, world):
    """A grid inspector cannot read briefings, a committee member cannot read scorecards: asking the
    download centre for them is refused the same way, and no job is made."""
    from reports.builtin_schemes import COUNTY_CODE, install_builtin_schemes
    from reports.models import AssessmentScheme, Scorecard

    briefing = services.briefing_generate(township=world.township1, year=2026, month=3)[0]
    install_builtin_schemes()
    scheme = AssessmentScheme.objects.get(code=COUNTY_CODE)
    services.assessment_round_open(
        user=world.users["county"],
        scheme=scheme,
        county=world.county,
        name="2026年度",
        period_start=date(2026, 1, 1),
        period_end=date(2027, 1, 1),
    )
    card = Scorecard.objects.get(township=world.township1)
    for username, kind, object_id in (
        ("inspector1", DocumentKind.BRIEFING, briefing.pk),
        ("inspector1", DocumentKind.SCORECARD, card.pk),
        ("member1", DocumentKind.SCORECARD, card.pk),
    ):
        client.force_login(world.users[username])
        response = client.post(reverse("reports:download_request"), {"kind": kind, "object_id": object_id})
        assert response.status_code == 403, (username, kind)
    assert not DownloadJob.objects.exists()
    client.force_login(world.users["member1"])
    client.post(reverse("reports:download_request"), {"kind": DocumentKind.BRIEFING, "object_id": briefing.pk})
    assert DownloadJob.objects.filter(kind=DocumentKind.BRIEFING).count() == 1
