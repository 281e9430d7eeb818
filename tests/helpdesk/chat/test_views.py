"""The chat's pages: the state endpoint, the agents' console and the visitor's context, for every role."""
import pytest
from django.urls import reverse

from helpdesk.chat import domain
from helpdesk.chat.models import Conversation
from helpdesk.chat.presence import presence_heartbeat
from helpdesk.models import ContactRequest
from tests.factories import make_claim, make_order

pytestmark = pytest.mark.django_db
STATE_URL = "/aide/chat/etat/"
CONSOLE_URL = "/admin/helpdesk/conversation/console/"


@pytest.fixture(autouse=True)
def _always_open(settings):
    settings.CHAT_HOURS = "mon-sun 00:00-24:00"
    settings.CHAT_CLOSED_ON_HOLIDAYS = False


def login(client, user):
    if user is not None:
        client.force_login(user)


def test_urls_are_the_protocols():
    assert reverse("helpdesk:chat_state") == STATE_URL
    assert reverse("admin:helpdesk_conversation_console") == CONSOLE_URL
    assert reverse("admin:helpdesk_conversation_context", args=[7]) == "/admin/helpdesk/conversation/7/contexte/"


def test_state_closed_without_an_agent_and_the_session_is_created(client):
    body = client.get(STATE_URL).json()
    assert (body["state"], body["reason"], body["conversation"], body["orders"]) == ("closed", "no_agent", None, [])
    assert [topic["value"] for topic in body["topics"]] == ["purchase", "tracking", "account", "other"]
    assert body["limits"] == {"message_length": 2000, "messages_per_minute": 20, "fallback_after_seconds": 240}
    assert client.cookies["sessionid"].value  # the anonymous socket is authenticated by it


def test_state_open_with_an_agent_and_lists_the_buyers_own_orders(client, roles):
    from django.utils import timezone

    presence_heartbeat(agent=roles["staff"], status="available", now=timezone.now())
    make_order()  # someone else's
    login(client, roles["buyer"])
    body = client.get(STATE_URL).json()
    assert (body["state"], body["message"]) == ("open", "Un conseiller va vous répondre.")
    assert [(o["id"], o["number"]) for o in body["orders"]] == [(roles["order"].pk, roles["order"].number)]


def test_state_outside_the_hours_says_when_it_opens(client, settings):
    settings.CHAT_HOURS = "sun 10:00-11:00"
    import time_machine

    from helpdesk.opening_hours import PARIS
    with time_machine.travel("2026-11-23 10:00 +01:00", tick=False):
        body = client.get(STATE_URL).json()
    assert (body["state"], body["reason"], body["opens"]) == ("closed", "hours", "dimanche à 10 h")
    assert PARIS


def test_state_gives_back_the_visitors_open_conversation(client, roles):
    from django.utils import timezone

    now = timezone.now()
    presence_heartbeat(agent=roles["staff"], status="available", now=now)
    conversation, _created = domain.conversation_start(user=roles["buyer"], session_key=None, topic="tracking",
                                                       language="fr", now=now)
    login(client, roles["buyer"])
    assert client.get(STATE_URL).json()["conversation"] == {"id": conversation.pk, "state": "waiting",
                                                            "topic": "tracking", "topic_label": "Suivi de commande"}
    login(client, roles["other_buyer"])
    assert client.get(STATE_URL).json()["conversation"] is None


def test_state_with_the_layer_down_is_unavailable_not_a_500(client, settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": settings.CHAT_LAYER_BACKEND, "CONFIG": {
        "hosts": [{"address": "redis://127.0.0.1:6399/0", "socket_connect_timeout": 1}]}}}
    response = client.get(STATE_URL)
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["reason"]) == ("unavailable", "layer_down")
    assert "formulaire" in response.json()["message"]


def test_state_makes_the_same_queries_with_one_or_many_orders(client, roles, django_assert_max_num_queries):
    login(client, roles["buyer"])
    client.get(STATE_URL)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(STATE_URL)
    for _ in range(5):
        make_order(buyer=roles["buyer"])
    with CaptureQueriesContext(connection) as many:
        client.get(STATE_URL)
    assert len(many) == len(one)


@pytest.mark.parametrize(("role", "status"), [
    ("anonymous", 302), ("buyer", 302), ("other_buyer", 302), ("seller", 302), ("other_seller", 302), ("staff", 200),
])
def test_console_only_for_agents(client, roles, role, status):
    login(client, roles.get(role))
    response = client.get(CONSOLE_URL)
    assert response.status_code == status
    if status == 200:
        assert response.context["agent_ws_path"] == "/ws/chat/agent/"
        assert response.context["heartbeat_seconds"] == 30 and response.context["capacity"] == 3
        assert response.context["context_url_template"] == "/admin/helpdesk/conversation/0/contexte/"


