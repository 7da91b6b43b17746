"""Enforcement documents: the 责令限期整改指令书 in the name of an authority, numbered in its
series (no gaps, no duplicates under concurrency), signed by two officers, followed by the
整改复查意见书; the pages and the PDFs."""

import datetime as dt
import io
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from inspections.choices import EnforcementKind, ReinspectionConclusion
from inspections.models import Enforcement, Reinspection
from inspections.services import authority_create, enforcement_issue, officer_add, reinspection_issue
from safecommunity.exceptions import ApplicationError
from tests.scope import assert_access

from .factories import EntityFactory, GridFactory

READERS = {"township1", "inspector1", "member1", "county", "admin"}
ISSUERS = {"township1", "county"}


@pytest.fixture
def bureau(world):
    """The county's bureau with two officers, and the township office with two."""
    county = authority_create(area=world.county, name="安宁县应急管理局", series="（安）应急")
    township = authority_create(area=world.township1, name="城关街道安全生产监督管理办公室", series="（城关）安监")
    return {
        "county": county,
        "county_officers": [
            officer_add(authority=county, name="王强", certificate_number="37179901001"),
            officer_add(authority=county, name="李明", certificate_number="37179901002"),
        ],
        "township": township,
        "township_officers": [
            officer_add(authority=township, name="赵军", certificate_number="37179900101"),
            officer_add(authority=township, name="孙丽", certificate_number="37179900102"),
        ],
    }


def notice_kwargs(world, bureau, entity, *, county=False, **extra):
    key = "county" if county else "township"
    one, two = bureau[f"{key}_officers"]
    return {
        "user": world.users["county" if county else "township1"],
        "entity": entity,
        "kind": EnforcementKind.ORDER_RECTIFY,
        "issued_on": dt.date(2026, 3, 1),
        "deadline": dt.date(2026, 3, 15),
        "content": "消防通道堆放杂物，堵塞安全出口。",
        "legal_basis": "《中华人民共和国安全生产法》第六十五条",
        "authority": bureau[key],
        "officer_1": one,
        "officer_2": two,
        **extra,
    }


def test_notice_is_numbered_in_its_authoritys_series_and_signed_by_two_officers(world, entities, bureau):
    e1 = entities["e1"]
    first = enforcement_issue(**notice_kwargs(world, bureau, e1))
    second = enforcement_issue(**notice_kwargs(world, bureau, e1))
    by_county = enforcement_issue(**notice_kwargs(world, bureau, entities["e2"], county=True))
    assert (first.number, second.number) == ("（城关）安监责改〔2026〕1号", "（城关）安监责改〔2026〕2号")
    assert by_county.number == "（安）应急责改〔2026〕1号" and by_county.township == world.township2


def test_notice_refusals_keep_the_series_without_gaps(world, entities, bureau):
    e1 = entities["e1"]
    officers = bureau["township_officers"]
    with pytest.raises(ApplicationError):  # one officer twice
        enforcement_issue(**notice_kwargs(world, bureau, e1, officer_2=officers[0]))
    with pytest.raises(ApplicationError):  # an officer of another authority
        enforcement_issue(**notice_kwargs(world, bureau, e1, officer_2=bureau["county_officers"][0]))
    with pytest.raises(ApplicationError):  # a township may not issue in the county bureau's name
        enforcement_issue(**notice_kwargs(world, bureau, e1, authority=bureau["county"]))
    with pytest.raises(PermissionDenied):  # a grid inspector issues nothing
        enforcement_issue(**notice_kwargs(world, bureau, e1, user=world.users["inspector1"]))
    assert enforcement_issue(**notice_kwargs(world, bureau, e1)).number == "（城关）安监责改〔2026〕1号"


