"""The signed-in user is read from the cache, and every change of the row (the admin's included) is seen at once."""
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
ACCOUNT = reverse("orders:account")


def user_queries(client, url=ACCOUNT):
    """The queries on the users' table during one request, and the response."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return [query["sql"] for query in context if 'FROM "auth_user"' in query["sql"]], response


def test_a_signed_in_page_reads_the_user_from_the_cache_filled_at_login(client):
    client.force_login(UserFactory(username="zoe"))
    first, _ = user_queries(client)
    again, response = user_queries(client)
    assert first == again == []
    assert response.status_code == 200 and response.context["user"].username == "zoe"


def test_without_the_cached_row_the_user_is_read_once_then_kept(client):
    from django.core.cache import cache

    user = UserFactory()
    client.force_login(user)
    cache.delete(f"user:{user.pk}")  # evicted, or past USER_CACHE_SECONDS
    first, _ = user_queries(client)
    again, _ = user_queries(client)
    assert len(first) == 1 and again == []


def test_a_deactivated_account_is_signed_out_on_its_next_request(client):
    user = UserFactory()
    client.force_login(user)
    user_queries(client)
    user.is_active = False
    user.save()
    assert client.get(ACCOUNT).status_code == 302  # to the login page


def test_a_password_change_ends_the_other_sessions_at_once(client):
    user = UserFactory()
    client.force_login(user)
    user_queries(client)
    user.set_password("another-password-2026")
    user.save()
    response = client.get(ACCOUNT)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_deleted_account_is_signed_out(client):
    user = UserFactory()
    client.force_login(user)
    user_queries(client)
    get_user_model().objects.filter(pk=user.pk).delete()  # the admin's "delete selected" does the same
    assert client.get(ACCOUNT).status_code == 302


def test_a_name_or_staff_flag_changed_in_the_admin_shows_on_the_next_page(client):
    agent = StaffFactory(username="agent-admin", is_superuser=True)
    user = UserFactory(username="before", first_name="Avant")
    client.force_login(user)
    user_queries(client)
    admin = client.__class__()
    admin.force_login(agent)
    change = reverse("admin:auth_user_change", args=[user.pk])
    form = admin.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name not in ("groups", "user_permissions", "last_login", "date_joined")}
    data.update(username="after", first_name="Après", date_joined_0="2026-01-01", date_joined_1="10:00:00",
                is_active="on")
    response = admin.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    queries, response = user_queries(client)
    assert len(queries) == 1 and response.context["user"].username == "after"


def test_with_the_cache_time_at_zero_the_user_is_read_on_every_request(client, settings):
    settings.USER_CACHE_SECONDS = 0
    client.force_login(UserFactory())
    user_queries(client)
    queries, _ = user_queries(client)
    assert len(queries) == 1
