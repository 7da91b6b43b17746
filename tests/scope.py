"""The access matrix every view is tested against (STYLE.md, "For every view").

    assert_access(client, world, url, allowed={"township1"})

checks, for one URL of an object or page of township 1 (371799001):
  anonymous                       → redirect to the login page
  each world user of township 1 and its county (township1, inspector1, member1, county, admin):
      in ``allowed``              → ``ok_status`` (200 by default; 302 for POSTs that redirect)
      not in ``allowed``          → 403
  ``outsiders`` (township 2 users, another county's supervisor) whose role is allowed
                                  → 404 for object URLs (``object_url=True``), else ``ok_status``
A list page should also be checked with ``assert_not_listed`` for another township's rows.
"""

from urllib.parse import urlparse

from django.conf import settings

INSIDERS = ("township1", "inspector1", "member1", "county", "admin")
OUTSIDERS = ("township2", "inspector2", "member2", "othercounty")


def _request(client, method, url, data):
    if method == "get":
        return client.get(url, data or {})
    return client.post(url, data or {})


def assert_access(client, world, url, *, allowed, method="get", data=None, ok_status=(200,), object_url=True):
    allowed = set(allowed)
    unknown = allowed - set(INSIDERS) - set(OUTSIDERS)
    assert not unknown, f"unknown users in allowed: {unknown}"
    client.logout()
    response = _request(client, method, url, data)
    assert response.status_code == 302, f"anonymous {method.upper()} {url}: {response.status_code}"
    assert urlparse(response["Location"]).path == settings.LOGIN_URL or "/accounts/login/" in response["Location"]

    for username in INSIDERS:
        client.force_login(world.users[username])
        response = _request(client, method, url, data)
        expected = ok_status if username in allowed else (403,)
        assert response.status_code in expected, (
            f"{username} {method.upper()} {url}: {response.status_code}, expected {expected}"
        )

    allowed_roles = {world.users[u].role for u in allowed}
    for username in OUTSIDERS:
        user = world.users[username]
        client.force_login(user)
        response = _request(client, method, url, data)
        if user.role not in allowed_roles:
            expected = (403,)
        elif object_url:
            expected = (404,)
        else:
            expected = ok_status
        assert response.status_code in expected, (
            f"{username} {method.upper()} {url}: {response.status_code}, expected {expected}"
        )
    client.logout()


def assert_not_listed(client, user, url, text):
    """``text`` (e.g. another township's record) does not appear on the page for ``user``."""
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert text not in response.content.decode()
    client.logout()


def assert_county_row_access(
    client,
    world,
    url,
    *,
    allowed,
    roles,
    township_status=(404,),
    other_county=(404,),
    method="get",
    data=None,
    ok_status=(200,),
):
    """The matrix for one URL of a row owned by the county 371799 itself (``CountyOwnedModel``):

    anonymous                                   → the login page
    users in ``allowed``                        → ``ok_status``
    a user whose role is not in ``roles`` (the view's role set) → 403
    the county's own office (county, admin) not in ``allowed`` → 403
    the county's township users (both townships) not in ``allowed`` → ``township_status``:
        404 for a county-private row; 403 for a write URL of a row published to them
    another county's supervisor                 → ``other_county`` (404; 403 on write URLs,
                                                  where the county office finds only its own rows)
    """
    allowed = set(allowed)
    client.logout()
    response = _request(client, method, url, data)
    assert response.status_code == 302, f"anonymous {method.upper()} {url}: {response.status_code}"
    for username in (*INSIDERS, *OUTSIDERS):
        user = world.users[username]
        client.force_login(user)
        response = _request(client, method, url, data)
        if username in allowed:
            expected = ok_status
        elif user.role not in roles:
            expected = (403,)
        elif username == "othercounty":
            expected = other_county
        elif user.is_county_level:
            expected = (403,)
        else:
            expected = township_status
        assert response.status_code in expected, (
            f"{username} {method.upper()} {url}: {response.status_code}, expected {expected}"
        )
    client.logout()
