import pytest
from django.urls import reverse

from notifications import services
from notifications.choices import EmailMode, Kind
from notifications.models import JobRun, Notification, Preference, WebhookChannel
from tests.query_ceilings import assert_same_queries_for_more_townships
from tests.scope import INSIDERS, OUTSIDERS, assert_access

EVERYONE = set(INSIDERS) | set(OUTSIDERS)


def _note(user, title="排查消防通道"):
    [note] = services.notify(
        kind=Kind.ACTION_ASSIGNED, recipients=[user], params={"title": title, "due": "2026-06-30"}, url="/committees/"
    )
    return note


@pytest.mark.parametrize("name", ["notification_list", "preferences"])
def test_own_pages_open_to_every_role(client, world, name):
    assert_access(client, world, reverse(f"notifications:{name}"), allowed=EVERYONE, object_url=False)


@pytest.mark.parametrize("name", ["jobrun_list", "delivery_list", "channel_list", "channel_create"])
def test_county_pages_for_the_county_office(client, world, name):
    assert_access(client, world, reverse(f"notifications:{name}"), allowed={"county", "admin"}, object_url=False)


def test_channel_edit_is_the_countys_own(client, world):
    channel = WebhookChannel.objects.create(county=world.county, name="县安委办群", url="https://qyapi.weixin.qq.com/x")
    assert_access(
        client, world, reverse("notifications:channel_update", args=[channel.pk]), allowed={"county", "admin"}
    )


def test_another_users_notification_is_a_404(client, world):
    note = _note(world.users["township1"])
    for url, method in [
        (reverse("notifications:notification_open", args=[note.pk]), "get"),
        (reverse("notifications:notification_read", args=[note.pk]), "post"),
    ]:
        client.logout()
        assert getattr(client, method)(url).status_code == 302  # to the login page
        for name in EVERYONE - {"township1"}:
            client.force_login(world.users[name])
            assert getattr(client, method)(url).status_code == 404, (name, url)
    note.refresh_from_db()
    assert note.read_at is None
    client.force_login(world.users["township1"])
    response = client.get(reverse("notifications:notification_open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/committees/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_list_marks_read_and_all_read_and_the_bell_counts(client, world):
    user = world.users["member1"]
    notes = [_note(user, f"事项{i}") for i in range(3)]
    _note(world.users["member2"], "别人的事项")
    client.force_login(user)
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert 'id="notification-count">3<' in page and "事项2" in page and "别人的事项" not in page
    client.post(reverse("notifications:notification_read", args=[notes[0].pk]))
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert 'id="notification-count">2<' in page
    client.post(reverse("notifications:notification_read_all"))
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert 'id="notification-count"' not in page
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=world.users["member2"], read_at__isnull=True).count() == 1


def test_bell_costs_one_query_then_none(client, world, django_assert_num_queries):
    from notifications.selectors import unread_count

    user = world.users["member1"]
    _note(user)
    with django_assert_num_queries(1):
        assert unread_count(user) == 1
    with django_assert_num_queries(0):
        assert unread_count(user) == 1


def test_other_pages_ask_for_the_bell_after_loading_until_it_is_cached(client, world, django_assert_num_queries):
    user = world.users["member1"]
    _note(user)
    client.force_login(user)
    page = client.get(reverse("committees:index")).content.decode()
    assert 'hx-get="/notifications/bell/"' in page and 'id="notification-count"' not in page
    bell = client.get(reverse("notifications:bell")).content.decode()
    assert 'id="notification-count">1<' in bell and "hx-get" not in bell
    page = client.get(reverse("committees:index")).content.decode()
    assert 'id="notification-count">1<' in page and 'hx-get="/notifications/bell/"' not in page


def test_notification_list_queries_do_not_grow(client, world, django_assert_max_num_queries):
    user = world.users["member1"]
    client.force_login(user)
    _note(user)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("notifications:notification_list"))
    for i in range(30):
        _note(user, f"事项{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("notifications:notification_list"))


def test_preferences_page_saves_each_kind(client, world):
    user = world.users["inspector1"]
    client.force_login(user)
    data = {f"{k}__email": EmailMode.DIGEST for k in Kind.values}
    data.update({f"{k}__in_app": "on" for k in Kind.values})
    data[f"{Kind.HAZARD_ASSIGNED}__email"] = EmailMode.INSTANT
    data[f"{Kind.HAZARD_ASSIGNED}__bot"] = "on"
    del data[f"{Kind.HAZARD_OVERDUE}__in_app"]
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    pref = Preference.objects.get(user=user, kind=Kind.HAZARD_ASSIGNED)
    assert (pref.email, pref.bot, pref.in_app) == (EmailMode.INSTANT, True, True)
    assert Preference.objects.get(user=user, kind=Kind.HAZARD_OVERDUE).in_app is False
    bad = client.post(reverse("notifications:preferences"), {**data, f"{Kind.HAZARD_ASSIGNED}__email": "sms"})
    assert bad.status_code == 200 and Preference.objects.get(user=user, kind=Kind.HAZARD_ASSIGNED).email == "instant"


def test_job_page_shows_what_ran_and_what_failed(client, world):
    JobRun.objects.create(task="notifications.daily_digest", status="ok", result="2026-06-10: 3 mails")
    JobRun.objects.create(task="notifications.daily_reminders", status="failed", error="OperationalError: db gone")
    client.force_login(world.users["county"])
    page = client.get(reverse("notifications:jobrun_list")).content.decode()
    assert "3 mails" in page and "OperationalError: db gone" in page and "table-danger" in page


def test_pages_in_chinese_and_english(client, world):
    _note(world.users["county"], "督办道路护栏")
    client.force_login(world.users["county"])
    zh = client.get(reverse("notifications:notification_list")).content.decode()
    assert "我的通知" in zh and "督办事项分配" in zh and "您被指定为督办事项“督办道路护栏”的责任人" in zh
    client.cookies["sc_language"] = "en"
    en = client.get(reverse("notifications:notification_list")).content.decode()
    assert "My notifications" in en and "Action item assigned" in en and "action item &quot;督办道路护栏&quot;" in en
    for name in ("preferences", "jobrun_list", "channel_list"):
        page = client.get(reverse(f"notifications:{name}")).content.decode()
        assert "通知设置" not in page and "定时任务运行记录" not in page, name
    assert "Notification settings" in client.get(reverse("notifications:preferences")).content.decode()
    assert "Scheduled job runs" in client.get(reverse("notifications:jobrun_list")).content.decode()


@pytest.mark.parametrize(
    "url_name",
    [
        "notifications:notification_list",
        "notifications:jobrun_list",
        "notifications:delivery_list",
        "notifications:channel_list",
    ],
)
def test_pages_cost_the_same_queries_for_more_townships_and_rows(
    client, world, django_assert_max_num_queries, url_name
):
    assert_same_queries_for_more_townships(client, world, django_assert_max_num_queries, reverse(url_name))
