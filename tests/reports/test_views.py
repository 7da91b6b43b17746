import subprocess
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.choices import DocumentKind, RenderStatus
from reports.models import AssessmentRound, Briefing, DownloadJob, Scorecard
from tests.query_ceilings import assert_same_queries_for_more_townships
from tests.scope import assert_access, assert_not_listed

from .factories import busy_township, march_fixture

READERS = {"township1", "member1", "county", "admin"}
SCORECARD_READERS = {"township1", "county", "admin"}
ALL = {"township1", "inspector1", "member1", "county", "admin"}


@pytest.fixture
def briefing(world):
    b, _ = services.briefing_generate(township=world.township1, year=2026, month=3)
    services.briefing_render(briefing_id=b.pk, task_id="t")
    b.refresh_from_db()
    return b


@pytest.fixture
def assessment(world, county_scheme):
    return services.assessment_round_open(
        user=world.users["county"],
        scheme=county_scheme,
        county=world.county,
        name="2026年度考核",
        period_start=date(2026, 1, 1),
        period_end=date(2027, 1, 1),
        today=date(2026, 11, 1),
    )


@pytest.fixture
def card1(assessment, world):
    return assessment.scorecards.get(township=world.township1)


# --- Scope matrix -----------------------------------------------------------------------------


def test_index_sends_each_user_to_the_page_of_their_role(client, world):
    assert_access(client, world, reverse("reports:index"), allowed=ALL, ok_status=(302,), object_url=False)


def test_dashboard_scope(client, world):
    cache.delete_own_keys()
    assert_access(client, world, reverse("reports:dashboard"), allowed=READERS, object_url=False)


def test_township_dashboard_scope(client, world):
    assert_access(client, world, reverse("reports:dashboard_township", args=[world.township1.pk]), allowed=READERS)


def test_briefing_pages_scope(client, world, briefing):
    assert_access(client, world, reverse("reports:briefing_list"), allowed=READERS, object_url=False)
    assert_not_listed(client, world.users["township2"], reverse("reports:briefing_list"), "城关街道")
    for name in ("briefing_detail", "briefing_status", "briefing_pdf", "briefing_preview"):
        assert_access(client, world, reverse(f"reports:{name}", args=[briefing.pk]), allowed=READERS)
    assert_access(client, world, reverse("reports:briefing_update", args=[briefing.pk]), allowed={"township1"})


def test_briefing_writes_scope(client, world, briefing):
    assert_access(
        client,
        world,
        reverse("reports:briefing_generate"),
        allowed={"township1", "county", "admin"},  # the county office makes the county's own issue
        method="post",
        data={"month": "2026-02"},
        ok_status=(302,),
        object_url=False,
    )
    assert_access(
        client,
        world,
        reverse("reports:briefing_regenerate", args=[briefing.pk]),
        allowed={"township1"},
        method="post",
        ok_status=(302,),
    )
    assert_access(
        client,
        world,
        reverse("reports:briefing_retry", args=[briefing.pk]),
        allowed={"township1"},
        method="post",
        ok_status=(302,),
    )
    assert_access(
        client,
        world,
        reverse("reports:briefing_publish", args=[briefing.pk]),
        allowed={"township1"},
        method="post",
        ok_status=(302,),
    )
    briefing.refresh_from_db()
    assert briefing.is_published


def test_assessment_pages_scope(client, world, assessment, card1):
    assert_access(client, world, reverse("reports:round_list"), allowed=SCORECARD_READERS, object_url=False)
    assert_access(client, world, reverse("reports:round_create"), allowed={"county"}, object_url=False)
    assert_access(client, world, reverse("reports:round_detail", args=[assessment.pk]), allowed={"county", "admin"})
    assert_access(
        client, world, reverse("reports:round_summary_pdf", args=[assessment.pk]), allowed={"county", "admin"}
    )
    assert_access(client, world, reverse("reports:scorecard_detail", args=[card1.pk]), allowed=SCORECARD_READERS)
    assert_access(client, world, reverse("reports:scorecard_pdf", args=[card1.pk]), allowed=SCORECARD_READERS)
    assert_access(
        client,
        world,
        reverse("reports:scorecard_scores", args=[card1.pk]),
        allowed={"county"},
        method="post",
        data={},
        ok_status=(302,),
    )
    assert_access(
        client,
        world,
        reverse("reports:scorecard_finalise", args=[card1.pk]),
        allowed={"county"},
        method="post",
        ok_status=(302,),
    )


