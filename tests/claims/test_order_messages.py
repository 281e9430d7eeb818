"""Buyer–seller messages on an order ("Contacter le vendeur"): the service, the post view and the order page."""
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from claims.models import Notification
from orders.models import OrderMessage
from orders.services import OrderMessageError, order_message_post


def post_url(order):
    return reverse("claims:order_message", args=[order.number])


def order_url(order):
    return reverse("orders:detail", args=[order.number])


def test_a_buyer_message_notifies_the_seller(roles):
    order = roles["order"]
    message = order_message_post(order=order, author=roles["buyer"], body="  Où est mon colis ?  ", now=timezone.now())
    assert message.body == "Où est mon colis ?"
    notification = Notification.objects.get(kind=Notification.Kind.ORDER_MESSAGE)
    assert (notification.recipient, notification.order, notification.claim) == (roles["seller"], order, None)


def test_a_seller_answer_notifies_the_buyer(roles):
    order_message_post(order=roles["order"], author=roles["seller"], body="Expédié hier", now=timezone.now())
    assert Notification.objects.get(kind=Notification.Kind.ORDER_MESSAGE).recipient == roles["buyer"]


@pytest.mark.parametrize("role", ["other_buyer", "other_seller", "staff"])
def test_only_the_orders_buyer_and_seller_may_write(roles, role):
    with pytest.raises(OrderMessageError):
        order_message_post(order=roles["order"], author=roles[role], body="Bonjour", now=timezone.now())
    assert not OrderMessage.objects.exists()


def test_an_empty_message_is_refused(roles):
    with pytest.raises(OrderMessageError):
        order_message_post(order=roles["order"], author=roles["buyer"], body="   ", now=timezone.now())


def test_anonymous_visitors_are_sent_to_login(client, roles):
    response = client.post(post_url(roles["order"]), {"body": "Bonjour"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not OrderMessage.objects.exists()


@pytest.mark.parametrize("role", ["other_buyer", "other_seller", "staff"])
def test_posting_on_another_partys_order_is_a_404(client, roles, role):
    client.force_login(roles[role])
    assert client.post(post_url(roles["order"]), {"body": "Bonjour"}).status_code == 404
    assert not OrderMessage.objects.exists()


def test_posting_needs_post(client, roles):
    client.force_login(roles["buyer"])
    assert client.get(post_url(roles["order"])).status_code == 405


@pytest.mark.parametrize("role", ["buyer", "seller"])
def test_buyer_and_seller_post_and_return_to_the_conversation(client, roles, role):
    client.force_login(roles[role])
    response = client.post(post_url(roles["order"]), {"body": "Bonjour"})
    assert response["Location"] == order_url(roles["order"]) + "#contacter-le-vendeur"
    assert OrderMessage.objects.get().author == roles[role]


def test_the_seller_replying_from_the_dashboard_returns_there(client, roles):
    client.force_login(roles["seller"])
    next_url = reverse("claims:dashboard_messages")
    response = client.post(post_url(roles["order"]), {"body": "Bonjour", "next": next_url})
    assert response["Location"] == next_url


def test_an_outside_next_url_is_ignored(client, roles):
    client.force_login(roles["buyer"])
    response = client.post(post_url(roles["order"]), {"body": "Bonjour", "next": "https://evil.example/"})
    assert response["Location"] == order_url(roles["order"]) + "#contacter-le-vendeur"


# A NUL byte never reaches the view: the middleware refuses it for the whole site (tests/test_nul_bytes.py).
@pytest.mark.parametrize("garbage", ["'; DROP TABLE", "détail"])
def test_a_next_that_is_not_a_path_returns_to_the_order_and_keeps_the_message(client, roles, garbage):
    client.force_login(roles["buyer"])
    response = client.post(post_url(roles["order"]), {"body": "Bonjour", "next": garbage})
    assert response["Location"] == order_url(roles["order"]) + "#contacter-le-vendeur"
    assert OrderMessage.objects.get().body == "Bonjour"


def test_an_empty_message_gets_a_clear_message(client, roles):
    client.force_login(roles["buyer"])
    response = client.post(post_url(roles["order"]), {"body": ""})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Écrivez votre message."]
    assert not OrderMessage.objects.exists()


def test_the_order_page_offers_contacter_le_vendeur_to_the_buyer(client, roles):
    client.force_login(roles["buyer"])
    html = client.get(order_url(roles["order"])).content.decode()
    assert 'id="contacter-le-vendeur"' in html
    assert "Contacter le vendeur" in html
    assert post_url(roles["order"]) in html


def test_the_seller_sees_and_answers_the_conversation_on_the_order_page(client, roles):
    order_message_post(order=roles["order"], author=roles["buyer"], body="Le colis n'est pas arrivé", now=timezone.now())
    client.force_login(roles["seller"])
    html = client.get(order_url(roles["order"])).content.decode()
    assert "Le colis n&#x27;est pas arrivé" in html
    assert post_url(roles["order"]) in html


def test_staff_read_the_conversation_without_a_form(client, roles):
    order_message_post(order=roles["order"], author=roles["buyer"], body="Bonjour vendeur", now=timezone.now())
    client.force_login(roles["staff"])
    html = client.get(order_url(roles["order"])).content.decode()
    assert "Bonjour vendeur" in html
    assert post_url(roles["order"]) not in html


def test_the_order_message_email_names_the_order_and_links_to_it(roles, mailoutbox):
    from claims.notifications import send_email

    order_message_post(order=roles["order"], author=roles["buyer"], body="Bonjour", now=timezone.now())
    notification = Notification.objects.get()
    assert send_email(notification_id=notification.pk, now=timezone.now())
    (email,) = mailoutbox
    assert email.to == [roles["seller"].email]
    assert email.subject == "Nouveau message sur une commande"
    assert roles["order"].number in email.body and order_url(roles["order"]) in email.body


def test_opening_the_order_page_reads_the_other_partys_messages_and_their_notices(client, roles):
    order = roles["order"]
    from_seller = order_message_post(order=order, author=roles["seller"], body="Votre colis part demain.",
                                     now=timezone.now())
    from_buyer = order_message_post(order=order, author=roles["buyer"], body="Merci, j'attends.", now=timezone.now())
    client.force_login(roles["buyer"])

    response = client.get(reverse("orders:detail", args=[order.number]))

    assert response.status_code == 200
    from_seller.refresh_from_db()
    from_buyer.refresh_from_db()
    assert from_seller.read_at is not None
    assert not Notification.objects.filter(recipient=roles["buyer"], read_at__isnull=True).exists()
    # The buyer's own message stays unread until the seller opens the page, and so does the seller's notice of it.
    assert from_buyer.read_at is None
    assert Notification.objects.filter(recipient=roles["seller"], read_at__isnull=True).count() == 1


def test_staff_opening_the_order_page_leaves_the_parties_messages_unread(client, roles):
    order = roles["order"]
    order_message_post(order=order, author=roles["buyer"], body="Où est mon colis ?", now=timezone.now())
    client.force_login(roles["staff"])

    client.get(reverse("orders:detail", args=[order.number]))

    assert OrderMessage.objects.filter(order=order, read_at__isnull=True).count() == 1
