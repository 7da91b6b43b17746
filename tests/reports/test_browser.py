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


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_briefing_preview_frame_shows_the_document_in_chinese_in_either_interface(
    browser, live_server, browser_login, language, settings
):
    """The preview is the print HTML in a frame of the briefing page: the strict CSP of the pages
    (frame-ancestors 'none', no inline <style>) must not blank it, and in the English interface it
    is still the Chinese document the PDF is (no half-translated mixture)."""
    from reports import services
    from tests.conftest import build_world
    from tests.reports.factories import march_fixture

    world = build_world()
    march_fixture(world)
    briefing, _ = services.briefing_generate(township=world.township1, year=2026, month=3)
    context = browser.new_context(locale="en-US" if language == "en" else "zh-CN")
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.set_default_timeout(15000)
    browser_login(page, "township1")
    page.goto(f"{live_server.url}/reports/briefings/{briefing.pk}/")
    frame = page.frame_locator("#briefing-preview")
    body = frame.locator("body")
    body.wait_for()
    text = body.inner_text()
    assert "编者按" in text or "事故" in text, text[:300]
    assert "Editor's note" not in text and "Incidents and injuries" not in text
    # the print sheet applied: the document's font family comes from its own <style>
    family = frame.locator("body").evaluate("el => getComputedStyle(el).fontFamily")
    assert "CJK" in family, family
    assert csp_errors == []
    note = page.locator("#document-language-note")
    assert note.count() == (1 if language == "en" else 0)
    if language == "en":
        assert "issued in Chinese" in note.inner_text()
    context.close()
