import datetime as dt

import pytest
from django.utils import timezone

from inspections.choices import HazardStatus
from inspections.models import Hazard, Inspection

from .factories import EntityFactory, GridFactory, checklist


@pytest.mark.browser
def test_inspection_on_a_phone_registers_a_hazard_from_a_failed_item(phone_page, browser_login, live_server, world):
    grid = GridFactory(village=world.village1, inspector=world.users["inspector1"], head=world.users["township1"])
    entity = EntityFactory(grid=grid, name="东关五金店", next_due_on=timezone.localdate())
    template = checklist(world.county, n=2)
    first, second = template.items.all()
    page = browser_login(phone_page, "inspector1")

    # "My tasks" lists the entity due today; start the inspection from there.
    page.goto(f"{live_server.url}/inspections/")
    page.locator("#my-tasks").get_by_role("link", name="巡查", exact=True).first.click()
    page.wait_for_url(f"**/entities/{entity.pk}/inspect/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1  # no sideways scrolling

    page.check(f"#id_result_{first.pk}_0", force=True)
    page.click(f"label[for=id_result_{second.pk}_1]")  # 不符合
    page.check(f"#id_hazard_{second.pk}")  # 登记为隐患 appears once failed
    page.fill(f"#id_hazard_description_{second.pk}", "二楼安全出口上锁")
    page.fill(f"#id_hazard_deadline_{second.pk}", (timezone.localdate() + dt.timedelta(days=3)).isoformat())
    page.click("label[for=id_rating_3]")  # 差
    page.fill("#id_representative_name", "王五")
    page.click("#submit-button")

    page.wait_for_url("**/inspections/inspections/*/")
    assert "登记隐患1条" in page.content()
    inspection = Inspection.objects.get(entity=entity)
    hazard = Hazard.objects.get(inspection=inspection)
    assert hazard.description == "二楼安全出口上锁" and hazard.status == HazardStatus.REGISTERED
    assert hazard.item_id == second.pk and hazard.registered_by == world.users["inspector1"]
    page.get_by_role("link", name=hazard.number).click()
    page.wait_for_selector("#timeline")
    assert "登记" in page.locator("#timeline").inner_text()
