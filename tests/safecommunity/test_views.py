import pytest
from django.urls import reverse

from tests.query_ceilings import assert_same_queries_for_more_townships
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


@pytest.mark.parametrize(
    "accept, expected", [("zh-CN,zh;q=0.9", "用户登录"), ("en-US,en;q=0.9", "Sign in"), ("", "用户登录")]
)
def test_login_page_language_follows_browser_until_chosen(client, db, accept, expected):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept)
    assert expected in response.content.decode()


def test_chosen_language_wins_over_browser(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "Sign in" in response.content.decode()


def _add_villages(world, n):
    from safecommunity.choices import AreaLevel
    from safecommunity.services import area_create

    for i in range(10, 10 + n):
        area_create(code=f"371799001{i:03d}", name=f"新村{i}", level=AreaLevel.VILLAGE, parent=world.township1)


@pytest.mark.parametrize("url_name", ["home", "area_list"])
def test_page_query_count_does_not_grow_with_the_areas(as_user, world, django_assert_max_num_queries, url_name):
    client = as_user("county")
    url = reverse(url_name)
    client.get(url)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    _add_villages(world, 40)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_audit_page_query_count_does_not_grow_with_events(as_user, world, django_assert_max_num_queries):
    from safecommunity.services import security_event_record

    client = as_user("admin")
    for i in range(60):
        security_event_record(kind="login_failed", username=f"u{i}", user=world.users["township1"])
    _add_villages(world, 20)  # audit entries with an actor-less change each
    # Four tables (locked accounts, events, changes, reveals), their counts and the filter choices.
    with django_assert_max_num_queries(14):
        page = client.get(reverse("audit")).content.decode()
    assert "登录失败" in page


def test_filter_choices_list_only_the_users_scope(world, rf):
    """A filter generated from Meta.fields and a declared one both narrow their choices."""
    import django_filters

    from safecommunity.filters import ScopedFilterSet
    from safecommunity.models import Area, User

    class VillageFilter(ScopedFilterSet):
        parent = django_filters.ModelChoiceFilter(queryset=Area.objects.filter(level="township"))
        owner = django_filters.ModelChoiceFilter(queryset=lambda request: User.objects.all())

        class Meta:
            model = Area
            fields = ["parent"]

    request = rf.get("/")
    request.user = world.users["township1"]
    form = VillageFilter(data={}, queryset=Area.objects.all(), request=request).form
    assert set(form.fields["parent"].queryset) == {world.township1}
    owners = {u.username for u in form.fields["owner"].queryset}
    assert "township1" in owners and "member1" in owners and "county" in owners
    assert "township2" not in owners and "othercounty" not in owners
    request.user = world.users["county"]
    form = VillageFilter(data={}, queryset=Area.objects.all(), request=request).form
    assert set(form.fields["parent"].queryset) == {world.township1, world.township2}


def test_form_choices_of_people_are_scoped(world):
    from django import forms

    from safecommunity.forms import ScopedModelForm
    from safecommunity.models import User

    class PickForm(ScopedModelForm):
        person = forms.ModelChoiceField(queryset=User.objects.all())

        class Meta:
            model = User
            fields = ["full_name"]

    names = {u.username for u in PickForm(user=world.users["township2"]).fields["person"].queryset}
    assert "township2" in names and "township1" not in names and "othercounty" not in names


@pytest.mark.parametrize("url_name", ["area_list"])
def test_pages_cost_the_same_queries_for_more_townships_and_rows(
    client, world, django_assert_max_num_queries, url_name
):
    assert_same_queries_for_more_townships(client, world, django_assert_max_num_queries, reverse(url_name))


def test_a_services_refusal_lands_on_the_field_it_names_or_on_the_form():
    from django import forms

    from safecommunity.exceptions import ApplicationError
    from safecommunity.generic import add_service_errors, refusal_message

    class ReasonForm(forms.Form):
        reason = forms.CharField(required=False)

    form = ReasonForm(data={})
    assert form.is_valid()
    add_service_errors(form, ApplicationError("退回须说明原因", field="reason"))
    add_service_errors(form, ApplicationError("只有待审核的月份可以退回"))
    add_service_errors(form, ApplicationError("隐患等级不属于本县", field="grade"))  # not on this form
    assert form.errors == {"reason": ["退回须说明原因"], "__all__": ["只有待审核的月份可以退回", "隐患等级不属于本县"]}
    assert refusal_message(ApplicationError("退回须说明原因", field="reason")) == "退回须说明原因"
