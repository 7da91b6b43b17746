import hashlib
from pathlib import Path

import pytest

from reports import services
from reports.choices import BriefingStatus, RenderStatus
from reports.models import Briefing, BriefingSeries
from safecommunity.datacache import data_changed
from safecommunity.exceptions import ApplicationError

from .factories import incident, march_fixture


def figures(snapshot, which):
    return {f["key"]: (f["current"], f["last_year"], f["change_text"]) for f in snapshot[f"{which}_figures"]}


def test_month_and_year_to_date_figures_match_the_hand_computed_fixture(world):
    today = march_fixture(world)
    b, created = services.briefing_generate(township=world.township1, year=2026, month=3, today=today)
    assert created
    assert figures(b.snapshot, "month") == {
        "incidents": (3, 2, "上升50.0%"),
        "deaths": (0, 1, "下降100.0%"),
        "injured": (3, 4, "下降25.0%"),
        "loss": ("6.00", "15.00", "下降60.0%"),
    }
    assert figures(b.snapshot, "ytd") == {
        "incidents": (4, 2, "上升100.0%"),
        "deaths": (2, 1, "上升100.0%"),
        "injured": (3, 4, "下降25.0%"),
        "loss": ("10.00", "15.00", "下降33.3%"),
    }
    assert b.snapshot["injuries"] == {"month": 3, "ytd": 3}
    assert {r["label"]: (r["month"], r["ytd"]) for r in b.snapshot["by_cause"]} == {
        "跌倒/坠落": (2, 2),
        "机动车车祸": (1, 1),
    }
    assert b.snapshot["trend"]["current"] == [1, 0, 3]
    assert b.snapshot["trend"]["previous"] == [0, 0, 2]


def test_no_percentage_when_last_years_figure_was_zero(world):
    today = march_fixture(world)
    b, _ = services.briefing_generate(township=world.township1, year=2026, month=1, today=today)
    assert figures(b.snapshot, "month")["incidents"] == (1, 0, "—")
    assert figures(b.snapshot, "month")["deaths"] == (2, 0, "—")
    quiet, _ = services.briefing_generate(township=world.township1, year=2026, month=2, today=today)
    assert figures(quiet.snapshot, "month")["incidents"] == (0, 0, "—")


def test_briefing_numbers_run_on_across_a_year_boundary(world):
    BriefingSeries.objects.create(township=world.township1, issuer="城关街道安全社区促进委员会办公室", total_offset=10)
    labels = [
        services.briefing_generate(township=world.township1, year=y, month=m)[0].issue_label
        for y, m in ((2025, 11), (2025, 12), (2026, 1), (2026, 2))
    ]
    assert labels == [
        "2025年第1期(总第11期)",
        "2025年第2期(总第12期)",
        "2026年第1期(总第13期)",
        "2026年第2期(总第14期)",
    ]
    other = services.briefing_generate(township=world.township2, year=2026, month=1)[0]
    assert other.issue_label == "2026年第1期(总第1期)"


def test_a_series_started_mid_year_numbers_on_from_its_earlier_paper_issues(world):
    BriefingSeries.objects.create(
        township=world.township1,
        issuer="城关街道安全社区促进委员会办公室",
        total_offset=55,
        start_year=2026,
        start_year_offset=7,
    )
    labels = [
        services.briefing_generate(township=world.township1, year=2026, month=m)[0].issue_label for m in (8, 9, 10)
    ]
    assert labels == ["2026年第8期(总第56期)", "2026年第9期(总第57期)", "2026年第10期(总第58期)"]
    assert (
        services.briefing_generate(township=world.township1, year=2027, month=1)[0].issue_label
        == "2027年第1期(总第59期)"
    )


def test_a_month_drafted_late_takes_the_next_free_number_never_one_already_printed(world):
    november = services.briefing_generate(township=world.township1, year=2026, month=11)[0]
    september = services.briefing_generate(township=world.township1, year=2026, month=9)[0]
    assert november.issue_label == "2026年第1期(总第1期)"
    assert september.issue_label == "2026年第2期(总第2期)"
    numbers = list(Briefing.objects.filter(township=world.township1).values_list("number_total", flat=True))
    assert len(numbers) == len(set(numbers))


def test_generating_twice_leaves_one_briefing(world):
    first, created1 = services.briefing_generate(township=world.township1, year=2026, month=3)
    second, created2 = services.briefing_generate(township=world.township1, year=2026, month=3)
    assert (created1, created2) == (True, False)
    assert first.pk == second.pk
    assert Briefing.objects.count() == 1


