import datetime as dt

import pytest

from accountability.choices import Rank
from accountability.models import Visit
from accountability.services import leader_save


@pytest.mark.browser
def test_county_sees_who_is_behind_and_records_a_check_in(page, browser_login, live_server, world):
    leader_save(
        user=world.users["county"], name="张县长", position="副县长", rank=Rank.COUNTY, duty_areas=[world.township1]
    )
    page = browser_login(page, "county")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="领导责任", exact=True).click()
    page.wait_for_selector("#schedule")
    assert "本期有1名领导干部尚未到基层检查" in page.locator("#behind-summary").inner_text()
    page.click("#record-visit")
    page.wait_for_url("**/accountability/visits/new/")
    page.select_option("#id_leader", label="张县长（副县长）")
    page.select_option("#id_area", label=world.village1.name)
    page.fill("#id_visited_on", dt.date.today().isoformat())
    page.fill("#id_findings", "检查村级微型消防站，器材齐全")
    page.click("#submit-button")
    page.wait_for_url("**/accountability/visits/")
    assert "检查村级微型消防站" in page.content()
    assert Visit.objects.get().leader.name == "张县长"
    page.get_by_role("link", name="履职进度").click()
    page.wait_for_selector("#schedule")
    assert "本期有0名" in page.locator("#behind-summary").inner_text()
    assert "已完成" in page.locator("#schedule").inner_text()