def test_notice_then_reinspection_chain(world, entities, bureau):
    notice = enforcement_issue(**notice_kwargs(world, bureau, entities["e1"]))
    one, two = bureau["township_officers"]
    common = {"user": world.users["township1"], "notice": notice, "officer_1": one, "officer_2": two}
    with pytest.raises(ApplicationError):  # before the notice was issued
        reinspection_issue(**common, reinspected_on=dt.date(2026, 2, 1), findings="未整改", conclusion="rectified")
    failed = reinspection_issue(
        **common,
        reinspected_on=dt.date(2026, 3, 16),
        findings="杂物仍未清理。",
        conclusion=ReinspectionConclusion.NOT_RECTIFIED,
    )
    passed = reinspection_issue(
        **common,
        reinspected_on=dt.date(2026, 3, 20),
        findings="杂物已清理，安全出口畅通。",
        conclusion=ReinspectionConclusion.RECTIFIED,
    )
    assert (failed.number, passed.number) == ("（城关）安监复查〔2026〕1号", "（城关）安监复查〔2026〕2号")
    assert list(notice.reinspections.order_by("reinspected_on")) == [failed, passed]
    with pytest.raises(ApplicationError):  # already found rectified
        reinspection_issue(**common, reinspected_on=dt.date(2026, 3, 25), findings="再查", conclusion="rectified")
    # The county's officers re-inspect a township's notice in the bureau's own name and series.
    other = enforcement_issue(**notice_kwargs(world, bureau, entities["e1"]))
    c1, c2 = bureau["county_officers"]
    by_county = reinspection_issue(
        user=world.users["county"],
        notice=other,
        authority=bureau["county"],
        officer_1=c1,
        officer_2=c2,
        reinspected_on=dt.date(2026, 3, 18),
        findings="已整改。",
        conclusion=ReinspectionConclusion.RECTIFIED,
    )
    assert by_county.number == "（安）应急复查〔2026〕1号" and by_county.township == world.township1


@pytest.mark.django_db(transaction=True)
def test_concurrent_notices_get_consecutive_numbers(world):
    """Two threads (two PostgreSQL connections) issue notices at once: 1..2n, each once."""
    bureau_ = authority_create(area=world.township1, name="城关街道安全生产监督管理办公室", series="（城关）安监")
    one = officer_add(authority=bureau_, name="赵军", certificate_number="37179900101")
    two = officer_add(authority=bureau_, name="孙丽", certificate_number="37179900102")
    entity = EntityFactory(grid=GridFactory(village=world.village1))
    barrier = threading.Barrier(2)
    errors = []

    def issue():
        try:
            barrier.wait()
            for _ in range(5):
                enforcement_issue(
                    user=world.users["township1"],
                    entity=entity,
                    kind=EnforcementKind.ORDER_RECTIFY,
                    issued_on=dt.date(2026, 4, 1),
                    deadline=dt.date(2026, 4, 10),
                    content="限期整改",
                    authority=bureau_,
                    officer_1=one,
                    officer_2=two,
                )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    numbers = sorted(Enforcement.objects.values_list("number", flat=True))
    assert numbers == sorted(f"（城关）安监责改〔2026〕{n}号" for n in range(1, 11))


def test_enforcement_pages_scope_matrix(client, world, entities, bureau):
    notice = enforcement_issue(**notice_kwargs(world, bureau, entities["e1"]))
    one, two = bureau["township_officers"]
    reinspection = reinspection_issue(
        user=world.users["township1"],
        notice=notice,
        officer_1=one,
        officer_2=two,
        reinspected_on=dt.date(2026, 3, 16),
        findings="未整改",
        conclusion=ReinspectionConclusion.NOT_RECTIFIED,
    )
    e1 = entities["e1"]
    assert_access(client, world, reverse("inspections:enforcement_create", args=[e1.pk]), allowed=ISSUERS)
    assert_access(client, world, reverse("inspections:reinspection_create", args=[notice.pk]), allowed=ISSUERS)
    assert_access(client, world, reverse("inspections:reinspection_detail", args=[reinspection.pk]), allowed=READERS)


def test_township_issues_and_county_reinspects_through_the_pages(as_user, world, entities, bureau):
    e1 = entities["e1"]
    one, two = bureau["township_officers"]
    client = as_user("township1")
    page = client.get(reverse("inspections:enforcement_create", args=[e1.pk])).content.decode()
    assert "赵军" in page and "王强" not in page  # only the officers of the user's own authority
    base = {"kind": "order_rectify", "issued_on": "2026-03-01", "deadline": "2026-03-15", "content": "清理通道"}
    missing = client.post(reverse("inspections:enforcement_create", args=[e1.pk]), base)
    assert missing.status_code == 200 and not Enforcement.objects.exists()
    response = client.post(
        reverse("inspections:enforcement_create", args=[e1.pk]),
        {**base, "authority": bureau["township"].pk, "officer_1": one.pk, "officer_2": two.pk},
    )
    notice = Enforcement.objects.get()
    assert response.status_code == 302 and notice.number == "（城关）安监责改〔2026〕1号"
    detail = client.get(notice.get_absolute_url()).content.decode()
    assert "尚未复查" in detail and reverse("inspections:reinspection_create", args=[notice.pk]) in detail

    client = as_user("county")
    c1, c2 = bureau["county_officers"]
    response = client.post(
        reverse("inspections:reinspection_create", args=[notice.pk]),
        {
            "authority": bureau["county"].pk,
            "reinspected_on": "2026-03-16",
            "findings": "通道已清理",
            "conclusion": "rectified",
            "officer_1": c1.pk,
            "officer_2": c2.pk,
        },
    )
    reinspection = Reinspection.objects.get()
    assert response.status_code == 302 and response["Location"] == reinspection.get_absolute_url()
    assert reinspection.number == "（安）应急复查〔2026〕1号"
    detail = client.get(notice.get_absolute_url()).content.decode()
    assert reinspection.number in detail and reverse("inspections:reinspection_create", args=[notice.pk]) not in detail


