"""County briefings as real 简报 (articles, 专刊/增刊, 报送发, 共印N份, "— 1 —" pages, the county's own
series) and the seeds' 2012 county figures (菏泽牡丹区) from entry to the briefing and the dashboard."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from committees.choices import ActivityKind, MeetingKind
from committees.models import Activity, Meeting
from inspections.models import Hazard
from reports import services
from reports.choices import BriefingKind
from reports.documents import briefing_html
from reports.models import Briefing
from safecommunity.pdf import html_to_pdf
from safecommunity.permissions import EDIT_OWN_UNIT, READ_COMMITTEE_WORK
from tests.inspections.factories import EntityFactory, GridFactory, grade
from tests.scope import assert_county_row_access


def pdf_pages(briefing) -> list[str]:
    content = html_to_pdf(briefing_html(briefing))
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_each_owner_and_kind_has_its_own_series(world):
    county, t1 = world.county, world.township1
    labels = [
        services.briefing_generate(township=t1, year=2026, month=1)[0].issue_label,
        services.briefing_generate(township=county, year=2026, month=1)[0].issue_label,
        services.briefing_generate(township=county, year=2026, month=2)[0].issue_label,
        services.briefing_generate(township=t1, year=2026, month=2)[0].issue_label,
    ]
    assert labels == ["2026年第1期(总第1期)"] * 2 + ["2026年第2期(总第2期)"] * 2
    user = world.users["county"]
    specials = [
        services.briefing_create_special(owner=county, user=user, kind=k, issued_on=date(2026, 2, 10))
        for k in (BriefingKind.SPECIAL, BriefingKind.SPECIAL, BriefingKind.SUPPLEMENT)
    ]
    assert [b.issue_label for b in specials] == [
        "专刊 2026年第1期(总第1期)",
        "专刊 2026年第2期(总第2期)",
        "增刊 2026年第1期(总第1期)",
    ]
    # a special issue in the month of a monthly one does not take the monthly number
    assert services.briefing_generate(township=county, year=2026, month=3)[0].issue_label == "2026年第3期(总第3期)"
    assert Briefing.objects.get(township=county, kind="monthly", month=3).issuer == "安宁县安全社区推进委员会办公室"
    with pytest.raises(Exception):  # noqa: B017,PT011 - the county office may not write a township's series
        services.briefing_create_special(owner=t1, user=user, kind=BriefingKind.SPECIAL)


def test_the_pdf_prints_the_parts_in_order_with_official_page_numbers(world):
    b = services.briefing_create_special(
        owner=world.county, user=world.users["county"], kind=BriefingKind.SPECIAL, subject="安全社区创建专刊"
    )
    services.briefing_update(
        briefing=b,
        user=world.users["county"],
        editor_note="编者按：学习先进经验，推动安全社区建设。",
        issuer="安宁县安全生产委员会办公室",
        issued_on=date(2026, 5, 10),
        distribution_report="市安委办",
        distribution_send="县委、县政府领导",
        distribution_issue="各乡镇（街道）安委会",
        print_count=60,
        articles=[
            {
                "id": None,
                "title": "赴滨州学习考察报告",
                "author": "县安委办",
                "body": "一、基本情况\n" + "考察内容。" * 900,
            },
            {"id": None, "title": "城关街道创建工作动态", "author": "", "body": "街道召开推进会。"},
        ],
    )
    b.refresh_from_db()
    pages = pdf_pages(b)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):  # "— 1 —", "— 2 —" … at the foot of each page
        assert f"—{number}—" in text.replace(" ", "").replace("\n", "")
    text = "".join(pages).replace(" ", "")
    parts = [
        "安全社区创建专刊",
        "专刊2026年第1期(总第1期)",
        "编者按",
        "赴滨州学习考察报告",
        "县安委办",
        "城关街道创建工作动态",
        "报：市安委办",
        "送：县委、县政府领导",
        "发：各乡镇（街道）安委会",
        "编印：安宁县安全生产委员会办公室",
        "2026年5月10日印发",
        "（共印60份）",
    ]
    positions = [text.find(p) for p in parts]
    assert -1 not in positions, dict(zip(parts, positions, strict=True))
    assert positions == sorted(positions)
    # editing again keeps, reorders and deletes articles by id
    first, second = b.articles.order_by("order")
    services.briefing_update(
        briefing=b,
        user=world.users["county"],
        editor_note="",
        issuer=b.issuer,
        issued_on=b.issued_on,
        articles=[{"id": second.pk, "title": "动态", "author": "", "body": "正文"}],
    )
    assert list(b.articles.values_list("pk", "order", "title")) == [(second.pk, 1, "动态")]


def test_county_briefing_scope(client, world):
    b, _ = services.briefing_generate(township=world.county, year=2026, month=1)
    services.briefing_render(briefing_id=b.pk, task_id="t")
    detail = reverse("reports:briefing_detail", args=[b.pk])
    update = reverse("reports:briefing_update", args=[b.pk])
    assert_county_row_access(client, world, detail, allowed={"county", "admin"}, roles=READ_COMMITTEE_WORK)
    assert_county_row_access(
        client, world, update, allowed={"county", "admin"}, roles=EDIT_OWN_UNIT, other_county=(403,)
    )
    services.briefing_publish(briefing=b, user=world.users["county"])
    # published: every township of the county reads it, and only reads it
    readers = {"county", "admin", "township1", "member1", "township2", "member2"}
    assert_county_row_access(client, world, detail, allowed=readers, roles=READ_COMMITTEE_WORK)
    publish = reverse("reports:briefing_regenerate", args=[b.pk])
    assert_county_row_access(
        client,
        world,
        publish,
        allowed={"county", "admin"},
        roles=EDIT_OWN_UNIT,
        township_status=(403,),
        other_county=(403,),
        method="post",
        ok_status=(302,),
    )


def _enter_the_2012_figures(world):
    """菏泽牡丹区 2012: 6 fire and 8 road-traffic 联席会议, 17 联合执法, 76 打非治违, 1,652 hazards."""
    county = world.county
    held = date(2012, 6, 1)
    Meeting.objects.bulk_create(
        [Meeting(township=county, kind=MeetingKind.FIRE, title=f"消防联席会议{i}", held_on=held) for i in range(6)]
        + [Meeting(township=county, kind=MeetingKind.TRAFFIC, title=f"道路交通{i}", held_on=held) for i in range(8)]
    )
    Activity.objects.bulk_create(
        [
            Activity(township=county, kind=ActivityKind.JOINT_ENFORCEMENT, title=f"联合执法{i}", held_on=held)
            for i in range(17)
        ]
        + [
            Activity(township=county, kind=ActivityKind.CRACKDOWN, title=f"打非治违{i}", held_on=held)
            for i in range(76)
        ]
    )
    entity = EntityFactory(grid=GridFactory(village=world.village1))
    g, user = grade(county), world.users["township1"]

    def hazard(i, owner):
        return Hazard(
            township=owner, entity=entity, number=f"H2012{i:05d}", grade=g, description="隐患",
            found_on=held, deadline=date(2012, 7, 1), registered_by=user,
        )  # fmt: skip

    Hazard.objects.bulk_create([hazard(i, county if i < 152 else world.township1) for i in range(1652)])


def test_the_seeds_2012_county_figures_come_out_in_the_county_briefing_and_dashboard(client, world):
    _enter_the_2012_figures(world)

    # the 工作手册 come from the accountability app, read through the registry of county figures
    from datetime import date

    from accountability.choices import IssuanceKind
    from accountability.services import issuance_record

    county_user = world.users["county"]
    for kind, count in ((IssuanceKind.GOVERNMENT_MANUAL, 870), (IssuanceKind.ENTERPRISE_MANUAL, 1236)):
        issuance_record(
            user=county_user, kind=kind, issued_on=date(2012, 5, 1), recipients="各乡镇、各企业", issued_count=count
        )

    expected = {
        "meetings_fire": 6,
        "meetings_traffic": 8,
        "joint_enforcement": 17,
        "hazards_found": 1652,
        "crackdown": 76,
        "manuals_government": 870,
        "manuals_enterprise": 1236,
    }

    b, _ = services.briefing_generate(township=world.county, year=2012, month=12)
    ytd = {f["key"]: f["value"] for f in b.snapshot["county_work"]["ytd"]["figures"]}
    assert {k: ytd[k] for k in expected} == expected
    # township figures never count the county's own rows: 1,500 of the hazards are 城关街道's
    t1, _ = services.briefing_generate(township=world.township1, year=2012, month=12)
    assert t1.snapshot["hazards"]["ytd_found"] == 1500 and "county_work" not in t1.snapshot
    text = "".join(pdf_pages(b)).replace(" ", "").replace("\n", "")
    for phrase in (
        "消防联席会议6次",
        "道路交通联席会议8次",
        "联合执法17次",
        "排查发现隐患1652项",
        "打非治违(制止非法违法行为)76起",
        "政府工作手册870份",
        "企业工作手册1236份",
    ):
        assert phrase in text

    client.force_login(world.users["county"])
    page = client.get(reverse("reports:dashboard"), {"work_year": "2012"}).content.decode()
    assert 'id="county-work"' in page
    for key, value in expected.items():
        assert f'data-figure="{key}"' in page
        assert f">{value}<span" in page.split(f'data-figure="{key}"')[1][:400]


def test_the_county_dashboards_cached_county_work_shows_a_new_issuance_at_once(client, world):
    """The 县级工作 rows are cached with the dashboard's figures (and its rendered part): a manual
    issued after the page was cached is counted on the next view (the accountability rows move
    the county's version)."""
    from accountability.choices import IssuanceKind
    from accountability.services import issuance_record

    county_user = world.users["county"]
    client.force_login(county_user)

    def manuals(page):
        return page.split('data-figure="manuals_government"')[1][:400]

    assert ">0<span" in manuals(client.get(reverse("reports:dashboard"), {"work_year": "2012"}).content.decode())
    issuance_record(
        user=county_user,
        kind=IssuanceKind.GOVERNMENT_MANUAL,
        issued_on=date(2012, 5, 1),
        recipients="各乡镇",
        issued_count=37,
    )
    assert ">37<span" in manuals(client.get(reverse("reports:dashboard"), {"work_year": "2012"}).content.decode())
