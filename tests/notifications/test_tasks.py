import pytest

from notifications import services
from notifications.choices import JobStatus, Kind
from notifications.models import JobRun
from notifications.tasks import daily_digest


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_beats_sending_the_digest_to_a_real_worker_mail_once(
    world, smtp_server, settings, monkeypatch, celery_worker_factory
):
    # The worker's mail settings come from the environment, as in production.
    monkeypatch.setenv("DJANGO_EMAIL_URL", f"smtp://{settings.EMAIL_HOST}:{settings.EMAIL_PORT}")
    for name in ("township1", "county"):
        user = world.users[name]
        user.email = f"{name}@example.test"
        user.save()
        services.notify(
            kind=Kind.HAZARD_OVERDUE, recipients=[user], params={"number": "YH1", "entity": "东关机械厂", "days": 2}
        )
    celery_worker_factory(concurrency=2)
    results = [daily_digest.apply_async(args=["2026-06-10"]) for _ in range(2)]
    values = [r.get(timeout=60) for r in results]
    assert sum(v["mails"] for v in values) == 2  # each user once, whichever run claimed them
    assert sorted(m["to"][0] for m in smtp_server.messages) == ["county@example.test", "township1@example.test"]
    assert "YH1" in smtp_server.messages[0]["body"]
    runs = JobRun.objects.filter(task="notifications.daily_digest")
    assert runs.count() == 2 and set(runs.values_list("status", flat=True)) == {JobStatus.OK}
