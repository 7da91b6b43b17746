"""The grid inspector's offline app in a real Chromium on a 360-px phone: an inspection filled in
offline survives a reload, is sent once when the network returns (even when a photo upload is
cut off half-way), and the task list draws from the cache on a slow 3G network."""

import datetime as dt
import io
import re
import time

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIELD = "/inspections/field/"


def _jpeg(size, colour) -> dict:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format="JPEG", quality=80)
    return {"name": f"photo-{size[0]}.jpg", "mimeType": "image/jpeg", "buffer": buf.getvalue()}


@pytest.fixture
def field_world(world):
    from tests.inspections.factories import EntityFactory, GridFactory, checklist

    grid = GridFactory(
        village=world.village1, inspector=world.users["inspector1"], head=world.users["township1"], name="东关一网格"
    )
    entity = EntityFactory(grid=grid, name="东关五金店", next_due_on=timezone.localdate())
    later = EntityFactory(grid=grid, name="东关饭店", next_due_on=timezone.localdate() + dt.timedelta(days=1))
    template = checklist(world.county, n=2)
    return {"entity": entity, "later": later, "items": list(template.items.all())}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def wait_until(page, script, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.evaluate(script):
            return
        time.sleep(0.2)
    raise AssertionError(f"not true within {timeout}s: {script}")


CACHED = """async () => !!(await caches.match('/inspections/field/')) &&
                     !!(await caches.match('/inspections/offline/data.json'))"""


def open_field_app(page, live_server):
    """The field page once online: the worker installed and the page and its data cached."""
    page.goto(f"{live_server.url}{FIELD}")
    page.wait_for_selector("html[data-sw-ready]")
    wait_until(page, CACHED)
    page.wait_for_selector("#tasks-today .sc-task")


def fill_inspection(page, world_, *, hazard_photo=None, inspection_photo=None, entity=None, when=None):
    """Fill in the offline form: the first item passes, the second fails and registers a hazard
    (with ``hazard_photo``), ``inspection_photo`` for the inspection itself."""
    entity, (first, second) = entity or world_["entity"], world_["items"]
    page.locator(f"#task-groups .sc-start[data-entity='{entity.pk}']").first.click()
    page.wait_for_selector("#offline-form .sc-item")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    if when:
        page.fill("#f-inspected-at", when)
    page.click(f"label[for=f-result-{first.pk}-conform]")
    page.click(f"label[for=f-result-{second.pk}-nonconform]")
    page.check(f"#f-hazard-{second.pk}")
    page.fill(f"#f-hazard-desc-{second.pk}", "二楼安全出口上锁")
    if hazard_photo:
        page.set_input_files(f"#f-hazard-photos-{second.pk}", [hazard_photo])
        page.wait_for_selector(f"#f-hazard-photos-{second.pk}-count:has-text('1')", state="attached")
    if inspection_photo:
        page.set_input_files("#f-photos", [inspection_photo])
        page.wait_for_selector("#f-photos-count:has-text('1')", state="attached")
    page.fill("#f-notes", "离线巡查")
    page.click("label[for=f-rating-poor]")
    page.fill("#f-representative", "王五")
    page.click("#f-save")
    page.wait_for_selector("#task-list:not([hidden])")


def assert_one_inspection_one_hazard_two_photos(world_, world):
    from inspections.models import Hazard, Inspection, Photo

    inspection = Inspection.objects.get()
    assert inspection.entity == world_["entity"] and inspection.recorded_by == world.users["inspector1"]
    assert inspection.client_key is not None and inspection.rating == "poor" and inspection.notes == "离线巡查"
    hazard = Hazard.objects.get()
    assert hazard.inspection == inspection and hazard.item == world_["items"][1]
    assert hazard.description == "二楼安全出口上锁"
    assert Photo.objects.count() == 2
    assert inspection.photos.count() == 1 and hazard.photos.count() == 1
    assert Photo.objects.filter(client_key__isnull=True).count() == 0


def test_offline_inspection_survives_a_reload_and_syncs_once(
    phone_page, live_server, browser_login, world, field_world
):
    from inspections.models import Inspection, Photo

    page = browser_login(phone_page, "inspector1")
    open_field_app(page, live_server)
    context = page.context
    context.set_offline(True)

    # A 3000×2000 photo is resized on the phone to 2048 px before it is stored.
    fill_inspection(
        page,
        field_world,
        hazard_photo=_jpeg((3000, 2000), (200, 30, 30)),
        inspection_photo=_jpeg((800, 600), (30, 30, 200)),
    )
    page.wait_for_selector(".sc-outbox[data-status=pending]")
    sizes = page.evaluate("""async () => {
        const [record] = await window.scOutbox.all();
        return Promise.all(record.photos.map(async p => { const b = await createImageBitmap(p.blob);
                                                          return [b.width, b.height]; }));
    }""")
    assert sorted(sizes) == [[800, 600], [2048, 1365]]

    # Reloaded while offline: the page comes from the worker's cache and the record is still there.
    page.reload()
    page.wait_for_selector("#tasks-today .sc-task")
    row = page.locator(".sc-outbox[data-status=pending]")
    assert row.count() == 1 and "东关五金店" in row.inner_text()
    assert page.locator("#pending-count").inner_text() == "1"
    assert page.locator("#net-status").inner_text() == "离线"
    assert Inspection.objects.count() == 0

    context.set_offline(False)
    page.wait_for_selector(".sc-outbox[data-status=synced]", timeout=30000)
    assert "照片 2/2" in page.locator(".sc-outbox").inner_text()
    assert page.locator("#pending-count").inner_text() == "0"
    assert_one_inspection_one_hazard_two_photos(field_world, world)

    # A second sync (a button press, another page) sends nothing again.
    page.click("#sync-button")
    page.reload()
    page.wait_for_selector(".sc-outbox[data-status=synced]")
    assert Inspection.objects.count() == 1 and Photo.objects.count() == 2

    # Logging out deletes the cached pages and data and the synced history.
    page.evaluate("document.getElementById('logout-button').click()")
    page.wait_for_url("**/accounts/login/**")
    assert page.evaluate("caches.keys()") and "sc-personal" not in page.evaluate("caches.keys()")
    assert page.evaluate("async () => (await caches.match('/inspections/offline/data.json')) === undefined")
    assert (
        page.evaluate("""() => new Promise(resolve => { const r = indexedDB.open('sc-offline', 1);
        r.onsuccess = () => { const q = r.result.transaction('outbox').objectStore('outbox').count();
                              q.onsuccess = () => resolve(q.result); }; })""")
        == 0
    )


def test_photo_upload_cut_off_half_way_is_retried_and_never_doubled(
    phone_page, live_server, browser_login, world, field_world
):
    from inspections.models import Photo

    page = browser_login(phone_page, "inspector1")
    open_field_app(page, live_server)
    context = page.context
    context.set_offline(True)
    fill_inspection(
        page,
        field_world,
        hazard_photo=_jpeg((640, 480), (200, 30, 30)),
        inspection_photo=_jpeg((640, 480), (30, 30, 200)),
    )
    page.wait_for_selector(".sc-outbox[data-status=pending]")

    # The first photo request reaches the server (which stores the photo), then the connection
    # drops before the phone hears the answer; every later request goes through.
    seen = []

    def cut_off_first(route):
        seen.append(re.search(rb'name="key"\r\n\r\n([0-9a-f-]{36})', route.request.post_data_buffer).group(1))
        if len(seen) == 1:
            response = route.fetch()
            seen.append(response.status)
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/inspections/offline/photos/", cut_off_first)
    context.set_offline(False)
    page.wait_for_selector(".sc-outbox[data-status=synced]", timeout=40000)
    assert seen[1] == 201  # the cut-off request was stored by the server
    assert len(seen) >= 4  # …and sent again after it, with the same key
    assert seen[0] == seen[2]  # the photo's own idempotency key
    assert Photo.objects.count() == 2
    assert_one_inspection_one_hazard_two_photos(field_world, world)


def test_task_list_renders_from_cache_in_under_a_second_on_slow_3g(
    phone_page, live_server, browser_login, world, field_world
):
    page = browser_login(phone_page, "inspector1")
    open_field_app(page, live_server)
    page.reload()  # now controlled by the worker
    page.wait_for_selector("#tasks-today .sc-task")

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    # Chrome DevTools' "Slow 3G": 2 s round trip, 50 kB/s each way.
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000},
    )
    # The network really is slow: a request the worker does not answer takes over 2 s.
    took = page.evaluate("""async () => { const t = performance.now();
        await fetch('/inspections/offline/session/', {cache: 'no-store'}); return performance.now() - t; }""")
    assert took > 2000

    page.reload(wait_until="commit")
    page.wait_for_selector("#tasks-today .sc-task")
    rendered_at = int(page.get_attribute("html", "data-tasks-rendered-at"))
    assert rendered_at < 1000, f"task list drawn {rendered_at} ms after navigation"
    assert page.locator("#tasks-today .sc-task").inner_text().startswith("东关五金店")
    assert "东关饭店" in page.locator("#tasks-week").inner_text() + page.locator("#tasks-today").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1


