"""Issue 13: passwords that are the user name plus digits, too simple, or Chinese favourites are
refused, in Chinese and English (OWASP ASVS 2.1.7; 等保2.0 身份鉴别: 口令复杂度)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from safecommunity.choices import Role
from safecommunity.models import User
from tests.conftest import PASSWORD


def messages(password, user=None):
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    return " ".join(exc.value.messages)


@pytest.mark.parametrize(
    "password",
    ["Aa123456", "woaini1314", "Woaini1314!", "1qaz2wsx3edc", "Iloveyou1314", "5201314520", "Admin123456", "P@ssw0rd"],
)
def test_chinese_favourites_are_refused(password):
    messages(password)


def test_the_common_password_message_is_chinese():
    assert "该密码过于常见" in messages("Woaini1314!")


def test_user_name_plus_digits_is_refused():
    user = User(username="pt_pw", role=Role.TOWNSHIP_STAFF)
    assert "密码不能包含用户名" in messages("pt_pw12345", user)
    assert "密码不能包含用户名" in messages("Pt-Pw-2026!x", user)


@pytest.mark.parametrize("password", ["qingshanriver", "qingshan2031", "QINGSHAN-RIVER"])
def test_a_password_with_fewer_than_three_kinds_of_character_is_refused(password):
    assert "至少3种" in messages(password)


@pytest.mark.parametrize("password", [PASSWORD, "Demo-2026!safe", "Qingshan-river-2031"])
def test_a_good_password_passes(password):
    validate_password(password, User(username="township1", role=Role.TOWNSHIP_STAFF))


def test_messages_are_in_english_for_an_english_user():
    with translation.override("en"):
        named = messages("pt_pw12345", User(username="pt_pw", role=Role.TOWNSHIP_STAFF))
        simple = messages("qingshan2031")
    assert "user name" in named and "at least 3 kinds" in simple


def test_the_password_change_page_refuses_the_user_name_plus_digits(client, world):
    client.force_login(world.users["township1"])
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Township1-2026", "new_password2": "Township1-2026"},
    )
    assert response.status_code == 200
    assert "密码不能包含用户名" in response.content.decode()
