import pytest
from django.utils import timezone

from incidents.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_records_an_incident_on_a_phone_and_finds_it_in_the_list(phone_page, live_server, browser_login, world):
    page = browser_login(phone_page, "township1")
    page.goto(f"{live_server.url}/incidents/new/")
    year = timezone.localdate().year
    page.fill("#id_occurred_at", f"{year}-01-02T08:30")
    page.select_option("#id_village", label="西关社区")
    page.fill("#id_address", "西关菜市场北门")
    page.select_option("#id_domain", label="火灾")
    page.select_option("#id_accident_type", label="火灾")
    page.fill("#id_deaths", "0")
    page.fill("#id_serious_injuries", "1")
    page.fill("#id_minor_injuries", "2")
    page.fill("#id_direct_loss", "3.5")
    page.fill("#id_narrative", "电动车充电起火")
    page.click("#submit-button")
    page.wait_for_url("**/incidents/*/")
    assert "西关菜市场北门" in page.content()
    incident = Incident.objects.get()
    assert incident.created_by == world.users["township1"]
    page.goto(f"{live_server.url}/incidents/list/")
    row = page.locator("#incident-table tbody tr").first
    assert "西关社区" in row.inner_text() and "火灾" in row.inner_text()
    row.locator("a").first.click()
    page.wait_for_url(f"**{incident.get_absolute_url()}")
    assert "受伤" in page.content() or "轻伤2人" in page.content()
