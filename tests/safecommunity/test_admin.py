from safecommunity.models import User


def test_administrator_manages_only_their_own_countys_users(client, world):
    client.force_login(world.users["admin"])
    page = client.get("/admin/safecommunity/user/").content.decode()
    assert "township1" in page and "township2" in page
    assert "othercounty" not in page
    other = world.users["othercounty"]
    response = client.get(f"/admin/safecommunity/user/{other.pk}/change/")
    # Django's admin answers an object outside its queryset with a redirect to the index and a message.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_other_roles_cannot_open_the_admin(client, world):
    for name in ("township1", "county", "member1"):
        user = world.users[name]
        user.is_staff = True  # even if someone set the flag by mistake
        user.save()
        client.force_login(user)
        response = client.get("/admin/safecommunity/user/")
        assert response.status_code == 403, name


def test_administrator_can_deactivate_a_user_but_not_delete(client, world):
    client.force_login(world.users["admin"])
    target = world.users["member1"]
    response = client.get(f"/admin/safecommunity/user/{target.pk}/delete/")
    assert response.status_code == 403
    assert User.objects.filter(pk=target.pk).exists()


def test_a_change_through_the_portal_is_audited_with_its_author(client, world):
    from auditlog.models import LogEntry

    client.force_login(world.users["admin"])
    target = world.users["member1"]
    response = client.post(
        f"/admin/safecommunity/user/{target.pk}/change/",
        {
            "username": "member1",
            "full_name": "周主任",
            "phone": "",
            "email": "",
            "role": "committee_member",
            "area": world.township1.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(target).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == world.users["admin"]
    assert entry.changes_dict["full_name"] == ["member1姓名", "周主任"]
    page = client.get("/audit/").content.decode()
    assert "周主任" in page
