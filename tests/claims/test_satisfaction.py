"""Satisfaction after closing: the sweep asks a setting's delay after a case ends; a signed link, answered once."""
import re
import time
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.urls import reverse

from claims import deadlines, domain, satisfaction
from claims.business_days import PARIS
from claims.models import Claim, SatisfactionSurvey
from helpdesk.models import ContactRequest
from helpdesk.services import contact_request_create
from tests.factories import StaffFactory, make_claim, make_order

pytestmark = pytest.mark.django_db

OPENED = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)


def settled_claim(at=OPENED):
    claim = make_claim(order=make_order(now=at, days_ago=10), now=at)
    # A partial refund settles the claim at once (an exchange would first wait for the item's return).
    proposal = domain.claim_propose(claim_id=claim.pk, seller_user=claim.seller.user, kind="partial_refund",
                                    amount=Decimal("5.00"), now=at)
    domain.claim_accept(claim_id=claim.pk, proposal_id=proposal.pk, buyer=claim.buyer, now=at + timedelta(hours=1))
    return Claim.objects.get(pk=claim.pk)


def link_in(message) -> str:
    return re.search(r"http://\S+/reclamations/avis/(\S+)/", message.body).group(1)


def test_the_question_leaves_by_the_sweep_after_the_delay(settings):
    claim = settled_claim()
    closed = claim.closed_at
    mail.outbox.clear()
    assert deadlines.sweep(now=closed + timedelta(hours=23)).surveys_sent == 0
    assert not SatisfactionSurvey.objects.exists()
    assert deadlines.sweep(now=closed + timedelta(hours=24)).surveys_sent == 1
    survey = SatisfactionSurvey.objects.get()
    assert survey.claim == claim and survey.email == claim.buyer.email
    (message,) = [m for m in mail.outbox if m.subject == "Comment s'est passée la résolution ?"]
    assert message.to == [claim.buyer.email]
    assert "28 jours" in message.body
    # A second sweep, or one running at the same time, asks nothing more.
    assert deadlines.sweep(now=closed + timedelta(hours=25)).surveys_sent == 0
    assert SatisfactionSurvey.objects.count() == 1


def test_the_delay_is_a_setting(settings):
    settings.SATISFACTION_DELAY = timedelta(hours=2)
    claim = settled_claim()
    assert deadlines.sweep(now=claim.closed_at + timedelta(hours=2)).surveys_sent == 1


def test_withdrawn_claims_are_not_asked_but_decided_ones_and_closed_requests_are():
    withdrawn = make_claim(order=make_order(now=OPENED, days_ago=10), now=OPENED)
    domain.claim_withdraw(claim_id=withdrawn.pk, buyer=withdrawn.buyer, reason="solved", now=OPENED)
    decided = make_claim(order=make_order(now=OPENED, days_ago=10), now=OPENED)
    domain.claim_take_over(claim_id=decided.pk, now=decided.seller_deadline + timedelta(seconds=1))
    domain.claim_decide(claim_id=decided.pk, agent=StaffFactory(), decision="seller_favour", reason="Colis livré",
                        amount=None, now=OPENED + timedelta(days=6))
    contact_request = contact_request_create(topic="other", body="?", email="c@example.com", language="en",
                                             now=OPENED)
    ContactRequest.objects.filter(pk=contact_request.pk).update(status="closed", updated_at=OPENED + timedelta(days=6))
    satisfaction.satisfaction_step(now=OPENED + timedelta(days=8))
    surveys = SatisfactionSurvey.objects.all()
    assert {(s.claim_id, s.contact_request_id) for s in surveys} == {(decided.pk, None), (None, contact_request.pk)}
    assert SatisfactionSurvey.objects.get(contact_request=contact_request).language == "en"
    english = [m for m in mail.outbox if m.to == ["c@example.com"] and "resolution" in m.subject.lower()]
    assert len(english) == 1


def test_cases_ended_before_the_link_could_live_are_not_asked():
    claim = settled_claim()
    satisfaction.satisfaction_step(now=claim.closed_at + timedelta(days=29))
    assert not SatisfactionSurvey.objects.exists()


@pytest.fixture
def sent_survey():
    claim = settled_claim()
    mail.outbox.clear()
    now = claim.closed_at + timedelta(days=1)
    satisfaction.satisfaction_step(now=now)
    return SatisfactionSurvey.objects.get(), link_in(mail.outbox[-1])


def test_the_link_from_the_email_is_answered_once_without_login(client, sent_survey):
    survey, token = sent_survey
    url = reverse("claims:satisfaction", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Comment s'est passée la résolution ?" in page.content.decode()
    response = client.post(url, {"satisfied": "0", "comment": "Trop long, mais résolu."})
    assert response.status_code == 200
    assert 'data-testid="survey-thanks"' in response.content.decode()
    survey.refresh_from_db()
    assert (survey.satisfied, survey.comment) == (False, "Trop long, mais résolu.")
    assert survey.answered_at is not None
    # Used once: a second visit or answer says so and changes nothing.
    again = client.post(url, {"satisfied": "1", "comment": ""})
    assert 'data-testid="survey-answered"' in again.content.decode()
    survey.refresh_from_db()
    assert survey.satisfied is False


def test_a_tampered_link_gets_a_clear_page(client, sent_survey):
    survey, token = sent_survey
    forged = signing.dumps(survey.pk + 1, salt="another-salt")
    for bad in (token[:-2] + ("aa" if not token.endswith("aa") else "bb"), forged, "nothing"):
        response = client.get(reverse("claims:satisfaction", args=[bad]))
        assert response.status_code == 404
        assert 'data-testid="survey-invalid"' in response.content.decode()
    assert client.post(reverse("claims:satisfaction", args=[forged]), {"satisfied": "1"}).status_code == 404
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_an_expired_link_gets_a_clear_page(client, sent_survey, settings):
    survey, token = sent_survey
    settings.SATISFACTION_LINK_MAX_AGE = timedelta(seconds=-1)  # every link is older than this
    response = client.get(reverse("claims:satisfaction", args=[token]))
    assert response.status_code == 410
    assert 'data-testid="survey-expired"' in response.content.decode()


def test_the_link_lives_28_days(sent_survey, settings, monkeypatch):
    survey, token = sent_survey
    assert settings.SATISFACTION_LINK_MAX_AGE == timedelta(days=28)
    real = time.time()
    # The signature's own clock: a link 27 days old is answered, one 29 days old has expired.
    monkeypatch.setattr(time, "time", lambda: real + 27 * 86400)
    assert satisfaction.survey_from_token(token).pk == survey.pk
    monkeypatch.setattr(time, "time", lambda: real + 29 * 86400)
    with pytest.raises(satisfaction.SurveyLinkError) as error:
        satisfaction.survey_from_token(token)
    assert error.value.kind == "expired"


def test_a_missing_answer_or_a_long_comment_is_refused_and_nothing_is_lost(client, sent_survey):
    survey, token = sent_survey
    url = reverse("claims:satisfaction", args=[token])
    response = client.post(url, {"comment": "x" * 1001})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez « satisfait » ou « pas satisfait »." in html
    assert "x" * 1001 in html  # what was typed is kept
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_the_answer_is_shown_to_agents_on_the_claim(client, sent_survey):
    survey, token = sent_survey
    satisfaction.survey_answer(token=token, satisfied=True, comment="Très bien", now=survey.created_at)
    client.force_login(StaffFactory())
    html = client.get(reverse("admin:claims_claim_change", args=[survey.claim_id])).content.decode()
    assert "Satisfait (répondu le" in html and "« Très bien »" in html