def test_console_refuses_staff_without_the_chat_permission(client):
    from tests.factories import UserFactory

    clerk = UserFactory(username="clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get(CONSOLE_URL).status_code == 403


def test_console_queries_do_not_grow_with_conversations(client, roles):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    client.force_login(roles["staff"])
    client.get(CONSOLE_URL)
    with CaptureQueriesContext(connection) as one:
        client.get(CONSOLE_URL)
    presence_heartbeat(agent=roles["staff"], status="available", now=timezone.now())
    for n in range(4):
        domain.conversation_start(user=None, session_key=f"s{n}", topic="other", language="fr", now=timezone.now(),
                                  name="Zoé", email="zoe@example.com")
    with CaptureQueriesContext(connection) as many:
        client.get(CONSOLE_URL)
    assert len(many) == len(one)


def the_conversation(roles, *, with_claim=True):
    from django.utils import timezone

    now = timezone.now()
    presence_heartbeat(agent=roles["staff"], status="available", now=now)
    if with_claim:
        make_claim(order=roles["order"])
    conversation, _created = domain.conversation_start(user=roles["buyer"], session_key=None, topic="tracking",
                                                       language="fr", now=now, order_id=roles["order"].pk)
    return conversation


@pytest.mark.parametrize(("role", "status"), [
    ("anonymous", 302), ("buyer", 302), ("other_buyer", 302), ("seller", 302), ("other_seller", 302), ("staff", 200),
])
def test_visitor_context_only_for_agents(client, roles, role, status):
    conversation = the_conversation(roles)
    login(client, roles.get(role))
    response = client.get(reverse("admin:helpdesk_conversation_context", args=[conversation.pk]))
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["order"]["number"] == roles["order"].number
        assert body["order"]["url"] == f"/admin/orders/order/{roles['order'].pk}/change/"
        assert [o["number"] for o in body["orders"]] == [roles["order"].number]
        assert [c["reference"] for c in body["claims"]] == [roles["order"].number]
        assert body["visitor"]["account"] is True


def test_visitor_context_lists_earlier_requests_with_constant_queries(client, roles):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from helpdesk.services import contact_request_create

    conversation = the_conversation(roles, with_claim=False)
    url = reverse("admin:helpdesk_conversation_context", args=[conversation.pk])
    client.force_login(roles["staff"])
    contact_request_create(topic="other", body="Bonjour", email="b@example.com", language="fr", now=timezone.now(),
                           requester=roles["buyer"])
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).json()["requests"]) == 1
    for _ in range(3):
        contact_request_create(topic="other", body="Re", email="b@example.com", language="fr", now=timezone.now(),
                               requester=roles["buyer"])
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()["requests"]) == 4
    assert len(many) == len(one)


def test_a_closed_chat_is_in_mes_demandes_with_its_transcript(client, roles):
    from django.utils import timezone

    conversation = the_conversation(roles, with_claim=False)
    now = timezone.now()
    domain.conversation_take(conversation_id=conversation.pk, agent=roles["staff"], now=now)
    domain.message_post(conversation=conversation, author="visitor", user=roles["buyer"], text="<b>Où</b> ?", now=now)
    closed = domain.conversation_close(conversation_id=conversation.pk, by="visitor", now=now)
    client.force_login(roles["buyer"])
    assert closed.request.reference in client.get(reverse("helpdesk:requests")).content.decode()
    html = client.get(reverse("helpdesk:request_detail", args=[closed.request.reference])).content.decode()
    assert "&lt;b&gt;Où&lt;/b&gt; ?" in html  # escaped
    client.force_login(roles["other_buyer"])
    assert client.get(reverse("helpdesk:request_detail", args=[closed.request.reference])).status_code == 404


def test_conversations_in_the_admin_are_read_only_and_escaped(client, roles):
    from django.utils import timezone

    conversation = the_conversation(roles, with_claim=False)
    domain.message_post(conversation=conversation, author="visitor", user=roles["buyer"], text="<i>x</i>",
                        now=timezone.now())
    client.force_login(roles["staff"])
    html = client.get(reverse("admin:helpdesk_conversation_change", args=[conversation.pk])).content.decode()
    assert "&lt;i&gt;x&lt;/i&gt;" in html and "<i>x</i>" not in html
    changelist = client.get(reverse("admin:helpdesk_conversation_changelist")).content.decode()
    assert CONSOLE_URL in changelist
    assert Conversation.objects.count() == 1 and ContactRequest.objects.count() == 0


def test_contact_form_is_prefilled_from_the_chat(client, roles):
    client.force_login(roles["buyer"])
    response = client.get(reverse("helpdesk:contact_form"), {
        "sujet": "tracking", "commande": roles["order"].number, "message": "Mon colis n'arrive pas"})
    form = response.context["form"]
    assert (form["topic"].value(), form["order"].value(), form["message"].value()) == (
        "tracking", roles["order"].number, "Mon colis n'arrive pas")
    ignored = client.get(reverse("helpdesk:contact_form"), {"sujet": "<script>"}).context["form"]
    assert ignored["topic"].value() is None


def test_a_member_of_the_service_client_group_opens_the_console(client):
    from rakuten_portal.agents import agent_group
    from tests.factories import UserFactory

    member = UserFactory(username="sophie", is_staff=True)
    member.groups.add(agent_group())
    client.force_login(member)
    assert client.get(CONSOLE_URL).status_code == 200


def test_the_request_of_a_chat_shows_its_rating_in_the_admin(client, roles):
    from django.utils import timezone

    conversation = the_conversation(roles, with_claim=False)
    closed = domain.conversation_close(conversation_id=conversation.pk, by="visitor", now=timezone.now())
    domain.conversation_rate(conversation=closed, rating="not_satisfied", comment="Trop <long>", now=timezone.now())
    client.force_login(roles["staff"])
    html = client.get(reverse("admin:helpdesk_contactrequest_change", args=[closed.request.pk])).content.decode()
    assert "Pas satisfait" in html and "Trop &lt;long&gt;" in html
