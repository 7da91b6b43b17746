"""A double click or a resubmitted POST saves once (one-time form token)."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from incidents.models import Incident
from safecommunity.models import SubmissionToken
from tests.incidents.test_views import incident_post


def _token(page: str) -> str:
    return re.search(r'name="_once" value="([^"]+)"', page).group(1)


def test_the_form_posted_twice_creates_one_incident_and_the_second_goes_to_the_first(as_user, world):
    client = as_user("township1")
    token = _token(client.get(reverse("incidents:incident_create")).content.decode())
    first = client.post(reverse("incidents:incident_create"), {**incident_post(world), "_once": token})
    second = client.post(reverse("incidents:incident_create"), {**incident_post(world), "_once": token}, follow=True)
    incident = Incident.objects.get()
    assert first.status_code == 302 and first["Location"] == incident.get_absolute_url()
    assert second.redirect_chain[-1][0] == incident.get_absolute_url()
    assert "该表单已经提交，未重复保存" in second.content.decode()
    # A new form (a new token) is a new incident.
    token2 = _token(client.get(reverse("incidents:incident_create")).content.decode())
    client.post(reverse("incidents:incident_create"), {**incident_post(world), "_once": token2})
    assert Incident.objects.count() == 2


def test_a_form_with_errors_frees_its_token_for_the_corrected_post(as_user, world):
    client = as_user("township1")
    token = _token(client.get(reverse("incidents:incident_create")).content.decode())
    bad = client.post(
        reverse("incidents:incident_create"), {**incident_post(world, village=world.village2.pk), "_once": token}
    )
    assert bad.status_code == 200 and not Incident.objects.exists()
    assert not SubmissionToken.objects.exists()
    assert (
        client.post(reverse("incidents:incident_create"), {**incident_post(world), "_once": token}).status_code == 302
    )
    assert Incident.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_of_one_form_create_one_incident(world):
    """Two requests of the same form at once (two threads, two database connections)."""
    clients = []
    for _ in range(2):
        c = Client()
        c.force_login(world.users["township1"])
        clients.append(c)
    token = "same-form-token-0001"
    data = {**incident_post(world), "_once": token}
    results = []
    barrier = threading.Barrier(2)

    def post(c):
        try:
            barrier.wait()
            results.append(c.post(reverse("incidents:incident_create"), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [302, 302]
    assert Incident.objects.count() == 1