def test_publish_freezes_numbers_and_pdf_and_regenerating_makes_a_new_version(world, media_root):
    today = march_fixture(world)
    user = world.users["township1"]
    b, _ = services.briefing_generate(township=world.township1, year=2026, month=3, today=today)
    b = services.briefing_update(
        briefing=b,
        user=user,
        editor_note="本月重点开展防溺水宣传。",
        next_month_plan="组织消防演练。",
        issuer=b.issuer,
        issued_on=b.issued_on,
    )
    assert b.status == BriefingStatus.EDITED
    b = services.briefing_publish(briefing=b, user=user)
    assert b.status == BriefingStatus.PUBLISHED and b.render_status == RenderStatus.READY
    content = Path(b.pdf.path).read_bytes()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == b.pdf_sha256
    frozen = dict(b.snapshot)

    incident(world.village1, 2026, 3, 28, deaths=1, loss="9.00")  # a late report after publishing
    data_changed("incidents", [world.township1.pk])  # what the incidents services do on a write
    with pytest.raises(ApplicationError):
        services.briefing_update(
            briefing=b, user=user, editor_note="x", next_month_plan="", issuer="x", issued_on=b.issued_on
        )
    with pytest.raises(ApplicationError):
        services.briefing_publish(briefing=b, user=user)
    assert services.briefing_claim(briefing_id=b.pk, task_id="another") is False
    again, created = services.briefing_generate(township=world.township1, year=2026, month=3, today=today)
    assert (again.pk, created) == (b.pk, False)

    v2, created = services.briefing_generate(
        township=world.township1, year=2026, month=3, new_version=True, today=today
    )
    assert created and v2.version == 2 and v2.status == BriefingStatus.DRAFT
    assert (v2.number_in_year, v2.number_total) == (b.number_in_year, b.number_total)
    assert v2.editor_note == "本月重点开展防溺水宣传。"
    assert figures(v2.snapshot, "month")["incidents"][0] == 4
    b.refresh_from_db()
    assert b.snapshot == frozen and figures(b.snapshot, "month")["incidents"][0] == 3
    assert hashlib.sha256(Path(b.pdf.path).read_bytes()).hexdigest() == b.pdf_sha256


def test_only_the_townships_staff_edit_and_publish(world):
    from django.core.exceptions import PermissionDenied

    b, _ = services.briefing_generate(township=world.township1, year=2026, month=3)
    for username in ("township2", "member1", "county"):
        with pytest.raises(PermissionDenied):
            services.briefing_publish(briefing=b, user=world.users[username])


def test_render_claim_lets_one_task_render_and_a_redelivered_task_take_over(world, media_root):
    b, _ = services.briefing_generate(township=world.township1, year=2026, month=3)
    assert services.briefing_claim(briefing_id=b.pk, task_id="t1") is True
    assert services.briefing_claim(briefing_id=b.pk, task_id="t2") is False  # a second task or worker
    assert services.briefing_claim(briefing_id=b.pk, task_id="t1") is True  # the same message, redelivered
    assert services.briefing_render(briefing_id=b.pk, task_id="t2") == "skipped"
    assert services.briefing_render(briefing_id=b.pk, task_id="t1") == "rendered"
    assert services.briefing_render(briefing_id=b.pk, task_id="t3") == "skipped"  # ready: nothing twice
    b.refresh_from_db()
    assert b.render_status == RenderStatus.READY
    files = [p for p in media_root.rglob("*") if p.is_file()]
    assert [p.name for p in files] == ["2026-03-v1.pdf"]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == b.pdf_sha256


def test_a_failed_render_records_the_reason_and_can_be_retried(world, media_root, monkeypatch):
    from reports.services import briefings

    b, _ = services.briefing_generate(township=world.township1, year=2026, month=3)

    def broken(briefing):
        raise OSError("磁盘已满")

    monkeypatch.setattr(briefings, "render_briefing_pdf", broken)
    assert services.briefing_render(briefing_id=b.pk, task_id="t1") == "failed"
    b.refresh_from_db()
    assert b.render_status == RenderStatus.FAILED and "磁盘已满" in b.render_error
    monkeypatch.undo()
    services.briefing_retry(briefing=b, user=world.users["township1"])
    assert services.briefing_render(briefing_id=b.pk, task_id="t2") == "rendered"
