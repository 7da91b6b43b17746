from datetime import date

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_supervisor_finalises_an_assessment_and_downloads_the_scorecard(
    page, live_server, browser_login, tmp_path
):
    from reports import services
    from reports.builtin_schemes import COUNTY_CODE, install_builtin_schemes
    from reports.models import AssessmentScheme
    from tests.conftest import build_world

    world = build_world()
    install_builtin_schemes()
    scheme = AssessmentScheme.objects.get(code=COUNTY_CODE)
    rnd = services.assessment_round_open(
        user=world.users["county"],
        scheme=scheme,
        county=world.county,
        name="2026年度安全社区考核",
        period_start=date(2026, 1, 1),
        period_end=date(2027, 1, 1),
    )
    browser_login(page, "county")
    page.goto(f"{live_server.url}/reports/assessments/")
    page.click("text=2026年度安全社区考核")
    page.click("#round-cards >> text=城关街道")
    assert page.locator("#card-status").inner_text() == "评分中"

    inputs = page.locator("#score-form input[type=number]")
    for i in range(inputs.count()):
        field = inputs.nth(i)
        field.fill(field.get_attribute("max"))
    page.locator("#score-form input[name$='-comment']").first.fill("组织机构健全，资料齐全")
    page.click("#save-scores")
    page.wait_for_load_state()
    assert "评分已保存" in page.content()

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#finalise-button")
    page.wait_for_selector("text=评分表已定稿")
    assert page.locator("#card-status").inner_text() == "已定稿"
    assert page.locator("#card-rank").inner_text() == "1"
    assert page.locator("#score-form").count() == 0  # frozen: no more inputs

    with page.expect_download() as info:
        page.click("#scorecard-pdf")
    download = info.value
    assert download.suggested_filename == f"scorecard-{rnd.pk}-371799001.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
