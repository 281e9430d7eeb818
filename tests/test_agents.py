"""'Is an agent' means one thing everywhere: active staff holding helpdesk.act_as_agent (the group "Service client").

A staff account without it may open the admin's door, but on the site it is nobody: every page and act
that an agent may use answers it like a stranger (404), and the domain refuses its acts.
"""
import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims import domain
from claims.models import ClaimMessage, Proposal
from claims.photos import process_upload, process_uploads
from helpdesk.services import ContactRequestError, contact_request_answer, contact_request_create
from rakuten_portal.agents import AGENT_GROUP, AGENT_PERMISSION, agent_accounts, is_agent
from tests.helpdesk.test_admin import change_data
from tests.factories import (
    AgentFactory,
    StaffFactory,
    StaffWithoutAgentPermissionFactory,
    UserFactory,
    make_claim,
    make_order,
)
from tests.test_no_server_errors import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles):
    """A claim taken over by support with an internal note, photos, a proposal, and a help-desk request."""
    now = timezone.now()
    order = make_order(buyer=roles["buyer"], seller=roles["seller_profile"], days_ago=20)
    claim = make_claim(order=order, reason="not_received", photos=[process_upload(png())], now=now)
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=roles["seller"], kind=Proposal.Kind.EXCHANGE,
                                    message="Je vous l'échange", now=now)
    domain.claim_add_note(claim_id=claim.pk, agent=roles["staff"], body="Note interne", now=now)
    accepted, _rejected = process_uploads([png()], allow_pdf=True)
    contact = contact_request_create(topic="purchase", body="Ma question", email=roles["buyer"].email,
                                     language="fr", now=now, requester=roles["buyer"], order=roles["order"],
                                     files=accepted)
    return {**roles, "claim": claim, "proposal": proposal, "contact": contact,
            "claim_attachment": claim.attachments.first(), "contact_attachment": contact.attachments.first(),
            "bare_staff": StaffWithoutAgentPermissionFactory(username="bare-staff"),
            "agent": AgentFactory(username="group-agent")}


def site_pages(world) -> list[str]:
    """Every site page showing another's order, claim, request or file."""
    claim, contact = world["claim"], world["contact"]
    return [
        reverse("orders:detail", args=[world["order"].number]),
        reverse("orders:detail", args=[claim.order.number]),
        reverse("claims:detail", args=[claim.pk]),
        reverse("claims:attachment", args=[world["claim_attachment"].pk]),
        reverse("claims:attachment_thumbnail", args=[world["claim_attachment"].pk]),
        reverse("helpdesk:request_detail", args=[contact.reference]),
        reverse("helpdesk:attachment", args=[world["contact_attachment"].pk]),
        reverse("helpdesk:attachment_thumbnail", args=[world["contact_attachment"].pk]),
    ]


def site_acts(world) -> list[tuple[str, dict]]:
    claim, proposal = world["claim"], world["proposal"]
    return [
        (reverse("claims:message", args=[claim.pk]), {"body": "Service client Rakuten ici", "internal": "on"}),
        (reverse("claims:message", args=[claim.pk]), {"body": "Service client Rakuten ici"}),
        (reverse("claims:propose", args=[claim.pk]), {"kind": "full_refund", "message": "x"}),
        (reverse("claims:accept", args=[claim.pk, proposal.pk]), {}),
        (reverse("claims:decline", args=[claim.pk, proposal.pk]), {"reason": "non"}),
        (reverse("claims:withdraw", args=[claim.pk]), {"reason": "arrangement"}),
        (reverse("claims:extend", args=[claim.pk]), {}),
        (reverse("claims:order_message", args=[claim.order.number]), {"body": "Bonjour"}),
        (reverse("helpdesk:request_detail", args=[world["contact"].reference]), {"message": "Réponse"}),
    ]


def test_is_agent_needs_active_staff_with_the_permission():
    assert not is_agent(None)
    assert not is_agent(UserFactory(username="plain"))
    assert not is_agent(StaffWithoutAgentPermissionFactory(username="bare"))
    assert not is_agent(UserFactory(username="root-not-staff", is_superuser=True))
    assert not is_agent(StaffFactory(username="gone", is_active=False))
    assert is_agent(StaffFactory(username="super"))
    assert is_agent(AgentFactory(username="by-group"))
    direct = StaffWithoutAgentPermissionFactory(username="direct")
    direct.user_permissions.add(Permission.objects.get(codename="act_as_agent"))
    assert is_agent(type(direct).objects.get(pk=direct.pk))


def test_the_group_service_client_exists_after_migrate_and_holds_the_permission():
    group = Group.objects.get(name=AGENT_GROUP)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("helpdesk", "act_as_agent") in codenames
    assert {("claims", "view_claim"), ("claims", "change_claim"), ("orders", "view_order"),
            ("helpdesk", "change_contactrequest")} <= codenames
    assert AGENT_PERMISSION == "helpdesk.act_as_agent"


@pytest.mark.django_db(transaction=True)
def test_the_group_comes_back_after_a_flush():
    call_command("flush", "--noinput", verbosity=0)
    assert Group.objects.filter(name=AGENT_GROUP, permissions__codename="act_as_agent").exists()


