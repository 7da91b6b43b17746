"""Issue 13: failed logins and lockouts of a county's accounts are on that county's audit page,
and password changes are recorded (OWASP ASVS 7.1.3, 7.2.1; 等保2.0 安全审计)."""

from django.urls import reverse

from safecommunity.choices import SecurityEventKind
from safecommunity.models import SecurityEvent
from tests.conftest import PASSWORD


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_failures_and_lockout_of_county_accounts_show_on_the_county_admins_audit_page(client, world):
    for _ in range(6):
        login(client, "township1", "wrong-password")
    login(client, "nobody-here", "wrong-password")
    failures = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED, username="township1")
    assert failures.count() >= 5 and all(e.user == world.users["township1"] for e in failures)
    locked = SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT, username="township1")
    assert locked.exists() and all(e.user == world.users["township1"] for e in locked)

    client.force_login(world.users["admin"])
    response = client.get(reverse("audit"))
    kinds = [e.kind for e in response.context["events"]]
    assert kinds.count(SecurityEventKind.LOGIN_FAILED) >= 5 and SecurityEventKind.LOCKED_OUT in kinds
    assert "nobody-here" not in response.content.decode()


def test_another_countys_admin_does_not_see_the_failures(client, world):
    from safecommunity.choices import Role
    from safecommunity.services import user_create

    login(client, "township1", "wrong-password")
    other_admin = user_create(
        username="otheradmin", password=PASSWORD, role=Role.ADMINISTRATOR, area=world.other_county
    )
    client.force_login(other_admin)
    assert "township1" not in client.get(reverse("audit")).content.decode()


def test_a_password_change_is_recorded_and_shown_to_the_county_admin(client, world):
    client.force_login(world.users["township1"])
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Qingshan-river-2031",
            "new_password2": "Qingshan-river-2031",
        },
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PASSWORD_CHANGED)
    assert event.user == world.users["township1"] and event.username == "township1"
    client.force_login(world.users["admin"])
    assert "修改密码" in client.get(reverse("audit")).content.decode()


def test_a_refused_password_change_is_not_recorded(client, world):
    client.force_login(world.users["township1"])
    client.post(reverse("password_change"), {"old_password": "wrong", "new_password1": "x", "new_password2": "x"})
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.PASSWORD_CHANGED).exists()