def test_download_centre_scope(client, world, briefing, django_capture_on_commit_callbacks):
    assert_access(client, world, reverse("reports:download_list"), allowed=ALL, object_url=False)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.download_request(
            user=world.users["township1"], kind=DocumentKind.BRIEFING, object_id=briefing.pk
        )
    job.refresh_from_db()
    assert job.status == RenderStatus.READY  # tasks run in-process here
    url = reverse("reports:download_file", args=[job.pk])
    client.force_login(world.users["township1"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{briefing.download_name()}"'
    assert b"".join(response).startswith(b"%PDF")
    for other in ("member1", "county", "township2", "othercounty"):  # not their request: 404
        client.force_login(world.users[other])
        assert client.get(url).status_code == 404
        assert client.post(reverse("reports:download_retry", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_a_download_request_for_another_townships_file_is_refused(client, world, briefing):
    client.force_login(world.users["township2"])
    response = client.post(reverse("reports:download_request"), {"kind": "briefing", "object_id": briefing.pk})
    assert response.status_code == 302
    assert not DownloadJob.objects.exists()


def test_media_is_never_served_directly(client, world, briefing):
    client.force_login(world.users["township1"])
    assert client.get("/media/" + briefing.pdf.name).status_code == 404


# --- Behaviour through the pages ------------------------------------------------------------


def test_generating_from_the_page_makes_the_briefing_and_its_pdf(client, world, django_capture_on_commit_callbacks):
    march_fixture(world)
    client.force_login(world.users["township1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:briefing_generate"), {"month": "2026-03"})
    b = Briefing.objects.get()
    assert response.status_code == 302 and response["Location"] == b.get_absolute_url()
    b.refresh_from_db()
    assert b.render_status == RenderStatus.READY and b.pdf_sha256
    client.post(reverse("reports:briefing_generate"), {"month": "2026-03"})
    assert Briefing.objects.count() == 1
    page = client.get(reverse("reports:briefing_preview", args=[b.pk])).content.decode()
    assert "2026年第1期(总第1期)" in page and "上升50.0%" in page


def test_the_pdf_has_a4_pages_an_embedded_cjk_font_and_extractable_text(client, world, briefing, tmp_path):
    client.force_login(world.users["county"])
    response = client.get(reverse("reports:briefing_pdf", args=[briefing.pk]))
    path = tmp_path / "b.pdf"
    path.write_bytes(b"".join(response))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # Pages are numbered in the official "— 1 —" style (pdftotext drops the spaces).
    assert "安全社区建设简报" in text and "—1—" in text.replace(" ", "") and "2026年第1期(总第1期)" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all("yes yes yes" in line for line in cjk)  # embedded, subset, unicode
    assert all("Noto-Serif-CJK-SC" in line for line in fonts.splitlines()[2:])  # one family everywhere
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info


def test_supervisor_scores_and_finalises_through_the_pages(client, world, card1):
    client.force_login(world.users["county"])
    # manual criteria, and computed ones without data to compute from (no hazard, no project yet)
    scores = [s for s in card1.scores.select_related("criterion") if not s.computed_input]
    assert any(s.criterion.mode == "computed" for s in scores)
    data = {}
    for s in scores:
        data[f"s{s.pk}-points"] = str(s.criterion.points)
        data[f"s{s.pk}-comment"] = "资料齐全"
    client.post(reverse("reports:scorecard_scores", args=[card1.pk]), data)
    response = client.post(reverse("reports:scorecard_finalise", args=[card1.pk]), follow=True)
    card1.refresh_from_db()
    assert card1.is_final and card1.rank == 1
    assert "评分表已定稿" in response.content.decode()
    pdf = client.get(reverse("reports:scorecard_pdf", args=[card1.pk]))
    assert pdf["Content-Disposition"].startswith('attachment; filename="scorecard-')


# --- Query-count ceilings -------------------------------------------------------------------


@pytest.mark.parametrize("username", ["member1", "county"])
def test_dashboard_queries_do_not_grow_with_the_data(client, world, django_assert_max_num_queries, username):
    client.force_login(world.users[username])
    busy_township(world, 2)
    cache.delete_own_keys()
    with django_assert_max_num_queries(90) as few:
        assert client.get(reverse("reports:dashboard")).status_code == 200
    busy_township(world, 25, village_index=1)
    cache.delete_own_keys()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("reports:dashboard")).status_code == 200


def test_list_and_assessment_pages_queries_do_not_grow(client, world, django_assert_max_num_queries, assessment, card1):
    client.force_login(world.users["county"])
    pages = [
        reverse("reports:briefing_list"),
        reverse("reports:round_list"),
        reverse("reports:round_detail", args=[assessment.pk]),
        reverse("reports:scorecard_detail", args=[card1.pk]),
        reverse("reports:download_list"),
    ]
    services.briefing_generate(township=world.township1, year=2023, month=12)
    services.download_request(user=world.users["county"], kind=DocumentKind.SCORECARD, object_id=card1.pk)
    counts = {}
    for url in pages:
        with django_assert_max_num_queries(40) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    for y in (2024, 2025):
        for m in range(1, 13):
            services.briefing_generate(township=world.township1, year=y, month=m)
    for _ in range(5):
        services.download_request(user=world.users["county"], kind=DocumentKind.SCORECARD, object_id=card1.pk)
        DownloadJob.objects.update(status=RenderStatus.READY)
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_round_create_opens_a_scorecard_for_every_township_of_the_county(client, world, county_scheme):
    client.force_login(world.users["county"])
    response = client.post(
        reverse("reports:round_create"),
        {"scheme": county_scheme.pk, "name": "2025年度考核", "period_start": "2025-01-01", "period_end": "2026-01-01"},
    )
    rnd = AssessmentRound.objects.get()
    assert response.status_code == 302 and response["Location"] == rnd.get_absolute_url()
    assert set(Scorecard.objects.values_list("township__code", flat=True)) == {"371799001", "371799101"}


def test_dashboard_figures_follow_every_change_and_are_reused_until_then(client, world, settings):
    settings.SC_KEPT_PAGES = (
        False  # the figures from the page's context (a kept page has none): tests/safecommunity/test_kept_pages.py
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.committees.factories import MeetingFactory

    from .factories import incident

    client.force_login(world.users["member1"])
    today = timezone.localdate()
    url = reverse("reports:dashboard")
    incident(world.village1, today.year, today.month, 1, deaths=7)
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).context["data"]["ytd_stats"]["current"]["deaths"] == 7
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).context["data"]["ytd_stats"]["current"]["deaths"] == 7
    assert len(warm) < len(cold) - 5  # nothing changed: the figures are not read again
    incident(world.village1, today.year, today.month, 1, deaths=1)
    assert client.get(url).context["data"]["ytd_stats"]["current"]["deaths"] == 8
    meetings = client.get(url).context["data"]["meetings"]["total"]
    MeetingFactory(township=world.township1, held_on=today)
    assert client.get(url).context["data"]["meetings"]["total"] == meetings + 1
    client.force_login(world.users["member2"])  # another scope never gets township 1's cached figures
    assert client.get(url).context["data"]["ytd_stats"]["current"]["deaths"] == 0


def test_every_dashboard_tile_links_to_a_list_page_that_answers(client, world):
    import re

    cache.delete_own_keys()
    client.force_login(world.users["township1"])
    html = client.get(reverse("reports:dashboard")).content.decode()
    tiles = html[html.index('id="tiles"') : html.index('id="chart-trend"')]
    links = set(re.findall(r'href="(/[^"]+)"', tiles))
    assert len(links) >= 8
    for url in links:
        url = url.replace("&amp;", "&")
        assert not url.rstrip("/").endswith(("incidents", "inspections", "committees", "projects")), url  # a real list
        assert client.get(url).status_code == 200, url


def test_national_scorecard_shows_the_evidence_archive_per_element(client, world, national):
    rnd = services.assessment_round_open(
        user=world.users["county"],
        scheme=national,
        county=world.county,
        name="2026年全国安全社区现场评定",
        period_start=date(2026, 1, 1),
        period_end=date(2027, 1, 1),
    )
    card = rnd.scorecards.get(township=world.township1)
    client.force_login(world.users["county"])
    html = client.get(reverse("reports:scorecard_detail", args=[card.pk])).content.decode()
    assert 'id="evidence-archive"' in html
    assert html.count("档案 0 份") == 12  # one per AQ/T 9001 element, none filed yet


def test_a_grid_inspector_lands_on_the_download_centre(client, world):
    client.force_login(world.users["inspector1"])
    response = client.get(reverse("reports:index"))
    assert response["Location"] == reverse("reports:download_list")


def test_editing_a_briefing_marks_it_edited_and_renders_it_again(
    client, world, briefing, django_capture_on_commit_callbacks
):
    client.force_login(world.users["township1"])
    old_sha = briefing.pdf_sha256
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:briefing_update", args=[briefing.pk]),
            {
                "issuer": "城关街道安全社区促进委员会办公室",
                "issued_on": "2026-04-05",
                "editor_note": "本月开展春季消防安全检查。",
                "next_month_plan": "开展防溺水宣传。",
            },
        )
    assert response.status_code == 302
    briefing.refresh_from_db()
    assert briefing.status == "edited" and briefing.render_status == RenderStatus.READY
    assert briefing.pdf_sha256 != old_sha
    preview = client.get(reverse("reports:briefing_preview", args=[briefing.pk])).content.decode()
    assert "本月开展春季消防安全检查。" in preview and "2026年4月5日" in preview
    client.post(reverse("reports:briefing_publish", args=[briefing.pk]))
    assert client.get(reverse("reports:briefing_update", args=[briefing.pk])).status_code == 404  # frozen


def test_pages_speak_english_when_the_user_chooses_it(client, world, briefing):
    from django.conf import settings

    client.force_login(world.users["county"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Township ranking (this year)" in client.get(reverse("reports:dashboard")).content.decode()
    assert "Download centre" in client.get(reverse("reports:download_list")).content.decode()


def test_a_draft_whose_data_changed_says_so_until_it_is_refreshed(
    client, world, briefing, django_capture_on_commit_callbacks
):
    from .factories import incident

    client.force_login(world.users["township1"])
    url = reverse("reports:briefing_detail", args=[briefing.pk])
    assert 'id="data-changed"' not in client.get(url).content.decode()
    incident(world.village1, 2026, 3, 12, minor=2)  # imported after the draft was generated
    html = client.get(url).content.decode()
    assert 'id="data-changed"' in html and "数据已变化" in html
    assert 'data-confirm="发布后' in html  # publishing asks first
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:briefing_regenerate", args=[briefing.pk]))
    assert response.status_code == 302
    assert 'id="data-changed"' not in client.get(url).content.decode()
    incident(world.village2, 2026, 3, 12, minor=2)  # another township's rows change nothing here
    assert 'id="data-changed"' not in client.get(url).content.decode()


def test_a_published_briefing_is_frozen_and_never_reported_as_changed(client, world, briefing):
    from .factories import incident

    services.briefing_publish(briefing=briefing, user=world.users["township1"])
    incident(world.village1, 2026, 3, 12, minor=2)
    client.force_login(world.users["township1"])
    html = client.get(reverse("reports:briefing_detail", args=[briefing.pk])).content.decode()
    assert 'id="data-changed"' not in html


@pytest.mark.parametrize(
    "url_name",
    [
        "reports:dashboard",
        "reports:dashboard_township",
        "reports:briefing_list",
        "reports:round_list",
        "reports:download_list",
    ],
)
def test_pages_cost_the_same_queries_for_more_townships_and_rows(
    client, world, django_assert_max_num_queries, url_name
):
    args = [world.township1.pk] if url_name == "reports:dashboard_township" else []  # the county's look at one
    assert_same_queries_for_more_townships(client, world, django_assert_max_num_queries, reverse(url_name, args=args))