def test_agent_accounts_lists_each_agent_once_and_no_bare_staff():
    agent = AgentFactory(username="a1")
    superuser = StaffFactory(username="s1")
    StaffWithoutAgentPermissionFactory(username="bare")
    UserFactory(username="buyer")
    assert sorted(agent_accounts().values_list("username", flat=True)) == sorted([agent.username, superuser.username])


def test_seed_demo_agent_is_an_agent_by_its_group_too():
    call_command("seed_demo", verbosity=0)
    agent = type(UserFactory()).objects.get(username="agent")
    assert is_agent(agent) and agent.groups.filter(name=AGENT_GROUP).exists()


def test_staff_without_the_permission_sees_no_site_page_of_others(world):
    client = Client()
    client.force_login(world["bare_staff"])
    for url in site_pages(world):
        assert client.get(url).status_code == 404, url


def test_an_agent_by_group_sees_every_site_page(world):
    client = Client()
    client.force_login(world["agent"])
    for url in site_pages(world):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("claims:detail", args=[world["claim"].pk]))
    assert "Note interne" in page.content.decode()


def test_staff_without_the_permission_can_do_no_site_act(world):
    client = Client()
    client.force_login(world["bare_staff"])
    before = ClaimMessage.objects.count()
    for url, data in site_acts(world):
        assert client.post(url, data).status_code == 404, url
    assert ClaimMessage.objects.count() == before
    world["proposal"].refresh_from_db()
    assert world["proposal"].is_pending


def test_the_domain_refuses_every_agent_act_to_staff_without_the_permission(world):
    bare, claim, now = world["bare_staff"], world["claim"], timezone.now()
    assert domain.role_of(claim, bare) is None
    with pytest.raises(domain.ClaimActionError):
        domain.claim_post_message(claim_id=claim.pk, author=bare, body="Service client Rakuten", now=now)
    with pytest.raises(domain.ClaimActionError):
        domain.claim_add_note(claim_id=claim.pk, agent=bare, body="note", now=now)
    domain.claim_take_over(claim_id=claim.pk, now=claim.seller_deadline + timezone.timedelta(seconds=1))
    with pytest.raises(domain.ClaimActionError):
        domain.claim_assign(claim_id=claim.pk, agent=bare, now=now)
    with pytest.raises(domain.ClaimActionError):
        domain.claim_decide(claim_id=claim.pk, agent=bare, decision="refund_full", reason="x", now=now)
    mail.outbox.clear()
    with pytest.raises(ContactRequestError):
        contact_request_answer(contact_request=world["contact"], agent=bare, body="Bonjour", now=now)
    assert world["contact"].messages.filter(role="agent").count() == 0


def test_the_agent_by_group_acts_through_the_domain(world):
    agent, claim, now = world["agent"], world["claim"], timezone.now()
    assert domain.role_of(claim, agent) == ClaimMessage.Role.SUPPORT
    domain.claim_add_note(claim_id=claim.pk, agent=agent, body="note", now=now)
    domain.claim_take_over(claim_id=claim.pk, now=claim.seller_deadline + timezone.timedelta(seconds=1))
    domain.claim_assign(claim_id=claim.pk, agent=agent, now=now)
    contact_request_answer(contact_request=world["contact"], agent=agent, body="Bonjour", now=now)


def test_staff_with_admin_permissions_but_not_the_agent_one_cannot_act_in_the_claims_admin(world):
    clerk = StaffWithoutAgentPermissionFactory(username="clerk")
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_claim", "change_claim"]))
    client = Client()
    client.force_login(clerk)
    claim = world["claim"]
    assert client.get(reverse("admin:claims_claim_change", args=[claim.pk])).status_code == 200
    for name in ("claims_claim_note", "claims_claim_message", "claims_claim_assign", "claims_claim_decide"):
        assert client.post(reverse(f"admin:{name}", args=[claim.pk]), {"body": "x"}).status_code == 403, name


def test_staff_without_the_agent_permission_gets_no_reply_box_in_the_requests_admin(world):
    clerk = StaffWithoutAgentPermissionFactory(username="clerk")
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_contactrequest",
                                                                        "change_contactrequest"]))
    contact = world["contact"]
    url = reverse("admin:helpdesk_contactrequest_change", args=[contact.pk])
    client = Client()
    client.force_login(clerk)
    page = client.get(url)
    assert page.status_code == 200 and 'name="reply"' not in page.content.decode()
    response = client.post(url, change_data(contact, status="in_progress", reply="Bonjour"))
    assert response.status_code == 302
    assert not contact.messages.filter(role="agent").exists()
    agent_client = Client()
    agent_client.force_login(world["agent"])
    assert 'name="reply"' in agent_client.get(url).content.decode()


def test_the_requests_admin_offers_only_agents_as_assignees(world):
    contact = world["contact"]
    client = Client()
    client.force_login(world["staff"])
    page = client.get(reverse("admin:helpdesk_contactrequest_change", args=[contact.pk])).content.decode()
    assert "group-agent" in page and "bare-staff" not in page

