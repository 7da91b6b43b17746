"""The sends, against real servers: mail to a local SMTP server (aiosmtpd), bots to a local HTTP
server. A digest is sent once a day however often (or however concurrently) it runs; a failed
send is retried without sending again what went out."""

import datetime as dt
import threading

import pytest
from django.db import connection

from notifications import services
from notifications.choices import Adapter, DeliveryStatus, EmailMode, Kind
from notifications.models import Delivery, Digest, Notification, WebhookChannel
from notifications.tasks import daily_digest

DAY = dt.date(2026, 6, 10)


def _notify(user, title="排查消防通道", kind=Kind.ACTION_ASSIGNED):
    return services.notify(
        kind=kind, recipients=[user], params={"title": title, "due": "2026-06-30"}, url="/committees/"
    )


def test_instant_mail_and_the_daily_digest_reach_a_real_smtp_server(
    emails, smtp_server, django_capture_on_commit_callbacks
):
    world = emails
    member, staff = world.users["member1"], world.users["township1"]
    services.preferences_save(user=member, choices={Kind.ACTION_ASSIGNED: {"in_app": True, "email": EmailMode.INSTANT}})
    with django_capture_on_commit_callbacks(execute=True):
        _notify(member, "即时事项")
        _notify(staff, "汇总事项一")
        _notify(staff, "汇总事项二")
    assert [m["subject"] for m in smtp_server.to("member1@example.test")] == ["安全社区建设管理平台：督办事项分配"]
    assert "即时事项" in smtp_server.to("member1@example.test")[0]["body"]
    assert smtp_server.to("township1@example.test") == []  # waits for the digest

    first = daily_digest.delay(DAY.isoformat()).get()
    second = daily_digest.delay(DAY.isoformat()).get()
    assert first["mails"] == 1 and second["mails"] == 0
    [digest] = smtp_server.to("township1@example.test")
    assert "2条提醒" in digest["subject"] and "汇总事项一" in digest["body"] and "汇总事项二" in digest["body"]
    assert len(smtp_server.messages) == 2
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 2
    # A notification after the day's digest waits for the next day's.
    _notify(staff, "次日事项")
    assert services.digests_run(day=DAY)["mails"] == 0
    assert services.digests_run(day=DAY + dt.timedelta(days=1))["mails"] == 1
    assert "次日事项" in smtp_server.to("township1@example.test")[1]["body"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_digest_runs_send_once(smtp_server):
    from tests.conftest import build_world

    world = build_world()
    users = [world.users[name] for name in ("township1", "member1", "county")]
    for user in users:
        user.email = f"{user.username}@example.test"
        user.save()
        for i in range(3):
            _notify(user, f"事项{i}")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.digests_run(day=DAY))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sum(r["mails"] for r in results) == 3
    assert sorted(m["to"][0] for m in smtp_server.messages) == sorted(u.email for u in users)
    assert Digest.objects.filter(day=DAY).count() == 3
    assert Notification.objects.filter(digest__isnull=True).count() == 0


def test_bot_posts_to_the_countys_webhook_and_a_failed_send_is_retried_alone(
    emails, smtp_server, webhook_server, django_capture_on_commit_callbacks
):
    world = emails
    member = world.users["member1"]
    member.phone = "13800001111"
    member.save()
    WebhookChannel.objects.create(
        county=world.county, name="县安委办企业微信群", adapter=Adapter.WECOM, url=webhook_server.url
    )
    WebhookChannel.objects.create(
        county=world.other_county, name="邻县", adapter=Adapter.WECOM, url=webhook_server.url + "&other"
    )
    services.preferences_save(
        user=member, choices={Kind.ACTION_ASSIGNED: {"in_app": True, "email": EmailMode.INSTANT, "bot": True}}
    )
    webhook_server.fail_next = 1
    with django_capture_on_commit_callbacks(execute=True):
        _notify(member, "加固护栏")
    assert len(smtp_server.messages) == 1 and webhook_server.posts == []
    bot = Delivery.objects.get(channel="bot")
    assert bot.status == DeliveryStatus.FAILED and "HTTP 500" in bot.error and bot.attempts == 1

    assert services.deliveries_retry() == {"tried": 1, "sent": 1}
    assert services.deliveries_retry() == {"tried": 0, "sent": 0}
    [post] = webhook_server.posts
    assert post["json"]["msgtype"] == "text" and "加固护栏" in post["json"]["text"]["content"]
    assert "member1姓名" in post["json"]["text"]["content"] and "other" not in post["path"]
    assert len(smtp_server.messages) == 1  # the mail that went out is not sent again
    bot.refresh_from_db()
    assert bot.status == DeliveryStatus.SENT and bot.attempts == 2


def test_sms_gateway_gets_the_phone_and_a_bot_error_code_is_a_failure(
    emails, webhook_server, django_capture_on_commit_callbacks
):
    world = emails
    member = world.users["member1"]
    member.phone = "13800001111"
    member.save()
    WebhookChannel.objects.create(county=world.county, name="短信", adapter=Adapter.SMS, url=webhook_server.url)
    services.preferences_save(
        user=member, choices={Kind.ACTION_ASSIGNED: {"in_app": True, "email": EmailMode.OFF, "bot": True}}
    )
    with django_capture_on_commit_callbacks(execute=True):
        _notify(member, "短信事项")
    [post] = webhook_server.posts
    assert post["json"]["phone"] == "13800001111" and "短信事项" in post["json"]["text"]
    with pytest.raises(Exception, match="errcode 93000"):
        from notifications.channels import GroupBot

        GroupBot().check(b'{"errcode": 93000, "errmsg": "invalid webhook url"}')
