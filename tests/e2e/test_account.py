"""In Chromium: the account flows — password reset by e-mail, login throttling, and the notification bell."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from claims.domain import claim_open, claim_post_message
from claims.models import Claim
from orders.models import Order

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Tournesol-Cadran-2026"


def submit_login(page, username, password):
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_visitor_resets_alices_password_from_the_emailed_link_and_logs_in_with_it(page, page_errors, live_server,
                                                                                  demo_data, login):
    mail.outbox.clear()
    page.goto(reverse("login"))
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    expect(page.locator("h1")).to_have_text("Mot de passe oublié")
    page.locator("main form input[name=email]").fill("alice@example.com")
    page.get_by_role("button", name="Envoyer le lien").click()
    expect(page.locator("h1")).to_have_text("E-mail envoyé")

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["alice@example.com"]
    links = re.findall(r"https?://\S+/compte/mot-de-passe/nouveau/\S+/", email.body)
    assert len(links) == 1, email.body
    page.goto(links[0])
    expect(page.locator("h1")).to_have_text("Choisissez un nouveau mot de passe")
    page.locator("main form input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("main form input[name=new_password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("h1")).to_have_text("Mot de passe enregistré")

    page.goto(links[0])
    expect(page.locator("h1")).to_have_text("Lien invalide")
    login(page, live_server, "alice", NEW_PASSWORD)
    assert get_user_model().objects.get(username="alice").check_password(NEW_PASSWORD)
    assert page_errors == []


def test_five_wrong_passwords_lock_bob_out_even_with_the_right_one(page, page_errors, live_server, demo_data):
    page.goto(reverse("login"))
    for _ in range(4):
        submit_login(page, "bob", "pas-le-bon")
        expect(page.locator("main form")).to_contain_text("Saisissez un nom d’utilisateur et un mot de passe valides")
    submit_login(page, "bob", "pas-le-bon")
    expect(page.locator("h1")).to_have_text("Trop de tentatives de connexion")

    page.goto(reverse("login"))
    submit_login(page, "bob", "demo-2026")
    expect(page.locator("h1")).to_have_text("Trop de tentatives de connexion")
    expect(page.get_by_role("link", name="Mot de passe oublié ?")).to_be_visible()
    page.goto(reverse("orders:account"))
    assert reverse("login") in page.url
    assert page_errors == []


def test_buyer_follows_the_bell_to_the_sellers_message_and_the_count_clears(page, page_errors, live_server, demo_data,
                                                                            login):
    alice = get_user_model().objects.get(username="alice")
    order = (Order.objects.filter(buyer=alice, seller__user__username="boutique-paris", status=Order.Status.DELIVERED)
             .order_by("-purchased_at").first())
    claim = claim_open(order=order, buyer=alice, reason=Claim.Reason.DAMAGED, now=timezone.now(),
                       description="Le casque grésille à gauche.", items=list(order.lines.all()))
    claim_post_message(claim_id=claim.pk, author=order.seller.user, now=timezone.now(),
                       body="Bonjour, pouvez-vous m'envoyer une vidéo du problème ?")

    login(page, live_server, "alice")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.locator(f'nav a[href="{reverse("claims:notifications")}"]').click()
    notices = page.get_by_test_id("notifications")
    expect(notices).to_contain_text("Nouveau message")
    expect(notices).to_contain_text(order.number)
    # The list alone leaves the notice unread.
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    notices.get_by_role("button", name="Nouveau message").click()

    page.wait_for_url(f"**{reverse('claims:detail', args=[claim.pk])}")
    expect(page.get_by_test_id("thread")).to_contain_text("une vidéo du problème")
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    page.locator(f'nav a[href="{reverse("claims:notifications")}"]').click()
    expect(page.get_by_test_id("notifications").locator(".notification-unread")).to_have_count(0)
    expect(page.get_by_test_id("mark-all-read")).to_have_count(0)
    assert page_errors == []


def test_a_fourth_reset_request_in_an_hour_sends_nothing_and_says_when_to_try_again(page, page_errors, live_server,
                                                                                     demo_data):
    from django.core.cache import cache

    cache.clear()  # the reset counters live in the cache, across tests
    mail.outbox.clear()
    for _ in range(3):
        page.goto(reverse("password_reset"))
        page.locator("main form input[name=email]").fill("alice@example.com")
        page.get_by_role("button", name="Envoyer le lien").click()
        expect(page.locator("h1")).to_have_text("E-mail envoyé")
    page.goto(reverse("password_reset"))
    page.locator("main form input[name=email]").fill("alice@example.com")
    page.get_by_role("button", name="Envoyer le lien").click()
    expect(page.locator("main")).to_contain_text("Trop de demandes de nouveau mot de passe")
    expect(page.locator("main")).to_contain_text("Réessayez dans")
    expect(page.locator("main form input[name=email]")).to_have_value("alice@example.com")
    assert len(mail.outbox) == 3
    cache.clear()