def pdf_pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return ["".join(page.extract_text().split()) for page in reader.pages]


def test_notice_and_opinion_pdfs_read_like_the_official_forms(as_user, world, entities, bureau):
    entity = entities["e1"]
    entity.kind = "small_shop"
    entity.save()
    # Long enough for two pages: no paragraph may be split by the page break.
    content = "\n".join(
        f"第{i}项：仓库内电线私拉乱接，未穿管保护，存在火灾隐患，须立即整改到位。" for i in range(1, 31)
    )
    notice = enforcement_issue(**notice_kwargs(world, bureau, entity, content=content))
    pages = pdf_pages(as_user("member1").get(reverse("inspections:enforcement_notice", args=[notice.pk])))
    text = "".join(pages)
    assert len(pages) >= 2
    assert "城关街道安全生产监督管理办公室" in pages[0] and "责令限期整改指令书" in pages[0]
    assert "（城关）安监责改〔2026〕1号" in pages[0] and "东关机械厂：" in pages[0]
    assert "small_shop" not in text and f"第{30}项" in text
    for page in pages:  # every item whole on one page: no sentence broken by a page
        body = page.rsplit("—", 2)[0]
        assert body.endswith(("。", "：", "）", "日")), body[-40:]
    last = pages[-1]
    # The signature block stays with the closing text on one page.
    assert "现责令你单位于2026年3月15日前整改完毕" in last
    assert "赵军" in last and "证号：37179900101" in last and "孙丽" in last and "证号：37179900102" in last
    assert "2026年3月1日" in last

    one, two = bureau["township_officers"]
    reinspection = reinspection_issue(
        user=world.users["township1"],
        notice=notice,
        officer_1=one,
        officer_2=two,
        reinspected_on=dt.date(2026, 3, 16),
        findings="电线已穿管敷设，私拉乱接已拆除。",
        conclusion=ReinspectionConclusion.RECTIFIED,
    )
    pages = pdf_pages(as_user("county").get(reverse("inspections:reinspection_opinion", args=[reinspection.pk])))
    text = "".join(pages)
    assert "整改复查意见书" in text and "（城关）安监复查〔2026〕1号" in text
    assert "《责令限期整改指令书》（（城关）安监责改〔2026〕1号）" in text and "东关机械厂：" in text
    assert "已按照《责令限期整改指令书》的要求整改完毕" in text and "证号：37179900102" in text


@pytest.mark.browser
def test_notice_then_reinspection_in_the_browser(page, browser_login, live_server, world, entities, bureau):
    e1 = entities["e1"]
    page = browser_login(page, "township1")
    page.goto(f"{live_server.url}{e1.get_absolute_url()}")
    page.get_by_role("link", name="执法文书", exact=True).click()
    page.select_option("#id_kind", "order_rectify")
    page.select_option("#id_officer_1", label="赵军（执法证号：37179900101）")
    page.select_option("#id_officer_2", label="孙丽（执法证号：37179900102）")
    page.fill("#id_issued_on", "2026-03-01")
    page.fill("#id_deadline", "2026-03-15")
    page.fill("#id_content", "消防通道堆放杂物")
    page.click("#submit-button")
    page.wait_for_url("**/inspections/enforcements/*/")
    assert "（城关）安监责改〔2026〕1号" in page.content() and "尚未复查" in page.content()
    page.get_by_role("link", name="整改复查").click()
    page.fill("#id_reinspected_on", "2026-03-16")
    page.fill("#id_findings", "杂物已清理")
    page.select_option("#id_conclusion", "rectified")
    page.select_option("#id_officer_1", label="赵军（执法证号：37179900101）")
    page.select_option("#id_officer_2", label="孙丽（执法证号：37179900102）")
    page.click("#submit-button")
    page.wait_for_url("**/inspections/reinspections/*/")
    assert "（城关）安监复查〔2026〕1号" in page.content()
    assert Reinspection.objects.get().notice.number == "（城关）安监责改〔2026〕1号"
