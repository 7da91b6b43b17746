"""The briefing's article editor in a real browser: the county office writes a 专刊 with two
articles, moves the second up, removes one, and the saved order is the printed order."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_office_writes_a_special_issue_in_the_article_editor(page, live_server, browser_login):
    from reports.models import Briefing
    from tests.conftest import build_world

    build_world()
    browser_login(page, "county")
    page.goto(f"{live_server.url}/reports/briefings/")
    page.select_option("#generate_kind", "special")
    page.fill("#generate_subject", "安全社区创建专刊")
    page.click("#generate-button")
    page.wait_for_selector("#add-article")
    page.fill("#id_editor_note", "学习先进经验。")
    page.fill("#id_distribution_report", "市安委办")
    page.fill("#id_print_count", "60")
    for title, body in (("第一篇", "甲文正文"), ("第二篇", "乙文正文"), ("第三篇", "丙文正文")):
        page.click("#add-article")
        form = page.locator(".article-form").last
        form.locator("input[name$='-title']").fill(title)
        form.locator("textarea[name$='-body']").fill(body)
    page.locator(".article-form").nth(1).locator("[data-article=up]").click()  # 第二篇 first
    page.locator(".article-form").nth(2).locator("input[name$='-DELETE']").check()  # drop 第三篇
    page.click("#submit-button")
    page.wait_for_selector("#briefing-preview")

    b = Briefing.objects.get(kind="special")
    assert b.subject == "安全社区创建专刊" and b.print_count == 60 and b.distribution_report == "市安委办"
    assert list(b.articles.values_list("title", flat=True)) == ["第二篇", "第一篇"]
    page.goto(f"{live_server.url}/reports/briefings/{b.pk}/preview/")  # what the PDF is made from
    text = page.locator("body").inner_text()
    assert text.index("第二篇") < text.index("第一篇") and "第三篇" not in text and "共印60份" in text

    # editing again shows the saved articles, in order, and keeps their ids
    page.goto(f"{live_server.url}/reports/briefings/{b.pk}/edit/")
    titles = page.locator(".article-form input[name$='-title']")
    assert [titles.nth(i).input_value() for i in range(titles.count())] == ["第二篇", "第一篇"]