def test_refused_and_conflicting_records_are_explained_and_the_refused_one_fixed_and_resent(
    phone_page, live_server, browser_login, world, field_world
):
    from inspections.models import Hazard, Inspection, Photo
    from tests.inspections.factories import GridFactory

    page = browser_login(phone_page, "inspector1")
    open_field_app(page, live_server)
    context = page.context
    context.set_offline(True)
    # A clock set wrong on the phone: the time is two days ahead.
    future = (dt.datetime.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    fill_inspection(
        page,
        field_world,
        hazard_photo=_jpeg((640, 480), (200, 30, 30)),
        inspection_photo=_jpeg((640, 480), (30, 30, 200)),
        when=future,
    )
    fill_inspection(page, field_world, entity=field_world["later"])
    assert page.locator(".sc-outbox[data-status=pending]").count() == 2
    # Meanwhile the office hands the second entity to another inspector's grid.
    later = field_world["later"]
    later.grid = GridFactory(village=world.village1, inspector=world.users["township1"], name="东关二网格")
    later.save()

    context.set_offline(False)
    refused = page.locator(".sc-outbox[data-status=refused]")
    conflict = page.locator(".sc-outbox[data-status=conflict]")
    refused.wait_for(timeout=30000)
    conflict.wait_for(timeout=30000)
    assert "检查时间不能晚于现在" in refused.locator(".sc-outbox-message").inner_text()
    assert "东关饭店" in conflict.inner_text()
    assert "已改由其他网格员负责" in conflict.locator(".sc-outbox-message").inner_text()
    assert not Inspection.objects.exists()

    # Fix the refused one: the form opens with the server's reason and what was filled in.
    refused.locator(".sc-fix").click()
    page.wait_for_selector("#offline-form .alert-danger")
    assert "检查时间不能晚于现在" in page.locator("#offline-form .alert-danger").first.inner_text()
    assert page.input_value("#f-representative") == "王五"
    page.fill("#f-inspected-at", (dt.datetime.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.click("#f-save")
    page.wait_for_selector(".sc-outbox[data-status=synced]", timeout=30000)
    assert Inspection.objects.count() == 1 and Hazard.objects.count() == 1 and Photo.objects.count() == 2
    assert Inspection.objects.get().entity == field_world["entity"]

    # The conflict is not resent blindly: the inspector discards it after checking with the office.
    page.on("dialog", lambda dialog: dialog.accept())
    conflict.locator(".sc-discard").click()
    page.wait_for_selector(".sc-outbox[data-status=conflict]", state="detached")
    assert Inspection.objects.count() == 1
