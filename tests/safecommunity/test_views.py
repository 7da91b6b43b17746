import pytest
from django.urls import reverse

from tests.scope import assert_access


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_home_shows_role_and_scope(as_user):
    client = as_user("township1")
    page = client.get("/").content.decode()
    assert "乡镇安监人员" in page
    assert "城关街道（371799001）" in page
    assert "村/社区 3 个" in page


def test_county_home_counts_all_townships(as_user):
    page = as_user("county").get("/").content.decode()
    assert "乡镇/街道 2 个" in page
    assert "村/社区 5 个" in page


def test_audit_page_is_for_administrators_only(client, world):
    assert_access(client, world, reverse("audit"), allowed={"admin"}, object_url=False)


def test_area_list_is_scoped(as_user, world):
    page = as_user("township1").get(reverse("area_list")).content.decode()
    assert "东关社区" in page
    assert "青山村" not in page
    page = as_user("county").get(reverse("area_list")).content.decode()
    assert "青山村" in page and "邻县一村" not in page


@pytest.mark.parametrize("accept, expected", [("zh-CN,zh;q=0.9", "用户登录"), ("en-US,en;q=0.9", "Sign in"), ("", "用户登录")])
def test_login_page_language_follows_browser_until_chosen(client, db, accept, expected):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept)
    assert expected in response.content.decode()


def test_chosen_language_wins_over_browser(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "Sign in" in response.content.decode()
